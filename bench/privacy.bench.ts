// `npm run bench -- privacy`: what the privacy commands cost, in one run on PGlite.
//   - a customer's own copy (record, changes, replaced values, access by day/branch/role/action)
//     for a customer with N audit entries about them, among M entries about others; next to the
//     floor, reading those N entries once without grouping them;
//   - an anonymised extract of a branch (the query, the search over the generalisation lattice).
//     The entries come from an enrolled device through HQ's real audit intake (signed batches).
//   - erasure (PIPL Art. 47) across a branch's devices: a second, smaller HQ whose one branch
//     has D enrolled devices (real vaults, keys in the OS keychain), each past its initial sync.
//     For each of R customers in turn, nothing holding them (accounts closed long ago, no visits:
//     set at HQ before HQ starts, outside the timing): a privacy officer's request over HQ's
//     admin API, which erases at once; then each device's next sync round, one after another
//     (devices sync on their own); then, beside them, each device's next round with nothing to
//     do, the floor. Each purge is checked: the round reports one customer erased, and the
//     customer is no longer in any vault. The rounds use a client kept between rounds, as the
//     desk's background sync does; time waiting for HQ's answers is counted apart.
//
//   --customers N         customers seeded at HQ for the copy (default 20000, 2 branches)
//   --entries N           audit entries about the one customer (default 10000)
//   --noise N             audit entries about others (default 40000)
//   --samples N           runs of each measure (default 5)
//   --erase-customers N   customers in the erasure branch's scope (default 2000)
//   --devices N           enrolled devices in that branch (default 10)
//   --erasures N          customers erased, one run each (default 5)
//   --only copy|erasure   one part only (while developing; the results file then holds that part)
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CustomerStore } from '../electron/core/customers';
import { enrollDevice, forgetProfileSecrets } from '../electron/core/device/enrollment';
import type { HqClient } from '../electron/core/hq-client/client';
import { OsSecretStore } from '../electron/core/secrets';
import { deviceClient, syncRound, type SyncRoundSummary } from '../electron/core/sync/engine';
import { openVault, type Vault } from '../electron/core/vault';
import { openDatabase } from '../hq/db/database';
import { editAtHq } from '../hq/mutations';
import { customerCopy, customerCopyHtml } from '../hq/privacy/copy';
import { anonymise, extractSources } from '../hq/privacy/extract';
import type { Customer } from '../shared/customer';
import { EnrollResponse } from '../shared/protocol/hq';
import type { ErasureDecision } from '../shared/protocol/privacy';
import { tempDir } from '../test/support/files';
import {
  addHqUser,
  auditKeyPair,
  hqAdmin,
  hqCommand,
  startHq,
  type HqEnv,
  type RunningHq,
} from '../test/support/hq';
import { chainEntries, signedBatch } from '../test/support/staff';
import { report, round, summarize } from './support';

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '20000' },
    entries: { type: 'string', default: '10000' },
    noise: { type: 'string', default: '40000' },
    samples: { type: 'string', default: '5' },
    'erase-customers': { type: 'string', default: '2000' },
    devices: { type: 'string', default: '10' },
    erasures: { type: 'string', default: '5' },
    only: { type: 'string' },
  },
});
const CUSTOMERS = Number(values.customers);
const ENTRIES = Number(values.entries);
const NOISE = Number(values.noise);
const SAMPLES = Number(values.samples);
const ERASE_SCOPE = Number(values['erase-customers']);
const DEVICES = Number(values.devices);
const ERASURES = Number(values.erasures);
if (values.only !== undefined && values.only !== 'copy' && values.only !== 'erasure')
  throw new Error('--only copy|erasure');

type Rows = (string | number)[][];

/** The copy and the extract, on an HQ of CUSTOMERS with ENTRIES + NOISE audit entries. */
async function measureCopy(): Promise<{ rows: Rows; results: Record<string, unknown> }> {
  const dir = tempDir('branchdesk-bench-privacy-');
  const hq = { dataDir: join(dir.path, 'hq') };
  try {
    const seeded = hqCommand(hq, [
      'seed',
      '--customers',
      String(CUSTOMERS),
      '--branches',
      '2',
      '--seed',
      '3',
    ]);
    if (seeded.status !== 0) throw new Error(seeded.stderr);
    const code = hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim();
    let db = await openDatabase({ dataDir: hq.dataDir });
    const ids = (
      await db.query<{ id: string }>(
        "SELECT id FROM customer WHERE home_branch_id = 'B001' ORDER BY customer_number LIMIT 200",
      )
    ).map((row) => row.id);
    await db.close();
    const subject = ids[0]!;

    const server = await startHq(hq);
    const key = auditKeyPair();
    const enrolled = EnrollResponse.parse(
      await (
        await fetch(`${server.url}/v1/enroll`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ code, deviceName: 'bench', auditKey: key.enrollBody }),
        })
      ).json(),
    );
    // Batches of 1000, the intake's limit: the subject's entries between others'.
    let from: { seq: number; hash: string } | undefined;
    const actions = ['view', 'search', 'reveal', 'update'] as const;
    const stride = Math.max(1, Math.round((ENTRIES + NOISE) / ENTRIES));
    for (let sent = 0; sent < ENTRIES + NOISE; sent += 1000) {
      const aboutSubject = (sent / 1000) % stride === 0;
      const entries = chainEntries(key.chain, Math.min(1000, ENTRIES + NOISE - sent), {
        ...(from ? { from } : {}),
        target: aboutSubject ? subject : ids[1 + ((sent / 1000) % (ids.length - 1))]!,
        action: actions[(sent / 1000) % actions.length]!,
        actor: (sent / 1000) % 2 === 0 ? 'user:teller1' : 'user:supervisor1',
      });
      const stored = await fetch(`${server.url}/v1/audit/batches`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Device ${enrolled.deviceId}.${enrolled.credential}`,
        },
        body: JSON.stringify(signedBatch(key.chain, entries, key.privateKey)),
      });
      if (stored.status !== 200) throw new Error(`audit intake answered ${stored.status}`);
      from = { seq: entries.at(-1)!.seq, hash: entries.at(-1)!.hash };
    }
    await server.stop();

    db = await openDatabase({ dataDir: hq.dataDir });
    const [{ count }] = (await db.query<{ count: string | number }>(
      'SELECT count(*) AS count FROM audit_entry WHERE target = $1',
      [subject],
    )) as [{ count: string | number }];
    const floor: number[] = [];
    const copy: number[] = [];
    const extract: number[] = [];
    let groups = 0;
    let extracted = { rows: 0, total: 0 };
    for (let sample = 0; sample < SAMPLES; sample += 1) {
      let started = performance.now();
      await db.query('SELECT at, actor, action, device_id FROM audit_entry WHERE target = $1', [
        subject,
      ]);
      floor.push(performance.now() - started);
      started = performance.now();
      const made = await customerCopy(db, subject);
      customerCopyHtml(made);
      copy.push(performance.now() - started);
      groups = made.access.length;
      started = performance.now();
      const result = anonymise(await extractSources(db, 'B001'), {
        k: 5,
        maxSuppressedShare: 0.05,
        today: new Date().toISOString().slice(0, 10),
      });
      extract.push(performance.now() - started);
      extracted = { rows: result.rows.length, total: result.total };
    }
    await db.close();

    const c = summarize(copy);
    const f = summarize(floor);
    const e = summarize(extract);
    return {
      rows: [
        [
          `audit entries about the customer / about others`,
          `${count} / ${ENTRIES + NOISE - Number(count)}`,
          '',
        ],
        [
          'customer copy (JSON + HTML), p50 / p95 ms',
          `${round(c.p50_ms, 1)} / ${round(c.p95_ms, 1)}`,
          '≤ 2000',
        ],
        ['floor: read those entries once, p50 ms', round(f.p50_ms, 1), ''],
        ['copy / floor (p50)', round(c.p50_ms / f.p50_ms, 2), ''],
        ['access groups in the copy', groups, ''],
        [
          `anonymised extract of B001 (${extracted.total} individuals), p50 ms`,
          round(e.p50_ms, 0),
          '',
        ],
        [
          'rows written / suppressed',
          `${extracted.rows} / ${extracted.total - extracted.rows}`,
          '',
        ],
      ],
      results: {
        customers: CUSTOMERS,
        audit_entries: { about_customer: Number(count), total: ENTRIES + NOISE },
        copy: c,
        floor_read_entries: f,
        copy_to_floor_ratio: round(c.p50_ms / f.p50_ms, 2),
        access_groups: groups,
        extract: { ...e, individuals: extracted.total, rows_written: extracted.rows },
      },
    };
  } finally {
    dir.cleanup();
  }
}

/** p50 and p95 of a measure, in its own unit (the key says which). */
function percentiles(samples: number[]) {
  const s = summarize(samples);
  return { p50: round(s.p50_ms, 1), p95: round(s.p95_ms, 1), n: s.n };
}

/** Accounts closed, and the relationship over, long enough ago that no AML period runs. */
const OPENED_BY = '2008-01-02';
const CLOSED_ON = '2012-06-29';

/** A device of the erasure branch: its vault, and the HQ client it keeps between rounds. */
interface Desk {
  profileId: string;
  vault: Vault;
  client: HqClient;
  /** Time this round spent waiting for HQ's answers, and on truncating the WAL. */
  waited: { hqMs: number; hqCalls: number; walMs: number; walTruncates: number };
}

/** Counts the time the client's calls wait for HQ (the request, HQ's work, the answer). */
function timeHqCalls(client: HqClient, waited: Desk['waited']): void {
  const calls = client as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const name of [
    'push',
    'pull',
    'snapshot',
    'branchStaff',
    'uploadAudit',
    'auditPosition',
    'privacyNotices',
    'scopeBucket',
    'fetchCustomers',
  ]) {
    const call = calls[name]!.bind(client);
    calls[name] = async (...args: unknown[]) => {
      const asked = performance.now();
      try {
        return await call(...args);
      } finally {
        waited.hqMs += performance.now() - asked;
        waited.hqCalls += 1;
      }
    };
  }
}

/** Counts the time spent checkpointing and truncating the WAL (after a purge: sync/erasure.ts). */
function timeWalTruncate(vault: Vault, waited: Desk['waited']): void {
  const db = vault.db as unknown as { pragma: (source: string, ...rest: unknown[]) => unknown };
  const pragma = db.pragma.bind(db);
  db.pragma = (source, ...rest) => {
    if (!source.startsWith('wal_checkpoint')) return pragma(source, ...rest);
    const started = performance.now();
    try {
      return pragma(source, ...rest);
    } finally {
      waited.walMs += performance.now() - started;
      waited.walTruncates += 1;
    }
  };
}

/**
 * Erasure across a branch's devices: HQ's erasure on request, then each device's next round,
 * beside each device's next round with nothing to do.
 */
async function measureErasure(): Promise<{ rows: Rows; results: Record<string, unknown> }> {
  const dir = tempDir('branchdesk-bench-erasure-');
  const hq: HqEnv = { dataDir: join(dir.path, 'hq') };
  const secrets = new OsSecretStore();
  const desks: Desk[] = [];
  let server: RunningHq | undefined;
  try {
    const seeded = hqCommand(hq, [
      'seed',
      '--customers',
      String(ERASE_SCOPE),
      '--branches',
      '1',
      '--seed',
      '47',
    ]);
    if (seeded.status !== 0) throw new Error(seeded.stderr);
    const officer = addHqUser(hq, 'privacy1', 'hq_admin,privacy_officer');
    // The customers to erase, spread over the branch: nothing may hold them, so their accounts
    // closed long ago and they have no visits since (HQ's own edit, as a correction would be).
    const db = await openDatabase({ dataDir: hq.dataDir });
    const subjects: string[] = [];
    try {
      const all = await db.query<{ id: string }>(
        'SELECT id FROM customer ORDER BY customer_number',
      );
      if (all.length !== ERASE_SCOPE) throw new Error(`seeded ${all.length} customers`);
      for (let run = 0; run < ERASURES; run += 1) {
        const id = all[Math.floor(((run + 0.5) * all.length) / ERASURES)]!.id;
        const [row] = await db.query<{ record: Customer }>(
          'SELECT record FROM customer WHERE id = $1',
          [id],
        );
        const accounts = (row!.record.accounts ?? []).map((account) => ({
          ...account,
          status: 'closed' as const,
          openedOn: account.openedOn < OPENED_BY ? account.openedOn : OPENED_BY,
          closedOn: CLOSED_ON,
        }));
        await editAtHq(db, id, { accounts, visits: [] }, 'hq:bench');
        subjects.push(id);
      }
    } finally {
      await db.close();
    }

    server = await startHq(hq);
    const url = server.url;
    const admin = hqAdmin(() => url, officer);
    // The branch's devices, each enrolled and past its initial sync, then one more round (what
    // the first round leaves to settle is not counted as anyone's purge or floor).
    const initialSync: number[] = [];
    for (let index = 0; index < DEVICES; index += 1) {
      const { code } = await admin.call<{ code: string }>('POST', '/v1/admin/enrollment-codes', {
        branchId: 'B001',
      });
      const deskDir = join(dir.path, `desk-${index + 1}`);
      const enrolled = await enrollDevice(deskDir, secrets, {
        hqUrl: url,
        code,
        deviceName: `bench-${index + 1}`,
      });
      const vault = openVault(deskDir, secrets);
      const desk: Desk = {
        profileId: enrolled.profileId,
        vault,
        client: deviceClient(vault, secrets),
        waited: { hqMs: 0, hqCalls: 0, walMs: 0, walTruncates: 0 },
      };
      desks.push(desk);
      timeHqCalls(desk.client, desk.waited);
      const started = performance.now();
      const first = await syncRound(vault, secrets, { client: desk.client });
      initialSync.push(performance.now() - started);
      const loaded = (first.snapshot?.loaded ?? 0) + first.pull.inserted;
      if (loaded !== ERASE_SCOPE) throw new Error(`desk ${index + 1} loaded ${loaded}`);
      // The snapshot put a new connection in the vault's place: watch that one.
      timeWalTruncate(vault, desk.waited);
      await syncRound(vault, secrets, { client: desk.client });
    }

    const timed = async (desk: Desk) => {
      desk.waited.hqMs = 0;
      desk.waited.hqCalls = 0;
      desk.waited.walMs = 0;
      desk.waited.walTruncates = 0;
      const started = performance.now();
      const summary: SyncRoundSummary = await syncRound(desk.vault, secrets, {
        client: desk.client,
      });
      return { ms: performance.now() - started, ...desk.waited, summary };
    };
    const hqErase: number[] = [];
    const purging: number[] = [];
    const purgingHq: number[] = [];
    const purgingCalls: number[] = [];
    const purgingWal: number[] = [];
    const idle: number[] = [];
    const idleHq: number[] = [];
    const idleCalls: number[] = [];
    const allPurged: number[] = [];
    let checked = 0;
    for (const [run, id] of subjects.entries()) {
      for (const desk of desks)
        if (!new CustomerStore(desk.vault.db).get(id))
          throw new Error(`customer ${id} is not on a device before the run`);
      const requested = performance.now();
      const decision = await admin.call<ErasureDecision>(
        'POST',
        `/v1/admin/customers/${id}/erasure-requests`,
        { channel: 'branch', reference: `ER-BENCH-${run + 1}` },
      );
      hqErase.push(performance.now() - requested);
      if (decision.outcome !== 'erased')
        throw new Error(`request for ${id}: ${decision.outcome} ${JSON.stringify(decision)}`);
      // Each device's next round, one after another, till the last one has purged.
      const rounds = [];
      for (const desk of desks) rounds.push(await timed(desk));
      allPurged.push(performance.now() - requested);
      for (const [index, done] of rounds.entries()) {
        if (done.summary.pull.erased !== 1)
          throw new Error(`desk ${index + 1} purged ${done.summary.pull.erased} in run ${run + 1}`);
        if (done.walTruncates !== 1)
          throw new Error(`desk ${index + 1} truncated its WAL ${done.walTruncates} times`);
        purging.push(done.ms);
        purgingHq.push(done.hqMs);
        purgingCalls.push(done.hqCalls);
        purgingWal.push(done.walMs);
      }
      for (const desk of desks) {
        if (new CustomerStore(desk.vault.db).get(id) !== undefined)
          throw new Error(`customer ${id} is still on a device after its round`);
        checked += 1;
      }
      // The floor, side by side: each device's next round, with nothing to do.
      for (const [index, desk] of desks.entries()) {
        const done = await timed(desk);
        if (done.summary.pull.done !== 0 || done.summary.push.applied !== 0)
          throw new Error(
            `desk ${index + 1}'s idle round had work: ${JSON.stringify(done.summary)}`,
          );
        idle.push(done.ms);
        idleHq.push(done.hqMs);
        idleCalls.push(done.hqCalls);
      }
    }

    const erased = percentiles(hqErase);
    const purge = percentiles(purging);
    const floor = percentiles(idle);
    const whole = percentiles(allPurged);
    const initial = percentiles(initialSync);
    const ratio = round(purge.p50 / floor.p50, 2);
    const both = (p: { p50: number; p95: number }) => `${p.p50} / ${p.p95}`;
    return {
      rows: [
        [
          `erasure: 1 branch of ${ERASE_SCOPE} customers, devices past their initial sync`,
          DEVICES,
          '',
        ],
        ['  initial sync of a device, p50 ms', round(initial.p50, 0), ''],
        [
          `HQ erases a customer on request (admin API), p50 / p95 ms, ${ERASURES} runs`,
          both(erased),
          '',
        ],
        ["a device's next round, purging them, p50 / p95 ms", both(purge), ''],
        [
          `  of which waiting for HQ (${percentiles(purgingCalls).p50} calls), p50 ms`,
          percentiles(purgingHq).p50,
          '',
        ],
        ['  of which WAL checkpoint + truncate, p50 ms', percentiles(purgingWal).p50, ''],
        ["floor: a device's next round, nothing to do, p50 / p95 ms", both(floor), ''],
        [
          `  of which waiting for HQ (${percentiles(idleCalls).p50} calls), p50 ms`,
          percentiles(idleHq).p50,
          '',
        ],
        ['purging round / idle round (p50)', ratio, ''],
        [
          `request to the last of the ${DEVICES} devices purged (rounds in turn), p50 / p95 ms`,
          both(whole),
          '',
        ],
        ['customer checked gone from each vault (runs × devices)', checked, ''],
      ],
      results: {
        scope_customers: ERASE_SCOPE,
        devices: DEVICES,
        runs: ERASURES,
        initial_sync_ms: initial,
        hq_ms: erased,
        device_round_ms: purge,
        device_round_waiting_for_hq_ms: percentiles(purgingHq),
        device_round_hq_calls: percentiles(purgingCalls),
        device_round_wal_truncate_ms: percentiles(purgingWal),
        idle_round_ms: floor,
        idle_round_waiting_for_hq_ms: percentiles(idleHq),
        idle_round_hq_calls: percentiles(idleCalls),
        device_round_to_idle_round_ratio_p50: ratio,
        request_to_last_device_purged_ms: whole,
        verified_gone_from_vaults: checked,
      },
    };
  } finally {
    for (const desk of desks) {
      desk.vault.close();
      forgetProfileSecrets(desk.profileId, secrets);
    }
    await server?.stop();
    dir.cleanup();
  }
}

const copyPart = values.only === 'erasure' ? undefined : await measureCopy();
const erasurePart = values.only === 'copy' ? undefined : await measureErasure();
report(
  'privacy',
  [['measure', 'result', 'target'], ...(copyPart?.rows ?? []), ...(erasurePart?.rows ?? [])],
  { ...copyPart?.results, ...(erasurePart ? { erase: erasurePart.results } : {}) },
);
