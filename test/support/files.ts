// Temp folders and byte-for-byte snapshots of a data directory.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDir(prefix = 'branchdesk-test-'): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * sha256 of every file under `dir`, keyed by name. The `-shm` wal-index is left out: it is
 * SQLite's shared-memory scratch (page numbers and checksums, no page content), which any
 * reader of a WAL database, even a read-only one, may create and which SQLite rebuilds at will.
 * An empty `-wal` is left out too: a reader of a WAL database may create one, and it means
 * exactly what no `-wal` means.
 */
export function snapshot(dir: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith('-shm')) continue;
    if (name.endsWith('-wal') && statSync(join(dir, name)).size === 0) continue;
    const file = join(dir, name);
    if (statSync(file).isFile()) {
      result[name] = createHash('sha256').update(readFileSync(file)).digest('hex');
    }
  }
  return result;
}

/** The files under `dir` that contain `needle` anywhere in their bytes. */
export function filesContaining(dir: string, needle: Buffer): string[] {
  return readdirSync(dir).filter((name) => {
    const file = join(dir, name);
    return statSync(file).isFile() && readFileSync(file).includes(needle);
  });
}
