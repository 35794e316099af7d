// The scope digest at the end of a device's pull (hq/scope-digest.ts). HQ keeps each branch's
// digest and brings it up to date from the customers its feed names since: it must always equal
// the digest worked out from the whole scope, whatever the writers did in between (a property
// over random runs of edits, reassignments and new customers). The pulls asking at the same
// moment share one bringing up to date; a digest asked through a feed row that is no longer the
// branch's newest is not kept (the pull works it out with its page); an hour-old digest is worked
// out whole, which is how a change that reached a record without a feed row shows.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../hq/db/database';
import { migrate } from '../../../hq/db/migrate';
import { importCustomers } from '../../../hq/admin';
import { contentHash } from '../../../hq/content-hash';
import { logScope, reassignCustomer } from '../../../hq/scope';
import { scopeDigest, scopeDigestInSnapshot, sharedScopeDigest } from '../../../hq/scope-digest';
import { seedHq } from '../../../hq/seed';
import { generateCustomers } from '../../../shared/synthetic';
import { tempDir } from '../../support/files';

const BRANCHES = ['B001', 'B002'] as const;

describe('the scope digest HQ keeps', () => {
  const dir = tempDir('branchdesk-shared-digest-');
  let db: Database;

  beforeAll(async () => {
    db = await openDatabase({ dataDir: dir.path });
    await migrate(db);
    await seedHq(db, { customers: 120, branches: 2, seed: 21 });
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    dir.cleanup();
  });

  const newest = async (branchId: string) => {
    const [row] = await db.query<{ last: string | null }>(
      'SELECT max(seq) AS last FROM scope_change WHERE branch_id = $1',
      [branchId],
    );
    return Number(row!.last ?? 0);
  };
  const whole = (branchId: string) =>
    db.transaction((tx) => scopeDigest(tx, branchId), { repeatableRead: true });
  const kept = async (branchId: string) => {
    const [row] = await db.query<{
      through_seq: string;
      buckets: Record<string, string>;
      count: number;
      worked_out_at: Date;
      entries: string;
    }>(
      `SELECT d.through_seq, d.buckets, d.count, d.worked_out_at,
              (SELECT count(*) FROM scope_digest_entry e WHERE e.branch_id = d.branch_id) AS entries
       FROM scope_digest d WHERE d.branch_id = $1`,
      [branchId],
    );
    return row;
  };
  const inScope = async (branchId: string) =>
    (
      await db.query<{ id: string }>(
        `SELECT id FROM customer c WHERE c.merged_into IS NULL AND (c.home_branch_id = $1
           OR c.assigned_rm_id IN (SELECT id FROM relationship_manager WHERE branch_id = $1))
         ORDER BY id`,
        [branchId],
      )
    ).map((row) => row.id);
  /** An edit as HQ's writers make it: a new version and change, and a row in the feed. */
  const edit = (customerId: string, email: string, storeHash: boolean) =>
    db.transaction(async (tx) => {
      await tx.query(
        `UPDATE customer SET version = version + 1, change_seq = next_change_seq(),
                record = record || jsonb_build_object('email', $2::text, 'version', version + 1)
         WHERE id = $1`,
        [customerId, email],
      );
      // A writer that stores no hash leaves it cleared (HQ migration 11); the digest hashes it.
      if (storeHash) {
        const [row] = await tx.query<{ record: unknown }>(
          'SELECT record FROM customer WHERE id = $1',
          [customerId],
        );
        await tx.query('UPDATE customer SET content_hash = $2 WHERE id = $1', [
          customerId,
          contentHash(row!.record),
        ]);
      }
      await logScope(tx, [customerId]);
    });

  it('is worked out once for the pulls asking at once, and kept with every customer’s term', async () => {
    await db.query('DELETE FROM scope_digest');
    const through = await newest('B001');
    const asked = Array.from({ length: 10 }, () => sharedScopeDigest(db, 'B001', through));
    expect(new Set(asked).size).toBe(1);
    const shared = await asked[0]!;
    const own = await whole('B001');
    expect(JSON.parse(shared!.bucketsText)).toEqual(own.buckets);
    expect(shared!.count).toBe(own.count);
    const stored = await kept('B001');
    expect(Number(stored!.through_seq)).toBe(through);
    expect(stored!.buckets).toEqual(own.buckets);
    expect(Number(stored!.entries)).toBe(own.count);
    // Asked again later: the kept one (only the pulls of one moment share a flight).
    const later = sharedScopeDigest(db, 'B001', through);
    expect(later).not.toBe(asked[0]);
    expect(JSON.parse((await later)!.bucketsText)).toEqual(own.buckets);
  });

  it('hashes a record kept without its hash when working out the whole, and stores the hash', async () => {
    const [row] = await db.query<{ id: string }>(
      "SELECT id FROM customer WHERE home_branch_id = 'B001' AND merged_into IS NULL ORDER BY id LIMIT 1",
    );
    await db.query('UPDATE customer SET content_hash = NULL WHERE id = $1', [row!.id]);
    await db.query('DELETE FROM scope_digest');
    const shared = await sharedScopeDigest(db, 'B001', await newest('B001'));
    const [stored] = await db.query<{ content_hash: string | null }>(
      'SELECT content_hash FROM customer WHERE id = $1',
      [row!.id],
    );
    expect(stored!.content_hash).not.toBeNull();
    const own = await whole('B001');
    expect(own.fresh).toEqual([]);
    expect(JSON.parse(shared!.bucketsText)).toEqual(own.buckets);
  });

  it('is not kept through a row that is not the branch’s newest', async () => {
    const through = await newest('B001');
    await edit((await inScope('B001'))[0]!, 'moved.on@example.com', true);
    expect(await sharedScopeDigest(db, 'B001', through)).toBeUndefined();
    expect(await sharedScopeDigest(db, 'B002', (await newest('B002')) + 1_000)).toBeUndefined();
    expect(Number((await kept('B001'))!.through_seq)).toBe(through);
  });

  it('brought up to date from the feed, always equals the digest of the whole scope', async () => {
    for (const branchId of BRANCHES) await sharedScopeDigest(db, branchId, await newest(branchId));
    const workedOut = (await kept('B001'))!.worked_out_at;
    let made = 0;
    const extra = [
      ...generateCustomers({ seed: 77, count: 200, branches: [...BRANCHES], rmsPerBranch: 3 }),
    ];
    const step = fc.oneof(
      fc.record({ kind: fc.constant('edit' as const), pick: fc.nat(), hashed: fc.boolean() }),
      fc.record({
        kind: fc.constant('reassign' as const),
        pick: fc.nat(),
        to: fc.constantFrom(...BRANCHES),
        rm: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
      }),
      fc.record({ kind: fc.constant('add' as const), count: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ kind: fc.constant('digest' as const), branch: fc.constantFrom(...BRANCHES) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        for (const todo of steps) {
          const everyone = [...new Set([...(await inScope('B001')), ...(await inScope('B002'))])];
          const someone = (pick: number) => everyone[pick % everyone.length]!;
          if (todo.kind === 'edit')
            await edit(someone(todo.pick), `e${made++}@example.com`, todo.hashed);
          else if (todo.kind === 'reassign')
            await reassignCustomer(
              db,
              someone(todo.pick),
              todo.to,
              todo.rm === null ? null : `${todo.to}-rm-0${todo.rm}`,
            );
          else if (todo.kind === 'add') {
            const taken = extra.splice(0, todo.count);
            if (taken.length > 0) await importCustomers(db, taken);
          } else await sharedScopeDigest(db, todo.branch, await newest(todo.branch));
        }
        for (const branchId of BRANCHES) {
          const shared = await sharedScopeDigest(db, branchId, await newest(branchId));
          const own = await whole(branchId);
          expect(JSON.parse(shared!.bucketsText)).toEqual(own.buckets);
          expect(shared!.count).toBe(own.count);
          expect(Number((await kept(branchId))!.entries)).toBe(own.count);
          // A pull's page read again with its digest in one snapshot gets the same.
          const inSnapshot = await db.transaction((tx) => scopeDigestInSnapshot(tx, branchId), {
            repeatableRead: true,
          });
          expect(inSnapshot.buckets).toEqual(own.buckets);
        }
      }),
      { numRuns: 25, seed: 4711 },
    );
    // Brought up to date, not worked out whole again.
    expect((await kept('B001'))!.worked_out_at).toEqual(workedOut);
  }, 240_000);

  it('an hour old, is worked out whole: a change that reached a record without a feed row shows', async () => {
    await sharedScopeDigest(db, 'B001', await newest('B001'));
    const [someone] = await inScope('B001');
    // A record changed behind the feed's back: the kept digest cannot know.
    await db.query(
      `UPDATE customer SET record = record || '{"email":"behind@example.com"}', content_hash = NULL
       WHERE id = $1`,
      [someone],
    );
    const before = (await kept('B001'))!.buckets;
    await edit((await inScope('B001')).at(-1)!, 'next@example.com', true);
    const followed = await sharedScopeDigest(db, 'B001', await newest('B001'));
    const own = await whole('B001');
    const differing = Object.keys(own.buckets).filter(
      (bucket) => JSON.parse(followed!.bucketsText)[bucket] !== own.buckets[bucket],
    );
    expect(differing).toEqual([someone!.slice(0, 2)]);
    expect(before).not.toEqual(JSON.parse(followed!.bucketsText));

    await db.query(
      "UPDATE scope_digest SET worked_out_at = now() - interval '61 minutes' WHERE branch_id = 'B001'",
    );
    await edit((await inScope('B001')).at(-1)!, 'later@example.com', true);
    const again = await sharedScopeDigest(db, 'B001', await newest('B001'));
    const ownAgain = await whole('B001');
    expect(JSON.parse(again!.bucketsText)).toEqual(ownAgain.buckets);
    const stored = await kept('B001');
    expect(Date.now() - stored!.worked_out_at.getTime()).toBeLessThan(60_000);
  });
});
