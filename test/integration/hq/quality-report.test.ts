// `npm run hq -- quality report` on a seeded HQ (PGlite; the report is plain SQL paging): every
// customer counted once under its home branch, in pages; problems planted in HQ's database show
// up by exactly their number; one branch on its own; facts judged by other rules judged again; an
// unknown branch refused in words.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../hq/db/database';
import { refreshQualityFacts } from '../../../hq/quality';
import { tempDir } from '../../support/files';
import { hqCommand, type HqEnv } from '../../support/hq';

/** `B001\t2600 customers\t… clean` and `   12  rule_id  words` lines, as numbers. */
function parse(stdout: string) {
  const branches = new Map<string, { records: number; problems: Map<string, number> }>();
  let current: { records: number; problems: Map<string, number> } | undefined;
  for (const line of stdout.split('\n')) {
    const branch = /^(B\d{3})\t(\d+) customers/.exec(line);
    if (branch) {
      current = { records: Number(branch[2]), problems: new Map() };
      branches.set(branch[1]!, current);
    }
    const problem = /^\s+(\d+)\s+([a-z_]+)\s/.exec(line);
    if (problem && current) current.problems.set(problem[2]!, Number(problem[1]));
  }
  return branches;
}

describe('the data quality report at HQ', () => {
  const dir = tempDir('branchdesk-quality-');
  const hq: HqEnv = { dataDir: join(dir.path, 'hq') };
  let before: ReturnType<typeof parse>;

  beforeAll(() => {
    // More customers than one page (2000), over two branches.
    const seeded = hqCommand(hq, ['seed', '--customers', '4500', '--branches', '2', '--seed', '8']);
    expect(seeded.status, seeded.stderr).toBe(0);
    const run = hqCommand(hq, ['quality', 'report']);
    expect(run.status, run.stderr).toBe(0);
    before = parse(run.stdout);
  }, 300_000);
  afterAll(() => dir.cleanup());

  it('counts every customer once, under its home branch', async () => {
    const db = await openDatabase({ dataDir: hq.dataDir });
    const counts = await db.query<{ home_branch_id: string; n: string | number }>(
      'SELECT home_branch_id, count(*) AS n FROM customer GROUP BY 1 ORDER BY 1',
    );
    await db.close();
    expect([...before.entries()].map(([id, score]) => [id, score.records])).toEqual(
      counts.map((row) => [row.home_branch_id, Number(row.n)]),
    );
  });

  it('finds planted problems by exactly their number, in the branch they were planted in', async () => {
    const db = await openDatabase({ dataDir: hq.dataDir });
    // Seven overdue reviews and three bad e-mails among B002's customers that had neither.
    const ids = (
      await db.query<{ id: string }>(
        `SELECT id FROM customer WHERE home_branch_id = 'B002'
           AND (record->'kyc'->>'nextReviewDue') >= $1 AND NOT (record ? 'email')
         ORDER BY id LIMIT 10`,
        [new Date().toISOString().slice(0, 10)],
      )
    ).map((row) => row.id);
    expect(ids).toHaveLength(10);
    for (const id of ids.slice(0, 7))
      await db.query(
        `UPDATE customer SET record = jsonb_set(record, '{kyc,nextReviewDue}', '"2020-01-01"')
          WHERE id = $1`,
        [id],
      );
    for (const id of ids.slice(7))
      await db.query(
        `UPDATE customer SET record = jsonb_set(record, '{email}', '"not-an-email"') WHERE id = $1`,
        [id],
      );
    await db.close();
    const run = hqCommand(hq, ['quality', 'report', '--branch', 'B002']);
    expect(run.status, run.stderr).toBe(0);
    const after = parse(run.stdout);
    expect([...after.keys()]).toEqual(['B002']);
    const was = before.get('B002')!.problems;
    const now = after.get('B002')!.problems;
    expect((now.get('kyc_review_overdue') ?? 0) - (was.get('kyc_review_overdue') ?? 0)).toBe(7);
    expect((now.get('email_invalid') ?? 0) - (was.get('email_invalid') ?? 0)).toBe(3);
  });

  it('judges again the records whose facts older rules judged, and counts the rest as stored', async () => {
    const db = await openDatabase({ dataDir: hq.dataDir });
    try {
      // After a report, the only stale facts are of records changed without a content hash
      // (the raw edits above): every other record's facts are its writer's or the last report's.
      const [unhashed] = await db.query<{ n: number }>(
        'SELECT count(*)::integer AS n FROM customer WHERE content_hash IS NULL',
      );
      expect(await refreshQualityFacts(db)).toBe(unhashed!.n);
      // Facts by other rules (a release with new ones): every B001 record claims to be clean.
      await db.query(
        `UPDATE customer SET quality_stamp = content_hash || ':0000000000000000', quality_flags = 0,
                quality_expires_on = NULL, quality_kyc_due = '9999-12-31',
                quality_confirmed_on = '9999-12-31'
          WHERE home_branch_id = 'B001'`,
      );
    } finally {
      await db.close();
    }
    const run = hqCommand(hq, ['quality', 'report', '--branch', 'B001']);
    expect(run.status, run.stderr).toBe(0);
    expect(parse(run.stdout).get('B001')).toEqual(before.get('B001'));
  });

  it('refuses an unknown branch in words', () => {
    const run = hqCommand(hq, ['quality', 'report', '--branch', 'B999']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('There is no branch B999');
  });
});
