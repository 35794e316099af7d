// What staff signed in at a desk of the web harness read, and what an IT admin at a desk may do:
// a real HQ over HTTP on loopback, an enrolled vault, the real keychain, a CoreHost and the
// harness's WebSocket bridge, each user signed in with their password and TOTP. A teller reads a
// change HQ refused whole with its identifiers masked; an auditor reads pinyin and English names
// by the name rule and other staff's searches masked; an IT admin's desk works on its own
// profile only.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { CommandResult } from '../../../electron/core/commands';
import { CustomerService } from '../../../electron/core/customers';
import { CoreHost } from '../../../electron/core/hosts/desk/host';
import { enrollDevice } from '../../../electron/core/device/enrollment';
import { syncRound } from '../../../electron/core/sync/engine';
import { createVault, openVault } from '../../../electron/core/vault';
import { startHarness, type Harness } from '../../../electron/core/hosts/web/harness';
import { maskIdNumber, maskName } from '../../../shared/access/masking';
import type { Customer } from '../../../shared/customer';
import { demoUsers } from '../../../hq/seed';
import { hqCommand, startHq, type HqEnv, type RunningHq } from '../../support/hq';
import { profileSandbox, realSecretStore } from '../../support/keyring';
import { waitingTotpCodes } from '../../support/staff';

const secrets = realSecretStore();
const SEED = 23;
const staff = new Map(demoUsers(SEED).map((user) => [user.username, user]));
const codes = new Map<string, () => Promise<string>>();
const credentials = async (username: string) => {
  if (!codes.has(username)) codes.set(username, waitingTotpCodes(staff.get(username)!.totpSecret));
  return { username, password: staff.get(username)!.password, totp: await codes.get(username)!() };
};

function value<T = Record<string, unknown>>(result: CommandResult): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message.en}`);
  return result.value as T;
}

describe('a desk of the web harness, signed in', () => {
  const sandbox = profileSandbox(secrets);
  let hq: HqEnv;
  let server: RunningHq | undefined;
  let host: CoreHost | undefined;
  let harness: Harness | undefined;
  let dataDir: string;
  let person: Customer;

  beforeAll(async () => {
    hq = { dataDir: join(sandbox.path, 'hq') };
    expect(
      hqCommand(hq, ['seed', '--customers', '60', '--branches', '1', '--seed', String(SEED)])
        .status,
    ).toBe(0);
    const code = hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim();
    server = await startHq(hq);
    dataDir = join(sandbox.path, 'desk');
    const enrolled = await enrollDevice(dataDir, secrets, { hqUrl: server.url, code });
    sandbox.forget(enrolled.profileId);
    const vault = openVault(dataDir, secrets);
    try {
      await syncRound(vault, secrets);
      const service = new CustomerService(vault);
      const ids = vault.db.prepare('SELECT id FROM customer').pluck().all() as string[];
      person = ids
        .map((id) => service.store.get(id)!.customer)
        .find(
          (customer) =>
            customer.kind === 'individual' &&
            customer.pinyinName !== undefined &&
            customer.phones.length > 0 &&
            customer.addresses.length > 0,
        )!;
      // A create HQ refused whole lands in the rejected ledger with the whole record.
      const mutation = {
        kind: 'create' as const,
        mutationId: randomUUID(),
        customerId: person.id,
        hlc: '000001767225600000-0000-device',
        actor: 'user:teller1',
        device: enrolled.deviceId,
        customer: person as unknown as Record<string, unknown>,
      };
      vault.db.transaction(() => service.sync.reject(mutation, null, 'CUSTOMER_EXISTS', person))();
    } finally {
      vault.close();
    }
    host = new CoreHost({ dataDir, secrets, syncIntervalMs: 3_600_000, backgroundSync: false });
    host.start();
    const rendererDir = join(sandbox.path, 'renderer');
    mkdirSync(rendererDir, { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<html><body></body></html>');
    harness = await startHarness({ host, rendererDir });
  }, 180_000);
  afterAll(async () => {
    await harness?.close();
    await host?.stop();
    await server?.stop();
    sandbox.cleanup();
  });

  /** A desk over the harness's WebSocket, signed in as `username`. */
  async function deskAs(username: string) {
    const socket = new WebSocket(
      `${harness!.url.replace('http', 'ws')}/bridge`,
      [`branchdesk.${harness!.token}`],
      { origin: harness!.url },
    );
    await new Promise((resolve, reject) => {
      socket.on('open', resolve);
      socket.on('error', reject);
    });
    const answers = new Map<number, (result: CommandResult) => void>();
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { id?: number; result?: CommandResult };
      if (message.id !== undefined) answers.get(message.id)?.(message.result!);
    });
    let nextId = 1;
    const call = (command: string, input: unknown = {}) => {
      const id = nextId++;
      return new Promise<CommandResult>((resolve) => {
        answers.set(id, resolve);
        socket.send(JSON.stringify({ id, command, input }));
      });
    };
    value(await call('session.login', await credentials(username)));
    return { call, close: () => socket.close() };
  }

  it('shows a teller a change HQ refused whole with its identifiers masked', async () => {
    const teller = await deskAs('teller1');
    const listed = JSON.stringify(value(await teller.call('sync.rejected.list')));
    expect(listed).toContain(person.id);
    expect(listed).not.toContain(person.identityDocuments[0]!.number);
    expect(listed).not.toContain(person.phones[0]!.e164.slice(3));
    expect(listed).not.toContain(person.addresses[0]!.line);
    expect(listed).toContain(maskIdNumber(person.identityDocuments[0]!.number));
    teller.close();
  }, 60_000);

  it("shows an auditor every name by the name rule, and other staff's searches masked", async () => {
    const supervisor = await deskAs('supervisor1');
    const number = person.identityDocuments[0]!.number;
    const phone = person.phones[0]!.e164.slice(3);
    for (const query of [number, phone]) value(await supervisor.call('customer.search', { query }));
    supervisor.close();

    const auditor = await deskAs('auditor1');
    const shown = value<{ customer: Customer }>(
      await auditor.call('customer.show', { id: person.id }),
    );
    expect(shown.customer.legalName).toBe(maskName(person.legalName));
    expect(shown.customer.pinyinName).toBe(maskName(person.pinyinName!));
    const log = JSON.stringify(value(await auditor.call('audit.export', { action: 'search' })));
    expect(log).not.toContain(number);
    expect(log).not.toContain(phone);
    expect(log).toContain(maskIdNumber(number));
    auditor.close();
  }, 120_000);

  it("keeps an IT admin's desk to its own profile", async () => {
    const other = join(sandbox.path, 'other-profile');
    const created = createVault(other, secrets);
    sandbox.forget(created.profileId);
    created.close();
    const admin = await deskAs('itadmin1');
    for (const command of ['vault.rekey', 'device.status', 'vault.doctor', 'vault.init'])
      expect(await admin.call(command, { dataDir: other }), command).toMatchObject({
        ok: false,
        error: {
          code: 'PERMISSION_DENIED',
          details: { permission: 'administer_device:own_profile_only' },
        },
      });
    // Its own profile it may check.
    expect(await admin.call('vault.doctor', { dataDir })).toMatchObject({ ok: true });
    admin.close();
  }, 60_000);
});
