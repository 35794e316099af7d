// The HQ admin commands (`npm run hq -- <command>`) and their options, as typed at a shell.
import { z } from 'zod';

const count = (max: number) => z.coerce.number().int().min(1).max(max);

export const HqAdminCommand = z.discriminatedUnion('command', [
  z.object({
    command: z.literal('serve'),
    port: z.coerce.number().int().min(0).max(65_535).optional(),
    host: z.string().min(1).max(255).optional(),
  }),
  z.object({ command: z.literal('migrate') }),
  z.object({
    command: z.literal('seed'),
    customers: count(10_000_000).default(50_000),
    branches: count(999).default(3),
    seed: z.coerce
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(1),
  }),
  z.object({
    command: z.literal('enroll-code'),
    branch: z.string().min(1).max(64),
    ttlHours: z.coerce
      .number()
      .min(0)
      .max(24 * 30)
      .default(24),
  }),
  z.object({ command: z.literal('revoke-device'), device: z.uuid() }),
  z.object({
    command: z.literal('reassign'),
    customer: z.uuid(),
    branch: z.string().min(1).max(64),
    rm: z.string().min(1).max(64).optional(),
  }),
]);
export type HqAdminCommand = z.infer<typeof HqAdminCommand>;
