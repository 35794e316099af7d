// HQ's epoch (HQ migration 11): which life of HQ's database a device is talking to. A restore
// from a backup takes HQ back in time; the epoch changes with it, and a device that sees a new
// one re-sends what HQ may have lost and checks its whole copy again (docs/SYNC-PROTOCOL.md).
import { randomUUID } from 'node:crypto';
import { HqEpoch } from '../shared/protocol/hq';
import type { Database, Sql } from './db/database';

export type EpochReason = 'restore' | 'detected';

export async function currentEpoch(db: Sql): Promise<string> {
  const [row] = await db.query<{ epoch: string }>(
    'SELECT epoch FROM hq_epoch ORDER BY n DESC LIMIT 1',
  );
  if (!row) throw new Error('HQ has no epoch: run the migrations');
  return row.epoch;
}

/**
 * Starts a new epoch; returns it. With `seen`, only if the current epoch is still `seen`: two
 * devices that show the same rewind at once start one new epoch, not two.
 */
export async function rotateEpoch(
  db: Database,
  reason: EpochReason,
  options: { seen?: string; deviceId?: string } = {},
): Promise<string> {
  return db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtextextended('hq_epoch', 0))");
    const current = await currentEpoch(tx);
    if (options.seen !== undefined && options.seen !== current) return current;
    const epoch = randomUUID();
    await tx.query('INSERT INTO hq_epoch (epoch, reason, device_id) VALUES ($1, $2, $3)', [
      epoch,
      reason,
      options.deviceId ?? null,
    ]);
    return epoch;
  });
}

/** The last change sequence number HQ has issued: no device can have seen one beyond it. */
export async function lastChangeSeq(db: Sql): Promise<number> {
  const [row] = await db.query<{ last: string }>(
    'SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END AS last FROM change_seq',
  );
  return Number(row?.last ?? 0);
}

/** The epoch a device says it is in (header `x-branchdesk-epoch`), or undefined. */
export function presentedEpoch(headers: Record<string, unknown>): string | undefined {
  const parsed = HqEpoch.safeParse(headers['x-branchdesk-epoch']);
  return parsed.success ? parsed.data : undefined;
}

/**
 * A device showed it has seen more of HQ than HQ holds (a cursor or an audit acknowledgement
 * beyond HQ's own): HQ's database went back in time without the restore runbook's rotation.
 * A device still in an older epoch shows nothing new (it will start over when it learns the
 * current one); otherwise HQ starts a new epoch, once.
 */
export async function rewindSeen(
  db: Database,
  device: { deviceId: string },
  presented: string | undefined,
): Promise<string> {
  const current = await currentEpoch(db);
  if (presented !== undefined && presented !== current) return current;
  return rotateEpoch(db, 'detected', { seen: current, deviceId: device.deviceId });
}
