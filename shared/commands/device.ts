// Enrolling this device with HQ and asking HQ about it.
import { z } from 'zod';
import { EnrollmentCode, HqUrl } from '../protocol/hq';
import { VaultDoctorOutput } from './vault';

const DataDir = z.string().trim().min(1).max(4096);

export const DeviceEnrollInput = z
  .object({
    dataDir: DataDir,
    hqUrl: HqUrl,
    code: EnrollmentCode,
    deviceName: z.string().trim().min(1).max(100).optional(),
    /** A training profile (培训模式): enrolls with a training HQ only, never a production one. */
    training: z.boolean().optional(),
  })
  .strict();

export const Enrollment = z.object({
  profileId: z.uuid(),
  deviceId: z.uuid(),
  branchId: z.string(),
  branchName: z.string(),
  hqUrl: z.string(),
});

export const DeviceStatusInput = z.object({ dataDir: DataDir }).strict();

export const DeviceCheck = Enrollment.extend({
  status: z.enum(['active', 'revoked']),
  wiped: z.boolean(),
});

export const DeviceAboutInput = z.object({}).strict();

/**
 * What the desk shows before and after sign-in (first run, settings and about): whether this
 * device is enrolled, to which branch and HQ, and the app's version. Nothing about customers or
 * staff, so anyone at the desk may ask.
 */
export const DeviceAbout = z.object({
  version: z.string(),
  profileId: z.uuid(),
  enrolled: z.boolean(),
  deviceId: z.uuid().nullable(),
  branchId: z.string().nullable(),
  branchName: z.string().nullable(),
  hqUrl: z.string().nullable(),
  /** When a sync round last finished here (null: never); every role's status bar shows it. */
  lastSyncAt: z.string().nullable(),
  /** A training profile (培训模式): every screen and print carries the watermark 培训. */
  training: z.boolean(),
});

export const DeviceHealthInput = z.object({}).strict();

/** One sync round as the device remembers it: when, whether it finished, and its counts. */
export const SyncRoundRecord = z.object({
  at: z.iso.datetime(),
  ok: z.boolean(),
  pushed: z.number().int(),
  applied: z.number().int(),
  rejected: z.number().int(),
  pulled: z.number().int(),
  inserted: z.number().int(),
  updated: z.number().int(),
  removed: z.number().int(),
  evicted: z.number().int(),
  auditUploaded: z.number().int(),
  /** The error code a failed round (or a refused audit upload) ended with; null when none. */
  error: z.string().nullable(),
});
export type SyncRoundRecord = z.infer<typeof SyncRoundRecord>;

/**
 * IT's view of this device (the IT screen): the checks `branchctl doctor` runs on its own
 * profile, its enrollment, where its sync stands (counts, never customer data), and the last
 * rounds. Nothing about any customer or person.
 */
export const DeviceHealth = z.object({
  about: DeviceAbout,
  doctor: VaultDoctorOutput,
  sync: z.object({
    lastSyncAt: z.string().nullable(),
    cursor: z.number().int(),
    customers: z.number().int(),
    outbox: z.number().int(),
    rejected: z.number().int(),
    openConflicts: z.number().int(),
    auditPending: z.number().int(),
  }),
  /** The last rounds, newest first. */
  rounds: z.array(SyncRoundRecord),
});
export type DeviceHealth = z.infer<typeof DeviceHealth>;
