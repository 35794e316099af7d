// Bulk loads use the rollback journal (see electron/core/vault/bulk-load.ts). They must lose no
// committed batch, never keep half a batch, and leave the vault in WAL mode, even when the
// process is SIGKILLed in the middle of a commit.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bulkLoad, createVault, openVault } from '../../electron/core/vault';
import { profileSandbox, realSecretStore } from '../support/keyring';

const secrets = realSecretStore();
const child = fileURLToPath(new URL('../support/bulk-load-child.ts', import.meta.url));
const BATCH = 2000;

describe('bulk loads', () => {
  const sandbox = profileSandbox(secrets);
  afterAll(() => sandbox.cleanup());

  function newVault(name: string): string {
    const dataDir = join(sandbox.path, name);
    const vault = createVault(dataDir, secrets);
    sandbox.forget(vault.profileId);
    vault.close();
    return dataDir;
  }

  it('write through the rollback journal and return to WAL, also when the load throws', () => {
    const vault = openVault(newVault('modes'), secrets);
    vault.db.exec('CREATE TABLE t (x INTEGER)');
    const seen = bulkLoad(vault.db, () => {
      vault.db.prepare('INSERT INTO t VALUES (1)').run();
      return vault.db.pragma('journal_mode', { simple: true });
    });
    expect(seen).toBe('delete');
    expect(vault.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(() =>
      bulkLoad(vault.db, () => {
        throw new Error('load failed');
      }),
    ).toThrow('load failed');
    expect(vault.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(vault.db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(1);
    vault.close();
  });

  it('fall back to the WAL, correctly, when another connection holds the vault open', () => {
    const dataDir = newVault('shared');
    const other = openVault(dataDir, secrets);
    const vault = openVault(dataDir, secrets);
    vault.db.exec('CREATE TABLE t (x INTEGER)');
    bulkLoad(vault.db, () => vault.db.prepare('INSERT INTO t VALUES (1)').run());
    expect(vault.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(other.db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(1);
    other.close();
    vault.close();
  });

  it('keep every committed batch and no partial one when SIGKILLed at random moments', async () => {
    const dataDir = newVault('crash');
    let hotJournals = 0;
    for (let attempt = 0; attempt < 6; attempt++) {
      const process_ = spawn(process.execPath, ['--import', 'tsx', child, dataDir, String(BATCH)], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let committed = 0;
      let stderr = '';
      process_.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const killAfter = 3 + attempt * 2; // commits to wait for, then a random extra delay
      process_.stdout.on('data', (chunk: Buffer) => {
        for (const match of chunk.toString().matchAll(/committed (\d+)/g))
          committed = Number(match[1]);
        if (committed >= killAfter) setTimeout(() => process_.kill('SIGKILL'), Math.random() * 30);
      });
      const signal = await new Promise<NodeJS.Signals | null>((resolve) =>
        process_.on('exit', (_code, sig) => resolve(sig)),
      );
      expect(signal, stderr).toBe('SIGKILL');
      // A journal left behind means the kill landed inside a transaction: recovery is exercised.
      if (existsSync(join(dataDir, 'branch.db-journal'))) hotJournals++;

      const vault = openVault(dataDir, secrets, { verifyIntegrity: true });
      expect(vault.db.pragma('journal_mode', { simple: true })).toBe('wal');
      const batches = vault.db
        .prepare('SELECT batch, count(*) AS n FROM ledger GROUP BY batch ORDER BY batch')
        .all() as { batch: number; n: number }[];
      vault.close();
      expect(batches.length).toBeGreaterThanOrEqual(committed);
      expect(batches.map((b) => b.batch)).toEqual(batches.map((_, index) => index + 1));
      for (const batch of batches) expect(batch.n, `batch ${batch.batch}`).toBe(BATCH);
    }
    expect(hotJournals).toBeGreaterThanOrEqual(2);
  });
});
