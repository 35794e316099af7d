// The bank's day is Beijing's: a report run at 00:09 in Beijing (16:09 UTC the day before) judges
// by the new day. CI once ran the planted-quality test then and HQ's report, judging by the UTC
// date, counted no expired documents that the seed (by the bank's day) had planted.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { retentionPolicy } from '../../../hq/privacy/erasure';
import { bankDay, bankToday } from '../../../shared/insight/day';

describe("the bank's day", () => {
  afterEach(() => vi.useRealTimers());

  it('turns at midnight in Beijing, not at midnight UTC', () => {
    expect(bankDay('2026-12-05T15:59:59Z')).toBe('2026-12-05');
    expect(bankDay('2026-12-05T16:00:00Z')).toBe('2026-12-06');
    expect(bankDay('2026-12-06T00:30:00+08:00')).toBe('2026-12-06');
    expect(bankToday(Date.parse('2026-12-05T16:09:10Z'))).toBe('2026-12-06');
  });

  it("is HQ's today for erasure when none is given", () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-05T16:09:10Z'));
    expect(retentionPolicy().today).toBe('2026-12-06');
    vi.setSystemTime(new Date('2026-12-05T15:09:10Z'));
    expect(retentionPolicy().today).toBe('2026-12-05');
  });
});
