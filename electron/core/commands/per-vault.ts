// The core's services over a vault, made once per open vault and dropped with it.
import { BranchDeskError } from '../../../shared/errors';
import type { Vault } from '../vault';
import type { CommandContext } from './table';

/** A getter for the one `T` of the command's vault; refuses when no vault is open. */
export function perVault<T extends object>(make: (vault: Vault) => T) {
  const made = new WeakMap<Vault, T>();
  return (context: Pick<CommandContext, 'vault'>): T => {
    const vault = context.vault;
    if (!vault) throw new BranchDeskError('VAULT_NOT_OPEN');
    let service = made.get(vault);
    if (!service) {
      service = make(vault);
      made.set(vault, service);
    }
    return service;
  };
}
