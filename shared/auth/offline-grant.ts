// The offline grant: HQ's signed statement, made at each online sign-in, that this user may sign
// in offline on this one device until a set time. The device keeps it in the vault and checks it
// against HQ's key pinned at enrollment; a grant is worth nothing online (HQ never takes one as a
// credential), on another device, or after it expires. It stands in for the TOTP secret devices
// used to cache: nothing a device holds lets anyone pass HQ's second factor. Schemas only (the
// renderer imports this module's neighbours): HQ signs in hq/grants.ts, the device checks in
// electron/core/session/offline-grant.ts.
import { z } from 'zod';
import { Role } from '../access/permissions';

/** What HQ vouches for. Signed as the exact JSON text sent, so no canonical form is needed. */
export const OfflineGrantClaims = z
  .object({
    version: z.literal(1),
    userId: z.uuid(),
    deviceId: z.uuid(),
    branchId: z.string(),
    roles: z.array(Role).min(1),
    /** HQ's clock at the online sign-in. */
    issuedAt: z.iso.datetime(),
    /** issuedAt plus HQ's offline window: no offline sign-in on this grant after it. */
    expiresAt: z.iso.datetime(),
  })
  .strict();
export type OfflineGrantClaims = z.infer<typeof OfflineGrantClaims>;

export const OfflineGrant = z.object({
  /** OfflineGrantClaims as JSON text: the text the signature covers. */
  claims: z.string().min(2).max(2000),
  /** Ed25519 over offlineGrantPayload(claims) in UTF-8, base64. */
  signature: z.base64().max(200),
});
export type OfflineGrant = z.infer<typeof OfflineGrant>;

/** HQ's grant-signing public key: Ed25519, SPKI DER in base64. */
export const GrantKey = z.base64().min(40).max(256);

/** A label in front of the claims, so a signature over them can never pass for any other use. */
export const offlineGrantPayload = (claims: string): string =>
  `branchdesk offline grant\n${claims}`;
