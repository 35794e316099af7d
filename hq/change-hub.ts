// Changes in seconds: each HQ instance LISTENs on the database's branchdesk_change channel (HQ
// migration 26 NOTIFYs it when a change to a branch's feed commits, whichever instance made it)
// and tells the devices of that branch connected to it. A device told pulls; nothing it is told
// is data, so a lost or extra nudge costs a pull at most, and polling stays as the fallback.
import type { Database } from './db/database';

export const CHANGE_CHANNEL = 'branchdesk_change';

/** Everyone: a publication every branch takes, or a listener that was away and missed some. */
const EVERY_BRANCH = '*';

export type Nudge = () => void;

export class ChangeHub {
  private readonly byBranch = new Map<string, Set<Nudge>>();
  private count = 0;

  private constructor(private readonly unlisten: () => Promise<void>) {}

  static async open(db: Database): Promise<ChangeHub> {
    const opened: { hub?: ChangeHub } = {};
    const unlisten = await db.listen(CHANGE_CHANNEL, (payload) => opened.hub?.notify(payload));
    opened.hub = new ChangeHub(unlisten);
    return opened.hub;
  }

  /** Devices connected to this instance now. */
  get connected(): number {
    return this.count;
  }

  /** `nudge` runs after each change to `branchId`'s feed commits; the result unsubscribes. */
  subscribe(branchId: string, nudge: Nudge): () => void {
    let set = this.byBranch.get(branchId);
    if (!set) this.byBranch.set(branchId, (set = new Set()));
    set.add(nudge);
    this.count++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      if (set.delete(nudge)) this.count--;
      if (set.size === 0) this.byBranch.delete(branchId);
    };
  }

  private notify(branchId: string): void {
    const targets =
      branchId === EVERY_BRANCH ? [...this.byBranch.values()] : [this.byBranch.get(branchId)];
    for (const set of targets) for (const nudge of set ?? []) nudge();
  }

  async close(): Promise<void> {
    this.byBranch.clear();
    this.count = 0;
    await this.unlisten();
  }
}
