// The digest of a branch's scope that ends a device's pull (shared/sync/scope-digest.ts for its
// arithmetic, docs/SYNC-PROTOCOL.md "Provable scope"). HQ keeps it per branch (HQ migration 30):
// each bucket's sum and count as of the branch's newest feed row, and the term each customer in
// the scope added. After a change, the digest is brought up to date from the customers the feed
// names since, not worked out again from the whole scope: a delta pull of 1k changes at 100k
// customers read every record of the scope for it. Every writer that changes what a branch
// holds adds a row to its feed (hq/scope.ts), so the two agree; the digest is still worked out
// whole once it is an hour old, so a change that somehow reached a record without a feed row
// shows within the hour.
import { DigestSums, entryTerm } from '../shared/sync/scope-digest';
import { contentHash } from './content-hash';
import type { Database, Sql } from './db/database';
import { inBranchScope, scopeOf } from './scope';

/** A customer's term as PostgreSQL reads it from a content hash: a signed 64-bit integer. */
const termOf = (hash: string) => `('x' || substr(${hash}, 1, 16))::bit(64)::bigint`;

/** More changed customers than this since the kept digest, and it is worked out whole. */
const MOST_CHANGES_TO_FOLLOW = 20_000;

/** A kept digest older than this is worked out whole again. */
const WORK_OUT_WHOLE_AFTER = '1 hour';

/** A digest as a pull's answer carries it: the buckets as JSON text, sent on as they are. */
export interface DigestText {
  bucketsText: string;
  count: number;
}

export interface ScopeDigestOf {
  buckets: Record<string, string>;
  count: number;
  /** Hashes computed for the digest, for `storeContentHashes` once its snapshot is over. */
  fresh: HashedRecord[];
}

interface Unhashed {
  id: string;
  record: unknown;
  /** md5 of the record's text: the hash is stored only if the record is still this one. */
  stamp: string;
}

export interface HashedRecord {
  id: string;
  hash: string;
  stamp: string;
}

/**
 * The scope digest of a branch worked out from the whole scope, in the caller's snapshot (run it
 * in a REPEATABLE READ transaction when records may lack their hash: they are read and hashed in
 * a second statement). The reference the kept digest must always equal.
 */
export async function scopeDigest(tx: Sql, branchId: string): Promise<ScopeDigestOf> {
  // Every write stores the record's hash (migration 013): one statement, unless it finds a
  // record without one.
  const first = await wholeSums(tx, branchId, []);
  if (first.unhashed === 0) return { ...first.sums.toDigest(), fresh: [] };
  const fresh = await hashUnhashed(
    await tx.query<Unhashed>(
      `SELECT s.id, s.record, md5(s.record::text) AS stamp FROM (${scopeOf}) AS s
       WHERE s.content_hash IS NULL`,
      [branchId],
    ),
  );
  return { ...(await wholeSums(tx, branchId, fresh)).sums.toDigest(), fresh };
}

/** Each bucket's sum and count over the whole scope, and how many records had no hash. */
async function wholeSums(
  tx: Sql,
  branchId: string,
  fresh: HashedRecord[],
): Promise<{ sums: DigestSums; unhashed: number }> {
  const rows = await tx.query<{ bucket: string; sum: string; n: string; unhashed: string }>(
    `SELECT substr(s.id::text, 1, 2) AS bucket,
            coalesce(sum(${termOf('coalesce(s.content_hash, f.hash)')}), 0)::text AS sum,
            count(*) AS n,
            count(*) FILTER (WHERE s.content_hash IS NULL AND f.hash IS NULL) AS unhashed
     FROM (${scopeOf}) AS s
     LEFT JOIN unnest($2::uuid[], $3::text[]) AS f(id, hash) ON f.id = s.id
     GROUP BY 1`,
    [branchId, fresh.map((row) => row.id), fresh.map((row) => row.hash)],
  );
  const sums = new DigestSums();
  for (const row of rows) sums.addToBucket(row.bucket, BigInt(row.sum), Number(row.n));
  const unhashed = rows.reduce((total, row) => total + Number(row.unhashed), 0);
  return { sums, unhashed };
}

/**
 * What the kept digest and the feed since it say: the kept row's feed row first, then the rest in
 * one statement (one snapshot), under the digest's lock or in the caller's snapshot.
 */
interface SinceKept {
  /** The branch's newest feed row in the snapshot. */
  last: number;
  /** The kept digest's feed row, or null when none is kept. */
  keptThrough: number | null;
  /** The kept digest as it is sent. */
  keptText: DigestText | null;
  /** Worked out whole an hour ago or more: due to be worked out whole again. */
  dueWhole: boolean;
  /** The kept digest brought up to the snapshot, or null when the changes are too many. */
  sums: DigestSums | null;
  /** The changed customers' terms now, null for those no longer in the scope. */
  entries: { id: string; term: bigint | null }[];
  fresh: HashedRecord[];
}

async function sinceKept(sql: Sql, branchId: string): Promise<SinceKept> {
  // The kept digest's row first, as a value: compared with a subquery's, the planner expected a
  // third of the feed after it and read all of it (100 ms at 100k customers on PGlite).
  const [first] = await sql.query<{ through_seq: string | null; last: string | null }>(
    `SELECT d.through_seq, (SELECT max(seq) FROM scope_change WHERE branch_id = $1) AS last
     FROM (SELECT 1) AS one LEFT JOIN scope_digest d ON d.branch_id = $1`,
    [branchId],
  );
  const none = {
    last: Number(first!.last ?? 0),
    keptThrough: null,
    keptText: null,
    dueWhole: true,
    sums: null,
    entries: [],
    fresh: [],
  };
  if (first!.through_seq === null) return none;
  const [row] = await sql.query<{
    last: string | null;
    through_seq: string | null;
    buckets: string | null;
    bucket_counts: string | null;
    count: number | null;
    due_whole: boolean | null;
    changed: string;
    old: string | null;
    now: string | null;
  }>(
    `WITH d AS (SELECT * FROM scope_digest WHERE branch_id = $1 AND through_seq = $3),
     changed AS (
       SELECT DISTINCT s.customer_id AS id FROM scope_change s
       WHERE s.branch_id = $1 AND s.seq > $3
       LIMIT $2 + 1)
     SELECT (SELECT max(seq) FROM scope_change WHERE branch_id = $1) AS last,
            d.through_seq, d.buckets::text AS buckets, d.bucket_counts::text AS bucket_counts,
            d.count, d.worked_out_at <= now() - interval '${WORK_OUT_WHOLE_AFTER}' AS due_whole,
            (SELECT count(*) FROM changed) AS changed,
            (SELECT json_agg(json_build_array(e.customer_id, e.term::text))
             FROM scope_digest_entry e
             WHERE e.branch_id = $1 AND e.customer_id IN (SELECT id FROM changed))::text AS old,
            (SELECT json_agg(json_build_array(c.id, c.content_hash,
                      CASE WHEN c.content_hash IS NULL THEN c.record END,
                      CASE WHEN c.content_hash IS NULL THEN md5(c.record::text) END))
             FROM customer c
             WHERE c.id IN (SELECT id FROM changed) AND ${inBranchScope})::text AS now
     FROM (SELECT 1) AS one LEFT JOIN d ON true`,
    [branchId, MOST_CHANGES_TO_FOLLOW, first!.through_seq],
  );
  const last = Number(row!.last ?? 0);
  // Not the one the first statement read: not under the lock nor in one snapshot. None kept.
  if (row!.through_seq === null) return { ...none, last };
  const keptThrough = Number(row!.through_seq);
  const keptText = { bucketsText: row!.buckets!, count: row!.count! };
  if (Number(row!.changed) > MOST_CHANGES_TO_FOLLOW)
    return { ...none, last, keptThrough, keptText };
  const sums = DigestSums.from(JSON.parse(row!.buckets!), JSON.parse(row!.bucket_counts!));
  const old = JSON.parse(row!.old ?? '[]') as [string, string][];
  for (const [id, term] of old) sums.remove(id, BigInt(term));
  const entries: SinceKept['entries'] = [];
  const fresh: HashedRecord[] = [];
  const inScope = new Set<string>();
  const now = JSON.parse(row!.now ?? '[]') as [string, string | null, unknown, string | null][];
  for (const [id, stored, record, stamp] of now) {
    let hash = stored;
    if (hash === null) {
      hash = contentHash(record);
      fresh.push({ id, hash, stamp: stamp! });
    }
    const term = entryTerm(hash);
    sums.add(id, term);
    entries.push({ id, term });
    inScope.add(id);
  }
  for (const [id] of old) if (!inScope.has(id)) entries.push({ id, term: null });
  return { last, keptThrough, keptText, dueWhole: row!.due_whole === true, sums, entries, fresh };
}

/**
 * The scope digest in the caller's snapshot, without keeping it: from the kept digest and the
 * changes since when one is kept, else from the whole scope. For a pull's page read again with
 * its digest in one REPEATABLE READ snapshot (hq/routes/sync.ts), when the branch moved on.
 */
export async function scopeDigestInSnapshot(tx: Sql, branchId: string): Promise<ScopeDigestOf> {
  const since = await sinceKept(tx, branchId);
  if (!since.sums) return scopeDigest(tx, branchId);
  const { buckets, count } = since.sums.toDigest();
  return { buckets, count, fresh: since.fresh };
}

/** A digest as a pull's answer carries it: the buckets as JSON text, sent on as they are. */
export function scopeDigestText(digest: { buckets: Record<string, string>; count: number }) {
  return { bucketsText: JSON.stringify(digest.buckets), count: digest.count };
}

/** Digests being worked out, per database, by branch and the feed row they hold through. */
const digestsUnderWay = new WeakMap<Database, Map<string, Promise<DigestText | undefined>>>();

/** The branch's digest is brought up to date by one writer at a time, on every HQ instance. */
const lockDigestOf = (tx: Sql, branchId: string) =>
  tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('scope_digest:' || $1, 0))`, [branchId]);

/** Thrown inside the keeping transaction to roll it back when the branch has moved on. */
class MovedOn extends Error {}

/**
 * The scope's digest through the branch's feed row `throughSeq`, brought up to date once in this
 * process however many pulls ask for it at once and kept for the pulls after. A branch's desks
 * pull together after a change: each working it out made a busy HQ busier (the load bench once
 * spent three times the usual work on digests and every request waited seconds). Undefined when
 * the branch's newest row is another by the time it is read: the caller works it out with its
 * page. The caller has seen nothing held back in a snapshot whose newest row is `throughSeq`, so
 * every change through it has committed: a snapshot whose newest row is still `throughSeq` holds
 * the scope the page's does, and nothing can later commit below it.
 */
export function sharedScopeDigest(
  db: Database,
  branchId: string,
  throughSeq: number,
): Promise<DigestText | undefined> {
  let underWay = digestsUnderWay.get(db);
  if (!underWay) digestsUnderWay.set(db, (underWay = new Map()));
  const flights = underWay;
  const key = `${branchId}\u0000${throughSeq}`;
  let flight = flights.get(key);
  if (!flight) {
    flight = keepScopeDigest(db, branchId, throughSeq).finally(() => flights.delete(key));
    flights.set(key, flight);
  }
  return flight;
}

/** Brings the branch's kept digest up to `throughSeq` (see sharedScopeDigest). */
async function keepScopeDigest(
  db: Database,
  branchId: string,
  throughSeq: number,
): Promise<DigestText | undefined> {
  let fresh: HashedRecord[] = [];
  let kept: DigestText;
  try {
    kept = await db.transaction(async (tx) => {
      // Under the lock, each statement's snapshot sees every digest kept before it.
      await lockDigestOf(tx, branchId);
      const since = await sinceKept(tx, branchId);
      if (since.last !== throughSeq) throw new MovedOn();
      if (since.keptThrough === throughSeq) return since.keptText!;
      if (since.sums && !since.dueWhole) {
        fresh = since.fresh;
        return keepFollowed(tx, branchId, since);
      }
      const whole = await keepWhole(tx, branchId, throughSeq);
      fresh = whole.fresh;
      return whole.digest;
    });
  } catch (error) {
    if (error instanceof MovedOn) return undefined;
    throw error;
  }
  // Outside the snapshot: a record changed since keeps no hash (HQ migration 11).
  if (fresh.length > 0) await storeContentHashes(db, fresh);
  return kept;
}

/** Keeps the digest brought up to date from the changed customers' terms. */
async function keepFollowed(tx: Sql, branchId: string, since: SinceKept): Promise<DigestText> {
  const gone = since.entries.filter((entry) => entry.term === null).map((entry) => entry.id);
  const held = since.entries.filter((entry) => entry.term !== null);
  if (gone.length > 0)
    await tx.query(
      'DELETE FROM scope_digest_entry WHERE branch_id = $1 AND customer_id = ANY($2::uuid[])',
      [branchId, gone],
    );
  if (held.length > 0)
    await tx.query(
      `INSERT INTO scope_digest_entry (branch_id, customer_id, term)
       SELECT $1, id, term FROM unnest($2::uuid[], $3::bigint[]) AS t(id, term)
       ON CONFLICT (branch_id, customer_id) DO UPDATE SET term = EXCLUDED.term`,
      [
        branchId,
        held.map((entry) => entry.id),
        held.map((entry) => BigInt.asIntN(64, entry.term!).toString()),
      ],
    );
  const digest = since.sums!.toDigest();
  await tx.query(
    `UPDATE scope_digest SET through_seq = $2, buckets = $3, bucket_counts = $4, count = $5
     WHERE branch_id = $1`,
    [
      branchId,
      since.last,
      JSON.stringify(digest.buckets),
      JSON.stringify(digest.counts),
      digest.count,
    ],
  );
  return scopeDigestText(digest);
}

/**
 * Works the digest out from the whole scope and keeps it with every customer's term: the records
 * without a hash are hashed first, then one statement keeps the terms and adds them up. Their
 * hashes are stored by the caller after the commit: under the digest's lock this transaction
 * writes no customer row, so it never waits for a writer that waits for the lock (an erasure).
 */
async function keepWhole(
  tx: Sql,
  branchId: string,
  throughSeq: number,
): Promise<{ digest: DigestText; fresh: HashedRecord[] }> {
  const fresh = await hashUnhashed(
    await tx.query<Unhashed>(
      `SELECT s.id, s.record, md5(s.record::text) AS stamp FROM (${scopeOf}) AS s
       WHERE s.content_hash IS NULL`,
      [branchId],
    ),
  );
  await tx.query('DELETE FROM scope_digest_entry WHERE branch_id = $1', [branchId]);
  const rows = await tx.query<{
    bucket: string;
    sum: string;
    n: string;
    unhashed: string;
    last: string | null;
  }>(
    `WITH s AS (
       -- A hash worked out above serves only for the record it was worked out from.
       SELECT s.id, ${termOf('coalesce(s.content_hash, f.hash)')} AS term FROM (${scopeOf}) AS s
       LEFT JOIN unnest($2::uuid[], $3::text[], $4::text[]) AS f(id, hash, stamp)
         ON f.id = s.id AND s.content_hash IS NULL AND md5(s.record::text) = f.stamp),
     kept AS (
       INSERT INTO scope_digest_entry (branch_id, customer_id, term)
       SELECT $1, id, term FROM s WHERE term IS NOT NULL)
     SELECT substr(id::text, 1, 2) AS bucket, coalesce(sum(term), 0)::text AS sum, count(*) AS n,
            count(*) FILTER (WHERE term IS NULL) AS unhashed,
            (SELECT max(seq) FROM scope_change WHERE branch_id = $1) AS last
     FROM s GROUP BY 1`,
    [
      branchId,
      fresh.map((row) => row.id),
      fresh.map((row) => row.hash),
      fresh.map((row) => row.stamp),
    ],
  );
  // The branch moved on since the pull's page (a record changed since it was hashed, by a writer
  // that stored no hash, among others): rolled back, the page's own snapshot serves.
  const last = Number(rows[0]?.last ?? throughSeq);
  if (last !== throughSeq || rows.some((row) => Number(row.unhashed) > 0)) throw new MovedOn();
  const sums = new DigestSums();
  for (const row of rows) sums.addToBucket(row.bucket, BigInt(row.sum), Number(row.n));
  const digest = sums.toDigest();
  await tx.query(
    `INSERT INTO scope_digest (branch_id, through_seq, buckets, bucket_counts, count, worked_out_at)
     VALUES ($1, $2, $3, $4, $5, now())
     ON CONFLICT (branch_id) DO UPDATE
       SET through_seq = EXCLUDED.through_seq, buckets = EXCLUDED.buckets,
           bucket_counts = EXCLUDED.bucket_counts, count = EXCLUDED.count,
           worked_out_at = EXCLUDED.worked_out_at`,
    [branchId, last, JSON.stringify(digest.buckets), JSON.stringify(digest.counts), digest.count],
  );
  return { digest: scopeDigestText(digest), fresh };
}

/**
 * Forgets the kept digests of `branchIds` and what they hold of `customerIds` (an erasure): the
 * next pull works each out whole. Waits for a digest being kept for those branches.
 */
export async function forgetScopeDigests(
  tx: Sql,
  branchIds: string[],
  customerIds: string[],
): Promise<void> {
  for (const branchId of [...branchIds].sort()) await lockDigestOf(tx, branchId);
  await tx.query('DELETE FROM scope_digest_entry WHERE customer_id = ANY($1::uuid[])', [
    customerIds,
  ]);
  await tx.query('DELETE FROM scope_digest WHERE branch_id = ANY($1::text[])', [branchIds]);
}

/** Hashes records in turns of 1000, so a first digest over a large scope lets HQ answer others. */
async function hashUnhashed(rows: Unhashed[]): Promise<HashedRecord[]> {
  const hashed: HashedRecord[] = [];
  for (const [index, row] of rows.entries()) {
    if (index > 0 && index % 1000 === 0) await new Promise((resolve) => setImmediate(resolve));
    hashed.push({ id: row.id, hash: contentHash(row.record), stamp: row.stamp });
  }
  return hashed;
}

/**
 * Stores content hashes computed by a digest, for records still as they were hashed (a change
 * since cleared the hash, HQ migration 11, and the stamp no longer matches).
 */
export async function storeContentHashes(db: Sql, hashed: HashedRecord[]): Promise<void> {
  for (let start = 0; start < hashed.length; start += 5000) {
    const part = hashed.slice(start, start + 5000);
    await db.query(
      `UPDATE customer c SET content_hash = f.hash
       FROM unnest($1::uuid[], $2::text[], $3::text[]) AS f(id, hash, stamp)
       WHERE c.id = f.id AND c.content_hash IS NULL AND md5(c.record::text) = f.stamp`,
      [part.map((row) => row.id), part.map((row) => row.hash), part.map((row) => row.stamp)],
    );
  }
}
