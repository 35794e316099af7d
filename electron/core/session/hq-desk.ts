// A privacy officer at the desk, signed in to HQ (docs/PRIVACY.md, "The privacy desk"): their HQ
// session, kept in the core's memory for the desk window that signed them in, never on disk. It is
// apart from the branch's staff session: HQ staff are not branch staff, and HQ decides what they
// may do on every call.
import type { HqUser } from '../../../shared/auth/hq-staff';
import { BranchDeskError } from '../../../shared/errors';

export interface HqDeskSession {
  user: HqUser;
  token: string;
  expiresAt: string;
}

const sessions = new WeakMap<object, HqDeskSession>();

export const hqDesk = {
  /** The HQ session of the desk window `owner` (its staff session object), if any and live. */
  get(owner: object): HqDeskSession | undefined {
    const session = sessions.get(owner);
    if (session && Date.parse(session.expiresAt) <= Date.now()) {
      sessions.delete(owner);
      return undefined;
    }
    return session;
  },
  set(owner: object, session: HqDeskSession): void {
    sessions.set(owner, session);
  },
  forget(owner: object): void {
    sessions.delete(owner);
  },
  /** The live session, or HQ_SESSION_REQUIRED. */
  require(owner: object): HqDeskSession {
    const session = this.get(owner);
    if (!session) throw new BranchDeskError('HQ_SESSION_REQUIRED');
    return session;
  },
};
