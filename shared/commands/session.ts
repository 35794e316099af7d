// The session commands: sign in (online against HQ, or offline within HQ's window), sign out,
// lock and unlock, and where the session stands. Passwords and codes go in; nothing secret
// comes out.
import { z } from 'zod';
import { LoginRequest, Password, StaffUser } from '../auth/staff';

/** What a person types to sign in: the same fields HQ checks (`POST /v1/auth/login`). */
export const SessionLoginInput = LoginRequest;

export const SessionUnlockInput = z.object({ password: Password }).strict();

export const SessionEmptyInput = z.object({}).strict();

export const SessionStatus = z.object({
  state: z.enum(['signed_out', 'active', 'locked']),
  user: StaffUser.nullable(),
  /** How the user signed in: against HQ, or offline from this device's cache. */
  mode: z.enum(['online', 'offline']).nullable(),
  signedInAt: z.string().nullable(),
  /** When the session locks if nothing happens before (active sessions only). */
  locksAt: z.string().nullable(),
});
export type SessionStatus = z.infer<typeof SessionStatus>;

/** `audit.customer_access`: who looked at a customer, from every device (HQ's copy of the logs). */
export const CustomerAccessInput = z.object({ customerId: z.uuid() }).strict();

/** The forms whose unsaved input is kept as a draft across a lock. */
export const draftForms = ['new_customer'] as const;

export const DraftSaveInput = z
  .object({
    form: z.enum(draftForms),
    /** The form's fields as the desk holds them; the core keeps them encrypted, unread. */
    body: z.record(z.string().max(64), z.string().max(2000)),
  })
  .strict();

export const DraftFormInput = z.object({ form: z.enum(draftForms) }).strict();

export const DraftOutput = z.object({
  draft: z.object({ body: z.record(z.string(), z.string()), savedAt: z.string() }).nullable(),
});
