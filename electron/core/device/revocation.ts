// What the device does when HQ says it is revoked: at whichever contact learns it first (a sync,
// a sign-in, an audit upload, `device status`), the vault closes, its key and every other
// keychain entry of the profile go, then its files; whoever hosts that vault (the desks) is told.
import { isBranchDeskError } from '../../../shared/errors';
import { log } from '../log';
import type { SecretStore } from '../secrets';
import { tokenUsers } from '../session/refresh-tokens';
import type { Vault } from '../vault';
import { wipeProfile } from './enrollment';

const listeners = new WeakMap<Vault, Set<() => void>>();
/** Vaults already wiped: calls in flight when HQ revoked the device each get the 410. */
const wiped = new WeakSet<Vault>();

/** Calls `listener` once `vault` has been wiped for a revocation; returns the unsubscribe. */
export function onRevoked(vault: Vault, listener: () => void): () => void {
  let set = listeners.get(vault);
  if (!set) listeners.set(vault, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

/**
 * Wipes the profile of an open vault HQ has revoked. Never throws: a keychain that fails does
 * not keep the files (or the hosts that must stop) from going; it is logged.
 */
export function wipeRevoked(vault: Vault, secrets: SecretStore): void {
  if (wiped.has(vault)) return;
  wiped.add(vault);
  const profileId = vault.profileId;
  try {
    const users = tokenUsers(vault);
    vault.close();
    wipeProfile(vault.dataDir, secrets, users);
    log('warn', 'device.revoked_wiped', { profileId });
  } catch (error) {
    log('error', 'device.revoked_wipe_failed', {
      profileId,
      code: isBranchDeskError(error) ? error.code : 'INTERNAL',
    });
  } finally {
    for (const listener of listeners.get(vault) ?? []) listener();
    listeners.delete(vault);
  }
}
