// HQ's admin API and console, over HTTP and the real CLI: named HQ staff signed in with password
// and TOTP instead of a shared token, each admin action in HQ's own hash-chained audit with the
// real actor, "who looked at this customer" kept to the asker's branch, revocation ending the
// device's staff sessions, malformed bodies refused as input, and overdue audit uploads listed.
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginResponse } from '../../../shared/auth/staff';
import { EnrollResponse } from '../../../shared/protocol/hq';
import { demoUsers } from '../../../hq/seed';
import { openDatabase } from '../../../hq/db/database';
import { lockDataDir } from '../../../hq/db/lock';
import { tempDir } from '../../support/files';
import {
  addHqUser,
  auditKeyPair,
  hqAdmin,
  hqCommand,
  signInHq,
  startHq,
  type HqAccount,
  type HqEnv,
  type RunningHq,
} from '../../support/hq';
import { totpAt } from '../../../shared/auth/totp';
import { chainEntries, signedBatch, waitingTotpCodes } from '../../support/staff';

const SEED = 11;
/** What HQ_ADMIN_TOKEN held before named HQ staff: it must open nothing now. */
const OLD_TOKEN = 'hq-service-test-admin-token-0123456789';

describe('HQ staff at the admin API, and HQ audit of what they do', () => {
  const dir = tempDir('branchdesk-hq-admin-');
  const hq: HqEnv = { dataDir: join(dir.path, 'hq') };
  let server: RunningHq;
  let admin: HqAccount;
  let auditor: HqAccount;
  const demo = new Map(demoUsers(SEED).map((user) => [user.username, user]));
  const codes = new Map<string, () => Promise<string>>();
  const code = (username: string) => {
    if (!codes.has(username)) codes.set(username, waitingTotpCodes(demo.get(username)!.totpSecret));
    return codes.get(username)!();
  };
  /** supervisor1's session on device 0, opened in the first test. */
  let supervisor: string;
  const devices: { auth: string; deviceId: string; key: ReturnType<typeof auditKeyPair> }[] = [];
  const operator = `os:${userInfo().username}@`;

  const request = async (
    method: string,
    path: string,
    options: { auth?: string; body?: unknown; raw?: string } = {},
  ) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        ...(options.auth ? { authorization: options.auth } : {}),
        ...(options.body !== undefined || options.raw !== undefined
          ? { 'content-type': 'application/json' }
          : {}),
      },
      ...(options.raw !== undefined
        ? { body: options.raw }
        : options.body !== undefined
          ? { body: JSON.stringify(options.body) }
          : {}),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  /** A member of branch staff signed in on one of the devices: their HQ access token. */
  const branchSignIn = async (username: string, device: { auth: string }) => {
    const signedIn = await request('POST', '/v1/auth/login', {
      auth: device.auth,
      body: { username, password: demo.get(username)!.password, totp: await code(username) },
    });
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
    return `Bearer ${LoginResponse.parse(signedIn.body).tokens.accessToken}`;
  };
  const hqAudit = async () => {
    const exported = await hqAdmin(() => server.url, auditor).call<{
      entries: {
        seq: number;
        actor: string;
        action: string;
        target: string | null;
        details: string;
      }[];
    }>('GET', '/v1/admin/audit/hq?limit=1000');
    return exported.entries;
  };
  /** Opens HQ's database in this process (HQ stopped), as an attacker with disk access would. */
  const withDatabase = async (
    work: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<void>,
  ) => {
    const unlock = lockDataDir(hq.dataDir);
    const db = await openDatabase({ dataDir: hq.dataDir });
    try {
      await work(db);
    } finally {
      await db.close();
      unlock();
    }
  };

  beforeAll(async () => {
    const seeded = hqCommand(hq, [
      'seed',
      '--customers',
      '60',
      '--branches',
      '2',
      '--seed',
      String(SEED),
    ]);
    expect(seeded.status, seeded.stderr).toBe(0);
    const enrollCodes = ['B001', 'B001', 'B002'].map((branch) =>
      hqCommand(hq, ['enroll-code', '--branch', branch]).stdout.trim(),
    );
    admin = addHqUser(hq, 'hq.admin', 'hq_admin');
    auditor = addHqUser(hq, 'hq.auditor', 'hq_auditor');
    server = await startHq(hq);
    for (const [index, enrollCode] of enrollCodes.entries()) {
      const key = auditKeyPair();
      const enrolled = await request('POST', '/v1/enroll', {
        body: { code: enrollCode, deviceName: `desk ${index}`, auditKey: key.enrollBody },
      });
      expect(enrolled.status).toBe(201);
      const { deviceId, credential } = EnrollResponse.parse(enrolled.body);
      devices.push({ auth: `Device ${deviceId}.${credential}`, deviceId, key });
    }
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
    dir.cleanup();
  });

  it('refuses the admin API with no session, the old shared token or a branch session, and lets a signed-in HQ administrator in', async () => {
    const scope = '/v1/admin/branches/B001/scope';
    expect(await request('GET', scope)).toMatchObject({
      status: 401,
      body: { code: 'ADMIN_UNAUTHENTICATED' },
    });
    expect(await request('GET', scope, { auth: `Bearer ${OLD_TOKEN}` })).toMatchObject({
      status: 401,
      body: { code: 'ADMIN_UNAUTHENTICATED' },
    });
    supervisor = await branchSignIn('supervisor1', devices[0]!);
    expect(await request('GET', scope, { auth: supervisor })).toMatchObject({
      status: 401,
      body: { code: 'ADMIN_UNAUTHENTICATED' },
    });
    // A branch account is no HQ account, even with the right password and code.
    const asBranchUser = await request('POST', '/v1/admin/session', {
      body: {
        username: 'supervisor1',
        password: demo.get('supervisor1')!.password,
        totp: totpAt(demo.get('supervisor1')!.totpSecret, Date.now()),
      },
    });
    expect(asBranchUser).toMatchObject({ status: 401, body: { code: 'LOGIN_FAILED' } });
    const token = await signInHq(server.url, admin);
    const allowed = await request('GET', scope, { auth: `Bearer ${token}` });
    expect(allowed.status).toBe(200);
    expect((allowed.body.customers as unknown[]).length).toBeGreaterThan(0);
    // An auditor reads, but makes no enrollment code.
    const refused = await request('POST', '/v1/admin/enrollment-codes', {
      auth: `Bearer ${await signInHq(server.url, auditor)}`,
      body: { branchId: 'B001' },
    });
    expect(refused).toMatchObject({ status: 403, body: { code: 'PERMISSION_DENIED' } });
  });

  it("records each admin action in HQ's audit with the real actor, the console's as the OS operator", async () => {
    const api = hqAdmin(() => server.url, admin);
    const made = await api.call<{ code: string }>('POST', '/v1/admin/enrollment-codes', {
      branchId: 'B002',
    });
    expect(made.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const [customer] = [...(await api.scope('B001')).values()];
    await api.edit(customer!.customerId, { email: 'new.address@example.com' });
    const added = await api.call<{ username: string }>('POST', '/v1/admin/staff', {
      username: 'wu.teller',
      displayName: '测试 柜员',
      roles: ['teller'],
      branchId: 'B001',
    });
    expect(added.username).toBe('wu.teller');

    const entries = await hqAudit();
    const by = (action: string) => entries.filter((entry) => entry.action === action);
    expect(by('hq_user_add').map((entry) => entry.target)).toEqual(['hq.admin', 'hq.auditor']);
    for (const entry of [...by('hq_user_add'), ...by('seed')])
      expect(entry.actor.startsWith(operator)).toBe(true);
    expect(by('enrollment_code').filter((entry) => entry.actor.startsWith(operator))).toHaveLength(
      3,
    );
    expect(by('enrollment_code').filter((entry) => entry.actor === 'hq:hq.admin')).toHaveLength(1);
    expect(by('sign_in').map((entry) => entry.actor)).toContain('hq:hq.admin');
    expect(by('sign_in_failed')).toHaveLength(1);
    expect(by('denied')).toMatchObject([{ actor: 'hq:hq.auditor' }]);
    expect(by('customer_edit')).toMatchObject([
      { actor: 'hq:hq.admin', target: customer!.customerId },
    ]);
    // The edit's details name the field, never its value.
    expect(by('customer_edit')[0]!.details).toContain('"email"');
    expect(JSON.stringify(entries)).not.toContain('new.address@example.com');
    expect(by('staff_add')).toMatchObject([{ actor: 'hq:hq.admin', target: 'wu.teller' }]);
    expect(by('read_scope').length).toBeGreaterThanOrEqual(2);
    // The export itself is an audited read.
    expect((await hqAudit()).at(-1)).toMatchObject({
      action: 'audit_export',
      actor: 'hq:hq.auditor',
    });
    // The history of an edit at HQ names the administrator who made it.
    const edited = await api.call<{ customer: { updatedBy?: string } }>(
      'GET',
      `/v1/admin/branches/B001/scope`,
    );
    expect(JSON.stringify(edited)).toContain('hq:hq.admin');
  });

  it('answers "who looked at this customer" bank-wide to HQ auditors only: a branch supervisor sees their own branch\'s customers', async () => {
    const api = hqAdmin(() => server.url, admin);
    const [own] = [...(await api.scope('B001')).keys()];
    const [other] = [...(await api.scope('B002')).keys()];
    expect((await request('GET', `/v1/audit/customers/${own}`, { auth: supervisor })).status).toBe(
      200,
    );
    expect(
      await request('GET', `/v1/audit/customers/${other}`, { auth: supervisor }),
    ).toMatchObject({ status: 403, body: { code: 'PERMISSION_DENIED' } });
    // The auditor at no branch is HQ's, and sees every branch's customers.
    const bankAuditor = await branchSignIn('auditor1', devices[0]!);
    expect(
      (await request('GET', `/v1/audit/customers/${other}`, { auth: bankAuditor })).status,
    ).toBe(200);
    const hqAuditor = hqAdmin(() => server.url, auditor);
    expect(
      await hqAuditor.call<{ entries: unknown[] }>('GET', `/v1/admin/audit/customers/${other}`),
    ).toEqual({ entries: [] });
    expect((await hqAudit()).map((entry) => entry.action)).toContain('audit_customer_access');
  });

  it('answers a body that is not JSON with a typed 400, not a 500', async () => {
    for (const path of ['/v1/admin/session', '/v1/enroll', '/v1/admin/enrollment-codes']) {
      const refused = await request('POST', path, { raw: '{"username": "hq.admin",' });
      expect(refused, path).toMatchObject({ status: 400, body: { code: 'INPUT_INVALID' } });
    }
    expect(server.output()).not.toContain('internal error');
  });

  it('ends the staff sessions HQ issued on a device when HQ revokes it', async () => {
    const device = devices[1]!;
    const onRevoked = await branchSignIn('supervisor1', device);
    const [own] = [...(await hqAdmin(() => server.url, admin).scope('B001')).keys()];
    const path = `/v1/audit/customers/${own}`;
    expect((await request('GET', path, { auth: onRevoked })).status).toBe(200);
    await hqAdmin(() => server.url, admin).call(
      'POST',
      `/v1/admin/devices/${device.deviceId}/revoke`,
    );
    // The session is over; its device is told why (410), so the device wipes.
    expect(await request('GET', path, { auth: onRevoked })).toMatchObject({
      status: 410,
      body: { code: 'DEVICE_REVOKED' },
    });
    // The same user's session on another device goes on.
    expect((await request('GET', path, { auth: supervisor })).status).toBe(200);
    expect((await hqAudit()).filter((entry) => entry.action === 'device_revoke')).toMatchObject([
      { actor: 'hq:hq.admin', target: device.deviceId },
    ]);
  });

  it('lists active devices whose audit has not reached HQ for longer than the threshold', async () => {
    // Devices 0 and 2 upload now; then device 0's last upload is made a day old.
    for (const device of [devices[0]!, devices[2]!]) {
      const { chain, privateKey } = device.key;
      const uploaded = await request('POST', '/v1/audit/batches', {
        auth: device.auth,
        body: signedBatch(chain, chainEntries(chain, 3), privateKey),
      });
      expect(uploaded.status).toBe(200);
    }
    await server.stop();
    await withDatabase(async (db) => {
      await db.query(
        `UPDATE device SET audit_received_at = now() - interval '25 hours' WHERE id = $1`,
        [devices[0]!.deviceId],
      );
    });
    const overdue = hqCommand(hq, ['audit', 'overdue']);
    expect(overdue.status, overdue.stderr).toBe(0);
    expect(overdue.stdout).toContain(devices[0]!.deviceId);
    expect(overdue.stdout).toContain('held through 3');
    expect(overdue.stdout).not.toContain(devices[2]!.deviceId);
    expect(overdue.stdout).not.toContain(devices[1]!.deviceId); // revoked
    expect(overdue.stdout).toContain('1 devices without an audit upload for 24 h');
    // A tighter threshold: device 2 uploaded seconds ago, so a 1 ms window lists it too.
    const tight = hqCommand(hq, ['audit', 'overdue', '--hours', '0.0000003']);
    expect(tight.stdout).toContain(devices[2]!.deviceId);
  }, 240_000);

  it("verifies HQ's audit chain, and reports the first broken link after a row is edited or the end cut off", async () => {
    const intact = hqCommand(hq, ['audit', 'verify', '--hq']);
    expect(intact.status, intact.stderr).toBe(0);
    expect(intact.stdout).toMatch(/HQ audit chain: \d+ entries, intact/);
    await withDatabase(async (db) => {
      await db.query(`UPDATE hq_audit SET actor = 'hq:someone.else' WHERE seq = 4`);
    });
    const edited = hqCommand(hq, ['audit', 'verify', '--hq']);
    expect(edited.status).toBe(1);
    expect(edited.stdout).toContain('broken at entry 4 (hash_mismatch) after 3 good entries');
    await withDatabase(async (db) => {
      await db.query(`UPDATE hq_audit SET actor = $1 WHERE seq = 4`, [
        (await db.query<{ actor: string }>('SELECT actor FROM hq_audit WHERE seq = 3'))[0]!.actor,
      ]);
    });
    // Entry 4 was the console's too (an enrollment code), so its actor is whole again.
    const mended = hqCommand(hq, ['audit', 'verify', '--hq']);
    expect(mended.status, mended.stdout).toBe(0);
    await withDatabase(async (db) => {
      await db.query('DELETE FROM hq_audit WHERE seq = (SELECT max(seq) FROM hq_audit)');
    });
    const cut = hqCommand(hq, ['audit', 'verify', '--hq']);
    expect(cut.status).toBe(1);
    expect(cut.stdout).toContain('(truncated)');
  }, 240_000);

  it('prints only the kind of an unexpected error at the console, never the error itself', () => {
    const secret = 'pa55word-in-the-url';
    const failed = hqCommand(
      { ...hq, databaseUrl: `postgres://branchdesk:${secret}@127.0.0.1:1/hq` },
      ['migrate'],
    );
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('Error [');
    expect(failed.stderr).not.toContain(secret);
    expect(failed.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
