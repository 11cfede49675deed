/** @module What a copy station says of its bays: each bay's name, what it holds, and why a drive waits. */

import { errors } from "./errors.js";

export const BAY_STATES = ["empty", "unreadable", "waiting", "copying", "done", "stopped"] as const;
export type BayState = (typeof BAY_STATES)[number];

export interface BayReport {
  bay: string;
  state: BayState;
  driveId?: string;
  message?: string;
}

/** A station has at most this many bays: a report is stored whole and shown whole. */
export const MAX_BAYS = 256;

/** Bay names are folder names; each appears once. */
export function throwIfBaysInvalid(bays: readonly BayReport[]): void {
  if (bays.length > MAX_BAYS) {
    throw errors.baysInvalid(`A station reports at most ${MAX_BAYS} bays, not ${bays.length}.`);
  }
  const seen = new Set<string>();
  for (const bay of bays) {
    if (bay.bay.trim() === "" || seen.has(bay.bay)) {
      throw errors.baysInvalid(`Bay '${bay.bay}' is named twice or has no name.`);
    }
    seen.add(bay.bay);
  }
}
