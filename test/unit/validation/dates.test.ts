import { describe, expect, it } from 'vitest';
import {
  addYears,
  ageOn,
  daysBetween,
  fromDayNumber,
  isLeapYear,
  isRealDate,
  parseIsoDate,
  resolveToday,
  toDayNumber,
} from '../../../shared/validation/dates';

describe('calendar dates', () => {
  it('knows the Gregorian leap years: 2000 and 2024 are, 1900 and 2100 are not', () => {
    expect([2000, 2024, 1996].map(isLeapYear)).toEqual([true, true, true]);
    expect([1900, 2100, 2023].map(isLeapYear)).toEqual([false, false, false]);
  });

  it('accepts 29 February only in leap years', () => {
    expect(isRealDate({ year: 2024, month: 2, day: 29 })).toBe(true);
    expect(isRealDate({ year: 2023, month: 2, day: 29 })).toBe(false);
    expect(isRealDate({ year: 1900, month: 2, day: 29 })).toBe(false);
  });

  it('parses only real YYYY-MM-DD dates', () => {
    expect(parseIsoDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
    expect(parseIsoDate('2023-02-29')).toBeUndefined();
    expect(parseIsoDate('2024-2-9')).toBeUndefined();
    expect(parseIsoDate('2024-04-31')).toBeUndefined();
  });

  it('counts days across leap years and round-trips day numbers', () => {
    expect(toDayNumber({ year: 1970, month: 1, day: 1 })).toBe(0);
    expect(daysBetween({ year: 2023, month: 2, day: 28 }, { year: 2024, month: 3, day: 1 })).toBe(
      367,
    );
    for (const day of [-719468, -1, 0, 11016, 19782, 2932896]) {
      expect(toDayNumber(fromDayNumber(day))).toBe(day);
    }
  });

  it('moves 29 February to 28 February when adding years lands in a common year', () => {
    expect(addYears({ year: 2024, month: 2, day: 29 }, 1)).toEqual({
      year: 2025,
      month: 2,
      day: 28,
    });
    expect(addYears({ year: 2024, month: 2, day: 29 }, 4)).toEqual({
      year: 2028,
      month: 2,
      day: 29,
    });
  });

  it('counts completed years of age, a birthday on the day itself included', () => {
    const born = { year: 1990, month: 6, day: 15 };
    expect(ageOn(born, { year: 2016, month: 6, day: 14 })).toBe(25);
    expect(ageOn(born, { year: 2016, month: 6, day: 15 })).toBe(26);
  });

  it('refuses a malformed today instead of validating against the wrong day', () => {
    expect(() => resolveToday('2023-02-29')).toThrow(RangeError);
    expect(resolveToday('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
  });
});
