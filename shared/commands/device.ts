// Enrolling this device with HQ and asking HQ about it.
import { z } from 'zod';
import { EnrollmentCode, HqUrl } from '../protocol/hq';

const DataDir = z.string().trim().min(1).max(4096);

export const DeviceEnrollInput = z
  .object({
    dataDir: DataDir,
    hqUrl: HqUrl,
    code: EnrollmentCode,
    deviceName: z.string().trim().min(1).max(100).optional(),
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
});
