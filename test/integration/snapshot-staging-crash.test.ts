// The snapshot's staging file (electron/core/sync/snapshot.ts) is written with synchronous off:
// a process killed at any moment must still leave a file that opens, passes integrity_check and
// holds every slice it committed, none in part, so the next run resumes from it. A journal mode
// that keeps old records past the new ones (PERSIST) failed this here in 9 kills out of 20.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareInsert } from '../../electron/core/customers';
import { snapshotPaths, stagingWriter } from '../../electron/core/sync/snapshot';
import { generateCustomers } from '../../shared/synthetic';
import type { SqliteDatabase } from '../../electron/core/vault';
import { tempDir } from '../support/files';

/** The side file's tables of terms: one per tag, a row of JSON a slice (terms by customer key). */
function termTables(staging: SqliteDatabase): string[] {
  return staging
    .prepare("SELECT name FROM snapshot_terms.sqlite_schema WHERE name LIKE 'term~_%' ESCAPE '~'")
    .pluck()
    .all() as string[];
}

/** Every (term, customer key) pair in the side file. */
function termPairs(staging: SqliteDatabase): [string, number][] {
  return termTables(staging).flatMap(
    (table) =>
      staging
        .prepare(
          `SELECT term.value, CAST(customer.key AS INTEGER) FROM snapshot_terms.${table},
             json_each(terms) AS customer, json_each(customer.value) AS term`,
        )
        .raw()
        .all() as [string, number][],
  );
}

const child = fileURLToPath(new URL('../support/staging-writer-child.ts', import.meta.url));
const KILLS = 10;

describe('the snapshot staging file', () => {
  const dir = tempDir('branchdesk-staging-crash-');
  afterAll(() => dir.cleanup());

  it('opens whole after every SIGKILL, with each committed slice and no partial one', async () => {
    const dataDir = join(dir.path, 'branch');
    mkdirSync(dataDir);
    const key = randomBytes(32).toString('hex');
    let before = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      const writer = spawn(process.execPath, ['--import', 'tsx', child, dataDir, key], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let committed = before;
      let stderr = '';
      writer.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      // A few commits into the run, then a random moment: mostly inside a slice's transaction.
      const killAfter = before + 100 * (2 + Math.floor(Math.random() * 20));
      writer.stdout.on('data', (chunk: Buffer) => {
        for (const match of chunk.toString().matchAll(/committed (\d+)/g))
          committed = Number(match[1]);
        if (committed >= killAfter) setTimeout(() => writer.kill('SIGKILL'), Math.random() * 40);
      });
      const signal = await new Promise<NodeJS.Signals | null>((resolve) =>
        writer.on('exit', (_code, sig) => resolve(sig)),
      );
      expect(signal, stderr).toBe('SIGKILL');

      // Opened as the next run would: a file it could not use would be replaced by an empty one.
      const reopened = stagingWriter(snapshotPaths(dataDir), key);
      try {
        const { staging } = reopened;
        expect(staging.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(reopened.loaded(), `kill ${kill}`).toBeGreaterThanOrEqual(committed);
        expect(staging.prepare('SELECT count(*) FROM customer').pluck().get()).toBe(
          reopened.loaded(),
        );
        expect(new Set(termPairs(staging).map(([, customerKey]) => customerKey)).size).toBe(
          reopened.loaded(),
        );
        before = reopened.loaded();
      } finally {
        reopened.staging.close();
      }
    }
  }, 300_000);

  // Between the two files' commits (they have no super-journal, synchronous being off in both),
  // a kill can leave the side file a slice behind the staging file, or ahead of it.
  it('makes the side file of terms agree with the staging file when it opens', () => {
    const dataDir = join(dir.path, 'apart');
    mkdirSync(dataDir);
    const key = randomBytes(32).toString('hex');
    const paths = snapshotPaths(dataDir);
    const writer = stagingWriter(paths, key);
    const customers = [
      ...generateCustomers({ seed: 9, count: 300, branches: ['B001'], rmsPerBranch: 4 }),
    ];
    for (let start = 0; start < 300; start += 100) {
      const slice = customers.slice(start, start + 100);
      writer.write(
        slice.map((customer) => prepareInsert(customer, { hqHash: 'h' })),
        `home:${slice.at(-1)!.id}`,
      );
    }
    const pairs = (staging: SqliteDatabase) =>
      termPairs(staging)
        .map(([term, customerKey]) => `${customerKey} ${term}`)
        .sort();
    const written = pairs(writer.staging);
    expect(new Set(written.map((pair) => pair.split(' ')[0])).size).toBe(300);

    // Behind: the last slice's terms lost, as if the side file's commit never happened.
    for (const table of termTables(writer.staging))
      writer.staging.prepare(`DELETE FROM snapshot_terms.${table} WHERE first_key > 200`).run();
    writer.staging.prepare('UPDATE snapshot_terms.terms_through SET customer_key = 200').run();
    writer.staging.close();
    const behind = stagingWriter(paths, key);
    expect(pairs(behind.staging)).toEqual(written);

    // Ahead: the staging file's last slice rolled back, its terms kept.
    behind.staging.prepare('DELETE FROM customer WHERE customer_key > 200').run();
    behind.staging.close();
    const ahead = stagingWriter(paths, key);
    try {
      expect(pairs(ahead.staging)).toEqual(
        written.filter((pair) => Number(pair.split(' ')[0]) <= 200),
      );
      // A staging file of another layout (an earlier build's) is not taken up: begun anew.
      ahead.staging
        .prepare("UPDATE vault_meta SET value = 'an earlier one' WHERE key = 'snapshot.format'")
        .run();
    } finally {
      ahead.staging.close();
    }
    const anew = stagingWriter(paths, key);
    try {
      expect(anew.loaded()).toBe(0);
      expect(pairs(anew.staging)).toEqual([]);
    } finally {
      anew.staging.close();
    }
  });
});
