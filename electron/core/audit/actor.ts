// Who acts, as the audit log, mutations and customer records name them: one reference for every
// writer (the command table, the desk session), so a name that fits one fits them all. The
// encoding is shared with HQ (shared/audit/actor.ts), which checks makers against approvers.
import type { Principal } from '../../../shared/access/permissions';
import { actorReference, type Acting } from '../../../shared/audit/actor';
import { sha256Hex } from './log';

export { ACTOR_MAX, type Acting } from '../../../shared/audit/actor';

/** The shared reference, hashed with the device's SHA-256. */
export const actorId = (who: Acting): string => actorReference(who, sha256Hex);

/** The actor of a principal, as the command handlers take it. */
export function actorOf(principal: Principal): { id: string } {
  return { id: actorId(principal) };
}
