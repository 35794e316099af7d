// Crash safety of a big sync by the change feed: a `branchctl sync --initial-sync feed` child is
// SIGKILLed at random moments of a 50k-customer initial sync replayed from the feed, 20 times
// (the feed is what every later sync and every restart after an HQ restore reads; the initial
// sync by snapshot has its own crash test, snapshot-crash.test.ts). After every kill the vault passes integrity_check,
// holds exactly the customers up to its cursor, and still has every outbox entry (or HQ has its
// outcome); each restart begins at the stored cursor, so at most the page in flight at the kill
// is downloaded again.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerService } from '../../../electron/core/customers';
import { SLICE_CHANGES } from '../../../electron/core/sync/pull';
import { openVault, readProfile, vaultPaths } from '../../../electron/core/vault';
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

const secrets = realSecretStore();
const CUSTOMERS = Number(process.env.BRANCHDESK_CRASH_CUSTOMERS ?? 50_000);
const KILLS = 20;
/** Pages of 1000 as in production; smaller when a developer runs it on fewer customers. */
const PAGE = Math.min(1000, Math.max(10, Math.floor(CUSTOMERS / 100)));
const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
/** Where a slice may end: the cursor after a kill is a multiple of this. */
const STEP = gcd(PAGE, SLICE_CHANGES);
const count = (text: string, point: string) =>
  (text.match(new RegExp(`fault-point:${point}\\n`, 'g')) ?? []).length;

describe(`sync: SIGKILL ${KILLS} times during a ${CUSTOMERS}-customer initial sync`, () => {
  const sandbox = profileSandbox(secrets);
  let hq: HqEnv;
  let server: RunningHq;
  let dataDir = '';
  let account: HqAccount;
  /** Kills that left a bulk load's hot journal, rolled back as the app's next start does. */
  let interrupted = 0;

  /**
   * The vault as the next run finds it. A kill inside one of the initial pull's transactions (a
   * bulk load, through the rollback journal) leaves a hot journal: a read-only opening refuses it
   * (VAULT_INTERRUPTED) and the next normal opening rolls it back with the current key, as the
   * app does when it starts. Then it is read as it is.
   */
  function openAfterKill() {
    try {
      return openVault(dataDir, secrets, { readonly: true, verifyIntegrity: true });
    } catch (error) {
      if ((error as { code?: string }).code !== 'VAULT_INTERRUPTED') throw error;
      interrupted++;
      openVault(dataDir, secrets).close();
      return openVault(dataDir, secrets, { readonly: true, verifyIntegrity: true });
    }
  }
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
      '7',
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
    sandbox.forget(readProfile(vaultPaths(dataDir).profile).profileId);
  }, 900_000);

  afterAll(async () => {
    await server?.stop();
    sandbox.cleanup();
  });

  it('keeps the vault, cursor and outbox intact at every kill, and resumes where it stopped', async () => {
    // Customers created here before the first sync: their creations wait in the outbox.
    const vault = openVault(dataDir, secrets);
    const customers = new CustomerService(vault);
    const created: string[] = [];
    const queued: string[] = [];
    for (const template of generateCustomers({
      seed: 99,
      count: 3,
      branches: ['B001'],
      rmsPerBranch: 8,
    })) {
      const { id: _i, customerNumber: _n, version: _v, ...rest } = template;
      const { updatedAt: _a, updatedBy: _b, updatedByDevice: _d, ...owned } = rest;
      // A branch's new customer sets nothing HQ owns: HQ assigns the RM, KYC and accounts.
      const { kyc: _k, accounts: _c, assignedRmId: _r, ...input } = owned;
      const { customer } = customers.create(input, { id: 'os-teller' });
      created.push(customer.id);
      queued.push(customers.sync.pendingFor(customer.id)[0]!.mutationId);
    }
    vault.close();

    // The creations reach HQ in the first run's push, as changes after the seeded ones.
    const changes = CUSTOMERS + created.length;
    const pagesNeeded = Math.ceil(changes / PAGE);
    let kills = 0;
    let cursor = 0;
    let received = 0;
    while (kills < KILLS && cursor < changes) {
      const run = branchctlAsync(
        [
          'sync',
          '--initial-sync',
          'feed',
          '--page-size',
          String(PAGE),
          '--data-dir',
          dataDir,
          '--json',
        ],
        { ...process.env, BRANCHDESK_FAULT_ANNOUNCE: '1' },
      );
      // Killed at a random moment after 1–4 pages of this run.
      const pagesBeforeKill = 1 + Math.floor(Math.random() * 4);
      let stderr = '';
      let armed = false;
      run.child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (!armed && count(stderr, 'sync:after-page') >= pagesBeforeKill) {
          armed = true;
          setTimeout(() => run.child.kill('SIGKILL'), Math.random() * 300);
        }
      });
      const result = await run.done;
      if (result.signal !== 'SIGKILL') throw new Error(`sync ended before the kill: ${stderr}`);
      kills++;

      const after = openAfterKill();
      try {
        const stored = Number(
          after.db
            .prepare("SELECT value FROM vault_meta WHERE key = 'sync.cursor'")
            .pluck()
            .get() ?? 0,
        );
        // Seeded customers have change seq 1…N, all in B001: the vault holds exactly those up to
        // the cursor, and slices commit whole (pages start at a slice's end, so every cursor is a
        // multiple of the greatest common divisor of the page and the slice size).
        const seededHeld = after.db
          .prepare(
            `SELECT count(*) FROM customer WHERE hq_version IS NOT NULL AND id NOT IN (?, ?, ?)`,
          )
          .pluck()
          .get(...created) as number;
        expect(seededHeld).toBe(Math.min(stored, CUSTOMERS));
        expect(stored % STEP === 0 || stored === changes, `cursor ${stored}`).toBe(true);
        expect(stored).toBeGreaterThanOrEqual(cursor);
        // This run fetched the pages it committed plus at most the one in flight at the kill;
        // the next run starts at the stored cursor, so only that page is downloaded again.
        const fetched = count(stderr, 'sync:page-received');
        const committed = Math.ceil((stored - cursor) / PAGE);
        expect(fetched - committed).toBeGreaterThanOrEqual(0);
        expect(fetched - committed).toBeLessThanOrEqual(1);
        received += fetched;
        cursor = stored;
        // Every queued creation is still in the outbox, or HQ has its outcome.
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
    }
    expect(kills).toBe(KILLS);
    // How many of them landed inside a transaction (for whoever reads the log; any number is fine).
    console.log(`kills inside a bulk-load transaction: ${interrupted} of ${KILLS}`);

    // The rest of the initial sync (tens of thousands of customers) in one run, without the
    // two-minute cap of a short command: under a loaded CI it may need longer, and the test's
    // own limit still bounds it.
    const finish = await branchctlAsync(
      ['sync', '--initial-sync', 'feed', '--data-dir', dataDir, '--json'],
      {
        ...process.env,
        BRANCHDESK_FAULT_ANNOUNCE: '1',
      },
    ).done;
    expect(finish.status, `${finish.stdout.slice(-4000)}\n${finish.stderr.slice(-2000)}`).toBe(0);
    received += count(finish.stderr, 'sync:page-received');
    const round = JSON.parse(finish.stdout.trim().split('\n').at(-1)!).value;
    expect(round.pull.inserted).toBe(Math.max(0, CUSTOMERS - cursor));
    expect(round.pull.scope.mismatchedBuckets).toBe(0);
    // Over the whole sync: every page once, plus at most one per kill (and the final run's one
    // empty page when the last kill came right after the last page).
    expect(received).toBeLessThanOrEqual(pagesNeeded + kills + 1);
    const done = openVault(dataDir, secrets, { readonly: true, verifyIntegrity: true });
    try {
      expect(done.db.prepare('SELECT count(*) FROM customer').pluck().get()).toBe(CUSTOMERS + 3);
      expect(done.db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(0);
    } finally {
      done.close();
    }
  }, 1_800_000);
});
