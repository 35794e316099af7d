// Key rotation survives SIGKILL anywhere: at each step between keychain and database writes, and
// at random moments inside PRAGMA rekey itself. Each time the vault reopens with all its rows,
// passes integrity_check, and ends with exactly one key in the keychain.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createVault,
  keyAccounts,
  openVault,
  readProfile,
  rekeyFaultPoints,
  vaultPaths,
} from '../../electron/core/vault';
import { branchctl, branchctlAsync } from '../support/branchctl';
import { profileSandbox, realSecretStore } from '../support/keyring';

const secrets = realSecretStore();
const profileIdOf = (dataDir: string) => readProfile(vaultPaths(dataDir).profile).profileId;
const ROWS = 20_000;

describe('key rotation under SIGKILL', () => {
  const dir = profileSandbox(secrets);
  afterAll(() => dir.cleanup());

  function vaultWithRows(name: string): string {
    const dataDir = join(dir.path, name);
    const vault = createVault(dataDir, secrets);
    dir.forget(vault.profileId);
    vault.db.exec('CREATE TABLE ledger (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const insert = vault.db.prepare('INSERT INTO ledger (id, body) VALUES (?, ?)');
    vault.db.transaction(() => {
      for (let id = 1; id <= ROWS; id++) insert.run(id, `entry-${id}-`.padEnd(400, 'x'));
    })();
    vault.close();
    return dataDir;
  }

  /** Reopens after a crash: settles the rotation, checks every row and the file's integrity. */
  function expectRecovered(dataDir: string): void {
    const vault = openVault(dataDir, secrets, { verifyIntegrity: true });
    try {
      expect(vault.db.prepare('SELECT count(*) FROM ledger').pluck().get()).toBe(ROWS);
      expect(vault.db.prepare('SELECT body FROM ledger WHERE id = ?').pluck().get(ROWS)).toMatch(
        /^entry-20000-x+$/,
      );
      expect(vault.db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      vault.close();
    }
    const accounts = keyAccounts(profileIdOf(dataDir));
    expect(secrets.get(accounts.current)).toMatch(/^[0-9a-f]{64}$/);
    // The next rotation still works, and leaves no staging key behind.
    const again = branchctl(['rekey', '--data-dir', dataDir, '--json']);
    expect(again.status, again.stderr).toBe(0);
    expect(secrets.get(accounts.staging)).toBeNull();
  }

  let shared: string;
  beforeAll(() => {
    shared = vaultWithRows('shared');
  });

  for (const point of rekeyFaultPoints) {
    it(`recovers when killed at ${point}`, async () => {
      const keyBefore = secrets.get(keyAccounts(profileIdOf(shared)).current);
      const { done } = branchctlAsync(['rekey', '--data-dir', shared], {
        ...process.env,
        BRANCHDESK_FAULT_POINT: point,
      });
      const run = await done;
      expect(run.signal).toBe('SIGKILL');
      expectRecovered(shared);
      expect(keyBefore).toMatch(/^[0-9a-f]{64}$/);
      expect(secrets.get(keyAccounts(profileIdOf(shared)).current)).not.toBe(keyBefore);
    });
  }

  it('recovers when killed at random moments between staging the key and the swap', async () => {
    const dataDir = vaultWithRows('random');
    // Measure one uninterrupted rekey to spread the kills across it.
    const timed = branchctlAsync(['rekey', '--data-dir', dataDir], {
      ...process.env,
      BRANCHDESK_FAULT_ANNOUNCE: '1',
    });
    let rekeyStarted = 0;
    let rekeyEnded = 0;
    timed.child.stderr.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('fault-point:rekey:after-staging'))
        rekeyStarted = performance.now();
      if (chunk.toString().includes('fault-point:rekey:after-swap')) rekeyEnded = performance.now();
    });
    expect((await timed.done).status).toBe(0);
    const window = Math.max(5, rekeyEnded - rekeyStarted);

    let killedMidway = 0;
    for (let attempt = 0; attempt < 8; attempt++) {
      const delay = ((attempt + 0.5) / 8) * window;
      const run = branchctlAsync(['rekey', '--data-dir', dataDir], {
        ...process.env,
        BRANCHDESK_FAULT_ANNOUNCE: '1',
      });
      run.child.stderr.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('fault-point:rekey:after-staging')) {
          setTimeout(() => run.child.kill('SIGKILL'), delay);
        }
      });
      if ((await run.done).signal === 'SIGKILL') killedMidway++;
      expectRecovered(dataDir);
    }
    expect(killedMidway).toBeGreaterThanOrEqual(4);
    // Nine branchctl processes, each a Node start: on a loaded two-core machine that alone came
    // to the default minute.
  }, 180_000);
});
