// A device HQ has revoked is wiped at its next contact with HQ, whatever that contact is:
// `branchctl sync`, a desk's background sync (its signed-in teller is signed out, the desk says
// why and nobody signs in again), a sign-in, an audit upload, `device status` run from a desk (the
// host's own vault goes, so every other desk stops too), and the two calls made with a member of
// staff's HQ session (a supervisor's approval, a customer-access query). Everything is real: HQ over HTTP
// on loopback, the vault, the keychain, branchctl, the web harness. A 410 from anything but HQ
// (a proxy in the environment) wipes nothing.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { uploadAudit } from '../../../electron/core/audit/upload';
import { dispatch, type CommandResult } from '../../../electron/core/commands';
import { CoreHost } from '../../../electron/core/hosts/desk/host';
import {
  auditKeyAccount,
  deviceAccount,
  enrollDevice,
  type Enrollment,
} from '../../../electron/core/device/enrollment';
import {
  legacySessionAccount,
  sessionAccount,
} from '../../../electron/core/session/refresh-tokens';
import { StaffSession } from '../../../electron/core/session/session';
import { approvalAtHq } from '../../../electron/core/sync/approval-at-hq';
import { deviceClient, syncRound } from '../../../electron/core/sync/engine';
import { keyAccounts, openVault, vaultPaths } from '../../../electron/core/vault';
import { startHarness, type Harness } from '../../../electron/core/hosts/web/harness';
import { demoUsers } from '../../../hq/seed';
import { branchctl } from '../../support/branchctl';
import { hqCommand, startHq, type HqEnv, type RunningHq } from '../../support/hq';
import { profileSandbox, realSecretStore } from '../../support/keyring';
import { freePort } from '../../support/postgres';
import { waitingTotpCodes } from '../../support/staff';

const secrets = realSecretStore();
const SEED = 17;
const staff = new Map(demoUsers(SEED).map((user) => [user.username, user]));
const codes = new Map<string, () => Promise<string>>();
/** A fresh TOTP code for `username` (HQ takes each step once). */
const totp = (username: string) => {
  if (!codes.has(username)) codes.set(username, waitingTotpCodes(staff.get(username)!.totpSecret));
  return codes.get(username)!();
};
const credentials = async (username: string) => ({
  username,
  password: staff.get(username)!.password,
  totp: await totp(username),
});

function value<T = Record<string, unknown>>(result: CommandResult): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message.en}`);
  return result.value as T;
}

/** A desk over the harness's WebSocket, as the page has one. */
async function deskOver(harness: Harness) {
  const socket = new WebSocket(
    `${harness.url.replace('http', 'ws')}/bridge`,
    [`branchdesk.${harness.token}`],
    { origin: harness.url },
  );
  await new Promise((resolve, reject) => {
    socket.on('open', resolve);
    socket.on('error', reject);
  });
  const answers = new Map<number, (result: CommandResult) => void>();
  const syncEvents: { lastError: string | null }[] = [];
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as {
      id?: number;
      result?: CommandResult;
      event?: string;
      payload?: { lastError: string | null };
    };
    if (message.event === 'sync') syncEvents.push(message.payload!);
    else if (message.id !== undefined) answers.get(message.id)?.(message.result!);
  });
  let nextId = 1;
  return {
    syncEvents,
    socket,
    call(command: string, input: unknown = {}) {
      const id = nextId++;
      return new Promise<CommandResult>((resolve) => {
        answers.set(id, resolve);
        socket.send(JSON.stringify({ id, command, input }));
      });
    },
  };
}

describe('a device HQ has revoked', () => {
  const sandbox = profileSandbox(secrets);
  let hq: HqEnv;
  let server: RunningHq;

  beforeAll(async () => {
    hq = { dataDir: join(sandbox.path, 'hq') };
    expect(
      hqCommand(hq, ['seed', '--customers', '40', '--branches', '1', '--seed', String(SEED)])
        .status,
    ).toBe(0);
    server = await startHq(hq);
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    sandbox.cleanup();
  });

  /** A device enrolled at B001, synced once; its profile's keychain entries are cleaned up after. */
  async function enrolledDevice(name: string): Promise<Enrollment & { dataDir: string }> {
    const code = hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim();
    const dataDir = join(sandbox.path, name);
    const enrolled = await enrollDevice(dataDir, secrets, { hqUrl: server.url, code });
    sandbox.forget(enrolled.profileId);
    const vault = openVault(dataDir, secrets);
    try {
      await syncRound(vault, secrets);
    } finally {
      vault.close();
    }
    return { ...enrolled, dataDir };
  }

  /** Revokes the device at HQ, as HQ staff do on HQ's own host, HQ serving meanwhile. */
  async function revoke(deviceId: string): Promise<void> {
    expect(hqCommand(hq, ['revoke-device', '--device', deviceId]).status).toBe(0);
  }

  /** Every keychain entry the profile had, and its files: all gone. */
  function expectWiped(device: { profileId: string; dataDir: string }, userIds: string[] = []) {
    const { profileId } = device;
    for (const account of [
      keyAccounts(profileId).current,
      keyAccounts(profileId).staging,
      deviceAccount(profileId),
      auditKeyAccount(profileId),
      legacySessionAccount(profileId),
      ...userIds.map((userId) => sessionAccount(profileId, userId)),
    ])
      expect(secrets.get(account), account).toBeNull();
    const paths = vaultPaths(device.dataDir);
    for (const file of [paths.database, `${paths.database}-wal`, paths.profile])
      expect(existsSync(file), file).toBe(false);
  }

  /** Signs `username` in online on the device's vault, as a desk does, and leaves them signed in. */
  async function signedIn(dataDir: string, username: string) {
    const vault = openVault(dataDir, secrets);
    const session = new StaffSession();
    const context = { principal: { kind: 'anonymous' as const }, session, secrets, vault };
    const status = value<{ user: { userId: string } }>(
      await dispatch('session.login', await credentials(username), context),
    );
    return { vault, session, context, userId: status.user.userId };
  }

  it('is wiped by `branchctl sync`: the vault files and every keychain entry of the profile', async () => {
    const device = await enrolledDevice('cli');
    const { vault, userId } = await signedIn(device.dataDir, 'teller1');
    vault.close(); // the desk went away without signing out: the token is still in the keychain
    expect(secrets.get(sessionAccount(device.profileId, userId))).not.toBeNull();
    await revoke(device.deviceId);

    const run = branchctl(['sync', '--data-dir', device.dataDir, '--json']);
    expect(run.status).not.toBe(0);
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1)!)).toMatchObject({
      ok: false,
      error: { code: 'DEVICE_REVOKED' },
    });
    expectWiped(device, [userId]);
  }, 120_000);

  it('is wiped by a sign-in HQ answers with 410, and refuses every sign-in after', async () => {
    const device = await enrolledDevice('sign-in');
    await revoke(device.deviceId);
    const vault = openVault(device.dataDir, secrets);
    const session = new StaffSession();
    const context = { principal: { kind: 'anonymous' as const }, session, secrets, vault };
    try {
      const first = await dispatch('session.login', await credentials('supervisor1'), context);
      expect(first).toMatchObject({ ok: false, error: { code: 'DEVICE_REVOKED' } });
      expectWiped(device);
      const again = await dispatch('session.login', await credentials('supervisor1'), context);
      expect(again).toMatchObject({ ok: false, error: { code: 'DEVICE_REVOKED' } });
    } finally {
      vault.close();
    }
  }, 120_000);

  it('is wiped by an audit upload HQ answers with 410', async () => {
    const device = await enrolledDevice('audit');
    const { vault, userId } = await signedIn(device.dataDir, 'auditor1');
    await revoke(device.deviceId);
    try {
      await expect(
        uploadAudit(vault, secrets, deviceClient(vault, secrets), { retentionDays: 90 }),
      ).rejects.toMatchObject({ code: 'DEVICE_REVOKED' });
      expectWiped(device, [userId]);
    } finally {
      vault.close();
    }
  }, 120_000);

  describe('while a teller works at a desk of the web harness', () => {
    let host: CoreHost;
    let harness: Harness;
    let device: Enrollment & { dataDir: string };

    beforeAll(async () => {
      device = await enrolledDevice('desk');
      host = new CoreHost({ dataDir: device.dataDir, secrets, syncIntervalMs: 3_600_000 });
      host.start();
      await host.syncNow();
      const rendererDir = join(sandbox.path, 'renderer');
      mkdirSync(rendererDir, { recursive: true });
      writeFileSync(join(rendererDir, 'index.html'), '<html><body></body></html>');
      harness = await startHarness({ host, rendererDir });
    }, 180_000);
    afterAll(async () => {
      await harness?.close();
      await host?.stop();
    });

    const desk = () => deskOver(harness);

    it('signs the teller out at the next background sync, says why, refuses sign-in, and wipes', async () => {
      const teller = await desk();
      const status = value<{ state: string; user: { userId: string } }>(
        await teller.call('session.login', await credentials('teller1')),
      );
      expect(status.state).toBe('active');
      value(await teller.call('customer.search', { query: '1' }));
      expect(secrets.get(sessionAccount(device.profileId, status.user.userId))).not.toBeNull();

      await revoke(device.deviceId);
      await host.syncNow(); // the scheduler's round, as its timer would run it

      const after = await teller.call('session.status');
      expect(after).toMatchObject({ ok: false, error: { code: 'DEVICE_REVOKED' } });
      if (after.ok) throw new Error('unreachable');
      expect(after.error.message['zh-CN']).toContain('停用');
      expect(after.error.message.en).toMatch(/revoked/i);
      expect(await teller.call('customer.search', { query: '1' })).toMatchObject({
        ok: false,
        error: { code: 'DEVICE_REVOKED' },
      });
      expect(await teller.call('session.login', await credentials('teller1'))).toMatchObject({
        ok: false,
        error: { code: 'DEVICE_REVOKED' },
      });
      expect(teller.syncEvents.at(-1)).toMatchObject({ lastError: 'DEVICE_REVOKED' });
      expectWiped(device, [status.user.userId]);

      // A desk opened afterwards (a new window) is refused as well.
      const late = await desk();
      expect(await late.call('session.login', await credentials('supervisor1'))).toMatchObject({
        ok: false,
        error: { code: 'DEVICE_REVOKED' },
      });
      teller.socket.close();
      late.socket.close();
    }, 180_000);
  });

  describe('when an IT admin runs `device status` at a desk of the web harness', () => {
    let host: CoreHost;
    let harness: Harness;
    let device: Enrollment & { dataDir: string };

    beforeAll(async () => {
      device = await enrolledDevice('desk-status');
      host = new CoreHost({ dataDir: device.dataDir, secrets, syncIntervalMs: 3_600_000 });
      host.start();
      const rendererDir = join(sandbox.path, 'renderer-status');
      mkdirSync(rendererDir, { recursive: true });
      writeFileSync(join(rendererDir, 'index.html'), '<html><body></body></html>');
      harness = await startHarness({ host, rendererDir });
    }, 180_000);
    afterAll(async () => {
      await harness?.close();
      await host?.stop();
    });

    it("wipes the host's own vault, and every other signed-in desk is refused", async () => {
      const admin = await deskOver(harness);
      const teller = await deskOver(harness);
      const itUser = value<{ user: { userId: string } }>(
        await admin.call('session.login', await credentials('itadmin1')),
      );
      const tellerUser = value<{ user: { userId: string } }>(
        await teller.call('session.login', await credentials('teller1')),
      );
      value(await teller.call('customer.search', { query: '1' }));

      await revoke(device.deviceId);
      expect(value(await admin.call('device.status', { dataDir: device.dataDir }))).toMatchObject({
        status: 'revoked',
        wiped: true,
      });

      expect(await teller.call('customer.search', { query: '1' })).toMatchObject({
        ok: false,
        error: { code: 'DEVICE_REVOKED' },
      });
      expect(teller.syncEvents.at(-1)).toMatchObject({ lastError: 'DEVICE_REVOKED' });
      expectWiped(device, [itUser.user.userId, tellerUser.user.userId]);
      admin.socket.close();
      teller.socket.close();
    }, 180_000);
  });

  it("is wiped by a supervisor's approval HQ answers with 410; a token ended before the revocation still gets 401", async () => {
    const device = await enrolledDevice('approval');
    // An auditor signed in and out before the revocation: their token ended on its own.
    const earlier = await signedIn(device.dataDir, 'auditor1');
    const endedToken = await earlier.session.hqAccessToken(earlier.context);
    value(await dispatch('session.logout', {}, earlier.context));
    earlier.vault.close();
    const { vault, session, userId } = await signedIn(device.dataDir, 'supervisor1');
    await revoke(device.deviceId);
    const request = {
      mutationId: randomUUID(),
      customerId: randomUUID(),
      maker: 'teller1',
      digest: '0'.repeat(64),
    };
    try {
      for (const token of [endedToken, 'x'.repeat(43)]) {
        const answer = await fetch(new URL('v1/approvals', server.url), {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(request),
        });
        expect(answer.status).toBe(401);
        expect(await answer.json()).toMatchObject({ code: 'SESSION_UNAUTHENTICATED' });
      }
      await expect(approvalAtHq({ vault, secrets, session })(request)).rejects.toMatchObject({
        code: 'DEVICE_REVOKED',
      });
      expectWiped(device, [userId]);
    } finally {
      vault.close();
    }
  }, 120_000);

  it('is wiped by a customer-access query HQ answers with 410', async () => {
    const device = await enrolledDevice('customer-access');
    const { vault, context, userId } = await signedIn(device.dataDir, 'auditor1');
    await revoke(device.deviceId);
    try {
      expect(
        await dispatch('audit.customer_access', { customerId: randomUUID() }, context),
      ).toMatchObject({ ok: false, error: { code: 'DEVICE_REVOKED' } });
      expectWiped(device, [userId]);
    } finally {
      vault.close();
    }
  }, 120_000);

  it('wipes nothing on a 410 that does not come from HQ itself (a proxy in the environment)', async () => {
    const device = await enrolledDevice('proxied');
    const impostor = createServer((_request, response) => {
      response.writeHead(410, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ code: 'DEVICE_REVOKED', details: {}, message: { 'zh-CN': 'x', en: 'x' } }),
      );
    });
    const port = await freePort();
    await new Promise<void>((resolve) => impostor.listen(port, '127.0.0.1', resolve));
    const saved = { http: process.env.HTTP_PROXY, https: process.env.HTTPS_PROXY };
    process.env.HTTP_PROXY = `http://127.0.0.1:${port}`;
    process.env.HTTPS_PROXY = `http://127.0.0.1:${port}`;
    const vault = openVault(device.dataDir, secrets);
    try {
      await syncRound(vault, secrets);
    } finally {
      vault.close();
      for (const [name, value] of [
        ['HTTP_PROXY', saved.http],
        ['HTTPS_PROXY', saved.https],
      ] as const)
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      await new Promise<void>((resolve) => impostor.close(() => resolve()));
    }
    expect(existsSync(vaultPaths(device.dataDir).database)).toBe(true);
    expect(secrets.get(keyAccounts(device.profileId).current)).not.toBeNull();
  }, 120_000);
});
