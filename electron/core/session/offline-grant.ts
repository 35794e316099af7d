// The device's side of the offline grant (shared/auth/offline-grant.ts): HQ's key pinned in the
// vault at enrollment, and the check an offline sign-in needs to pass before the password is
// even tried.
import { createPublicKey, verify } from 'node:crypto';
import {
  OfflineGrantClaims,
  offlineGrantPayload,
  type OfflineGrant,
} from '../../../shared/auth/offline-grant';
import { readEnrollment } from '../device/enrollment';
import type { Vault } from '../vault';

/** The vault_meta key of HQ's pinned grant key (beside the other enrollment facts). */
export const GRANT_KEY_META = 'enrollment.grantKey';

/** Why a grant does not let this user sign in offline on this device now (audited). */
export type GrantRefusal =
  'no_grant' | 'grant_invalid' | 'grant_other_device' | 'grant_other_user' | 'grant_expired';

export function pinnedGrantKey(vault: Vault): string | undefined {
  const value = vault.db
    .prepare('SELECT value FROM vault_meta WHERE key = ?')
    .pluck()
    .get(GRANT_KEY_META) as string | undefined;
  return value || undefined;
}

/**
 * Pins HQ's grant key if none is pinned yet: a device enrolled before grants existed takes it
 * from its first online sign-in since, over the channel its device credential authenticates.
 * A key already pinned is never replaced.
 */
export function pinGrantKeyOnce(vault: Vault, grantKey: string): void {
  vault.db
    .prepare('INSERT OR IGNORE INTO vault_meta (key, value) VALUES (?, ?)')
    .run(GRANT_KEY_META, grantKey);
}

/**
 * The grant's claims if its signature checks with HQ's pinned key, it names `userId` on
 * `deviceId`, and it has not expired at `now`; otherwise why not. Fails closed: a key or a grant
 * that cannot be read is invalid.
 */
export function checkOfflineGrant(
  grant: OfflineGrant | null,
  grantKey: string | undefined,
  expected: { userId: string; deviceId: string | undefined; now: number },
): { ok: true; claims: OfflineGrantClaims } | { ok: false; reason: GrantRefusal } {
  if (!grant) return { ok: false, reason: 'no_grant' };
  if (!grantKey || !expected.deviceId) return { ok: false, reason: 'grant_invalid' };
  let claims: OfflineGrantClaims;
  try {
    const key = createPublicKey({
      key: Buffer.from(grantKey, 'base64'),
      format: 'der',
      type: 'spki',
    });
    if (key.asymmetricKeyType !== 'ed25519') return { ok: false, reason: 'grant_invalid' };
    const signed = verify(
      null,
      Buffer.from(offlineGrantPayload(grant.claims), 'utf8'),
      key,
      Buffer.from(grant.signature, 'base64'),
    );
    if (!signed) return { ok: false, reason: 'grant_invalid' };
    claims = OfflineGrantClaims.parse(JSON.parse(grant.claims));
  } catch {
    return { ok: false, reason: 'grant_invalid' };
  }
  if (claims.deviceId !== expected.deviceId) return { ok: false, reason: 'grant_other_device' };
  if (claims.userId !== expected.userId) return { ok: false, reason: 'grant_other_user' };
  if (!(expected.now <= Date.parse(claims.expiresAt)))
    return { ok: false, reason: 'grant_expired' };
  return { ok: true, claims };
}

/** checkOfflineGrant for `userId`'s stored grant against this vault's pinned key and device. */
export function offlineGrantOf(
  vault: Vault,
  userId: string,
  grant: OfflineGrant | null,
  now: number,
): ReturnType<typeof checkOfflineGrant> {
  return checkOfflineGrant(grant, pinnedGrantKey(vault), {
    userId,
    deviceId: readEnrollment(vault)?.deviceId,
    now,
  });
}
