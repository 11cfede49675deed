/** @module The clock every rule reads time from; injected so tests and `lifecycle sweep --now` can set it. */

export interface Clock {
  now(): Date;
}

/** A clock that always answers the same instant (tests, sweeps "as of" a given time). */
export function fixedClock(at: Date | string): Clock {
  const instant = new Date(at);
  return { now: () => new Date(instant) };
}

/** Milliseconds in a day, for the timer table. */
export const DAY_MS = 24 * 60 * 60 * 1000;
