// `npm run bench -- privacy`: what the privacy commands cost at HQ, in one run on PGlite.
//   - a customer's own copy (record, changes, replaced values, access by day/branch/role/action)
//     for a customer with N audit entries about them, among M entries about others; next to the
//     floor, reading those N entries once without grouping them;
//   - an anonymised extract of a branch (the query, the search over the generalisation lattice).
// The entries come from an enrolled device through HQ's real audit intake (signed batches).
//
//   --customers N   customers seeded at HQ (default 20000, 2 branches)
//   --entries N     audit entries about the one customer (default 10000)
//   --noise N       audit entries about others (default 40000)
//   --samples N     runs of each measure (default 5)
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../hq/db/database';
import { customerCopy, customerCopyHtml } from '../hq/privacy/copy';
import { anonymise, extractSources } from '../hq/privacy/extract';
import { EnrollResponse } from '../shared/protocol/hq';
import { tempDir } from '../test/support/files';
import { auditKeyPair, hqCommand, startHq } from '../test/support/hq';
import { chainEntries, signedBatch } from '../test/support/staff';
import { report, round, summarize } from './support';

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '20000' },
    entries: { type: 'string', default: '10000' },
    noise: { type: 'string', default: '40000' },
    samples: { type: 'string', default: '5' },
  },
});
const CUSTOMERS = Number(values.customers);
const ENTRIES = Number(values.entries);
const NOISE = Number(values.noise);
const SAMPLES = Number(values.samples);

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
  report(
    'privacy',
    [
      ['measure', 'result', 'target'],
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
      ['rows written / suppressed', `${extracted.rows} / ${extracted.total - extracted.rows}`, ''],
    ],
    {
      customers: CUSTOMERS,
      audit_entries: { about_customer: Number(count), total: ENTRIES + NOISE },
      copy: c,
      floor_read_entries: f,
      copy_to_floor_ratio: round(c.p50_ms / f.p50_ms, 2),
      access_groups: groups,
      extract: { ...e, individuals: extracted.total, rows_written: extracted.rows },
    },
  );
} finally {
  dir.cleanup();
}
