// The vault's commands: create a profile, check its health, rotate its key.
import { z } from 'zod';

const DataDir = z
  .string()
  .trim()
  .min(1, 'dataDir is required')
  .max(4096)
  .refine((dir) => !dir.includes('\0'), 'dataDir must not contain NUL');

export const VaultInitInput = z.object({ dataDir: DataDir }).strict();
export const VaultInitOutput = z.object({
  profileId: z.uuid(),
  dataDir: z.string(),
  schemaVersion: z.number().int(),
  keyAccount: z.string(),
});

export const DoctorCheckId = z.enum([
  'secret_store',
  'metadata',
  'key',
  'open',
  'profile_binding',
  'schema_version',
  'pragmas',
  'integrity',
  'file_permissions',
  'staging_key',
]);
export type DoctorCheckId = z.infer<typeof DoctorCheckId>;

export const DoctorCheck = z.object({
  id: DoctorCheckId,
  ok: z.boolean(),
  /** An `error` check makes the vault unhealthy; a `warning` is reported but tolerated. */
  severity: z.enum(['error', 'warning']),
  /** Non-secret facts for the operator: versions, modes, counts. */
  facts: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  errorCode: z.string().optional(),
});
export type DoctorCheck = z.infer<typeof DoctorCheck>;

export const VaultDoctorInput = z.object({ dataDir: DataDir }).strict();
export const VaultDoctorOutput = z.object({
  healthy: z.boolean(),
  profileId: z.string().nullable(),
  checks: z.array(DoctorCheck),
});
export type VaultDoctorOutput = z.infer<typeof VaultDoctorOutput>;

export const VaultRekeyInput = z.object({ dataDir: DataDir }).strict();
export const VaultRekeyOutput = z.object({
  profileId: z.uuid(),
  rotatedAt: z.iso.datetime(),
});
