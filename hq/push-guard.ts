// What HQ takes from a branch before merging anything (docs/SYNC-PROTOCOL.md, "What a branch may
// push"): edits only to customers the branch holds now, or held when the edit was made and left
// no longer ago than the grace period; and creations that set none of the fields HQ owns. A
// device holds credentials for its branch, not for every customer the branch ever had.
import { z } from 'zod';
import { hqOwnedFieldsSetAtCreate } from '../shared/customer';
import type { Mutation, MutationRejection } from '../shared/protocol/mutations';
import { compareHlc } from '../shared/sync/hlc';
import { localToday, type CalendarDate } from '../shared/validation';
import type { Sql } from './db/database';
import type { AuthenticatedDevice } from './devices';
import { holdsNow, scopeMoves, type ScopeMove } from './scope';

/**
 * A week: an RM's laptop may stay shut from a visit before a public holiday (the offline sign-in
 * window is 72 h, but the outbox waits for any later sign-in), and a week is still short enough
 * that a branch cannot keep writing to a customer it lost.
 */
export const DEFAULT_SCOPE_GRACE_HOURS = 7 * 24;

const GraceHours = z.coerce
  .number()
  .positive()
  .max(90 * 24);

/**
 * HQ_SCOPE_GRACE_HOURS, else the default. Read once, as HQ starts: a value that is not a positive
 * number of hours (up to 90 days) stops HQ there rather than guessing a grace.
 */
export const scopeGraceMs = graceHours(process.env.HQ_SCOPE_GRACE_HOURS) * 60 * 60 * 1000;

function graceHours(setting: string | undefined): number {
  if (!setting) return DEFAULT_SCOPE_GRACE_HOURS;
  const parsed = GraceHours.safeParse(setting);
  if (!parsed.success)
    throw new Error('HQ_SCOPE_GRACE_HOURS must be a positive number of hours, at most 2160');
  return parsed.data;
}

/**
 * Why this device may not push this edit, or null when it may. Whether the branch held the
 * customer when the edit was made is judged by what the device knew: the scope changes it had
 * pulled (the mutation's `scopeCursor`); a device's clock cannot tell, since a PC up to 36 h fast
 * pulls every clock ahead of real time and concurrent events then order by counters. A mutation
 * from a build that sent no cursor is judged by its clock instead: stamped before the
 * reassignment that took the customer away.
 */
export async function scopeRefusal(
  tx: Sql,
  device: AuthenticatedDevice,
  mutation: Extract<Mutation, { kind: 'update' }>,
  now = Date.now(),
): Promise<MutationRejection | null> {
  if (await holdsNow(tx, device.branchId, mutation.customerId)) return null;
  const { everHeld, moves } = await scopeMoves(tx, device.branchId, mutation.customerId);
  if (!everHeld) return 'OUT_OF_SCOPE';
  const cursor = mutation.scopeCursor;
  const after = (move: ScopeMove) =>
    cursor === undefined ? compareHlc(move.hlc, mutation.hlc) > 0 : move.seq > cursor;
  const ordered = cursor === undefined ? moves : [...moves].sort((a, b) => a.seq - b.seq);
  const before = ordered.filter((move) => !after(move)).at(-1);
  // With no move before the edit, the branch held it then if the first move was leaving.
  const heldThen = before ? before.inScope : ordered[0]?.inScope === false;
  const left = ordered.find(after);
  if (!heldThen || !left || left.inScope) return 'OUT_OF_SCOPE';
  return now - left.at.getTime() > scopeGraceMs ? 'SCOPE_GRACE_EXPIRED' : null;
}

/** Why HQ refuses this creation, or null: it may not set what HQ owns (hqOwnedFields). */
export function createRefusal(
  device: AuthenticatedDevice,
  mutation: Extract<Mutation, { kind: 'create' }>,
  today: CalendarDate = localToday(),
): MutationRejection | null {
  const set = hqOwnedFieldsSetAtCreate(mutation.customer, device.branchId, today);
  return set.length > 0 ? 'HQ_OWNED_FIELD' : null;
}
