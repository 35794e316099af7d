// The simulated devices' PC clocks: most are off by up to a day either way; some are set 30 hours
// fast or slow, which HQ must undo by measuring each push's clock (docs/SYNC-PROTOCOL.md, "A
// wrong clock"). One draw per device, so a seed's other choices stay where they were.

const HOUR = 60 * 60 * 1000;

/** A device's clock offset in ms from a uniform draw in [0, 1). */
export function deviceSkewMs(draw: number): number {
  if (draw < 1 / 6) return 30 * HOUR;
  if (draw >= 5 / 6) return -30 * HOUR;
  return Math.round((draw * 2 - 1) * 24 * HOUR);
}
