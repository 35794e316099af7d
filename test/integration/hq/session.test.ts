// Staff sign-in on a branch device, end to end: a real HQ process, the real keychain and an
// encrypted vault, every call through the command table with a desk session. Online with TOTP,
// the idle lock and unlock, offline within the window (HQ's grant), the clock guard, lockout
// online and offline, a user HQ disabled, and the audit log reaching HQ signed, verified and
// pruned.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../electron/core/audit/log';
import { acknowledgedAudit, pruneAcknowledged } from '../../../electron/core/audit/upload';
import { dispatch, type CommandContext, type CommandResult } from '../../../electron/core/commands';
import { enrollDevice } from '../../../electron/core/device/enrollment';
import { sessionAccount } from '../../../electron/core/session/refresh-tokens';
import { StaffSession } from '../../../electron/core/session/session';
import { staffOf } from '../../../electron/core/session/staff-cache';
import { deviceClient, syncRound } from '../../../electron/core/sync/engine';
import { openVault, type Vault } from '../../../electron/core/vault';
import { ARGON2ID } from '../../../shared/auth/staff';
import { totpAt } from '../../../shared/auth/totp';
import type { ErrorCode } from '../../../shared/errors';
import { demoUsers } from '../../../hq/seed';
import { hqCommand, startHq, type HqEnv, type RunningHq } from '../../support/hq';
import { profileSandbox, realSecretStore } from '../../support/keyring';
import { waitingTotpCodes } from '../../support/staff';

const secrets = realSecretStore();
const SEED = 11;
const MINUTE = 60_000;
const staff = new Map(demoUsers(SEED).map((user) => [user.username, user]));
const password = (username: string) => staff.get(username)!.password;

function value<T = Record<string, unknown>>(result: CommandResult): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message.en}`);
  return result.value as T;
}
function refusal(result: CommandResult): {
  code: ErrorCode;
  details: Record<string, unknown>;
  message: { 'zh-CN': string; en: string };
} {
  if (result.ok) throw new Error('expected a refusal');
  return result.error;
}

describe('staff sign-in on a branch device', () => {
  const sandbox = profileSandbox(secrets);
  let hq: HqEnv;
  let server: RunningHq | undefined;
  let port: number;
  let vault: Vault;
  let dataDir: string;
  /** The desk's clock: real time plus `offset`, moved forward to pass idle minutes and windows. */
  let offset = 0;
  const clock = () => Date.now() + offset;
  const session = new StaffSession({ clock });
  let context: CommandContext;
  const run = (name: string, input: unknown = {}) => dispatch(name, input, context);
  /** Codes HQ checks at real time. */
  const online = new Map<string, () => Promise<string>>();
  const onlineCode = (username: string) => {
    if (!online.has(username))
      online.set(username, waitingTotpCodes(staff.get(username)!.totpSecret));
    return online.get(username)!();
  };
  /** Codes the device checks offline, at the desk's clock. */
  const offlineCode = (username: string) => totpAt(staff.get(username)!.totpSecret, clock());
  const login = (username: string, pass: string, totp: string) =>
    run('session.login', { username, password: pass, totp });
  let viewedCustomer: string;

  beforeAll(async () => {
    hq = { dataDir: join(sandbox.path, 'hq') };
    expect(
      hqCommand(hq, ['seed', '--customers', '300', '--branches', '2', '--seed', String(SEED)])
        .status,
    ).toBe(0);
    const code = hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim();
    server = await startHq(hq);
    port = Number(new URL(server.url).port);
    dataDir = join(sandbox.path, 'desk');
    const enrolled = await enrollDevice(dataDir, secrets, { hqUrl: server.url, code });
    sandbox.forget(enrolled.profileId);
    vault = openVault(dataDir, secrets);
    await syncRound(vault, secrets);
    context = { principal: { kind: 'anonymous' }, session, secrets, vault };
  }, 180_000);
  afterAll(async () => {
    vault?.close();
    await server?.stop();
    sandbox.cleanup();
  });

  const audit = () => new AuditLog(vault).entries({ fromSeq: 1 });
  const lastEntry = () => audit().at(-1)!;

  it('refuses every command but signing in until someone signs in', async () => {
    expect(refusal(await run('customer.search', { query: '王' })).code).toBe('SESSION_REQUIRED');
    expect(value(await run('session.status'))).toMatchObject({ state: 'signed_out', user: null });
  });

  it('signs in online with password and TOTP; the vault keeps a verifier, the keychain the refresh token', async () => {
    const status = value(await login('teller1', password('teller1'), await onlineCode('teller1')));
    expect(status).toMatchObject({
      state: 'active',
      mode: 'online',
      user: { username: 'teller1', roles: ['teller'], branchId: 'B001' },
    });
    const row = vault.db
      .prepare('SELECT verifier, offline_grant, roles FROM staff_credential WHERE username = ?')
      .get('teller1') as { verifier: string; offline_grant: string; roles: string };
    expect(row.verifier).toMatch(
      new RegExp(
        `^\\$argon2id\\$v=19\\$m=${ARGON2ID.memoryCost},t=${ARGON2ID.timeCost},p=${ARGON2ID.parallelism}\\$`,
      ),
    );
    expect(row.verifier).not.toContain(password('teller1'));
    // No TOTP secret (see offline-grant.test.ts): HQ's grant for offline sign-in here instead.
    expect(row.offline_grant).toContain(`"deviceId"`);
    expect(secrets.get(sessionAccount(vault.profileId, session.status().user!.userId))).toMatch(
      /^[A-Za-z0-9_-]{43}$/,
    );
    expect(lastEntry()).toMatchObject({
      actor: 'user:teller1',
      action: 'login_success',
      details: '{"mode":"online"}',
    });
  });

  it('runs commands as the signed-in teller: masked, audited under their name, refused beyond the role', async () => {
    const someone = vault.db.prepare('SELECT customer_number FROM customer LIMIT 1').pluck().get();
    const found = value<{ items: { id: string }[] }>(
      await run('customer.search', { query: someone, limit: 5 }),
    );
    expect(found.items.length).toBeGreaterThan(0);
    viewedCustomer = found.items[0]!.id;
    const shown = value<{ customer: { identityDocuments: { number: string }[] } }>(
      await run('customer.show', { id: viewedCustomer }),
    );
    expect(shown.customer.identityDocuments[0]!.number).toContain('*');
    expect(lastEntry()).toMatchObject({
      actor: 'user:teller1',
      action: 'view',
      target: viewedCustomer,
    });
    expect(refusal(await run('approvals.list')).code).toBe('PERMISSION_DENIED');
    expect(refusal(await run('audit.export', {})).code).toBe('PERMISSION_DENIED');
    expect(lastEntry()).toMatchObject({ actor: 'user:teller1', action: 'denied' });
  });

  it('mirrors a lockout HQ imposed, so pulling the network cable is no way round it', async () => {
    for (let i = 0; i < 4; i++)
      expect(refusal(await login('supervisor1', 'wrong password', '000000')).code).toBe(
        'LOGIN_FAILED',
      );
    const locked = refusal(await login('supervisor1', 'wrong again', '000000'));
    expect(locked.code).toBe('ACCOUNT_LOCKED');
    expect(staffOf(vault).lockedUntil('supervisor1', Date.now())).toBe(locked.details.until);
    expect(lastEntry()).toMatchObject({
      actor: 'user:supervisor1',
      action: 'login_failure',
      details: '{"mode":"online","reason":"ACCOUNT_LOCKED"}',
    });
    // Failed sign-ins at the desk leave the signed-in teller's session as it was.
    expect(value(await run('session.status'))).toMatchObject({
      state: 'active',
      user: { username: 'teller1' },
    });
  });

  it('locks itself after five idle minutes, in the core; unlocking needs the password', async () => {
    const status = value<{ locksAt: string }>(await run('session.status'));
    expect(Date.parse(status.locksAt) - clock()).toBeLessThanOrEqual(5 * MINUTE);
    offset += 5 * MINUTE + 1000;
    expect(refusal(await run('customer.search', { query: '1' })).code).toBe('SESSION_LOCKED');
    expect(value(await run('session.status'))).toMatchObject({ state: 'locked' });
    expect(
      audit()
        .filter((entry) => entry.action === 'lock')
        .at(-1),
    ).toMatchObject({
      actor: 'user:teller1',
      details: '{"reason":"idle"}',
    });
    const wrong = refusal(await run('session.unlock', { password: 'not it' }));
    // The lock screen asks for the password alone, and its refusal says so.
    expect(wrong).toMatchObject({ code: 'UNLOCK_FAILED', details: { remaining: 4 } });
    expect(wrong.message['zh-CN']).toMatch(/^密码不正确/);
    expect(value(await run('session.unlock', { password: password('teller1') }))).toMatchObject({
      state: 'active',
    });
    expect(lastEntry()).toMatchObject({ action: 'unlock', actor: 'user:teller1' });
    value(await run('customer.search', { query: '王' }));
    // Locked by hand, then nothing but unlocking or signing out.
    value(await run('session.lock'));
    expect(refusal(await run('customer.show', { id: viewedCustomer })).code).toBe('SESSION_LOCKED');
    value(await run('session.unlock', { password: password('teller1') }));
  });

  it('reads "who looked at this customer" from HQ for an auditor, through the HQ session', async () => {
    await syncRound(vault, secrets); // the teller's view reaches HQ, signed
    expect(acknowledgedAudit(vault).seq).toBe(new AuditLog(vault).head().seq);
    value(await login('auditor1', password('auditor1'), await onlineCode('auditor1')));
    const access = value<{ entries: { actor: string; action: string }[] }>(
      await run('audit.customer_access', { customerId: viewedCustomer }),
    );
    expect(access.entries).toContainEqual(
      expect.objectContaining({ actor: 'user:teller1', action: 'view' }),
    );
  });

  it('signs out here and at HQ: the refresh token leaves the keychain and HQ refuses it', async () => {
    const account = sessionAccount(vault.profileId, session.status().user!.userId);
    const refresh = secrets.get(account)!;
    expect(value(await run('session.logout'))).toMatchObject({ state: 'signed_out' });
    expect(secrets.get(account)).toBeFalsy();
    await expect(deviceClient(vault, secrets).refreshSession(refresh)).rejects.toMatchObject({
      code: 'SESSION_UNAUTHENTICATED',
    });
    expect(lastEntry()).toMatchObject({ action: 'logout', details: '{"reason":"signed_out"}' });
    expect(refusal(await run('customer.search', { query: '1' })).code).toBe('SESSION_REQUIRED');
  });

  describe('with HQ out of reach', () => {
    beforeAll(async () => {
      await server!.stop();
      server = undefined;
    });

    it('keeps the lockout HQ imposed', async () => {
      const locked = refusal(
        await login('supervisor1', password('supervisor1'), offlineCode('supervisor1')),
      );
      expect(locked.code).toBe('ACCOUNT_LOCKED');
    });

    it("signs in offline within the window, from the vault's verifier and HQ's grant", async () => {
      offset += MINUTE;
      const status = value(await login('teller1', password('teller1'), offlineCode('teller1')));
      expect(status).toMatchObject({ state: 'active', mode: 'offline' });
      expect(lastEntry()).toMatchObject({ action: 'login_success', details: '{"mode":"offline"}' });
      value(await run('session.logout'));
    });

    it('refuses offline sign-in to someone who never signed in here', async () => {
      const refused = refusal(await login('rm1', password('rm1'), offlineCode('rm1')));
      expect(refused.code).toBe('OFFLINE_LOGIN_UNAVAILABLE');
    });

    it('refuses offline sign-in when the clock was set back', async () => {
      const saved = offset;
      offset = -24 * 60 * MINUTE;
      const refused = refusal(await login('teller1', password('teller1'), offlineCode('teller1')));
      expect(refused.code).toBe('CLOCK_ROLLED_BACK');
      offset = saved;
    });

    it('locks the user after five failures offline, for 15 minutes', async () => {
      offset += MINUTE;
      for (let remaining = 4; remaining >= 1; remaining--)
        expect(refusal(await login('teller1', 'guess', offlineCode('teller1')))).toMatchObject({
          code: 'LOGIN_FAILED',
          details: { remaining },
        });
      const locked = refusal(await login('teller1', 'guess', offlineCode('teller1')));
      expect(locked.code).toBe('ACCOUNT_LOCKED');
      expect(
        refusal(await login('teller1', password('teller1'), offlineCode('teller1'))).code,
      ).toBe('ACCOUNT_LOCKED');
      offset += 15 * MINUTE + 1000;
      expect(
        value(await login('teller1', password('teller1'), offlineCode('teller1'))),
      ).toMatchObject({ mode: 'offline' });
      value(await run('session.logout'));
    });

    it('locks sooner where the machine configuration says so, never later than HQ allows', async () => {
      const signInWith = async (idleLockMinutes: number) => {
        offset += MINUTE;
        const desk = { ...context, session: new StaffSession({ clock, idleLockMinutes }) };
        value(
          await dispatch(
            'session.login',
            { username: 'teller1', password: password('teller1'), totp: offlineCode('teller1') },
            desk,
          ),
        );
        const { locksAt } = value<{ locksAt: string }>(await dispatch('session.status', {}, desk));
        return { desk, idleMs: Date.parse(locksAt) - clock() };
      };
      const strict = await signInWith(2);
      expect(strict.idleMs).toBeGreaterThan(2 * MINUTE - 5000);
      expect(strict.idleMs).toBeLessThanOrEqual(2 * MINUTE);
      offset += 2 * MINUTE + 1000;
      expect(refusal(await dispatch('customer.search', { query: '1' }, strict.desk)).code).toBe(
        'SESSION_LOCKED',
      );
      const lax = await signInWith(60);
      expect(lax.idleMs).toBeGreaterThan(5 * MINUTE - 5000); // HQ's policy
      expect(lax.idleMs).toBeLessThanOrEqual(5 * MINUTE);
      value(await dispatch('session.logout', {}, lax.desk));
    });

    it('refuses offline sign-in 72 hours after the last online one', async () => {
      offset += 72 * 60 * MINUTE;
      const refused = refusal(await login('teller1', password('teller1'), offlineCode('teller1')));
      expect(refused).toMatchObject({ code: 'OFFLINE_WINDOW_EXPIRED', details: { hours: 72 } });
    });
  });

  describe('when HQ disables a user', () => {
    beforeAll(async () => {
      offset = 0;
      server = await startHq(hq, { port });
    });

    it('ends their session at the next sync, and they can sign in neither online nor offline', async () => {
      value(await login('teller1', password('teller1'), await onlineCode('teller1')));
      expect(hqCommand(hq, ['user', 'disable', '--username', 'teller1']).status).toBe(0);
      const round = await syncRound(vault, secrets);
      expect(round.staffForgotten).toBe(1);
      expect(refusal(await run('customer.search', { query: '1' })).code).toBe('SESSION_REVOKED');
      expect(value(await run('session.status'))).toMatchObject({ state: 'signed_out' });
      expect(
        refusal(await login('teller1', password('teller1'), await onlineCode('teller1'))).code,
      ).toBe('USER_DISABLED');
      await server!.stop();
      server = undefined;
      offset += MINUTE;
      expect(
        refusal(await login('teller1', password('teller1'), offlineCode('teller1'))).code,
      ).toBe('OFFLINE_LOGIN_UNAVAILABLE');
      server = await startHq(hq, { port });
    });
  });

  describe("the device's audit log at HQ", () => {
    it('is pruned here once HQ holds it and the retention has passed, and the chain goes on', async () => {
      const before = await syncRound(vault, secrets);
      expect(before.audit.error).toBeNull();
      const log = new AuditLog(vault);
      const acknowledged = acknowledgedAudit(vault);
      expect(acknowledged.seq).toBe(log.head().seq);
      const pruned = pruneAcknowledged(vault, {
        retentionDays: 90,
        now: Date.now() + 91 * 86_400_000,
      });
      expect(pruned).toBeGreaterThan(0);
      expect(log.anchor().seq).toBeGreaterThan(0);
      expect(log.verify()).toMatchObject({ ok: true });
      value(await login('rm1', password('rm1'), await onlineCode('rm1')));
      const after = await syncRound(vault, secrets);
      expect(after.audit).toMatchObject({ error: null });
      expect(after.audit.acknowledgedSeq).toBeGreaterThan(acknowledged.seq);
    });

    it('is refused, and the device flagged at HQ, when an entry was edited before upload', async () => {
      value(await run('customer.show', { id: viewedCustomer }));
      const edited = new AuditLog(vault).head().seq;
      vault.db.exec('DROP TRIGGER audit_log_append_only_update');
      vault.db
        .prepare(`UPDATE audit_log SET details = '{"hidden":true}' WHERE seq = ?`)
        .run(edited);
      const round = await syncRound(vault, secrets);
      expect(round.audit).toMatchObject({ error: 'AUDIT_CHAIN_BROKEN' });
      await server!.stop();
      server = undefined;
      const flagged = hqCommand(hq, ['audit', 'flagged']);
      expect(flagged.stdout).toContain(`hash_mismatch at ${edited}`);
    });
  });
});
