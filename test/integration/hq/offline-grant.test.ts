// TOTP secrets never leave HQ. Online sign-in (a real HQ process, two enrolled devices, the real
// keychain, encrypted vaults, every call through the command table) leaves no seed in the vault;
// offline sign-in needs the password and HQ's grant for this user on this device, unexpired, and
// is refused with no grant, a tampered one, one copied from another device or user, or past the
// window even when the vault's own record of the last online sign-in is moved forward.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../electron/core/audit/log';
import { dispatch, type CommandContext, type CommandResult } from '../../../electron/core/commands';
import { enrollDevice } from '../../../electron/core/device/enrollment';
import { StaffSession } from '../../../electron/core/session/session';
import { openVault, type Vault } from '../../../electron/core/vault';
import type { ErrorCode } from '../../../shared/errors';
import { demoUsers } from '../../../hq/seed';
import { hqCommand, startHq, type RunningHq } from '../../support/hq';
import { profileSandbox, realSecretStore } from '../../support/keyring';
import { waitingTotpCodes } from '../../support/staff';

const secrets = realSecretStore();
const SEED = 13;
const HOUR = 3_600_000;
const staff = new Map(demoUsers(SEED).map((user) => [user.username, user]));
const password = (username: string) => staff.get(username)!.password;

interface Desk {
  vault: Vault;
  context: CommandContext;
}

type GrantRow = { offline_grant: string | null; offline_grant_signature: string | null };

function refusal(result: CommandResult): { code: ErrorCode } {
  if (result.ok) throw new Error('expected a refusal');
  return result.error;
}

describe('offline sign-in by HQ-signed grant; no TOTP secret on the device', () => {
  const sandbox = profileSandbox(secrets);
  let server: RunningHq | undefined;
  /** The desks' clock: real time plus `offset`. */
  let offset = 0;
  const clock = () => Date.now() + offset;
  const desks: Record<'a' | 'b', Desk> = {} as never;
  const codes = new Map<string, () => Promise<string>>();
  const code = (username: string) => {
    if (!codes.has(username))
      codes.set(username, waitingTotpCodes(staff.get(username)!.totpSecret));
    return codes.get(username)!();
  };
  const login = (desk: Desk, username: string, totp = '000000') =>
    dispatch('session.login', { username, password: password(username), totp }, desk.context);
  const grantRow = (desk: Desk, username: string) =>
    desk.vault.db
      .prepare(
        'SELECT offline_grant, offline_grant_signature FROM staff_credential WHERE username = ?',
      )
      .get(username) as GrantRow;
  const setGrant = (desk: Desk, username: string, row: GrantRow) =>
    desk.vault.db
      .prepare(
        `UPDATE staff_credential SET offline_grant = ?, offline_grant_signature = ?
         WHERE username = ?`,
      )
      .run(row.offline_grant, row.offline_grant_signature, username);
  const lastReason = (desk: Desk) =>
    JSON.parse(new AuditLog(desk.vault).entries({ fromSeq: 1 }).at(-1)!.details) as {
      reason?: string;
    };

  beforeAll(async () => {
    const hq = { dataDir: join(sandbox.path, 'hq') };
    expect(
      hqCommand(hq, ['seed', '--customers', '20', '--branches', '1', '--seed', String(SEED)])
        .status,
    ).toBe(0);
    const enrollCodes = ['a', 'b'].map(() =>
      hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim(),
    );
    server = await startHq(hq);
    for (const [index, name] of (['a', 'b'] as const).entries()) {
      const dataDir = join(sandbox.path, `desk-${name}`);
      const enrolled = await enrollDevice(dataDir, secrets, {
        hqUrl: server.url,
        code: enrollCodes[index]!,
      });
      sandbox.forget(enrolled.profileId);
      const vault = openVault(dataDir, secrets);
      desks[name] = {
        vault,
        context: {
          principal: { kind: 'anonymous' },
          session: new StaffSession({ clock }),
          secrets,
          vault,
        },
      };
    }
  }, 180_000);
  afterAll(async () => {
    for (const desk of Object.values(desks)) desk.vault?.close();
    await server?.stop();
    sandbox.cleanup();
  });

  it("pins HQ's grant key at enrollment", () => {
    const pinned = (desk: Desk) =>
      desk.vault.db
        .prepare('SELECT value FROM vault_meta WHERE key = ?')
        .pluck()
        .get('enrollment.grantKey');
    expect(pinned(desks.a)).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(pinned(desks.b)).toBe(pinned(desks.a));
  });

  it('signs in online with TOTP at HQ and leaves no TOTP secret anywhere in the vault', async () => {
    for (const [desk, username] of [
      [desks.a, 'teller1'],
      [desks.a, 'supervisor1'],
      [desks.b, 'teller1'],
    ] as const) {
      const signedIn = await login(desk, username, await code(username));
      expect(signedIn).toMatchObject({ ok: true, value: { mode: 'online' } });
      await dispatch('session.logout', {}, desk.context);
    }
    for (const desk of [desks.a, desks.b]) {
      const db = desk.vault.db;
      const columns = db
        .prepare("SELECT name FROM pragma_table_info('staff_credential')")
        .pluck()
        .all();
      expect(columns).not.toContain('totp_secret');
      // Every row of every table: no user's seed in any form the vault could hold it.
      const tables = db
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table'")
        .pluck()
        .all() as string[];
      const everything = tables
        .map((table) => JSON.stringify(db.prepare(`SELECT * FROM "${table}"`).all()))
        .join('\n');
      for (const user of staff.values()) expect(everything).not.toContain(user.totpSecret);
      expect(grantRow(desk, 'teller1').offline_grant).toContain('"deviceId"');
    }
  });

  describe('with HQ out of reach', () => {
    beforeAll(async () => {
      await server!.stop();
      server = undefined;
    });

    it('signs in offline within the window with the password and the grant (no code checked)', async () => {
      offset += 60_000;
      for (const desk of [desks.a, desks.b]) {
        expect(await login(desk, 'teller1')).toMatchObject({
          ok: true,
          value: { mode: 'offline', user: { username: 'teller1' } },
        });
        await dispatch('session.logout', {}, desk.context);
      }
    });

    it('refuses offline sign-in with no grant', async () => {
      const kept = grantRow(desks.a, 'teller1');
      setGrant(desks.a, 'teller1', { offline_grant: null, offline_grant_signature: null });
      expect(refusal(await login(desks.a, 'teller1')).code).toBe('OFFLINE_LOGIN_UNAVAILABLE');
      expect(lastReason(desks.a)).toMatchObject({ reason: 'no_grant' });
      setGrant(desks.a, 'teller1', kept);
    });

    it('refuses a tampered grant: a later expiry, or a signature not HQ made', async () => {
      const kept = grantRow(desks.a, 'teller1');
      const stretched = kept.offline_grant!.replace(
        /"expiresAt":"[^"]+"/,
        `"expiresAt":"${new Date(clock() + 365 * 24 * HOUR).toISOString()}"`,
      );
      expect(stretched).not.toBe(kept.offline_grant);
      setGrant(desks.a, 'teller1', { ...kept, offline_grant: stretched });
      expect(refusal(await login(desks.a, 'teller1')).code).toBe('OFFLINE_LOGIN_UNAVAILABLE');
      expect(lastReason(desks.a)).toMatchObject({ reason: 'grant_invalid' });
      const signature = Buffer.from(kept.offline_grant_signature!, 'base64');
      signature[0]! ^= 1;
      setGrant(desks.a, 'teller1', {
        ...kept,
        offline_grant_signature: signature.toString('base64'),
      });
      expect(refusal(await login(desks.a, 'teller1')).code).toBe('OFFLINE_LOGIN_UNAVAILABLE');
      expect(lastReason(desks.a)).toMatchObject({ reason: 'grant_invalid' });
      setGrant(desks.a, 'teller1', kept);
    });

    it("refuses a grant copied from another device's vault, or from another user", async () => {
      const kept = grantRow(desks.a, 'teller1');
      // The same user's genuine grant, signed by the same HQ, but for desk b.
      setGrant(desks.a, 'teller1', grantRow(desks.b, 'teller1'));
      expect(refusal(await login(desks.a, 'teller1')).code).toBe('OFFLINE_LOGIN_UNAVAILABLE');
      expect(lastReason(desks.a)).toMatchObject({ reason: 'grant_other_device' });
      // Another user's genuine grant on this very desk.
      setGrant(desks.a, 'teller1', grantRow(desks.a, 'supervisor1'));
      expect(refusal(await login(desks.a, 'teller1')).code).toBe('OFFLINE_LOGIN_UNAVAILABLE');
      expect(lastReason(desks.a)).toMatchObject({ reason: 'grant_other_user' });
      setGrant(desks.a, 'teller1', kept);
      expect(await login(desks.a, 'teller1')).toMatchObject({ ok: true });
      await dispatch('session.logout', {}, desks.a.context);
    });

    it('ends an offline session at its unlock once the grant has expired', async () => {
      expect(await login(desks.b, 'teller1')).toMatchObject({
        ok: true,
        value: { mode: 'offline' },
      });
      expect(await dispatch('session.lock', {}, desks.b.context)).toMatchObject({ ok: true });
      offset += 73 * HOUR;
      const unlock = await dispatch(
        'session.unlock',
        { password: password('teller1') },
        desks.b.context,
      );
      expect(refusal(unlock).code).toBe('OFFLINE_WINDOW_EXPIRED');
      expect(await dispatch('session.status', {}, desks.b.context)).toMatchObject({
        ok: true,
        value: { state: 'signed_out' },
      });
    });

    it('refuses offline sign-in past the window, even with the last online sign-in moved forward in the vault', async () => {
      // The desks' clock is 73 hours on (above).
      desks.a.vault.db
        .prepare('UPDATE staff_credential SET last_online_login_at = ? WHERE username = ?')
        .run(new Date(clock()).toISOString(), 'teller1');
      expect(refusal(await login(desks.a, 'teller1')).code).toBe('OFFLINE_WINDOW_EXPIRED');
      expect(lastReason(desks.a)).toMatchObject({ reason: 'grant_expired' });
    });
  });
});
