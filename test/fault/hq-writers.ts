// Concurrent HQ writers for the fault simulation (issue 16, the change feed): several HQ staff
// edits to different customers sent at the same moment, while a device syncs. HQ's transactions
// take their change_seq in one order and may commit in another; a pull in the middle must not
// move the device's cursor past a change still being committed (hq/feed-watermark.ts), or the
// device misses it for good, which the simulation's final check finds as a divergence. (On
// PGlite HQ's transactions run one at a time; the late commit itself is tested on PostgreSQL in
// test/integration/hq/change-feed.test.ts.)

/** One HQ write: a customer and what sends it. */
export interface HqWrite {
  customerId: string;
  send: () => Promise<unknown>;
}

/**
 * Sends every write and runs `sync` all at once; the writes that HQ applied (a refusal, e.g.
 * a customer HQ does not hold yet, is no fault). A sync's own failure is `sync`'s to report.
 */
export async function writeConcurrently(
  writes: HqWrite[],
  sync: () => Promise<void>,
): Promise<HqWrite[]> {
  const [results] = await Promise.all([
    Promise.allSettled(writes.map((write) => write.send())),
    sync(),
  ]);
  return writes.filter((_, index) => results[index]!.status === 'fulfilled');
}
