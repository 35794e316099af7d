// The fault simulation's HQ restore (docs/OPERATIONS.md's runbook): while HQ is down, its data
// folder is copied (the backup); later HQ is stopped, the copy put back in its place, the epoch
// rotated and HQ started. Everything HQ took between the two is gone at HQ; the devices must bring
// it back (electron/core/sync/epoch.ts). The rotation is the runbook's `rotate-epoch` run here,
// on the stopped HQ's folder, sparing a process start (hq-restore.test.ts runs the command).
import { cpSync, rmSync } from 'node:fs';
import { openDatabase } from '../../hq/db/database';
import { rotateEpoch } from '../../hq/epoch';
import type { HqEnv } from '../support/hq';

export interface HqBackups {
  /** Copies HQ's data folder; HQ must be stopped. */
  backup(): void;
  /** Puts the last copy back and rotates the epoch; HQ must be stopped. False: no copy yet. */
  restore(): Promise<boolean>;
}

export function pgliteBackups(hq: HqEnv, backupDir: string): HqBackups {
  let taken = false;
  return {
    backup() {
      rmSync(backupDir, { recursive: true, force: true });
      cpSync(hq.dataDir, backupDir, { recursive: true });
      taken = true;
    },
    async restore() {
      if (!taken) return false;
      rmSync(hq.dataDir, { recursive: true, force: true });
      cpSync(backupDir, hq.dataDir, { recursive: true });
      taken = false;
      const db = await openDatabase({ dataDir: hq.dataDir });
      try {
        await rotateEpoch(db, 'restore');
      } finally {
        await db.close();
      }
      return true;
    },
  };
}
