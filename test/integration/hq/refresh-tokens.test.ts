// Each member of staff's HQ session is theirs alone on a shared device: the keychain keeps one
// refresh token per user, a switch of user or a sign-out takes it out (and ends it at HQ), and
// no desk ever refreshes with a token it did not store. And a username of the full 64
// characters signs in. Real HQ over HTTP, the real keychain, desk sessions over the command table.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../electron/core/audit/log';
import { dispatch, type CommandResult } from '../../../electron/core/commands';
import { enrollDevice } from '../../../electron/core/device/enrollment';
import {
  legacySessionAccount,
  sessionAccount,
} from '../../../electron/core/session/refresh-tokens';
import { StaffSession } from '../../../electron/core/session/session';
import { deviceClient, syncRound } from '../../../electron/core/sync/engine';
import { openVault, type Vault } from '../../../electron/core/vault';
import { ACTOR_MAX } from '../../../electron/core/audit/actor';
import { demoUsers } from '../../../hq/seed';
import { hqCommand, startHq, type HqEnv, type RunningHq } from '../../support/hq';
import { profileSandbox, realSecretStore } from '../../support/keyring';
import { credentialsIn, waitingTotpCodes } from '../../support/staff';

const secrets = realSecretStore();
const SEED = 23;
const MINUTE = 60_000;
/** The longest username HQ gives out: 64 characters. */
const LONG = `auditor.${'x'.repeat(56)}`;

function value<T = Record<string, unknown>>(result: CommandResult): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message.en}`);
  return result.value as T;
}

describe('refresh tokens on a shared device', () => {
  const sandbox = profileSandbox(secrets);
  const people = new Map(
    demoUsers(SEED).map((user) => [
      user.username,
      { password: user.password, totpSecret: user.totpSecret },
    ]),
  );
  const codes = new Map<string, () => Promise<string>>();
  let hq: HqEnv;
  let server: RunningHq;
  let vault: Vault;
  let customerId: string;
  /** The desks' clock: real time plus `offset`, moved on to let HQ access tokens expire. */
  let offset = 0;
  const clock = () => Date.now() + offset;

  beforeAll(async () => {
    hq = { dataDir: join(sandbox.path, 'hq') };
    expect(
      hqCommand(hq, ['seed', '--customers', '30', '--branches', '1', '--seed', String(SEED)])
        .status,
    ).toBe(0);
    const added = hqCommand(hq, [
      'user',
      'add',
      '--username',
      LONG,
      '--name',
      'Long Name',
      '--roles',
      'auditor',
    ]);
    expect(added.status, added.stderr).toBe(0);
    people.set(LONG, credentialsIn(added.stdout));
    const code = hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim();
    server = await startHq(hq);
    const dataDir = join(sandbox.path, 'desk');
    const enrolled = await enrollDevice(dataDir, secrets, { hqUrl: server.url, code });
    sandbox.forget(enrolled.profileId);
    vault = openVault(dataDir, secrets);
    await syncRound(vault, secrets);
    customerId = vault.db.prepare('SELECT id FROM customer LIMIT 1').pluck().get() as string;
  }, 180_000);
  afterAll(async () => {
    vault?.close();
    await server?.stop();
    sandbox.cleanup();
  });

  /** A desk (an app window) with its own session on the shared vault. */
  function desk() {
    const session = new StaffSession({ clock });
    const context = { principal: { kind: 'anonymous' as const }, session, secrets, vault };
    return {
      session,
      run: (name: string, input: unknown = {}) => dispatch(name, input, context),
      async login(username: string) {
        if (!codes.has(username))
          codes.set(username, waitingTotpCodes(people.get(username)!.totpSecret));
        const status = value<{ user: { userId: string } }>(
          await dispatch(
            'session.login',
            {
              username,
              password: people.get(username)!.password,
              totp: await codes.get(username)!(),
            },
            context,
          ),
        );
        return status.user.userId;
      },
      /** Back after the clock moved on: the idle lock has come down meanwhile. */
      async unlock(username: string) {
        value(
          await dispatch('session.unlock', { password: people.get(username)!.password }, context),
        );
      },
    };
  }
  const slot = (userId: string) => secrets.get(sessionAccount(vault.profileId, userId));
  /** Whether HQ still takes `token` (asking rotates it, so only for tokens no desk will use). */
  const hqRefuses = async (token: string) => {
    try {
      await deviceClient(vault, secrets).refreshSession(token);
      return false;
    } catch (error) {
      return (error as { code?: string }).code === 'SESSION_UNAUTHENTICATED';
    }
  };

  it('signs in a user whose name has the full 64 characters, audited under one actor that fits', async () => {
    expect(LONG).toHaveLength(64);
    const one = desk();
    await one.login(LONG);
    const entry = new AuditLog(vault).entries({ fromSeq: 1 }).at(-1)!;
    expect(entry).toMatchObject({ action: 'login_success' });
    expect(entry.actor.length).toBeLessThanOrEqual(ACTOR_MAX);
    expect(entry.actor.startsWith(`user:${LONG.slice(0, 40)}`)).toBe(true);
    value(await one.run('session.logout'));
  });

  it('keeps only the current user’s token when users take turns at a desk, and none after sign-out', async () => {
    const shared = desk();
    const teller = await shared.login('teller1');
    const tellerToken = slot(teller);
    expect(tellerToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const supervisor = await shared.login('supervisor1');
    expect(slot(teller)).toBeNull();
    expect(slot(supervisor)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(secrets.get(legacySessionAccount(vault.profileId))).toBeNull();
    // The teller's HQ session ended with the switch (told in the background).
    await expect.poll(() => hqRefuses(tellerToken!)).toBe(true);

    const supervisorToken = slot(supervisor)!;
    value(await shared.run('session.logout'));
    expect(slot(supervisor)).toBeNull();
    expect(await hqRefuses(supervisorToken)).toBe(true);
  }, 120_000);

  it('never lets one user’s desk act with another user’s HQ session', async () => {
    const first = desk();
    const second = desk();
    const auditor = await first.login('auditor1');
    const auditorToken = slot(auditor)!;
    const other = await second.login(LONG);
    const otherToken = slot(other)!;

    // Both access tokens expire; each desk refreshes with its own user's token only.
    offset += 20 * MINUTE;
    await first.unlock('auditor1');
    value(await first.run('audit.customer_access', { customerId }));
    expect(slot(auditor)).not.toBe(auditorToken);
    expect(await hqRefuses(auditorToken)).toBe(true); // rotated: it was the auditor's that was used
    expect(slot(other)).toBe(otherToken);

    // Whatever lands in a user's slot, their desk refreshes with nothing it did not store itself.
    secrets.set(sessionAccount(vault.profileId, other), slot(auditor)!);
    offset += 20 * MINUTE;
    await second.unlock(LONG);
    expect(await second.run('audit.customer_access', { customerId })).toMatchObject({
      ok: false,
      error: { code: 'SESSION_UNAUTHENTICATED' },
    });
    await first.unlock('auditor1');
    value(await first.run('audit.customer_access', { customerId }));
    value(await first.run('session.logout'));
    value(await second.run('session.logout'));
  }, 120_000);
});
