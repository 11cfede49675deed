/** @module The three timers of LIFECYCLE.md as rules over stored timestamps and an injected "now". */

import type { Drive, Job } from "./model.js";

export type DueEffect =
  | { kind: "DeleteJob"; timer: "CreatingTimeout" | "Retention"; reason: string }
  | { kind: "MarkNeverReceived"; driveIds: string[]; reason: string };

/** Timer lengths in milliseconds. */
export const TIMERS: {
  readonly creatingTimeoutMs: number;
  readonly deliveryTimeoutMs: number;
  readonly retentionMs: number;
} = undefined as never;

/** The effects due on this job at `now` (a timer is due at exactly its length, and after). */
export function dueEffects(job: Job, drives: readonly Drive[], now: Date): DueEffect[] {
  void job;
  void drives;
  void now;
  throw new Error("not implemented");
}

/**
 * For the store's candidate queries: a job may be due only if its timestamp is at or before the
 * matching cutoff (ISO-8601 strings, comparable as text).
 */
export function timerCutoffs(now: Date): {
  createdAtOrBefore: string;
  trackingRecordedAtOrBefore: string;
  stateChangedAtOrBefore: string;
} {
  void now;
  throw new Error("not implemented");
}
