// HQ prepares each statement once per connection, except those whose columns come from `*`
// (hq/db/database.ts): a count(*) or a product must not keep a hot statement from being prepared
// (the pull's page, planned at every call, once cost PostgreSQL more than all HQ's other work).
import { describe, expect, it } from 'vitest';
import { takesEveryColumn } from '../../../hq/db/database';

describe('statements HQ never prepares', () => {
  it('are those whose columns come from *', () => {
    expect(takesEveryColumn('SELECT * FROM customer')).toBe(true);
    expect(takesEveryColumn('select\n  * from customer')).toBe(true);
    expect(takesEveryColumn('SELECT c.* FROM customer c')).toBe(true);
    expect(takesEveryColumn('SELECT id, * FROM customer')).toBe(true);
    expect(takesEveryColumn('UPDATE customer SET version = 2 RETURNING *')).toBe(true);
  });

  it('are not those that only count or multiply', () => {
    expect(takesEveryColumn('SELECT count(*) AS n FROM customer WHERE id = $1')).toBe(false);
    expect(takesEveryColumn('SELECT count(*) FILTER (WHERE x) FROM customer')).toBe(false);
    expect(takesEveryColumn('SELECT hits * 2 FROM rate_limit')).toBe(false);
  });
});
