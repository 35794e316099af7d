// Machine-wide configuration IT deploys to branch PCs (docs/OPERATIONS.md says where per OS):
// which HQ, the update feed, and policy defaults. It can make the desk stricter, never looser
// than the product allows: the idle lock can only be shortened, and screen-capture protection
// can be turned off only where the bank's policy says so (this file is that policy on the PC).
import { z } from 'zod';
import { HqUrl } from './hq';

/** The longest idle time before the desk locks; IT may shorten it, not lengthen it. */
export const MAX_IDLE_LOCK_MINUTES = 5;

export const MachineConfig = z
  .object({
    /** HQ's address: `branchctl enroll` uses it when no --hq is given. */
    hqUrl: HqUrl.optional(),
    /** Where electron-updater looks for new versions (IT hosts it, for example on HQ). */
    updateFeedUrl: z.url({ protocol: /^https$/ }).optional(),
    /** Minutes of inactivity before the desk locks: 1 to MAX_IDLE_LOCK_MINUTES. */
    idleLockMinutes: z.number().int().min(1).max(MAX_IDLE_LOCK_MINUTES).optional(),
    /**
     * The counter's customer screen (客户确认屏): `auto` opens it on a second display when the
     * PC has one (default), `off` never (an RM's laptop at a customer's site).
     */
    customerScreen: z.enum(['auto', 'off']).default('auto'),
    /** Block screen capture of the window where the OS supports it (default on). */
    contentProtection: z.boolean().default(true),
    /** Origins whose https links may open in the OS browser (exact origins, no wildcards). */
    externalOrigins: z
      .array(
        z
          .url({ protocol: /^https$/ })
          // An origin, not a page: a path here would look narrower than the check (by origin) is.
          .refine((url) => /^https:\/\/[A-Za-z0-9.-]+(:\d{1,5})?\/?$/.test(url), {
            message: 'give an origin (https://host[:port]), without a path',
          }),
      )
      .max(20)
      .default([]),
  })
  .strict();
export type MachineConfig = z.infer<typeof MachineConfig>;
