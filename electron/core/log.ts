// Structured logs, one JSON object a line on stderr. Fields carry ids, codes, counts and
// durations only: never names, ID numbers, phone numbers or keys (DEVELOPERS.md, "Never log PII").
type Level = 'debug' | 'info' | 'warn' | 'error';
type Field = string | number | boolean | null;

const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function threshold(): number {
  const wanted = process.env.BRANCHDESK_LOG as Level | undefined;
  return wanted && wanted in order ? order[wanted] : order.warn;
}

export function log(level: Level, event: string, fields: Record<string, Field> = {}): void {
  if (order[level] < threshold()) return;
  process.stderr.write(
    `${JSON.stringify({ time: new Date().toISOString(), level, event, ...fields })}\n`,
  );
}
