// A branch's desks pull together after a change, and the scope's digest at the end of their pulls
// is worked out once for all of them (hq/scope.ts, sharedScopeDigest): the pulls asking at the
// same moment share one working out, which is the digest worked out in a snapshot of its own and
// kept for the pulls after; a digest asked through a feed row that is no longer the branch's
// newest is not worked out there (the pull works it out with its page).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../hq/db/database';
import { migrate } from '../../../hq/db/migrate';
import { scopeDigest, sharedScopeDigest } from '../../../hq/scope';
import { seedHq } from '../../../hq/seed';
import { tempDir } from '../../support/files';

describe('the scope digest shared by the pulls of a moment', () => {
  const dir = tempDir('branchdesk-shared-digest-');
  let db: Database;
  let newest = 0;

  beforeAll(async () => {
    db = await openDatabase({ dataDir: dir.path });
    await migrate(db);
    await seedHq(db, { customers: 120, branches: 2, seed: 21 });
    const [row] = await db.query<{ last: string }>(
      "SELECT max(seq) AS last FROM scope_change WHERE branch_id = 'B001'",
    );
    newest = Number(row!.last);
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    dir.cleanup();
  });

  it('is worked out once for the pulls asking at once, and kept', async () => {
    await db.query('DELETE FROM scope_digest');
    const asked = Array.from({ length: 10 }, () => sharedScopeDigest(db, 'B001', newest));
    expect(new Set(asked).size).toBe(1);
    const shared = await asked[0]!;
    const own = await db.transaction((tx) => scopeDigest(tx, 'B001'), { repeatableRead: true });
    expect(shared).toEqual({ bucketsText: JSON.stringify(own.buckets), count: own.count });
    const [kept] = await db.query<{ through_seq: string; buckets: Record<string, string> }>(
      "SELECT through_seq, buckets FROM scope_digest WHERE branch_id = 'B001'",
    );
    expect(Number(kept!.through_seq)).toBe(newest);
    expect(kept!.buckets).toEqual(own.buckets);
    // Worked out again when asked again later (only the pulls of one moment share).
    const later = sharedScopeDigest(db, 'B001', newest);
    expect(later).not.toBe(asked[0]);
    expect(await later).toEqual(shared);
  });

  it('hashes a record kept without its hash first, in a snapshot of its own, and stores the hash', async () => {
    const [row] = await db.query<{ id: string }>(
      "SELECT id FROM customer WHERE home_branch_id = 'B001' AND merged_into IS NULL ORDER BY id LIMIT 1",
    );
    await db.query('UPDATE customer SET content_hash = NULL WHERE id = $1', [row!.id]);
    const shared = await sharedScopeDigest(db, 'B001', newest);
    const [stored] = await db.query<{ content_hash: string | null }>(
      'SELECT content_hash FROM customer WHERE id = $1',
      [row!.id],
    );
    expect(stored!.content_hash).not.toBeNull();
    const own = await db.transaction((tx) => scopeDigest(tx, 'B001'), { repeatableRead: true });
    expect(own.fresh).toEqual([]);
    expect(shared).toEqual({ bucketsText: JSON.stringify(own.buckets), count: own.count });
  });

  it('is not worked out through a row that is not the branch’s newest', async () => {
    expect(await sharedScopeDigest(db, 'B001', newest - 1)).toBeUndefined();
    expect(await sharedScopeDigest(db, 'B002', newest + 1_000)).toBeUndefined();
  });
});
