// The wall clock the core reads. BRANCHDESK_CLOCK_SKEW_MS shifts it, for the fault tests that run
// branch clients whose PC clock is off by up to a day (like BRANCHDESK_FAULT_POINT, unset in
// production, where this is Date.now()).

export function wallClock(): number {
  const skew = Number(process.env.BRANCHDESK_CLOCK_SKEW_MS ?? 0);
  return Date.now() + (Number.isFinite(skew) ? skew : 0);
}

export function wallClockIso(): string {
  return new Date(wallClock()).toISOString();
}
