// Crash-safe key rotation: stage the new key in the keychain, rekey the database, promote.
// Opening tries the current key and then the staging key, so a crash between any two steps
// leaves a vault that opens (see test/integration/vault-rekey-crash.test.ts).
import { randomBytes } from 'node:crypto';
import { faultPoint } from '../fault';
import type { SecretStore } from '../secrets';
import { keyAccounts } from './profile';
import { openVault } from './vault';

export const rekeyFaultPoints = [
  'rekey:after-staging',
  'rekey:before-rekey',
  'rekey:after-rekey',
  'rekey:after-wal',
  'rekey:after-promote',
] as const;

export function rekeyVault(
  dataDir: string,
  secrets: SecretStore,
): { profileId: string; rotatedAt: string } {
  const vault = openVault(dataDir, secrets); // Settles any earlier, interrupted rotation first.
  try {
    const accounts = keyAccounts(vault.profileId);
    const newKey = randomBytes(32).toString('hex');
    secrets.set(accounts.staging, newKey);
    faultPoint('rekey:after-staging');

    // SQLCipher cannot rekey in WAL mode: fold the WAL in and use a rollback journal meanwhile.
    vault.db.pragma('wal_checkpoint(TRUNCATE)');
    vault.db.pragma('journal_mode = DELETE');
    faultPoint('rekey:before-rekey');
    vault.db.pragma(`rekey = "x'${newKey}'"`);
    faultPoint('rekey:after-rekey');
    vault.db.pragma('journal_mode = WAL');
    faultPoint('rekey:after-wal');

    secrets.set(accounts.current, newKey);
    faultPoint('rekey:after-promote');
    secrets.delete(accounts.staging);
    return { profileId: vault.profileId, rotatedAt: new Date().toISOString() };
  } finally {
    vault.close();
  }
}
