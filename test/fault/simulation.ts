// A deterministic, seeded simulation of sync under faults, in the manner of Jepsen: one real HQ
// process, three branch devices (two in branch A, one in branch B, wall clocks skewed by up to
// ±24 h or set 30 h fast or slow: test/fault/clock-skew.ts), and a real fault-injecting proxy on
// loopback between the devices and HQ. A seed fixes
// every choice: which device edits which field of which customer, HQ staff edits and
// reassignments, syncs, conflict resolutions, which requests the network drops, duplicates or
// answers 503, HQ going down and coming back, and a branchctl child SIGKILLed before or after
// its local commit. Then the network heals, every device syncs until nothing moves, and the
// invariants are checked:
//   - every device holds exactly its branch's scope at HQ, record for record;
//   - no outbox is stuck and no eviction is left waiting;
//   - every acknowledged local edit has an outcome stored at HQ, and the device shows it where
//     the teller expects: rejected (ledger), a field that lost (ledger), a conflict (queue);
//   - nothing was applied twice: each customer's HQ version is its first version plus the
//     versions made by its mutations, HQ edits and reassignments, and no version was made twice.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CustomerService, unpackRecord } from '../../electron/core/customers';
import { enrollDevice, wipeProfile } from '../../electron/core/device/enrollment';
import type { HqClient } from '../../electron/core/hq-client/client';
import { resolveConflict } from '../../electron/core/sync/conflicts';
import { deviceClient, isTransient, syncRound } from '../../electron/core/sync/engine';
import type { SecretStore } from '../../electron/core/secrets';
import { openVault, type Vault } from '../../electron/core/vault';
import { isHqOwnedField, isIdentityField, type Customer } from '../../shared/customer';
import { isBranchDeskError } from '../../shared/errors';
import type { MutationOutcome } from '../../shared/protocol/mutations';
import { sameJson } from '../../shared/sync/canonical';
import { rejectedFieldResults } from '../../shared/sync/merge';
import { generateCustomer, generateCustomers } from '../../shared/synthetic';
import { RecordRandom } from '../../shared/synthetic/random';
import { movedEntryId } from '../../hq/merges';
import { branchctlPath } from '../support/branchctl';
import { secondRegistrationOf } from '../support/duplicates';
import type { hqAdmin } from '../support/hq';
import type { HqBackups } from './hq-restore';
import { deviceSkewMs } from './clock-skew';
import { sharedDocuments } from './twin-creates';
import { writeConcurrently } from './hq-writers';
import { ListWrites, listChange, listRace } from './list-edits';
import type { Fault, FaultRequest } from './net-proxy';

export interface SimulationWorld {
  /** HQ staff API, straight to HQ (not through the faulty network). */
  admin: ReturnType<typeof hqAdmin>;
  /** A second HQ administrator, who approves merges `admin` proposes; absent: no merges. */
  approver?: ReturnType<typeof hqAdmin>;
  /** The devices' address for HQ: the fault proxy. */
  proxyUrl: string;
  /** What the network does to the next request; the simulation sets it per seed. */
  setNetwork(decide: (request: FaultRequest) => Fault): void;
  stopHq(): Promise<void>;
  startHq(): Promise<void>;
  /** HQ's backups (taken while HQ is down) and the restore runbook; absent: no restores. */
  backups?: HqBackups;
  secrets: SecretStore;
  workDir: string;
  /** Register a profile for keychain cleanup. */
  forget(profileId: string): void;
}

export interface SimulationOptions {
  seed: number;
  steps?: number;
  customers?: number;
  /** Allow the SIGKILLed branchctl child (slow: a process start). */
  kills?: boolean;
  /** Allow HQ to go down and come back (slow: a process start). */
  hqRestarts?: boolean;
}

export interface SimulationReport {
  seed: number;
  violations: string[];
  stats: Record<string, number>;
  trace: string[];
}

interface Device {
  name: string;
  branch: string;
  dataDir: string;
  vault: Vault;
  customers: CustomerService;
  skewMs: number;
  client: HqClient;
}

interface Acknowledged {
  device: Device;
  mutationId: string;
  customerId: string;
}

export async function runSimulation(
  world: SimulationWorld,
  options: SimulationOptions,
): Promise<SimulationReport> {
  const { seed } = options;
  const started = performance.now();
  const random = new RecordRandom(seed, 0);
  const networkRandom = new RecordRandom(seed, 1);
  const trace: string[] = [];
  const violations: string[] = [];
  const stats: Record<string, number> = {};
  const count = (key: string) => (stats[key] = (stats[key] ?? 0) + 1);
  const uuid = () => {
    const hex = (n: number) =>
      Array.from({ length: n }, () => random.int(16).toString(16)).join('');
    return `${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}`;
  };

  // ---- the world: two branches, their customers at HQ, three enrolled devices ---------------
  const branches = [`S${seed}A`, `S${seed}B`] as const;
  const rms: Record<string, string[]> = Object.fromEntries(
    branches.map((branch) => [branch, [`${branch}-rm-01`, `${branch}-rm-02`]]),
  );
  for (const branch of branches)
    await world.admin.call('POST', '/v1/admin/branches', {
      id: branch,
      name: `模拟网点 ${branch}`,
      relationshipManagers: rms[branch],
    });
  const seeded = [
    ...generateCustomers({
      seed,
      count: options.customers ?? 12,
      branches,
      rmsPerBranch: rms,
    }),
  ];
  await world.admin.call('POST', '/v1/admin/customers', { customers: seeded });
  const firstVersion = new Map<string, number>(seeded.map((c) => [c.id, c.version]));
  const hqEdits = new Map<string, number>();
  const bump = (map: Map<string, number>, id: string) => map.set(id, (map.get(id) ?? 0) + 1);

  world.setNetwork(() => 'pass');
  const devices: Device[] = [];
  for (const [index, branch] of [branches[0], branches[0], branches[1]].entries()) {
    const { code } = (await world.admin.call('POST', '/v1/admin/enrollment-codes', {
      branchId: branch,
    })) as { code: string };
    const dataDir = join(world.workDir, `seed-${seed}-device-${index}`);
    const enrollment = await enrollDevice(dataDir, world.secrets, {
      hqUrl: world.proxyUrl,
      code,
      deviceName: `sim-${index}`,
    });
    world.forget(enrollment.profileId);
    const vault = openVault(dataDir, world.secrets);
    devices.push({
      name: `device-${index}`,
      branch,
      dataDir,
      vault,
      customers: new CustomerService(vault),
      skewMs: deviceSkewMs(random.float()),
      client: deviceClient(vault, world.secrets),
    });
  }
  const asDevice = <T>(device: Device, work: () => T): T => {
    process.env.BRANCHDESK_CLOCK_SKEW_MS = String(device.skewMs);
    try {
      return work();
    } finally {
      delete process.env.BRANCHDESK_CLOCK_SKEW_MS;
    }
  };
  const syncDevice = async (device: Device) => {
    process.env.BRANCHDESK_CLOCK_SKEW_MS = String(device.skewMs);
    try {
      return await syncRound(device.vault, world.secrets, { client: device.client });
    } finally {
      delete process.env.BRANCHDESK_CLOCK_SKEW_MS;
    }
  };
  for (const device of devices) await syncDevice(device);
  const timing = (key: string, since: number) =>
    (stats[`ms_${key}`] = Math.round(performance.now() - since));
  timing('setup', started);
  let phase = performance.now();

  // ---- faults on: random operations ------------------------------------------------------
  world.setNetwork(() => networkRandom.pickWeighted(networkWeights));
  const acknowledged: Acknowledged[] = [];
  const lists = new ListWrites();
  let hqDown = 0; // steps left until HQ comes back
  let killed = false;
  let restarted = false;
  let restored = false;
  let hqEditsAtBackup: Map<string, number> | undefined;
  /** Customers merged away at HQ: into whom, by which merge (hq/merges.ts). */
  const mergedInto = new Map<string, { survivorId: string; mergeId: string }>();
  // Every pick draws from customers in one fixed order: the seeded ones as generated, then those
  // the run creates as it creates them. In id order, the random id a desk gives a new customer
  // would move every later pick, and a replayed seed would not retrace its run.
  const rank = new Map(seeded.map((customer, index) => [customer.id, index]));
  const byRank = (a: string, b: string) =>
    (rank.get(a) ?? Infinity) - (rank.get(b) ?? Infinity) || (a < b ? -1 : a > b ? 1 : 0);
  const inOrder = <T extends { customerId: string }>(entries: Iterable<T>) =>
    [...entries].sort((a, b) => byRank(a.customerId, b.customerId));
  // Most edits go to a few customers, so that both sides often change the same one.
  const hot = (ids: string[]) =>
    random.chance(0.7) ? random.pick(ids.slice(0, 3)) : random.pick(ids);
  const held = (device: Device) =>
    (device.vault.db.prepare('SELECT id FROM customer').pluck().all() as string[]).sort(byRank);
  const outboxIds = (device: Device) =>
    device.vault.db
      .prepare('SELECT mutation_id FROM outbox ORDER BY seq')
      .pluck()
      .all() as string[];

  try {
    for (let step = 0; step < (options.steps ?? 24); step++) {
      for (const each of devices) lists.collect(each.name, each.vault);
      if (hqDown > 0 && --hqDown === 0) {
        await world.startHq();
        trace.push(`${step}: HQ back`);
      }
      const device = random.pick(devices);
      const op = random.pickWeighted(operationWeights);
      switch (op) {
        case 'edit': {
          const ids = held(device);
          if (ids.length === 0) break;
          const id = hot(ids);
          const stored = device.customers.store.get(id)!;
          const changes = randomChange(stored.customer, random, uuid, `${seed}-${step}`);
          try {
            asDevice(device, () =>
              device.customers.update(id, stored.customer.version, changes, { id: 'sim-teller' }),
            );
            const mutation = device.customers.sync.pendingFor(id).at(-1);
            if (mutation)
              acknowledged.push({ device, mutationId: mutation.mutationId, customerId: id });
            count('edits');
            trace.push(`${step}: ${device.name} edits ${Object.keys(changes).join(',')} of ${id}`);
          } catch (error) {
            if (!isBranchDeskError(error)) throw error;
            count(`edit_refused_${error.code}`);
          }
          break;
        }
        case 'create':
        case 'create_twin': {
          // A twin: both devices of branch A create the same person (test/fault/twin-creates.ts).
          const makers =
            op === 'create' ? [device] : devices.filter((d) => d.branch === branches[0]);
          const template = generateCustomer(seed + 100_000, step, {
            branches: [makers[0]!.branch],
            rmsPerBranch: { [makers[0]!.branch]: rms[makers[0]!.branch]! },
          });
          const {
            id: _id,
            customerNumber: _n,
            version: _v,
            updatedAt: _a,
            updatedBy: _b,
            updatedByDevice: _d,
            // A branch's new customer sets nothing HQ owns: HQ assigns the RM, KYC and accounts.
            kyc: _k,
            accounts: _c,
            assignedRmId: _r,
            ...input
          } = template;
          for (const maker of makers)
            try {
              const created = asDevice(maker, () =>
                maker.customers.create(input, { id: 'sim-teller' }),
              );
              const mutation = maker.customers.sync.pendingFor(created.customer.id).at(-1)!;
              acknowledged.push({
                device: maker,
                mutationId: mutation.mutationId,
                customerId: created.customer.id,
              });
              firstVersion.set(created.customer.id, 0);
              rank.set(created.customer.id, rank.size);
              count(op === 'create' ? 'creates' : 'twin_creates');
              trace.push(`${step}: ${maker.name} creates ${created.customer.id}`);
            } catch (error) {
              if (!isBranchDeskError(error)) throw error;
              count(`create_refused_${error.code}`);
            }
          break;
        }
        case 'list_race': {
          // Both devices of branch A change one customer's lists before either syncs.
          const racers = devices.filter((each) => each.branch === branches[0]);
          const race = listRace(racers, hot, byRank, random, uuid, `${seed}-${step}`, asDevice);
          acknowledged.push(...race.queued);
          for (const code of race.refused) count(`edit_refused_${code}`);
          if (race.queued.length > 0) count('list_races');
          trace.push(`${step}: ${race.queued.length} devices edit lists of one customer at once`);
          break;
        }
        case 'sync': {
          try {
            await syncDevice(device);
            count('syncs_ok');
          } catch (error) {
            if (!isTransient(error))
              violations.push(`step ${step}: sync of ${device.name} failed: ${String(error)}`);
            count('syncs_failed');
          }
          trace.push(`${step}: ${device.name} syncs`);
          break;
        }
        case 'hq_edit': {
          if (hqDown > 0) break;
          const scope = inOrder([
            ...(await world.admin.scope(branches[0])).values(),
            ...(await world.admin.scope(branches[1])).values(),
          ]);
          if (scope.length === 0) break;
          const targetId = hot(scope.map((entry) => entry.customerId));
          const target = scope.find((entry) => entry.customerId === targetId)!;
          const changes = randomChange(
            target.customer as Customer,
            random,
            uuid,
            `hq-${seed}-${step}`,
          );
          try {
            await world.admin.edit(target.customerId, changes);
            lists.hqEdit(target.customer, changes);
            bump(hqEdits, target.customerId);
            count('hq_edits');
            trace.push(
              `${step}: HQ edits ${Object.keys(changes).join(',')} of ${target.customerId}`,
            );
          } catch {
            count('hq_edit_refused');
          }
          break;
        }
        case 'hq_writers': {
          // Three HQ edits at once while a device syncs (test/fault/hq-writers.ts).
          if (hqDown > 0) break;
          const scope = inOrder((await world.admin.scope(device.branch)).values());
          // A branch whose customers all left it has nothing to write.
          if (scope.length === 0) break;
          const targets = [...new Set([0, 1, 2].map(() => random.pick(scope)))];
          const writes = targets.map((target) => {
            const changes = randomChange(
              target.customer as Customer,
              random,
              uuid,
              `hqw-${seed}-${step}`,
            );
            const send = async () => {
              await world.admin.edit(target.customerId, changes);
              lists.hqEdit(target.customer, changes);
            };
            return { customerId: target.customerId, send };
          });
          const applied = await writeConcurrently(writes, async () => {
            try {
              await syncDevice(device);
            } catch (error) {
              if (!isTransient(error))
                violations.push(`step ${step}: sync of ${device.name} failed: ${String(error)}`);
            }
          });
          for (const write of applied) {
            bump(hqEdits, write.customerId);
            count('hq_concurrent_edits');
          }
          trace.push(
            `${step}: HQ edits ${applied.map((w) => w.customerId).join(',')} at once while ${device.name} syncs`,
          );
          break;
        }
        case 'reassign': {
          if (hqDown > 0) break;
          const ids = held(device);
          if (ids.length === 0) break;
          const id = random.pick(ids);
          const to: string = branches[device.branch === branches[0] ? 1 : 0];
          try {
            await world.admin.reassign(id, to, random.pick(rms[to]!));
            bump(hqEdits, id);
            count('reassigns');
            trace.push(`${step}: HQ reassigns ${id} to ${to}`);
          } catch {
            count('reassign_refused'); // created at the branch and not at HQ yet
          }
          break;
        }
        case 'merge': {
          // Two records of the branch made one at HQ, with four eyes, while devices may hold
          // edits of either queued offline (the one merged away: redirected to the survivor).
          if (hqDown > 0 || !world.approver) break;
          const scope = inOrder((await world.admin.scope(device.branch)).values()).filter(
            (entry) => entry.customer.restriction === undefined,
          );
          if (scope.length < 2) break;
          const survivor = random.pick(scope);
          const others = scope.filter(
            (entry) => entry !== survivor && entry.customer.kind === survivor.customer.kind,
          );
          if (others.length === 0) break;
          // Mostly a customer the devices edit often: their queued edits meet the merge.
          const mergedId = hot(others.map((entry) => entry.customerId));
          const merged = others.find((entry) => entry.customerId === mergedId)!;
          // Made a true duplicate first: the same person, registered again with a passport.
          const person = survivor.customer as Customer;
          if (person.kind === 'individual') {
            const digits = uuid().replace(/\D/g, '').slice(0, 8).padEnd(8, '7');
            try {
              await world.admin.edit(merged.customerId, secondRegistrationOf(person, `E${digits}`));
              bump(hqEdits, merged.customerId);
            } catch {
              count('merge_twin_refused');
              break;
            }
          }
          let proposal: { id: string } | undefined;
          try {
            proposal = await world.admin.call<{ id: string }>('POST', '/v1/admin/merges', {
              survivorId: survivor.customerId,
              mergedId: merged.customerId,
              reason: `simulation ${seed}-${step}`,
            });
            await world.approver.call('POST', `/v1/admin/merges/${proposal.id}/decision`, {
              decision: 'approve',
            });
            mergedInto.set(merged.customerId, {
              survivorId: survivor.customerId,
              mergeId: proposal.id,
            });
            bump(hqEdits, survivor.customerId);
            count('merges');
            trace.push(`${step}: HQ merges ${merged.customerId} into ${survivor.customerId}`);
          } catch (error) {
            // A pair the rules refuse: nothing merged, and the proposal is rejected.
            if (!/MERGE_REFUSED/.test(String(error))) throw error;
            count('merge_refused');
            if (proposal)
              await world.approver.call('POST', `/v1/admin/merges/${proposal.id}/decision`, {
                decision: 'reject',
              });
          }
          break;
        }
        case 'resolve': {
          const open = device.customers.sync.conflicts();
          if (open.length === 0) break;
          const conflict = random.pick(open);
          const take = random.chance(0.5) ? 'local' : 'hq';
          try {
            const result = asDevice(device, () =>
              resolveConflict(device.customers, conflict.id, { take }, { id: 'sim-supervisor' }),
            );
            if (result.mutationId)
              acknowledged.push({
                device,
                mutationId: result.mutationId,
                customerId: conflict.customerId,
              });
            count('resolutions');
            trace.push(`${step}: ${device.name} resolves conflict ${conflict.id} taking ${take}`);
          } catch (error) {
            if (!isBranchDeskError(error)) throw error;
            count(`resolve_refused_${error.code}`);
          }
          break;
        }
        case 'kill': {
          if (!options.kills || killed) break;
          killed = true;
          const before = new Set(outboxIds(device));
          const ids = held(device);
          const point = random.pick(
            before.size > 0
              ? ['edit:before-commit', 'edit:after-commit', 'sync:after-push-response']
              : ['edit:before-commit', 'edit:after-commit', 'sync:after-page'],
          );
          const env = {
            ...process.env,
            BRANCHDESK_FAULT_POINT: point,
            BRANCHDESK_CLOCK_SKEW_MS: String(device.skewMs),
          };
          let args: string[];
          let editedId: string | undefined;
          let changesSomething = false;
          if (point.startsWith('edit:') && ids.length > 0) {
            editedId = random.pick(ids);
            const stored = device.customers.store.get(editedId)!;
            const file = join(world.workDir, `seed-${seed}-step-${step}.json`);
            const change = randomChange(stored.customer, random, uuid, `${seed}-${step}`);
            // The same value again is saved as no change at all: nothing to queue. A field HQ
            // owns is refused at the device, and branchctl (the local operator) may change no
            // identity field: nothing to queue either.
            changesSomething =
              !Object.keys(change).some(
                (field) => isHqOwnedField(field) || isIdentityField(field),
              ) &&
              Object.entries(change).some(
                ([field, value]) => !sameJson(stored.customer[field as keyof Customer], value),
              );
            writeFileSync(file, JSON.stringify(change));
            args = [
              'customer',
              'update',
              editedId,
              '--base-version',
              String(stored.customer.version),
              '--file',
              file,
            ];
          } else {
            args = ['sync'];
          }
          const { signal, status } = await runChild(
            [...args, '--data-dir', device.dataDir, '--json'],
            env,
          );
          const after = outboxIds(device);
          const added = after.filter((mutationId) => !before.has(mutationId));
          // An edit the device refused (status 1: a change the record's rules do not allow, such
          // as removing the mobile of a customer reached by SMS) committed nothing.
          const committed = signal === 'SIGKILL' || status === 0;
          if (point === 'edit:after-commit' && editedId && changesSomething && committed) {
            if (added.length !== 1)
              violations.push(`step ${step}: edit committed before SIGKILL is not in the outbox`);
            for (const mutationId of added)
              acknowledged.push({ device, mutationId, customerId: editedId });
          } else if (added.length > 0) {
            violations.push(`step ${step}: ${point} added ${added.length} outbox entries`);
          }
          count(`kill_${point}_${signal ?? 'exit'}`);
          trace.push(
            `${step}: ${device.name} branchctl ${args[0]} killed at ${point} (${signal ?? 'exited'})`,
          );
          break;
        }
        case 'hq_down': {
          if (!options.hqRestarts || restarted || hqDown > 0) break;
          restarted = true;
          await world.stopHq();
          world.backups?.backup();
          hqEditsAtBackup = new Map(hqEdits);
          hqDown = 1 + random.int(3);
          count('hq_restarts');
          trace.push(`${step}: HQ goes down for ${hqDown} steps`);
          break;
        }
        case 'hq_restore': {
          // Back to the copy taken when HQ last went down: everything HQ took since is gone.
          if (!world.backups || !hqEditsAtBackup || restored || hqDown > 0) break;
          restored = true;
          await world.stopHq();
          await world.backups.restore();
          for (const id of [...hqEdits.keys()]) hqEdits.set(id, hqEditsAtBackup.get(id) ?? 0);
          await world.startHq();
          count('hq_restores');
          trace.push(`${step}: HQ restored from its backup, epoch rotated`);
          break;
        }
      }
    }

    for (const each of devices) lists.collect(each.name, each.vault);
    timing('steps', phase);
    phase = performance.now();
    // ---- heal, then sync until nothing moves ------------------------------------------------
    if (hqDown > 0) await world.startHq();
    world.setNetwork(() => 'pass');
    // Quiet: a whole pass in which no device pushed or pulled anything. Only pushes change HQ
    // now, so after one quiet pass nothing can move any more.
    let quiet = 0;
    for (let round = 0; round < 12 && quiet < 1; round++) {
      let moved = false;
      for (const device of devices) {
        const result = await syncDevice(device);
        // HQ refusing the audit upload flags the device: never for HQ's own restore.
        if (result.audit.error)
          violations.push(`${device.name}: audit upload refused (${result.audit.error})`);
        if (result.push.pushed > 0 || result.pull.done > 0 || result.evicted > 0) moved = true;
      }
      quiet = moved ? 0 : quiet + 1;
    }
    if (quiet < 1) violations.push('sync did not quiesce within 12 rounds');

    timing('quiesce', phase);
    phase = performance.now();
    await checkInvariants();
    timing('check', phase);
  } finally {
    delete process.env.BRANCHDESK_CLOCK_SKEW_MS;
    // Crypto-shred each device as IT would wipe it: keys out of the keychain, then the files.
    for (const device of devices) {
      device.vault.close();
      wipeProfile(device.dataDir, world.secrets);
    }
  }
  return { seed, violations, stats, trace };

  async function checkInvariants(): Promise<void> {
    const scopes = new Map(
      await Promise.all(
        branches.map(async (branch) => [branch, await world.admin.scope(branch)] as const),
      ),
    );
    violations.push(
      ...sharedDocuments([...scopes.values()].flatMap((scope) => [...scope.values()])),
    );
    for (const device of devices) {
      const db = device.vault.db;
      const outbox = db.prepare('SELECT count(*) FROM outbox').pluck().get() as number;
      if (outbox > 0) violations.push(`${device.name}: ${outbox} mutations stuck in the outbox`);
      const evictions = db.prepare('SELECT count(*) FROM sync_eviction').pluck().get() as number;
      if (evictions > 0) violations.push(`${device.name}: ${evictions} evictions left waiting`);
      const scope = scopes.get(device.branch as (typeof branches)[number])!;
      const rows = db.prepare('SELECT id, record, has_pending_changes FROM customer').all() as {
        id: string;
        record: Buffer;
        has_pending_changes: number;
      }[];
      for (const row of rows) {
        const master = scope.get(row.id);
        if (!master) violations.push(`${device.name}: holds ${row.id}, outside its scope`);
        else if (!sameJson(unpackRecord(row.record), master.customer))
          violations.push(`${device.name}: ${row.id} differs from HQ's v${master.version}`);
        if (row.has_pending_changes)
          violations.push(`${device.name}: ${row.id} still marked pending`);
      }
      const mine = new Set(rows.map((row) => row.id));
      for (const id of scope.keys())
        if (!mine.has(id)) violations.push(`${device.name}: missing ${id} of its scope`);
    }

    // Every acknowledged edit: an outcome at HQ, shown on its device as the teller expects.
    const outcomes = new Map<string, MutationOutcome>();
    for (let start = 0; start < acknowledged.length; start += 1000) {
      const ids = acknowledged.slice(start, start + 1000).map((ack) => ack.mutationId);
      if (ids.length === 0) continue;
      for (const row of (await world.admin.mutations(ids)).mutations) {
        const outcome = row.outcome as unknown as MutationOutcome;
        outcomes.set(outcome.mutationId, outcome);
      }
    }
    for (const ack of acknowledged) {
      const outcome = outcomes.get(ack.mutationId);
      // HQ's record of a refusal made after the backup goes with the restore; the edit stays in
      // its device's ledger (applied ones the device sends again).
      if (!outcome && restored && refusedWhole(ack)) {
        count('refusals_forgotten_by_restore');
        continue;
      }
      if (!outcome) {
        violations.push(
          `${ack.device.name}: acknowledged mutation ${ack.mutationId} never reached HQ`,
        );
        continue;
      }
      const db = ack.device.vault.db;
      const ledger = (field: string | null) =>
        db
          .prepare('SELECT count(*) FROM sync_rejected WHERE mutation_id = ? AND field IS ?')
          .pluck()
          .get(ack.mutationId, field) as number;
      if (outcome.status === 'rejected' && ledger(null) !== 1)
        violations.push(`${ack.device.name}: rejected ${ack.mutationId} not in the ledger`);
      for (const [field, result] of Object.entries(outcome.fields)) {
        if (result && rejectedFieldResults.includes(result) && ledger(field) !== 1)
          violations.push(
            `${ack.device.name}: ${field} of ${ack.mutationId} (${result}) not in the ledger`,
          );
        if (result === 'conflict') {
          const parked = db
            .prepare('SELECT count(*) FROM sync_conflict WHERE mutation_id = ? AND field = ?')
            .pluck()
            .get(ack.mutationId, field) as number;
          if (parked !== 1)
            violations.push(
              `${ack.device.name}: conflict on ${field} of ${ack.mutationId} not queued`,
            );
        }
      }
      count(`outcome_${outcome.status}`);
      if (outcome.redirectedTo) count('outcome_redirected_to_survivor');
      for (const result of Object.values(outcome.fields)) if (result) count(`field_${result}`);
    }

    function refusedWhole(ack: Acknowledged): boolean {
      return (
        ack.device.vault.db
          .prepare('SELECT count(*) FROM sync_rejected WHERE mutation_id = ? AND field IS NULL')
          .pluck()
          .get(ack.mutationId) === 1
      );
    }

    // Nothing applied twice: versions add up, and no version was made by two mutations.
    // An edit of a customer merged away made its version of the survivor (redirectedTo).
    const made = new Map<string, number[]>();
    for (const outcome of outcomes.values())
      if (outcome.appliedVersion !== null) {
        const id = outcome.redirectedTo ?? outcome.customerId;
        made.set(id, [...(made.get(id) ?? []), outcome.appliedVersion]);
      }
    const everyone = new Map([...scopes.values()].flatMap((scope) => [...scope]));
    for (const [id, master] of everyone) {
      const versions = made.get(id) ?? [];
      if (new Set(versions).size !== versions.length)
        violations.push(`${id}: one version made by two mutations (${versions.join(',')})`);
      const first = firstVersion.get(id);
      if (first === undefined) continue; // created by a killed child: not tracked by id
      const expected = first + versions.length + (hqEdits.get(id) ?? 0);
      if (master.version !== expected)
        violations.push(
          `${id}: HQ version ${master.version}, expected ${expected} (applied twice or lost?)`,
        );
    }

    // No entry of a phone, address or task list lost in an entry-by-entry merge.
    const vaultOf = (name: string) => devices.find((each) => each.name === name)!.vault;
    // Through every merge of a chain (A into B, then B into C): at each, the entry keeps its id
    // or moves to a new one, so every id it may have had goes on to the next survivor.
    const follow = (customerId: string, field: string, id: string) => {
      const places: { customerId: string; id: string }[] = [];
      let at = customerId;
      let ids = [id];
      for (let merge = mergedInto.get(at); merge; merge = mergedInto.get(at)) {
        const { mergeId } = merge;
        at = merge.survivorId;
        ids = [...new Set(ids.flatMap((each) => [each, movedEntryId(mergeId, field, each)]))];
        places.push(...ids.map((each) => ({ customerId: at, id: each })));
      }
      return places;
    };
    const lost = await lists.check(world.admin, everyone, vaultOf, follow);
    violations.push(...lost.violations);
    stats.list_entries_checked = lost.checked;
  }
}

const operationWeights = weightedOps([
  ['edit', 30],
  ['list_race', 6],
  ['sync', 26],
  ['hq_edit', 10],
  ['reassign', 5],
  ['merge', 3],
  ['hq_writers', 4],
  ['create', 5],
  ['create_twin', 2],
  ['resolve', 8],
  ['kill', 6],
  ['hq_down', 6],
  ['hq_restore', 10],
] as const);

const networkWeights = weightedOps([
  ['pass', 60],
  ['drop_request', 10],
  ['drop_response', 10],
  ['duplicate', 10],
  ['error_503', 10],
] as const satisfies readonly (readonly [Fault, number])[]);

function weightedOps<T extends string>(entries: readonly (readonly [T, number])[]) {
  let total = 0;
  const cumulative = new Float64Array(entries.length);
  entries.forEach(([, weight], index) => (cumulative[index] = total += weight));
  return { values: entries.map(([value]) => value), cumulative, total };
}

const occupations = ['教师', '工程师', '医生', '个体工商户', '会计'];

/** One random change of the kinds a teller or HQ makes, one field of each policy class. */
function randomChange(
  customer: Customer,
  random: RecordRandom,
  uuid: () => string,
  tag: string,
): Record<string, unknown> {
  const kinds = [
    'email',
    'englishName',
    'notes',
    'kyc',
    ...(customer.kind === 'individual' ? ['occupation'] : []),
    // Phones, addresses and tasks: two chances in seven or so, for concurrent entry edits.
    'list',
    'list',
  ];
  switch (random.pick(kinds)) {
    case 'list':
      return listChange(customer, random, uuid, tag);
    case 'email':
      return { email: `sim.${tag}@example.com` };
    case 'englishName':
      return { englishName: `SIM ${tag.replace(/[^0-9A-Za-z]/g, ' ')}` };
    case 'notes':
      return {
        notes: [
          ...customer.notes,
          { id: uuid(), at: new Date().toISOString(), author: 'sim', text: `记录 ${tag}` },
        ],
      };
    case 'kyc':
      return { kyc: { ...customer.kyc, riskRating: random.pick(['low', 'medium', 'high']) } };
    default:
      return { occupation: random.pick(occupations) };
  }
}

/** Runs branchctl as a child until it exits or SIGKILLs itself at its fault point. */
function runChild(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ signal: NodeJS.Signals | null; status: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [branchctlPath, ...args], { env, stdio: 'ignore' });
    child.on('exit', (status, signal) => resolve({ signal, status }));
  });
}
