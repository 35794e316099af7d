// The bank's calendar day, which the book and the reviews count in.
/**
 * The bank's day is China Standard Time (UTC+8, no daylight saving): a visit's day, and the
 * home's today, are days there, whatever offset a time was written with (the desk writes UTC,
 * HQ +08:00) and wherever the PC's clock is set.
 */
export const BANK_UTC_OFFSET_MINUTES = 480;

/** The bank's calendar day of an instant (ISO 8601 with an offset, or milliseconds). */
export function bankDay(at: string | number): string {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  return new Date(ms + BANK_UTC_OFFSET_MINUTES * 60_000).toISOString().slice(0, 10);
}

/**
 * The bank's today: between midnight and 08:00 in Beijing it is already the next day of UTC's.
 * Everything that judges by "today" (quality, erasure, risk, extracts) asks this, never the UTC
 * date, or a report run after midnight in Beijing counts by yesterday.
 */
export function bankToday(now = Date.now()): string {
  return bankDay(now);
}
