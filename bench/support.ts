// Shared helpers for benchmarks: timing, percentiles, the results table and JSON file.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function summarize(samplesMs: number[]) {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return {
    p50_ms: round(percentile(sorted, 50)),
    p95_ms: round(percentile(sorted, 95)),
    p99_ms: round(percentile(sorted, 99)),
    n: sorted.length,
  };
}

export function round(value: number, digits = 4): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function timeMs(action: () => void): number {
  const started = performance.now();
  action();
  return performance.now() - started;
}

let clockTicks: number | undefined;

/**
 * CPU time (ms, user and system, every thread) the processes used so far: those of `pids` and
 * their children (PostgreSQL's server and each connection's backend), with what their children
 * that ended used. Read from /proc; null where there is none (not Linux).
 */
export function processesCpuMs(pids: number[]): number | null {
  if (process.platform !== 'linux') return null;
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  let ticks = 0;
  const wanted = new Set(pids);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    // pid (comm) state ppid …: the name may hold spaces and parentheses; fields follow the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[1] is the parent's pid.
    if (!wanted.has(Number(entry)) && !wanted.has(Number(fields[1]))) continue;
    // utime, stime, cutime, cstime: fields 14-17 of proc(5); `fields` starts at field 3.
    for (const index of [11, 12, 13, 14]) ticks += Number(fields[index]);
  }
  return (ticks * 1000) / clockTicks;
}

/** Prints `rows` as an aligned table and writes `results` to bench-results/<suite>.json. */
export function report(
  suite: string,
  rows: (string | number)[][],
  results: Record<string, unknown>,
): void {
  const widths = rows[0]!.map((_, column) =>
    Math.max(...rows.map((row) => String(row[column]).length)),
  );
  for (const [index, row] of rows.entries()) {
    console.log(row.map((cell, column) => String(cell).padEnd(widths[column]!)).join('  '));
    if (index === 0) console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  }
  const dir = fileURLToPath(new URL('../bench-results', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = `${dir}/${suite}.json`;
  writeFileSync(
    file,
    `${JSON.stringify({ suite, measuredAt: new Date().toISOString(), node: process.version, ...results }, null, 2)}\n`,
  );
  console.log(`\nwrote ${file}`);
}
