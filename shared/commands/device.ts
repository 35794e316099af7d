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
