// Staff sign-in and audit intake at HQ, over HTTP, on both of HQ's databases: Argon2id
// passwords with TOTP, lockout, rotating sessions, the admin commands, and signed audit batches
// whose chain HQ verifies before it stores anything (a break flags the device).
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BranchStaffResponse, LoginResponse, SessionTokens } from '../../../shared/auth/staff';
import { EnrollResponse } from '../../../shared/protocol/hq';
import { checkOfflineGrant } from '../../../electron/core/session/offline-grant';
import { totpAt } from '../../../shared/auth/totp';
import { openDatabase } from '../../../hq/db/database';
import { demoUsers } from '../../../hq/seed';
import { tempDir } from '../../support/files';
import { auditKeyPair, hqCommand, startHq, type HqEnv, type RunningHq } from '../../support/hq';
import { startPostgres, type PostgresCluster } from '../../support/postgres';
import { chainEntries, credentialsIn, signedBatch, totpCodes } from '../../support/staff';

const databases = ['pglite', 'postgres'] as const;
const SEED = 7;

describe.each(databases)('HQ staff and audit intake on %s', (database) => {
  const dir = tempDir('branchdesk-hq-staff-');
  let cluster: PostgresCluster | undefined;
  let hq: HqEnv;
  let server: RunningHq;
  let port: number;
  const demo = new Map(demoUsers(SEED).map((user) => [user.username, user]));
  const users = new Map<string, { password: string; totpSecret: string }>();
  const codes = new Map<string, () => string>();
  const code = (username: string) => {
    const secret = users.get(username)?.totpSecret ?? demo.get(username)!.totpSecret;
    if (!codes.has(username)) codes.set(username, totpCodes(secret));
    return codes.get(username)!();
  };
  const password = (username: string) =>
    users.get(username)?.password ?? demo.get(username)!.password;
  const devices: Record<
    'a' | 'b',
    { auth: string; key: ReturnType<typeof auditKeyPair>; deviceId: string; grantKey: string }
  > = {} as never;
  const secretsSeen: string[] = [];

  beforeAll(async () => {
    if (database === 'postgres') cluster = await startPostgres();
    hq = { dataDir: join(dir.path, 'hq'), ...(cluster ? { databaseUrl: cluster.url } : {}) };
    const seeded = hqCommand(hq, [
      'seed',
      '--customers',
      '200',
      '--branches',
      '2',
      '--seed',
      String(SEED),
    ]);
    expect(seeded.status, seeded.stderr).toBe(0);
    // The demo staff, one per role, with credentials derived from the seed.
    for (const user of demo.values()) {
      expect(seeded.stdout).toContain(`user ${user.username}`);
      expect(seeded.stdout).toContain(user.password);
      expect(seeded.stdout).toContain(user.totpSecret);
      secretsSeen.push(user.password, user.totpSecret);
    }
    for (const [username, roles, branch] of [
      ['li.na', 'teller', 'B001'],
      ['guess.me', 'teller', 'B001'],
      ['zhou.audit', 'auditor', undefined],
      ['wang.moved', 'supervisor', 'B001'],
    ] as const) {
      const added = hqCommand(hq, [
        'user',
        'add',
        '--username',
        username,
        '--name',
        '测试 用户',
        '--roles',
        roles,
        ...(branch ? ['--branch', branch] : []),
      ]);
      expect(added.status, added.stderr).toBe(0);
      const credentials = credentialsIn(added.stdout);
      expect(added.stdout).toContain(`otpauth://totp/BranchDesk:${username}?secret=`);
      users.set(username, credentials);
      secretsSeen.push(credentials.password, credentials.totpSecret);
    }
    const taken = hqCommand(hq, [
      'user',
      'add',
      '--username',
      'li.na',
      '--name',
      '另一个',
      '--roles',
      'teller',
    ]);
    expect(taken.status).toBe(1);
    expect(taken.stderr).toContain('USER_EXISTS');
    const enrollCodes = ['B001', 'B002'].map((branch) =>
      hqCommand(hq, ['enroll-code', '--branch', branch]).stdout.trim(),
    );
    server = await startHq(hq);
    port = Number(new URL(server.url).port);
    for (const [index, name] of (['a', 'b'] as const).entries()) {
      const key = auditKeyPair();
      const response = await post('/v1/enroll', {
        code: enrollCodes[index],
        deviceName: `desk ${name}`,
        auditKey: key.enrollBody,
      });
      expect(response.status).toBe(201);
      const enrolled = EnrollResponse.parse(await response.json());
      devices[name] = {
        auth: `Device ${enrolled.deviceId}.${enrolled.credential}`,
        key,
        deviceId: enrolled.deviceId,
        grantKey: enrolled.grantKey,
      };
      secretsSeen.push(enrolled.credential);
    }
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
    cluster?.stop();
    dir.cleanup();
  });

  function post(path: string, body: unknown, authorization?: string) {
    return fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(authorization ? { authorization } : {}),
      },
      body: JSON.stringify(body),
    });
  }
  const get = (path: string, authorization: string) =>
    fetch(`${server.url}${path}`, { headers: { authorization } });

  /** Signs in; a wrong password goes with a dummy code (a right one would be spent for nothing). */
  async function login(device: 'a' | 'b', username: string, pass = password(username)) {
    const totp = pass === password(username) || pass.startsWith('new:') ? code(username) : '000000';
    return post(
      '/v1/auth/login',
      { username, password: pass.replace(/^new:/, ''), totp },
      devices[device].auth,
    );
  }

  let earlierLogs = '';
  /** HQ's console, HQ serving meanwhile (on PGlite it runs the command: hq/console-socket.ts). */
  async function atConsole(args: string[]) {
    return hqCommand(hq, args);
  }

  it('refuses admin commands typed wrong before opening anything (a taken username: above)', () => {
    const bad = hqCommand(hq, [
      'user',
      'add',
      '--username',
      'x y',
      '--name',
      'n',
      '--roles',
      'wizard',
    ]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/username|roles/);
  });

  let tellerSession: SessionTokens;

  it('signs a teller in with password and TOTP, once per code, only at their branch', async () => {
    const response = await login('a', 'teller1');
    expect(response.status).toBe(200);
    const signedIn = LoginResponse.parse(await response.json());
    expect(signedIn.user).toMatchObject({
      username: 'teller1',
      roles: ['teller'],
      branchId: 'B001',
    });
    expect(signedIn.policy).toEqual({
      offlineWindowHours: 72,
      idleLockMinutes: 5,
      auditRetentionDays: 90,
    });
    tellerSession = signedIn.tokens;
    secretsSeen.push(signedIn.tokens.accessToken, signedIn.tokens.refreshToken);

    const other = await post(
      '/v1/auth/login',
      { username: 'li.na', password: password('li.na'), totp: code('li.na') },
      devices.a.auth,
    );
    expect(other.status).toBe(200);

    // Right password and code, wrong branch's device.
    const elsewhere = await login('b', 'li.na');
    expect(elsewhere.status).toBe(403);
    expect(await elsewhere.json()).toMatchObject({ code: 'USER_NOT_AT_BRANCH' });

    // No device credential: no sign-in at all.
    const anonymous = await post('/v1/auth/login', {
      username: 'teller1',
      password: password('teller1'),
      totp: '123456',
    });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: 'DEVICE_UNAUTHENTICATED' });
  });

  it('never sends a TOTP secret: the reply carries a grant HQ signed for this user on this device alone', async () => {
    const response = await login('a', 'supervisor1');
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain(demo.get('supervisor1')!.totpSecret);
    expect(text).not.toMatch(/totp/i);
    const signedIn = LoginResponse.parse(JSON.parse(text));
    secretsSeen.push(signedIn.tokens.accessToken, signedIn.tokens.refreshToken);
    // The key HQ signs with is the one each device pinned at enrollment.
    expect(signedIn.grantKey).toBe(devices.a.grantKey);
    expect(devices.b.grantKey).toBe(devices.a.grantKey);
    const userId = signedIn.user.userId;
    const now = Date.now();
    const check = (deviceId: string, forUser = userId, at = now) =>
      checkOfflineGrant(signedIn.offlineGrant, devices.a.grantKey, {
        userId: forUser,
        deviceId,
        now: at,
      });
    const granted = check(devices.a.deviceId);
    expect(granted).toMatchObject({
      ok: true,
      claims: { userId, deviceId: devices.a.deviceId, branchId: 'B001', roles: ['supervisor'] },
    });
    if (!granted.ok) throw new Error('unreachable');
    const { issuedAt, expiresAt } = granted.claims;
    expect(Date.parse(expiresAt) - Date.parse(issuedAt)).toBe(72 * 3_600_000);
    expect(check(devices.b.deviceId)).toEqual({ ok: false, reason: 'grant_other_device' });
    expect(check(devices.a.deviceId, randomUUID())).toEqual({
      ok: false,
      reason: 'grant_other_user',
    });
    expect(check(devices.a.deviceId, userId, Date.parse(expiresAt) + 1)).toEqual({
      ok: false,
      reason: 'grant_expired',
    });
    const { publicKey: otherKey } = generateKeyPairSync('ed25519');
    expect(
      checkOfflineGrant(
        signedIn.offlineGrant,
        otherKey.export({ format: 'der', type: 'spki' }).toString('base64'),
        { userId, deviceId: devices.a.deviceId, now },
      ),
    ).toEqual({ ok: false, reason: 'grant_invalid' });
    // A grant is no credential at HQ.
    const asBearer = await get(
      `/v1/audit/customers/${randomUUID()}`,
      `Bearer ${signedIn.offlineGrant.signature}`,
    );
    expect(asBearer.status).toBe(401);
  });

  it('refuses a code already used', async () => {
    const used = code('zhou.audit');
    const first = await post(
      '/v1/auth/login',
      { username: 'zhou.audit', password: password('zhou.audit'), totp: used },
      devices.a.auth,
    );
    expect(first.status).toBe(200);
    const again = await post(
      '/v1/auth/login',
      { username: 'zhou.audit', password: password('zhou.audit'), totp: used },
      devices.a.auth,
    );
    expect(again.status).toBe(401);
    expect(await again.json()).toMatchObject({ code: 'LOGIN_FAILED' });
  });

  it('locks an account after five failures for 15 minutes, even to the right password', async () => {
    for (let remaining = 4; remaining >= 1; remaining--) {
      const wrong = await login('a', 'guess.me', 'not-the-password');
      expect(wrong.status).toBe(401);
      expect(await wrong.json()).toMatchObject({ code: 'LOGIN_FAILED', details: { remaining } });
    }
    const fifth = await login('a', 'guess.me', 'still-wrong');
    expect(fifth.status).toBe(423);
    const locked = (await fifth.json()) as { code: string; details: { until: string } };
    expect(locked.code).toBe('ACCOUNT_LOCKED');
    const until = Date.parse(locked.details.until);
    expect(until - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(until - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    const right = await login('a', 'guess.me');
    expect(right.status).toBe(423);
    // An unknown user fails the same way a wrong password does.
    const nobody = await post(
      '/v1/auth/login',
      { username: 'nobody', password: 'x', totp: '000000' },
      devices.a.auth,
    );
    expect(nobody.status).toBe(401);
    expect(await nobody.json()).toMatchObject({ code: 'LOGIN_FAILED' });
  });

  it('rotates refresh tokens: each is good once', async () => {
    const refreshed = await post(
      '/v1/auth/refresh',
      { refreshToken: tellerSession.refreshToken },
      devices.a.auth,
    );
    expect(refreshed.status).toBe(200);
    const next = SessionTokens.parse(await refreshed.json());
    expect(next.refreshToken).not.toBe(tellerSession.refreshToken);
    const reused = await post(
      '/v1/auth/refresh',
      { refreshToken: tellerSession.refreshToken },
      devices.a.auth,
    );
    expect(reused.status).toBe(401);
    // Another device cannot use it either.
    const stolen = await post(
      '/v1/auth/refresh',
      { refreshToken: next.refreshToken },
      devices.b.auth,
    );
    expect(stolen.status).toBe(401);
    tellerSession = next;
  });

  const customerId = randomUUID();
  let held = { seq: 0, hash: '' };

  it('stores a signed audit batch after checking its chain, and once only when it is resent', async () => {
    const { chain, privateKey } = devices.a.key;
    const entries = chainEntries(chain, 5, { target: customerId });
    const batch = signedBatch(chain, entries, privateKey);
    const stored = await post('/v1/audit/batches', batch, devices.a.auth);
    expect(stored.status).toBe(200);
    expect(await stored.json()).toEqual({
      acknowledged: { seq: 5, hash: entries[4]!.hash },
    });
    // The answer was lost: the device sends the batch again with more entries after it.
    const more = [
      ...entries,
      ...chainEntries(chain, 3, { from: { seq: 5, hash: entries[4]!.hash } }),
    ];
    const resent = await post(
      '/v1/audit/batches',
      signedBatch(chain, more, privateKey),
      devices.a.auth,
    );
    expect(await resent.json()).toEqual({ acknowledged: { seq: 8, hash: more[7]!.hash } });
    held = { seq: 8, hash: more[7]!.hash };
  });

  it('answers "who looked at this customer" to auditors only, from their HQ session', async () => {
    const asTeller = await get(
      `/v1/audit/customers/${customerId}`,
      `Bearer ${tellerSession.accessToken}`,
    );
    expect(asTeller.status).toBe(403);
    expect(await asTeller.json()).toMatchObject({ code: 'PERMISSION_DENIED' });
    const auditor = LoginResponse.parse(await (await login('a', 'auditor1')).json());
    const asAuditor = await get(
      `/v1/audit/customers/${customerId}`,
      `Bearer ${auditor.tokens.accessToken}`,
    );
    expect(asAuditor.status).toBe(200);
    const { entries } = (await asAuditor.json()) as { entries: unknown[] };
    expect(entries).toHaveLength(5);
    expect(entries[0]).toMatchObject({ actor: 'user:teller1', action: 'view', seq: 5 });
    expect((await get(`/v1/audit/customers/${customerId}`, 'Bearer nonsense')).status).toBe(401);
  });

  it('refuses a batch with a bad signature, an edited entry or a rewrite, and flags the device; a gap is answered with where to resume', async () => {
    const { chain, privateKey } = devices.a.key;
    const next = chainEntries(chain, 2, { from: held });
    const stranger = generateKeyPairSync('ed25519').privateKey;
    const forged = await post(
      '/v1/audit/batches',
      signedBatch(chain, next, stranger),
      devices.a.auth,
    );
    expect(forged.status).toBe(422);
    expect(await forged.json()).toMatchObject({ code: 'AUDIT_SIGNATURE_INVALID' });

    const edited = next.map((entry, index) =>
      index === 1 ? { ...entry, action: 'search' as const } : entry,
    );
    const broken = await post(
      '/v1/audit/batches',
      signedBatch(chain, edited, privateKey),
      devices.a.auth,
    );
    expect(broken.status).toBe(409);
    expect(await broken.json()).toMatchObject({
      code: 'AUDIT_CHAIN_BROKEN',
      details: { seq: held.seq + 2, problem: 'hash_mismatch' },
    });

    const gap = chainEntries(chain, 3, { from: held }).slice(1);
    const skipped = await post(
      '/v1/audit/batches',
      signedBatch(chain, gap, privateKey),
      devices.a.auth,
    );
    // Starting after where HQ's copy ends is what a restore of HQ does to a device's upload
    // (docs/SYNC-PROTOCOL.md, "HQ's epoch"): not stored, not a break, the device told where to go on.
    expect(skipped.status).toBe(409);
    expect(await skipped.json()).toMatchObject({
      code: 'AUDIT_RESUME',
      details: { seq: held.seq, hash: held.hash },
    });

    // A different history for entries HQ already holds.
    const rewritten = chainEntries(chain, 2, { actor: 'user:someone-else' });
    const rewrite = await post(
      '/v1/audit/batches',
      signedBatch(chain, rewritten, privateKey),
      devices.a.auth,
    );
    expect(await rewrite.json()).toMatchObject({ details: { problem: 'rewritten', seq: 1 } });

    // The good continuation is still accepted: nothing of the refused batches was stored.
    const good = await post(
      '/v1/audit/batches',
      signedBatch(chain, next, privateKey),
      devices.a.auth,
    );
    expect(await good.json()).toEqual({ acknowledged: { seq: held.seq + 2, hash: next[1]!.hash } });
  });

  it('ends a disabled user everywhere, and a reset password replaces the old one', async () => {
    const disabled = await atConsole(['user', 'disable', '--username', 'teller1']);
    expect(disabled.status, disabled.stderr).toBe(0);
    const reset = await atConsole(['user', 'reset-password', '--username', 'guess.me']);
    expect(reset.status, reset.stderr).toBe(0);
    const newPassword = /new password for guess\.me: (\S+)/.exec(reset.stdout)![1]!;
    secretsSeen.push(newPassword);

    const refresh = await post(
      '/v1/auth/refresh',
      { refreshToken: tellerSession.refreshToken },
      devices.a.auth,
    );
    expect(refresh.status).toBe(401);
    const again = await login('a', 'teller1');
    expect(again.status).toBe(403);
    expect(await again.json()).toMatchObject({ code: 'USER_DISABLED' });

    const staff = BranchStaffResponse.parse(
      await (await get('/v1/branch/staff', devices.a.auth)).json(),
    );
    const byName = new Map(staff.users.map((user) => [user.username, user]));
    expect(byName.get('teller1')?.status).toBe('disabled');
    expect(byName.has('auditor1')).toBe(true); // HQ-wide staff sign in anywhere
    expect(byName.has('li.na')).toBe(true);
    const otherBranch = BranchStaffResponse.parse(
      await (await get('/v1/branch/staff', devices.b.auth)).json(),
    );
    expect(otherBranch.users.map((user) => user.username)).not.toContain('li.na');

    // The reset cleared the lockout; the old password no longer works, the new one does.
    const oldPassword = await post(
      '/v1/auth/login',
      {
        username: 'guess.me',
        password: password('guess.me'),
        totp: totpAt(users.get('guess.me')!.totpSecret, Date.now()),
      },
      devices.a.auth,
    );
    expect(oldPassword.status).toBe(401);
    expect((await login('a', 'guess.me', `new:${newPassword}`)).status).toBe(200);
  });

  it('lists flagged devices and who looked at a customer from the command line', async () => {
    const flagged = hqCommand(hq, ['audit', 'flagged']);
    expect(flagged.status, flagged.stderr).toBe(0);
    expect(flagged.stdout).toContain('signature at 9');
    expect(flagged.stdout).toContain('1 flagged devices');
    const who = hqCommand(hq, ['audit', 'who', '--customer', customerId]);
    expect(who.stdout).toContain('user:teller1\tview');
    expect(who.stdout).toContain('5 entries');
  });

  it('ends the sessions of a user HQ moved to another branch: no refresh, no "who looked" there', async () => {
    const signedIn = await login('a', 'wang.moved');
    expect(signedIn.status).toBe(200);
    const { tokens } = LoginResponse.parse(await signedIn.json());
    secretsSeen.push(tokens.accessToken, tokens.refreshToken);
    // HQ has no command to move a member of staff yet: the move is made in its database.
    earlierLogs += server.output();
    if (database === 'pglite') await server.stop();
    const db = await openDatabase({
      dataDir: hq.dataDir,
      ...(hq.databaseUrl ? { databaseUrl: hq.databaseUrl } : {}),
    });
    await db.query("UPDATE staff_user SET branch_id = 'B002' WHERE username = 'wang.moved'");
    const [customer] = await db.query<{ id: string }>(
      "SELECT id FROM customer WHERE home_branch_id = 'B001' LIMIT 1",
    );
    await db.close();
    if (database === 'pglite') server = await startHq(hq, { port });

    const looked = await get(`/v1/audit/customers/${customer!.id}`, `Bearer ${tokens.accessToken}`);
    expect(looked.status).toBe(403);
    const refreshed = await post(
      '/v1/auth/refresh',
      { refreshToken: tokens.refreshToken },
      devices.a.auth,
    );
    expect(refreshed.status).toBe(401);
    expect(await refreshed.json()).toMatchObject({ code: 'SESSION_UNAUTHENTICATED' });
  });

  it('never writes a password, TOTP secret, token or credential to its logs', () => {
    const logs = earlierLogs + server.output();
    for (const secret of secretsSeen) expect(logs).not.toContain(secret);
  });
});
