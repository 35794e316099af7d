// Calendar dates without time zones: a birth date or an expiry date is a day, not an instant.

export interface CalendarDate {
  year: number;
  month: number; // 1–12
  day: number; // 1–31
}

/** A calendar date, or its ISO 8601 form `YYYY-MM-DD`. */
export type DateInput = CalendarDate | string;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** True for a day that exists in the proleptic Gregorian calendar (29 February only in leap years). */
export function isRealDate(date: CalendarDate): boolean {
  const { year, month, day } = date;
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    year >= 1 &&
    year <= 9999 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

/** Parses `YYYY-MM-DD`; undefined when the text is not that form or not a real day. */
export function parseIsoDate(text: string): CalendarDate | undefined {
  const trimmed = text.trim();
  if (!ISO_DATE.test(trimmed)) return undefined;
  // Read off the digits rather than through a match's strings: a record HQ sends holds a dozen
  // dates, each read several times over by the checks between fields.
  const date = {
    year: digitsAt(trimmed, 0, 4),
    month: digitsAt(trimmed, 5, 2),
    day: digitsAt(trimmed, 8, 2),
  };
  return isRealDate(date) ? date : undefined;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/u;

/** The number the ASCII digits from `start` spell (`digitsAt('2024-05-01', 5, 2)` is 5). */
export function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let index = start; index < start + count; index++)
    value = value * 10 + text.charCodeAt(index) - 48;
  return value;
}

/** Accepts either form; undefined when it is not a real day. */
export function toCalendarDate(input: DateInput): CalendarDate | undefined {
  if (typeof input === 'string') return parseIsoDate(input);
  return isRealDate(input) ? { year: input.year, month: input.month, day: input.day } : undefined;
}

export function formatIsoDate(date: CalendarDate): string {
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Today on this machine's calendar (local time, which at a branch is China Standard Time). */
export function localToday(): CalendarDate {
  const now = new Date();
  return { year: now.getFullYear(), month: now.getMonth() + 1, day: now.getDate() };
}

/**
 * The `today` a validator works with: the caller's (tests and batch jobs pass one so that
 * results are reproducible), or the local calendar day. A malformed `today` is a programming
 * error, so it throws rather than silently validating against the wrong day.
 */
export function resolveToday(today: DateInput | undefined): CalendarDate {
  if (today === undefined) return localToday();
  const date = toCalendarDate(today);
  if (!date) throw new RangeError(`today is not a real calendar date: ${JSON.stringify(today)}`);
  return date;
}

/** Days since 1970-01-01 (negative before), for date arithmetic without Date objects. */
export function toDayNumber(date: CalendarDate): number {
  // Days-from-civil: count from 1 March so the leap day falls at the end of the year.
  const y = date.month <= 2 ? date.year - 1 : date.year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthFromMarch = (date.month + 9) % 12;
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + date.day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

export function fromDayNumber(dayNumber: number): CalendarDate {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36524) -
      Math.floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

/** Negative when `a` is earlier than `b`, zero on the same day, positive when later. */
export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return toDayNumber(a) - toDayNumber(b);
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

/**
 * The same month and day `years` later. 29 February lands on 28 February in a common year,
 * which is how anniversaries (and document validity periods) are usually counted.
 */
export function addYears(date: CalendarDate, years: number): CalendarDate {
  const year = date.year + years;
  return { year, month: date.month, day: Math.min(date.day, daysInMonth(year, date.month)) };
}

/** Completed years of age on `on`; someone born on 29 February turns a year older on 1 March in common years. */
export function ageOn(birthDate: CalendarDate, on: CalendarDate): number {
  let age = on.year - birthDate.year;
  const beforeBirthday =
    on.month < birthDate.month || (on.month === birthDate.month && on.day < birthDate.day);
  if (beforeBirthday) age -= 1;
  return age;
}
