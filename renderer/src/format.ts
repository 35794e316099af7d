// How the desk shows values: dates as YYYY-MM-DD, times in the PC's zone, phones grouped.

/** `+8613812345678` or a masked `138****5678` as `138 1234 5678` / `138 **** 5678`. */
export function formatPhone(value: string): string {
  const national = value.replace(/^\+86/, '');
  return /^[\d*]{11}$/.test(national)
    ? `${national.slice(0, 3)} ${national.slice(3, 7)} ${national.slice(7)}`
    : value;
}

/** `YYYY-MM-DD HH:mm` in the PC's time zone, the same in both languages (UI.md). */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return `${day} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Days from today to an ISO date (negative: past). */
export function daysUntil(isoDate: string, now = Date.now()): number {
  return Math.floor((Date.parse(`${isoDate}T00:00:00`) - now) / 86_400_000) + 1;
}

/** A customer field's name in the desk's language (`legalName` → 姓名). */
export function fieldLabel(
  t: (key: string, options?: { defaultValue: string }) => string,
  field: string,
): string {
  return t(`field.${field}`, { defaultValue: field });
}

/** A field's value as plain text: strings as they are, lists and records as indented JSON. */
export function fieldValueText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2);
}
