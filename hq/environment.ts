// Which kind of HQ this is (HQ migration 023): production, or a training HQ of synthetic
// customers. Every answer carries it (`x-branchdesk-environment`), enrollment refuses a device of
// the other kind, and a training HQ is made so only before any device has enrolled.
import { BranchDeskError } from '../shared/errors';
import type { HqEnvironment } from '../shared/protocol/hq';
import type { Database, Sql } from './db/database';

export async function environmentOf(db: Sql): Promise<HqEnvironment> {
  const [row] = await db.query<{ environment: HqEnvironment }>(
    'SELECT environment FROM hq_environment',
  );
  return row?.environment ?? 'production';
}

/**
 * Makes this HQ a training HQ. Refused once any device has enrolled: devices that enrolled with
 * a production HQ must never find themselves talking to a training one (or the reverse).
 */
export async function makeTrainingHq(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    const [{ devices }] = (await tx.query<{ devices: number }>(
      'SELECT count(*)::int AS devices FROM device',
    )) as [{ devices: number }];
    if ((await environmentOf(tx)) === 'training') return;
    if (devices > 0)
      throw new BranchDeskError('HQ_ENVIRONMENT_MISMATCH', { environment: 'production' });
    await tx.query("UPDATE hq_environment SET environment = 'training', set_at = now()");
  });
}
