// The core's services over a vault, made once per open vault connection and dropped with it.
import { BranchDeskError } from '../../../shared/errors';
import type { SqliteDatabase, Vault } from '../vault';
import type { CommandContext } from './table';

/**
 * A getter for the one `T` of the command's vault; refuses when no vault is open. Made per
 * connection: services prepare statements on it, and the initial-sync snapshot swaps it.
 */
export function perVault<T extends object>(make: (vault: Vault) => T) {
  const made = new WeakMap<SqliteDatabase, T>();
  return (context: Pick<CommandContext, 'vault'>): T => {
    const vault = context.vault;
    if (!vault) throw new BranchDeskError('VAULT_NOT_OPEN');
    let service = made.get(vault.db);
    if (!service) {
      service = make(vault);
      made.set(vault.db, service);
    }
    return service;
  };
}
