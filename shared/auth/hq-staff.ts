// HQ's own staff, who use the admin API: their roles, and the bodies of their sign-in, of HQ's
// audit export and of the overdue-devices list. They sign in as branch staff do (password and
// TOTP), at HQ only, never on a branch device.
import { z } from 'zod';
import { Role } from '../access/permissions';
import { LoginRequest, Username } from './staff';

/**
 * HQ administrators change staff, branches, customers and devices; HQ auditors read the audit
 * (HQ's and every device's) and what HQ holds; privacy officers answer "who looked at this
 * customer" and export the audit, and change nothing.
 */
export const HqRole = z.enum(['hq_admin', 'hq_auditor', 'privacy_officer']);
export type HqRole = z.infer<typeof HqRole>;

/** `POST /v1/admin/session`: the same fields as a branch sign-in. */
export const HqSignInRequest = LoginRequest;

export const HqUser = z.object({
  userId: z.uuid(),
  username: Username,
  displayName: z.string().min(1).max(100),
  roles: z.array(HqRole).min(1),
});
export type HqUser = z.infer<typeof HqUser>;

export const HqSignInResponse = z.object({
  user: HqUser,
  /** A bearer token for /v1/admin, bound to this user, short-lived. */
  accessToken: z.string().min(32).max(128),
  expiresAt: z.iso.datetime(),
});
export type HqSignInResponse = z.infer<typeof HqSignInResponse>;

/** `GET /v1/admin/audit/hq`: HQ's own audit, a page at a time, oldest first. */
export const HqAuditQuery = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

export const HqAuditResponse = z.object({
  entries: z.array(
    z.object({
      seq: z.number().int().positive(),
      at: z.string(),
      actor: z.string(),
      action: z.string(),
      target: z.string().nullable(),
      details: z.string(),
      prevHash: z.string(),
      hash: z.string(),
    }),
  ),
});

/** `GET /v1/admin/audit/overdue`: active devices whose audit has not reached HQ for a while. */
export const OverdueQuery = z.object({
  hours: z.coerce
    .number()
    .positive()
    .max(24 * 365)
    .default(24),
});

export const OverdueDevicesResponse = z.object({
  devices: z.array(
    z.object({
      deviceId: z.uuid(),
      branchId: z.string(),
      /** The last batch HQ accepted from it; null: none since enrollment. */
      lastUploadAt: z.iso.datetime().nullable(),
      enrolledAt: z.iso.datetime(),
      heldSeq: z.number().int().min(0),
    }),
  ),
});
export type OverdueDevicesResponse = z.infer<typeof OverdueDevicesResponse>;

/** `POST /v1/admin/staff`: a member of branch staff (or a branch-less auditor or IT). */
export const AdminStaffRequest = z
  .object({
    username: Username,
    displayName: z.string().trim().min(1).max(100),
    roles: z.array(Role).min(1),
    branchId: z.string().min(1).max(64).nullable(),
  })
  .strict();

/** The new account's credentials, shown once to the administrator who made it. */
export const AdminStaffResponse = z.object({
  userId: z.uuid(),
  username: Username,
  password: z.string(),
  totpSecret: z.string(),
});
