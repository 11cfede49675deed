/** @module The real clock: the one place outside tests that reads the time; everything else is given it. */

import type { Clock } from "../domain/clock.js";

export const systemClock: Clock = { now: () => new Date() };
