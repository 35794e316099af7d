// Crash safety of the initial sync by snapshot (electron/core/sync/snapshot.ts): a `branchctl sync`
// child is SIGKILLed at random moments while it downloads the snapshot, then inside a slice's
// transaction, then exactly at each step of its end (the terms indexed, the device's data moved
// in, the file renamed). After every kill the vault in use passes integrity_check and is either
// the vault as it was (nothing of HQ's in it, the outbox whole) or the whole new one; the staging
// file opens and keeps what it committed; each restart goes on from there, downloading again at
// most the chunk being written and the one asked for ahead. The last run finishes: every
// customer once, outbox empty, no files left.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerService } from '../../../electron/core/customers';
import {
  INDEX_HERE_UP_TO,
  SNAPSHOT_CHUNK,
  snapshotPaths,
} from '../../../electron/core/sync/snapshot';
import { keyAccounts, openVault, readProfile, vaultPaths } from '../../../electron/core/vault';
import { openCipherDatabase } from '../../../electron/core/vault/sqlcipher';
import { generateCustomers } from '../../../shared/synthetic';
import { branchctl, branchctlAsync } from '../../support/branchctl';
import {
  addHqUser,
  hqAdmin,
  hqCommand,
  startHq,
  type HqAccount,
  type HqEnv,
  type RunningHq,
} from '../../support/hq';
import { profileSandbox, realSecretStore } from '../../support/keyring';
import { termIndexProblems } from '../../support/term-index';

const secrets = realSecretStore();
const CUSTOMERS = Number(process.env.BRANCHDESK_CRASH_CUSTOMERS ?? 20_000);
/** Kills at random moments of the download, before the kills at the named steps of its end. */
const RANDOM_KILLS = 10;
const count = (text: string, point: string) =>
  (text.match(new RegExp(`fault-point:${point}\\n`, 'g')) ?? []).length;

describe(`sync: SIGKILL during a ${CUSTOMERS}-customer initial sync by snapshot`, () => {
  const sandbox = profileSandbox(secrets);
  let hq: HqEnv;
  let server: RunningHq;
  let dataDir = '';
  let account: HqAccount;
  let profileId = '';
  const admin = hqAdmin(
    () => server.url,
    () => account,
  );

  beforeAll(async () => {
    hq = { dataDir: join(sandbox.path, 'hq') };
    const seeded = hqCommand(hq, [
      'seed',
      '--customers',
      String(CUSTOMERS),
      '--branches',
      '1',
      '--seed',
      '11',
    ]);
    expect(seeded.status, seeded.stderr).toBe(0);
    const code = hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim();
    account = addHqUser(hq);
    server = await startHq(hq);
    dataDir = join(sandbox.path, 'branch');
    const enrolled = branchctl([
      'enroll',
      '--hq',
      server.url,
      '--code',
      code,
      '--data-dir',
      dataDir,
    ]);
    expect(enrolled.status, enrolled.stderr).toBe(0);
    profileId = readProfile(vaultPaths(dataDir).profile).profileId;
    sandbox.forget(profileId);
  }, 900_000);

  afterAll(async () => {
    await server?.stop();
    sandbox.cleanup();
  });

  /** How many customers the staging file has committed (0: none, or no staging file). */
  function staged(): number {
    const { staging } = snapshotPaths(dataDir);
    if (!existsSync(staging)) return 0;
    // Read-write: a kill mid-slice leaves a hot journal, rolled back here as the next run would.
    const db = openCipherDatabase(staging, secrets.get(keyAccounts(profileId).current)!);
    try {
      return Number(
        db.prepare("SELECT value FROM vault_meta WHERE key = 'snapshot.loaded'").pluck().get() ?? 0,
      );
    } finally {
      db.close();
    }
  }

  it('keeps the vault whole at every kill and resumes where the staging file stopped', async () => {
    // Customers made here before the first sync: their creations wait in the outbox.
    const vault = openVault(dataDir, secrets);
    const customers = new CustomerService(vault);
    const created: string[] = [];
    const queued: string[] = [];
    for (const template of generateCustomers({
      seed: 77,
      count: 3,
      branches: ['B001'],
      rmsPerBranch: 8,
    })) {
      const { id: _i, customerNumber: _n, version: _v, ...rest } = template;
      const { updatedAt: _a, updatedBy: _b, updatedByDevice: _d, ...owned } = rest;
      const { kyc: _k, accounts: _c, assignedRmId: _r, ...input } = owned;
      const { customer } = customers.create(input, { id: 'os-teller' });
      created.push(customer.id);
      queued.push(customers.sync.pendingFor(customer.id)[0]!.mutationId);
    }
    vault.close();

    const env = { ...process.env, BRANCHDESK_FAULT_ANNOUNCE: '1' };
    /** After a kill before the switch: the vault is as it was, and nothing of the outbox is lost. */
    const untouched = async () => {
      const after = openVault(dataDir, secrets, { readonly: true, verifyIntegrity: true });
      try {
        expect(
          after.db.prepare("SELECT 1 FROM vault_meta WHERE key = 'sync.cursor'").get(),
        ).toBeUndefined();
        expect(after.db.prepare('SELECT count(*) FROM customer').pluck().get()).toBe(3);
        const inOutbox = new Set(
          after.db.prepare('SELECT mutation_id FROM outbox').pluck().all() as string[],
        );
        const atHq = new Set(
          (await admin.mutations(queued)).mutations.map((row) => String(row.outcome.mutationId)),
        );
        for (const id of queued) expect(inOutbox.has(id) || atHq.has(id), id).toBe(true);
      } finally {
        after.close();
      }
    };

    let kills = 0;
    let loaded = 0;
    /** The steps of the end a random kill already went past (then no named kill there). */
    let passed = '';
    while (kills < RANDOM_KILLS) {
      const run = branchctlAsync(['sync', '--data-dir', dataDir, '--json'], env);
      // Killed at a random moment after 1–6 chunks of this run.
      const chunksBeforeKill = 1 + Math.floor(Math.random() * 6);
      let stderr = '';
      let armed = false;
      run.child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (!armed && count(stderr, 'sync:snapshot-chunk-received') >= chunksBeforeKill) {
          armed = true;
          setTimeout(() => run.child.kill('SIGKILL'), Math.random() * 300);
        }
      });
      const result = await run.done;
      if (result.signal !== 'SIGKILL') {
        // Finished before the kill (a small scope): it went through every step of the end.
        expect(result.status, result.stdout).toBe(0);
        expect(count(stderr, 'sync:snapshot-switched')).toBe(1);
        passed = stderr;
        break;
      }
      kills++;
      if (count(stderr, 'sync:snapshot-indexed') > 0) {
        passed = stderr; // killed past the download: the end's own kills follow
        break;
      }
      await untouched();
      const now = staged();
      expect(now).toBeGreaterThanOrEqual(loaded);
      // This run downloaded what it committed, plus at most the rest of the chunk it was
      // writing and the one it had asked for ahead.
      const received = count(stderr, 'sync:snapshot-chunk-received');
      expect(received - Math.floor((now - loaded) / SNAPSHOT_CHUNK)).toBeLessThanOrEqual(2);
      loaded = now;
    }

    // Killed inside a slice's transaction, its rows written and not committed: the next
    // opening rolls the slice back whole, and the staging file holds what it held before.
    if (count(passed, 'sync:snapshot-indexed') === 0)
      for (let again = 0; again < 3; again++) {
        const result = await branchctlAsync(['sync', '--data-dir', dataDir, '--json'], {
          ...env,
          BRANCHDESK_FAULT_POINT: 'sync:snapshot-slice-written',
        }).done;
        expect(result.signal, result.stdout).toBe('SIGKILL');
        await untouched();
        expect(staged()).toBe(loaded);
      }

    // Then at each step of the end, in order: the terms indexed (before the switch), the
    // device's data moved into the staging file, the file renamed into the vault's place.
    for (const point of ['sync:snapshot-indexed', 'sync:snapshot-merged']) {
      if (count(passed, point) > 0) continue;
      const result = await branchctlAsync(['sync', '--data-dir', dataDir, '--json'], {
        ...env,
        BRANCHDESK_FAULT_POINT: point,
      }).done;
      expect(result.signal, `${point}: ${result.stdout}`).toBe('SIGKILL');
      await untouched();
    }
    if (count(passed, 'sync:snapshot-switched') === 0) {
      const switched = await branchctlAsync(['sync', '--data-dir', dataDir, '--json'], {
        ...env,
        BRANCHDESK_FAULT_POINT: 'sync:snapshot-switched',
      }).done;
      expect(
        switched.signal,
        switched.stdout + switched.stderr.replace(/fault-point:[^\n]*\n/g, ''),
      ).toBe('SIGKILL');
    }
    const whole = openVault(dataDir, secrets, { readonly: true, verifyIntegrity: true });
    try {
      expect(whole.db.prepare('SELECT count(*) FROM customer').pluck().get()).toBe(CUSTOMERS + 3);
      expect(
        whole.db.prepare("SELECT value FROM vault_meta WHERE key = 'sync.cursor'").pluck().get(),
      ).toBeDefined();
    } finally {
      whole.close();
    }

    // The last run goes on by the change feed and leaves nothing of the snapshot behind.
    const finish = await branchctlAsync(['sync', '--data-dir', dataDir, '--json'], env).done;
    expect(finish.status, `${finish.stdout.slice(-4000)}\n${finish.stderr.slice(-2000)}`).toBe(0);
    const round = JSON.parse(finish.stdout.trim().split('\n').at(-1)!).value;
    expect(round.snapshot).toBeNull();
    expect(round.pull.scope.mismatchedBuckets).toBe(0);
    const done = openVault(dataDir, secrets, { readonly: true, verifyIntegrity: true });
    try {
      expect(done.db.prepare('SELECT count(*) FROM customer').pluck().get()).toBe(CUSTOMERS + 3);
      expect(done.db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(0);
      expect(
        done.db
          .prepare("SELECT count(*) FROM vault_meta WHERE key LIKE 'snapshot.%'")
          .pluck()
          .get(),
      ).toBe(0);
      for (const id of created)
        expect(
          done.db.prepare('SELECT hq_version FROM customer WHERE id = ?').pluck().get(id),
        ).toBe(1);
      // The terms sorted and the indexes built on the worker thread, through the kills: every
      // customer's terms indexed, and nothing else.
      expect(CUSTOMERS).toBeGreaterThan(INDEX_HERE_UP_TO);
      expect(termIndexProblems(done.db)).toEqual([]);
    } finally {
      done.close();
    }
    expect(readdirSync(dataDir).filter((name) => name.includes('snapshot'))).toEqual([]);
  }, 1_800_000);
});
