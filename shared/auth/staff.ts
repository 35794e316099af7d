// Staff sign-in: the shapes both ends agree on (usernames, one-time codes, the policy HQ sets)
// and the HQ API bodies for login, refresh, logout, the branch's staff list and audit intake.
import { z } from 'zod';
import { AuditEntry } from '../audit/entry';
import { Role } from '../access/permissions';
import { GrantKey, OfflineGrant } from './offline-grant';

/** Lower-case letters, digits and `._-`: the same on every keyboard layout and in every log. */
export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'letters, digits and . _ - (2 to 64)');

/** What a person types as a password: never trimmed, never logged. */
export const Password = z.string().min(1).max(256);

/** A TOTP code from the user's authenticator app (RFC 6238, six digits, 30 s). */
export const TotpCode = z
  .string()
  .transform((code) => code.replace(/\s/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, 'six digits'));

/** The rules HQ sets for sign-in on branch devices. */
export const SignInPolicy = z.object({
  /** How long after the last online sign-in the same user may sign in offline. */
  offlineWindowHours: z
    .number()
    .int()
    .min(0)
    .max(24 * 30),
  /** Minutes without a command before the session locks. */
  idleLockMinutes: z.number().int().min(1).max(60),
  /** Days an audit entry HQ has acknowledged stays on the device before it is pruned. */
  auditRetentionDays: z.number().int().min(0).max(3650),
});
export type SignInPolicy = z.infer<typeof SignInPolicy>;

export const defaultSignInPolicy: SignInPolicy = {
  offlineWindowHours: 72,
  idleLockMinutes: 5,
  auditRetentionDays: 90,
};

/** Failed attempts before an account locks, and for how long (online at HQ and offline). */
export const LOCKOUT_ATTEMPTS = 5;
export const LOCKOUT_MINUTES = 15;

export const StaffUser = z.object({
  userId: z.uuid(),
  username: Username,
  displayName: z.string().min(1).max(100),
  roles: z.array(Role).min(1),
  /** Null: not tied to one branch (auditors and IT at HQ). */
  branchId: z.string().nullable(),
  /** A relationship manager's own book: the customers assigned to this RM id. */
  rmId: z.string().min(1).max(64).optional(),
});
export type StaffUser = z.infer<typeof StaffUser>;

export const LoginRequest = z
  .object({ username: Username, password: Password, totp: TotpCode })
  .strict();

export const SessionTokens = z.object({
  accessToken: z.string().min(32).max(128),
  accessExpiresAt: z.iso.datetime(),
  refreshToken: z.string().min(32).max(128),
  refreshExpiresAt: z.iso.datetime(),
});
export type SessionTokens = z.infer<typeof SessionTokens>;

export const LoginResponse = z.object({
  user: StaffUser,
  tokens: SessionTokens,
  /**
   * For offline sign-in on this device only, until the offline window ends: kept in the vault.
   * HQ never sends a TOTP secret: the second factor is checked at HQ and nowhere else.
   */
  offlineGrant: OfflineGrant,
  /**
   * HQ's grant-signing public key. A device pins it at enrollment; only a device enrolled before
   * grants existed (none pinned) takes it from here, once, over its authenticated channel.
   */
  grantKey: GrantKey,
  passwordChangedAt: z.iso.datetime(),
  policy: SignInPolicy,
  /** HQ's clock: the device never accepts an earlier time for its offline window. */
  serverTime: z.iso.datetime(),
});
export type LoginResponse = z.infer<typeof LoginResponse>;

export const RefreshRequest = z.object({ refreshToken: z.string().min(32).max(128) }).strict();
export const LogoutRequest = RefreshRequest;

/** `GET /v1/branch/staff`: who may sign in on this branch's devices, as of now. */
export const BranchStaffResponse = z.object({
  users: z.array(
    StaffUser.extend({
      status: z.enum(['active', 'disabled']),
      passwordChangedAt: z.iso.datetime(),
    }),
  ),
  policy: SignInPolicy,
  serverTime: z.iso.datetime(),
});
export type BranchStaffResponse = z.infer<typeof BranchStaffResponse>;

/** A device's public audit key at enrollment: Ed25519, SPKI DER in base64. */
export const AuditKey = z.object({
  publicKey: z.base64().max(256),
  /** The chain's name: the profile id every entry carries as its `device`. */
  chain: z.uuid(),
});

/** `POST /v1/audit/batches`: consecutive entries, signed by the device's audit key. */
export const AuditBatch = z
  .object({
    entries: z.array(AuditEntry).min(1).max(1000),
    /** Ed25519 over auditBatchPayload(), base64. */
    signature: z.base64().max(200),
  })
  .strict();
export type AuditBatch = z.infer<typeof AuditBatch>;

export const AuditBatchResponse = z.object({
  /** The last entry HQ holds from this device: everything up to it may be pruned locally. */
  acknowledged: z.object({ seq: z.number().int().min(0), hash: z.string() }),
});

/** `GET /v1/audit/customers/:id`: who looked at a customer, from every device. */
export const CustomerAccessResponse = z.object({
  entries: z.array(
    z.object({
      deviceId: z.uuid(),
      seq: z.number().int(),
      at: z.string(),
      actor: z.string(),
      action: z.string(),
      details: z.string(),
    }),
  ),
});

/**
 * Argon2id for staff passwords, at HQ and for the device's offline verifier: well above OWASP's
 * minimum (19 MiB, two passes): 128 MiB, three passes, one lane. About 0.2 s per check on a
 * two-core branch PC (`npm run bench -- access`): a person signing in barely notices, a guesser
 * pays it on every try, and 128 MiB per guess makes GPU farms expensive. `algorithm: 2` is
 * Argon2id.
 */
export const ARGON2ID = {
  algorithm: 2,
  memoryCost: 131_072,
  timeCost: 3,
  parallelism: 1,
} as const;
