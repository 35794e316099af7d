// A correction the customer asks for (更正, PIPL Art. 46), end to end on PGlite and PostgreSQL:
// it takes the normal path (a phone at once; a name held for a second supervisor, approved
// online), is marked as such at every step (the audit entry, the held change, the mutation HQ
// stores) and appears so in the customer's own copy; an ordinary edit is not marked.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../electron/core/audit/log';
import { dispatch, type CommandResult } from '../../../electron/core/commands';
import { CustomerStore } from '../../../electron/core/customers';
import { enrollDevice } from '../../../electron/core/device/enrollment';
import { syncRound } from '../../../electron/core/sync/engine';
import { SyncState } from '../../../electron/core/sync/outbox';
import { openVault, type Vault } from '../../../electron/core/vault';
import { customerCopyHtml } from '../../../hq/privacy/copy';
import { demoUsers } from '../../../hq/seed';
import type { PendingChange } from '../../../shared/commands/approvals';
import type { CustomerCopy } from '../../../shared/protocol/privacy';
import {
  addBranchStaff,
  addHqUser,
  hqAdmin,
  hqCommand,
  startHq,
  type HqAccount,
  type HqEnv,
  type RunningHq,
} from '../../support/hq';
import { profileSandbox, realSecretStore } from '../../support/keyring';
import { startPostgres, type PostgresCluster } from '../../support/postgres';
import { signedInDesks } from '../../support/signed-in';

const secrets = realSecretStore();
const SEED = 29;

function value<T = Record<string, unknown>>(result: CommandResult): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message.en}`);
  return result.value as T;
}

describe.each(['pglite', 'postgres'] as const)(
  'corrections the customer asks for, on %s',
  (database) => {
    const sandbox = profileSandbox(secrets);
    let cluster: PostgresCluster | undefined;
    let hq: HqEnv;
    let server: RunningHq;
    let vault: Vault;
    const credentials = new Map(
      demoUsers(SEED).map((user) => [
        user.username,
        user as { password: string; totpSecret: string },
      ]),
    );
    const staff = signedInDesks(secrets, credentials);
    const desk = (username: string) => staff.desk(username, vault);
    const stored = (id: string) => new CustomerStore(vault.db).get(id)!.customer;
    let ids: string[] = [];
    let officer: HqAccount;
    /** The customer's copy as a privacy officer gets it from the running HQ. */
    const copyOf = (id: string) =>
      hqAdmin(() => server.url, officer).call<CustomerCopy>(
        'GET',
        `/v1/admin/customers/${id}/privacy-copy`,
      );

    beforeAll(async () => {
      if (database === 'postgres') cluster = await startPostgres();
      hq = { dataDir: join(sandbox.path, 'hq'), ...(cluster ? { databaseUrl: cluster.url } : {}) };
      expect(
        hqCommand(hq, ['seed', '--customers', '40', '--branches', '1', '--seed', String(SEED)])
          .status,
      ).toBe(0);
      credentials.set(
        'supervisor2',
        addBranchStaff(hq, 'supervisor2', { roles: 'supervisor', branch: 'B001' }),
      );
      officer = addHqUser(hq, 'privacy1', 'privacy_officer');
      const code = hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim();
      server = await startHq(hq);
      const dir = join(sandbox.path, 'desk');
      const enrolled = await enrollDevice(dir, secrets, { hqUrl: server.url, code });
      sandbox.forget(enrolled.profileId);
      vault = openVault(dir, secrets);
      await syncRound(vault, secrets);
      ids = vault.db
        .prepare(`SELECT id FROM customer WHERE kind = 'individual' ORDER BY customer_number`)
        .pluck()
        .all() as string[];
    }, 240_000);
    afterAll(async () => {
      await staff.signOutAll();
      vault?.close();
      await server?.stop();
      cluster?.stop();
      sandbox.cleanup();
    });

    it('marks a phone corrected at the customer’s request, and not an ordinary edit', async () => {
      const [asked, ordinary] = [ids[0]!, ids[1]!];
      const teller = await desk('teller1');
      for (const [id, correction] of [
        [asked, true],
        [ordinary, false],
      ] as const)
        value(
          await dispatch(
            'customer.set_phone',
            {
              id,
              baseVersion: stored(id).version,
              index: stored(id).phones.length,
              phone: { kind: 'mobile', e164: correction ? '+8613912345678' : '+8613812345679' },
              ...(correction ? { correction } : {}),
            },
            teller,
          ),
        );
      expect(new SyncState(vault).pendingFor(asked)[0]).toMatchObject({ correction: true });
      expect(new SyncState(vault).pendingFor(ordinary)[0]).not.toHaveProperty('correction');
      const [entry] = new AuditLog(vault).entries({ action: 'update', target: asked });
      expect(JSON.parse(entry!.details)).toMatchObject({ fields: ['phones'], correction: true });

      expect((await syncRound(vault, secrets)).push).toMatchObject({ applied: 2, rejected: 0 });
      const copy = await copyOf(asked);
      expect(copy.changes.at(-1)).toMatchObject({
        fields: ['phones'],
        correction: true,
        outcome: 'applied',
      });
      expect(customerCopyHtml(copy)).toContain('更正（应您的申请）');
      expect((await copyOf(ordinary)).changes.at(-1)).toMatchObject({ correction: false });
    });

    it('keeps the mark on a name held for a supervisor, through approval to HQ', async () => {
      const id = ids[2]!;
      const held = value<{ pendingChangeId: number }>(
        await dispatch(
          'customer.update',
          {
            id,
            baseVersion: stored(id).version,
            changes: { legalName: '更正名' },
            correction: true,
          },
          await desk('teller1'),
        ),
      );
      const supervisor = await desk('supervisor2');
      const { changes } = value<{ changes: PendingChange[] }>(
        await dispatch('approvals.list', {}, supervisor),
      );
      expect(changes.find((change) => change.id === held.pendingChangeId)).toMatchObject({
        correction: true,
      });
      value(await dispatch('approvals.approve', { id: held.pendingChangeId }, supervisor));
      expect(new SyncState(vault).pendingFor(id)[0]).toMatchObject({
        correction: true,
        approval: { approvalId: expect.any(String) },
      });
      expect((await syncRound(vault, secrets)).push).toMatchObject({ applied: 1, rejected: 0 });
      expect((await copyOf(id)).changes.at(-1)).toMatchObject({
        fields: ['legalName'],
        correction: true,
        outcome: 'applied',
      });
    });
  },
);
