// Crash-safe key rotation. SQLite's in-place `PRAGMA rekey` is not safe to interrupt: a kill
// during its commit leaves a hot journal that neither key can roll back (we measured it). So we
// never rekey the live file. We copy it, rekey the copy, and swap the copy in with one atomic
// rename. The keychain holds the new key under a staging account before the swap, and opening
// tries the current key and then the staging one. A crash at any moment leaves either the old
// file with the old key, or the new file with the staged key
// (test/integration/vault-rekey-crash.test.ts kills it at every step and at random moments).
import { randomBytes } from 'node:crypto';
import { renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { BranchDeskError } from '../../../shared/errors';
import { faultPoint } from '../fault';
import type { SecretStore } from '../secrets';
import { fsyncDirectory, keyAccounts, vaultPaths } from './profile';
import { isBusyError, openCipherDatabase } from './sqlcipher';
import { openVault, removeRotationCopy, rotationCopyPath } from './vault';

export const rekeyFaultPoints = [
  'rekey:after-staging',
  'rekey:after-copy',
  'rekey:after-copy-rekeyed',
  'rekey:after-swap',
  'rekey:after-promote',
] as const;

export function rekeyVault(
  dataDir: string,
  secrets: SecretStore,
): { profileId: string; rotatedAt: string } {
  const vault = openVault(dataDir, secrets); // Settles any earlier, interrupted rotation first.
  const accounts = keyAccounts(vault.profileId);
  const live = vaultPaths(dataDir).database;
  const copy = rotationCopyPath(live);
  try {
    // Hold the database exclusively: nobody may write to the file we are about to replace.
    vault.db.pragma('locking_mode = EXCLUSIVE');
    vault.db.exec('BEGIN EXCLUSIVE; COMMIT');
    const oldKey = secrets.get(accounts.current);
    if (oldKey === null)
      throw new BranchDeskError('VAULT_KEY_MISSING', { profileId: vault.profileId });

    const newKey = randomBytes(32).toString('hex');
    secrets.set(accounts.staging, newKey);
    faultPoint('rekey:after-staging');

    // The copy is encrypted with the old key from its first byte: no plaintext touches disk.
    removeRotationCopy(live);
    vault.db.prepare('VACUUM INTO ?').run(copy);
    faultPoint('rekey:after-copy');
    const next = openCipherDatabase(copy, oldKey);
    try {
      next.pragma('synchronous = FULL');
      next.pragma('journal_mode = DELETE');
      next.pragma(`rekey = "x'${newKey}'"`);
      next.pragma('journal_mode = WAL');
    } finally {
      next.close();
    }
    faultPoint('rekey:after-copy-rekeyed');

    vault.close();
    renameSync(copy, live);
    fsyncDirectory(dirname(live));
    faultPoint('rekey:after-swap');

    secrets.set(accounts.current, newKey);
    faultPoint('rekey:after-promote');
    secrets.delete(accounts.staging);
    return { profileId: vault.profileId, rotatedAt: new Date().toISOString() };
  } catch (error) {
    if (isBusyError(error)) throw new BranchDeskError('VAULT_BUSY', {}, { cause: error });
    throw error;
  } finally {
    vault.close();
  }
}
