// The HQ HTTP API's bodies, shared by the HQ service (which validates them on every route) and
// the branch's HQ client.
import { z } from 'zod';

/** A one-time enrollment code as IT types it: 12 characters, dashes and case ignored. */
export const EnrollmentCode = z
  .string()
  .max(64)
  .transform((code) => code.toUpperCase().replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^[0-9A-HJKMNP-TV-Z]{12}$/, 'not an enrollment code'));

export const EnrollRequest = z
  .object({ code: EnrollmentCode, deviceName: z.string().trim().min(1).max(100) })
  .strict();

export const EnrollResponse = z.object({
  deviceId: z.uuid(),
  branchId: z.string(),
  branchName: z.string(),
  /** Shown once: the device keeps it in its OS keychain; HQ keeps only its hash. */
  credential: z.string(),
});
export type EnrollResponse = z.infer<typeof EnrollResponse>;

export const DeviceStatus = z.object({
  deviceId: z.uuid(),
  branchId: z.string(),
  status: z.enum(['active', 'revoked']),
  /** `wipe`: the device must delete its vault (it was revoked). */
  action: z.enum(['none', 'wipe']),
});

export const ApiError = z.object({
  code: z.string(),
  message: z.object({ 'zh-CN': z.string(), en: z.string() }),
});

export const Health = z.object({
  status: z.literal('ok'),
  database: z.enum(['postgres', 'pglite']),
});
