// What the device does when HQ says it is revoked: at whichever contact learns it first (a sync,
// a sign-in, an audit upload, a supervisor's approval, a customer-access query, `device status`),
// the vault closes, its key and every other keychain entry of the profile go, then its files;
// whoever hosts that vault (the desks) is told. Every wipe for a revocation goes through
// wipeRevoked, so no contact can wipe the files behind a host that still has the vault open.
import { resolve } from 'node:path';
import type { z } from 'zod';
import type { DeviceCheck } from '../../../shared/commands/device';
import { BranchDeskError, isBranchDeskError } from '../../../shared/errors';
import { HqClient } from '../hq-client/client';
import { log } from '../log';
import type { SecretStore } from '../secrets';
import { tokenUsers } from '../session/refresh-tokens';
import { openVault, type Vault } from '../vault';
import { deviceAccount, profileEnvironment, readEnrollment, wipeProfile } from './enrollment';

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

/**
 * Asks HQ about this device; if HQ revoked it, wipes the profile (wipeRevoked). `open` is the
 * vault a host already has open (a desk's): when it is this profile's, the wipe is of that
 * handle, so the host learns of it and ends every desk. Otherwise the profile is opened here.
 */
export async function checkDevice(
  dataDir: string,
  secrets: SecretStore,
  open?: Vault,
): Promise<z.infer<typeof DeviceCheck>> {
  const borrowed = open !== undefined && resolve(open.dataDir) === resolve(dataDir);
  const vault = borrowed ? open : openVault(dataDir, secrets);
  try {
    const enrollment = readEnrollment(vault);
    if (!enrollment)
      throw new BranchDeskError('DEVICE_NOT_ENROLLED', { profileId: vault.profileId });
    const credential = secrets.get(deviceAccount(enrollment.profileId));
    if (!credential) throw new BranchDeskError('DEVICE_UNAUTHENTICATED');
    const status = await new HqClient(enrollment.hqUrl, `Device ${credential}`, {
      onRevoked: () => wipeRevoked(vault, secrets),
      environment: profileEnvironment(vault),
    }).deviceStatus();
    if (status.action !== 'wipe') return { ...enrollment, status: status.status, wiped: false };
    wipeRevoked(vault, secrets);
    return { ...enrollment, status: status.status, wiped: true };
  } finally {
    if (!borrowed) vault.close();
  }
}
