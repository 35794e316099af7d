// Four eyes, enforced where the data is mastered: a real HQ process over HTTP (on PGlite and on
// PostgreSQL), three enrolled branch devices with real vaults and keychain, staff signed in online
// through the command table. An identity change reaches HQ only with an approval HQ recorded from
// a second supervisor's own session, for exactly that mutation; a pushed identity change without
// one is refused with a typed reason; a supervisor resolving an identity conflict with a value of
// their own waits for another supervisor; branchctl, as the local operator, changes no identity
// field.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, sha256Hex } from '../../../electron/core/audit/log';
import { dispatch, type CommandContext, type CommandResult } from '../../../electron/core/commands';
import { CustomerService, CustomerStore } from '../../../electron/core/customers';
import { enrollDevice } from '../../../electron/core/device/enrollment';
import { deviceClient, syncRound } from '../../../electron/core/sync/engine';
import { SyncState } from '../../../electron/core/sync/outbox';
import { openVault, type Vault } from '../../../electron/core/vault';
import { demoUsers } from '../../../hq/seed';
import type { Mutation } from '../../../shared/protocol/mutations';

type Update = Extract<Mutation, { kind: 'update' }>;
import { approvalDigest } from '../../../shared/sync/approval';
import { branchctl } from '../../support/branchctl';
import { hqCommand, startHq, type HqEnv, type RunningHq } from '../../support/hq';
import { profileSandbox, realSecretStore } from '../../support/keyring';
import { startPostgres, type PostgresCluster } from '../../support/postgres';
import { signedInDesks } from '../../support/signed-in';
import { credentialsIn } from '../../support/staff';

const secrets = realSecretStore();
const SEED = 23;

function value<T = Record<string, unknown>>(result: CommandResult): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message.en}`);
  return result.value as T;
}

describe.each(['pglite', 'postgres'] as const)('four eyes at HQ on %s', (database) => {
  const sandbox = profileSandbox(secrets);
  let cluster: PostgresCluster | undefined;
  let hq: HqEnv;
  let server: RunningHq;
  const credentials = new Map(
    demoUsers(SEED).map((user) => [
      user.username,
      user as { password: string; totpSecret: string },
    ]),
  );
  let deskDir = '';
  let vault: Vault;
  /** A second device of B001, and one of B002. */
  let sibling: Vault;
  let other: Vault;
  const staff = signedInDesks(secrets, credentials);
  /** A desk on `vault` with `username` signed in online (their own HQ session). */
  const desk = (username: string, on: () => Vault = () => vault) => staff.desk(username, on());
  const stored = (id: string) => new CustomerStore(vault.db).get(id)!.customer;
  const token = (context: CommandContext) => context.session!.hqAccessToken(context);
  /** Customers only B001 holds, individuals. */
  let pool: string[] = [];
  const pick = () => pool.shift()!;

  beforeAll(async () => {
    if (database === 'postgres') cluster = await startPostgres();
    hq = { dataDir: join(sandbox.path, 'hq'), ...(cluster ? { databaseUrl: cluster.url } : {}) };
    expect(
      hqCommand(hq, ['seed', '--customers', '200', '--branches', '2', '--seed', String(SEED)])
        .status,
    ).toBe(0);
    for (const [username, branch] of [
      ['supervisor2', 'B001'],
      ['supervisor3', 'B001'],
      ['supervisor.b2', 'B002'],
    ] as const) {
      const added = hqCommand(hq, [
        'user',
        'add',
        '--username',
        username,
        '--name',
        username,
        '--roles',
        'supervisor',
        '--branch',
        branch,
      ]);
      expect(added.status, added.stderr).toBe(0);
      credentials.set(username, credentialsIn(added.stdout));
    }
    const code = (branch: string) =>
      hqCommand(hq, ['enroll-code', '--branch', branch]).stdout.trim();
    const codes3 = [code('B001'), code('B001'), code('B002')];
    server = await startHq(hq);
    const dirs = ['desk', 'sibling', 'other'].map((name) => join(sandbox.path, name));
    deskDir = dirs[0]!;
    for (const [index, dir] of dirs.entries()) {
      const enrolled = await enrollDevice(dir, secrets, {
        hqUrl: server.url,
        code: codes3[index]!,
      });
      sandbox.forget(enrolled.profileId);
    }
    [vault, sibling, other] = dirs.map((dir) => openVault(dir, secrets)) as [Vault, Vault, Vault];
    for (const each of [vault, sibling, other]) await syncRound(each, secrets);
    pool = (
      vault.db
        .prepare(`SELECT id FROM customer WHERE kind = 'individual' ORDER BY customer_number`)
        .pluck()
        .all() as string[]
    ).filter((id) => !new CustomerStore(other.db).get(id) && new CustomerStore(sibling.db).get(id));
  }, 240_000);
  afterAll(async () => {
    await staff.signOutAll();
    for (const each of [vault, sibling, other]) each?.close();
    await server?.stop();
    cluster?.stop();
    sandbox.cleanup();
  });

  /** Six months after the last review (or today): the longest a high-risk cycle may run. */
  const before = (customer: { kyc: { lastReviewedOn?: string } }) => {
    const from = customer.kyc.lastReviewedOn ?? new Date().toISOString().slice(0, 10);
    const date = new Date(`${from}T00:00:00Z`);
    date.setUTCMonth(date.getUTCMonth() + 6);
    return date.toISOString().slice(0, 10);
  };

  async function propose(maker: string, id: string, changes: Record<string, unknown>) {
    const result = value<{ pendingChangeId: number }>(
      await dispatch(
        'customer.update',
        { id, baseVersion: stored(id).version, changes },
        await desk(maker),
      ),
    );
    expect(result.pendingChangeId).toBeGreaterThan(0);
    return result.pendingChangeId;
  }

  it('applies a teller’s name change at HQ once a supervisor approves it online: HQ recorded who', async () => {
    const id = pick();
    const changeId = await propose('teller1', id, { legalName: '周新名' });
    const approved = value<{ version: number }>(
      await dispatch('approvals.approve', { id: changeId }, await desk('supervisor1')),
    );
    expect(approved.version).toBe(stored(id).version);
    const [entry] = new AuditLog(vault).entries({ action: 'approve', target: id });
    expect(entry).toMatchObject({ actor: 'user:supervisor1' });
    expect(JSON.parse(entry!.details)).toMatchObject({
      pendingChangeId: changeId,
      maker: 'user:teller1',
      fields: ['legalName'],
    });
    const [queued] = new SyncState(vault).pendingFor(id);
    expect(queued).toMatchObject({
      actor: 'user:teller1',
      approval: { approvalId: expect.any(String) },
    });
    expect((await syncRound(vault, secrets)).push).toMatchObject({ applied: 1, rejected: 0 });
    await syncRound(sibling, secrets);
    expect(new CustomerStore(sibling.db).get(id)!.customer.legalName).toBe('周新名');
  });

  it('holds an RM’s proposed rating for a supervisor, then HQ re-rates with it as a floor', async () => {
    const id = pool.find((candidate) => stored(candidate).kyc.riskRating === 'low')!;
    pool = pool.filter((candidate) => candidate !== id);
    const input = {
      id,
      proposalId: randomUUID(),
      level: 'high' as const,
      reason: '客户新任某国有企业高管，资金往来涉及境外',
    };
    const rm = await desk('rm1');
    const held = value<{ pendingChangeId: number }>(
      await dispatch('customer.propose_rating', input, rm),
    );
    expect(held.pendingChangeId).toBeGreaterThan(0);
    // Retried: the same held change. Nothing applied or queued until a second person approves.
    expect(
      value<{ pendingChangeId: number }>(await dispatch('customer.propose_rating', input, rm))
        .pendingChangeId,
    ).toBe(held.pendingChangeId);
    expect(stored(id).ratingProposals ?? []).toEqual([]);
    expect(new SyncState(vault).pendingFor(id)).toEqual([]);
    // A teller may not propose; the maker may not approve their own.
    const byTeller = await dispatch('customer.propose_rating', input, await desk('teller1'));
    expect(byTeller.ok ? '' : byTeller.error.code).toBe('PERMISSION_DENIED');
    await dispatch('approvals.approve', { id: held.pendingChangeId }, rm).then((result) =>
      expect(result.ok ? '' : result.error.code).toBe('PERMISSION_DENIED'),
    );
    value(
      await dispatch('approvals.approve', { id: held.pendingChangeId }, await desk('supervisor1')),
    );
    expect(new SyncState(vault).pendingFor(id)[0]).toMatchObject({
      actor: 'user:rm1',
      approval: { approvalId: expect.any(String) },
    });
    expect((await syncRound(vault, secrets)).push).toMatchObject({ applied: 1, rejected: 0 });
    await syncRound(vault, secrets);
    // HQ re-rated: the proposal is a floor, and the review cycle follows the new level.
    const after = stored(id);
    expect(after.ratingProposals?.map((entry) => entry.id)).toEqual([input.proposalId]);
    expect(after.kyc.riskRating).toBe('high');
    expect(after.kyc.nextReviewDue <= before(after)).toBe(true);

    // Pushed without an approval, as a tampered device could: refused.
    const client = deviceClient(vault, secrets);
    const current = stored(id);
    const [result] = (
      await client.push([
        {
          kind: 'update',
          mutationId: randomUUID(),
          customerId: id,
          hlc: new SyncState(vault).tick(),
          actor: 'user:rm1',
          device: new SyncState(vault).deviceId(),
          baseVersion: current.version,
          fields: {
            ratingProposals: {
              from: current.ratingProposals,
              to: [
                ...current.ratingProposals!,
                {
                  ...input,
                  id: randomUUID(),
                  level: 'low',
                  at: new Date().toISOString(),
                  by: 'user:rm1',
                },
              ],
            },
          },
        },
      ])
    ).results;
    expect(result!.outcome).toMatchObject({ status: 'rejected', reason: 'APPROVAL_MISSING' });

    // Approved, but dated years ahead (it would stay the latest, and so the floor, for good):
    // refused.
    const ahead: Update = {
      kind: 'update',
      mutationId: randomUUID(),
      customerId: id,
      hlc: new SyncState(vault).tick(),
      actor: 'user:rm1',
      device: new SyncState(vault).deviceId(),
      baseVersion: current.version,
      fields: {
        ratingProposals: {
          from: current.ratingProposals,
          to: [
            ...current.ratingProposals!,
            {
              ...input,
              id: randomUUID(),
              level: 'high',
              at: '2099-01-01T00:00:00Z',
              by: 'user:rm1',
            },
          ],
        },
      },
    };
    const approval = await client.recordApproval(
      {
        mutationId: ahead.mutationId,
        customerId: id,
        maker: ahead.actor,
        digest: approvalDigest(sha256Hex, {
          mutationId: ahead.mutationId,
          customerId: ahead.customerId,
          baseVersion: ahead.baseVersion,
          actor: ahead.actor,
          fields: ahead.fields,
        }),
      },
      await token(await desk('supervisor1')),
    );
    const [late] = (
      await client.push([{ ...ahead, approval: { approvalId: approval.approvalId } }])
    ).results;
    expect(late!.outcome).toMatchObject({ status: 'rejected', reason: 'RATING_PROPOSAL_REFUSED' });
  });

  it('refuses over HTTP an identity change pushed without an approval, self-approved, approved by a non-supervisor or another branch, or for other fields', async () => {
    const client = deviceClient(vault, secrets);
    const device = new SyncState(vault).deviceId();
    const base = (id: string) => stored(id);
    const hlc = () => new SyncState(vault).tick();
    const update = (id: string, actor: string, legalName: string): Update => ({
      kind: 'update',
      mutationId: randomUUID(),
      customerId: id,
      hlc: hlc(),
      actor,
      device,
      baseVersion: base(id).version,
      fields: { legalName: { from: base(id).legalName, to: legalName } },
    });
    const digest = (mutation: Update) =>
      approvalDigest(sha256Hex, {
        mutationId: mutation.mutationId,
        customerId: mutation.customerId,
        baseVersion: mutation.baseVersion,
        actor: mutation.actor,
        fields: mutation.fields,
      });
    const push = async (mutation: Mutation) => {
      const [result] = (await client.push([mutation])).results;
      return result!.outcome;
    };
    const supervisor1 = await desk('supervisor1');
    const id = pick();
    const before = stored(id);

    // No approval at all.
    expect(await push(update(id, 'user:teller1', '甲'))).toMatchObject({
      status: 'rejected',
      reason: 'APPROVAL_MISSING',
    });
    // An approval HQ never recorded.
    const invented = {
      ...update(id, 'user:teller1', '乙'),
      approval: { approvalId: randomUUID() },
    };
    expect(await push(invented)).toMatchObject({ reason: 'APPROVAL_UNKNOWN' });

    // Self-approval: HQ will not record it for the maker, and a device naming another maker to
    // get it recorded still pushes the supervisor's own mutation: refused.
    const own = update(id, 'user:supervisor1', '丙');
    await expect(
      client.recordApproval(
        { mutationId: own.mutationId, customerId: id, maker: own.actor, digest: digest(own) },
        await token(supervisor1),
      ),
    ).rejects.toMatchObject({ code: 'APPROVAL_OWN_CHANGE' });
    const lied = await client.recordApproval(
      { mutationId: own.mutationId, customerId: id, maker: 'user:teller1', digest: digest(own) },
      await token(supervisor1),
    );
    expect(await push({ ...own, approval: { approvalId: lied.approvalId } })).toMatchObject({
      reason: 'APPROVAL_SELF',
    });

    // A teller cannot approve; a supervisor of another branch approved on that branch's device.
    const byTeller = update(id, 'user:rm1', '丁');
    await expect(
      client.recordApproval(
        {
          mutationId: byTeller.mutationId,
          customerId: id,
          maker: 'user:rm1',
          digest: digest(byTeller),
        },
        await token(await desk('teller1')),
      ),
    ).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    const elsewhere = update(id, 'user:teller1', '戊');
    const otherBranch = await desk('supervisor.b2', () => other);
    const recordedThere = await deviceClient(other, secrets).recordApproval(
      {
        mutationId: elsewhere.mutationId,
        customerId: id,
        maker: 'user:teller1',
        digest: digest(elsewhere),
      },
      await token(otherBranch),
    );
    expect(
      await push({ ...elsewhere, approval: { approvalId: recordedThere.approvalId } }),
    ).toMatchObject({
      reason: 'APPROVAL_NOT_SUPERVISOR',
    });

    // Approved one name, pushed another.
    const approvedName = update(id, 'user:teller1', '己');
    const recorded = await client.recordApproval(
      {
        mutationId: approvedName.mutationId,
        customerId: id,
        maker: 'user:teller1',
        digest: digest(approvedName),
      },
      await token(supervisor1),
    );
    const swapped: Update = {
      ...approvedName,
      fields: { legalName: { from: base(id).legalName, to: '庚' } },
      approval: { approvalId: recorded.approvalId },
    };
    expect(await push(swapped)).toMatchObject({ reason: 'APPROVAL_MISMATCH' });
    await syncRound(vault, secrets);
    expect(stored(id)).toEqual(before);

    // A device that skips its own hold (the core called directly, as altered code would) queues
    // an unapproved name change: HQ refuses it, the desk's rejected ledger says why, and the
    // record goes back to HQ's.
    const bypass = new CustomerService(vault).update(
      id,
      stored(id).version,
      { legalName: '辛' },
      { id: 'user:teller1' },
    );
    expect(bypass.customer.legalName).toBe('辛');
    expect((await syncRound(vault, secrets)).push).toMatchObject({ rejected: 1 });
    const { rejected } = value<{ rejected: { customerId: string; field: null; reason: string }[] }>(
      await dispatch('sync.rejected.list', {}, supervisor1),
    );
    expect(rejected[0]).toMatchObject({ customerId: id, field: null, reason: 'APPROVAL_MISSING' });
    expect(stored(id).legalName).toBe(before.legalName);
  });

  it('holds a supervisor’s own value for an identity conflict until another supervisor approves', async () => {
    const id = pick();
    const original = stored(id).englishName;
    // A teller's approved English name meets HQ's correction: a parked conflict.
    const changeId = await propose('teller1', id, { englishName: 'BRANCH NAME' });
    value(await dispatch('approvals.approve', { id: changeId }, await desk('supervisor2')));
    // Meanwhile the branch's other desk changes it too, with four eyes of its own, and pushes first.
    const elsewhere = value<{ pendingChangeId: number }>(
      await dispatch(
        'customer.update',
        {
          id,
          baseVersion: new CustomerStore(sibling.db).get(id)!.customer.version,
          changes: { englishName: 'HQ NAME' },
        },
        await desk('rm1', () => sibling),
      ),
    ).pendingChangeId;
    value(
      await dispatch(
        'approvals.approve',
        { id: elsewhere },
        await desk('supervisor3', () => sibling),
      ),
    );
    expect((await syncRound(sibling, secrets)).push).toMatchObject({ applied: 1, rejected: 0 });
    expect((await syncRound(vault, secrets)).push).toMatchObject({ conflicts: 1 });
    const supervisor1 = await desk('supervisor1');
    const { conflicts } = value<{ conflicts: { id: number; customerId: string }[] }>(
      await dispatch('sync.conflicts.list', {}, supervisor1),
    );
    const conflict = conflicts.find((entry) => entry.customerId === id)!;
    expect(stored(id).englishName).toBe('HQ NAME');

    const queued = new SyncState(vault).outboxSize();
    value(
      await dispatch(
        'sync.conflicts.resolve',
        { id: conflict.id, take: 'value', value: 'SUPERVISOR NAME' },
        supervisor1,
      ),
    );
    expect(stored(id).englishName).toBe('HQ NAME');
    expect(new SyncState(vault).outboxSize()).toBe(queued);
    const [held] = value<{ changes: { id: number; requestedBy: string }[] }>(
      await dispatch('approvals.list', { customerId: id }, supervisor1),
    ).changes;
    expect(held).toMatchObject({ requestedBy: 'user:supervisor1' });
    expect(await dispatch('approvals.approve', { id: held!.id }, supervisor1)).toMatchObject({
      ok: false,
      error: { code: 'APPROVAL_OWN_CHANGE' },
    });
    value(await dispatch('approvals.approve', { id: held!.id }, await desk('supervisor2')));
    expect(stored(id).englishName).toBe('SUPERVISOR NAME');
    expect((await syncRound(vault, secrets)).push).toMatchObject({ applied: 1, rejected: 0 });
    await syncRound(sibling, secrets);
    expect(new CustomerStore(sibling.db).get(id)!.customer.englishName).toBe('SUPERVISOR NAME');
    expect(original).not.toBe('SUPERVISOR NAME');
  });

  it('keeps the branch’s approved value for a parked conflict by citing the approved mutation, once', async () => {
    const id = pick();
    const approveOn = async (on: Vault, maker: string, checker: string, englishName: string) => {
      const store = new CustomerStore(on.db);
      const changeId = value<{ pendingChangeId: number }>(
        await dispatch(
          'customer.update',
          { id, baseVersion: store.get(id)!.customer.version, changes: { englishName } },
          await desk(maker, () => on),
        ),
      ).pendingChangeId;
      value(await dispatch('approvals.approve', { id: changeId }, await desk(checker, () => on)));
    };
    await approveOn(vault, 'teller1', 'supervisor1', 'ZHANG LOCAL');
    await approveOn(sibling, 'rm1', 'supervisor3', 'ZHANG OTHER');
    await syncRound(sibling, secrets);
    expect((await syncRound(vault, secrets)).push).toMatchObject({ applied: 1, conflicts: 1 });
    const supervisor1 = await desk('supervisor1');
    const conflict = value<{
      conflicts: { id: number; customerId: string; mutationId: string; local: unknown }[];
    }>(await dispatch('sync.conflicts.list', {}, supervisor1)).conflicts.find(
      (entry) => entry.customerId === id,
    )!;
    expect(conflict.local).toBe('ZHANG LOCAL');
    expect(stored(id).englishName).toBe('ZHANG OTHER');

    const resolved = value<{ mutationId: string }>(
      await dispatch('sync.conflicts.resolve', { id: conflict.id, take: 'local' }, supervisor1),
    );
    const [queued] = new SyncState(vault).pendingFor(id);
    expect(queued).toMatchObject({
      mutationId: resolved.mutationId,
      approval: { reaffirms: conflict.mutationId },
    });
    expect((await syncRound(vault, secrets)).push).toMatchObject({ applied: 1, conflicts: 0 });
    await syncRound(sibling, secrets);
    expect(new CustomerStore(sibling.db).get(id)!.customer.englishName).toBe('ZHANG LOCAL');
    expect(
      await dispatch('sync.conflicts.resolve', { id: conflict.id, take: 'hq' }, supervisor1),
    ).toMatchObject({ ok: false, error: { code: 'CONFLICT_ALREADY_RESOLVED' } });

    // Citing the same approved mutation again (a replay, another value) is refused.
    const [replayed] = (
      await deviceClient(vault, secrets).push([
        {
          ...queued!,
          mutationId: randomUUID(),
          hlc: new SyncState(vault).tick(),
          baseVersion: stored(id).version,
          fields: { englishName: { from: 'ZHANG LOCAL', to: 'ZHANG LOCAL AGAIN' } },
        } as Mutation,
      ])
    ).results;
    expect(replayed!.outcome).toMatchObject({ status: 'rejected', reason: 'APPROVAL_UNKNOWN' });
  });

  it('lets branchctl, the local operator, change no identity field', () => {
    const id = pick();
    const file = join(sandbox.path, 'name.json');
    writeFileSync(file, JSON.stringify({ legalName: '运维改名' }));
    const run = branchctl(
      [
        'customer',
        'update',
        id,
        '--base-version',
        String(stored(id).version),
        '--file',
        file,
        '--data-dir',
        deskDir,
        '--json',
        '--lang',
        'en',
      ],
      process.env,
    );
    expect(run.status).not.toBe(0);
    expect(run.stdout + run.stderr).toContain('PERMISSION_DENIED');
    expect(stored(id).legalName).not.toBe('运维改名');
  });
});
