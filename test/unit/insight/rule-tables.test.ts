// What a device reads of HQ's rule tables: a kind a newer HQ publishes that this build does not
// know is read (and kept, unused), never a reason to fail the sync round.
import { describe, expect, it } from 'vitest';
import { RuleTablesResponse } from '../../../shared/protocol/rules';

describe('RuleTablesResponse', () => {
  it('reads a kind this build does not know, beside those it does', () => {
    const parsed = RuleTablesResponse.parse({
      tables: [
        {
          seq: 1,
          kind: 'aml_risk',
          version: 'AML-1',
          publishedAt: '2026-12-01T00:00:00Z',
          body: {},
        },
        {
          seq: 2,
          kind: 'churn_model',
          version: 'C-1',
          publishedAt: '2026-12-02T00:00:00Z',
          body: [],
        },
      ],
    });
    expect(parsed.tables.map((table) => table.kind)).toEqual(['aml_risk', 'churn_model']);
  });

  it('still refuses what is not a table', () => {
    expect(
      RuleTablesResponse.safeParse({ tables: [{ seq: 0, kind: '', version: 'x' }] }).success,
    ).toBe(false);
  });
});
