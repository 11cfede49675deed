/** @module The three timers of LIFECYCLE.md as rules over stored timestamps and an injected "now". */

import { DAY_MS } from "./clock.js";
import type { Drive, Job } from "./model.js";
import { FINAL_JOB_STATES } from "./states.js";

export type DueEffect =
  | { kind: "DeleteJob"; timer: "CreatingTimeout" | "Retention"; reason: string }
  | { kind: "MarkNeverReceived"; driveIds: string[]; reason: string };

/** Timer lengths in milliseconds. */
export const TIMERS: {
  readonly creatingTimeoutMs: number;
  readonly deliveryTimeoutMs: number;
  readonly retentionMs: number;
} = Object.freeze({
  creatingTimeoutMs: 14 * DAY_MS,
  deliveryTimeoutMs: 14 * DAY_MS,
  retentionMs: 90 * DAY_MS,
});

/**
 * Whether `length` ms have passed since `start` at `now`. A missing or unreadable timestamp, or a clock
 * behind the timestamp, is simply "not due": a sweep must never fail on one odd row.
 */
function elapsed(start: string | undefined, length: number, now: Date): boolean {
  if (start === undefined) {
    return false;
  }
  const from = Date.parse(start);
  const at = now.getTime();
  return Number.isFinite(from) && Number.isFinite(at) && at - from >= length;
}

/** The effects due on this job at `now` (a timer is due at exactly its length, and after). */
export function dueEffects(job: Job, drives: readonly Drive[], now: Date): DueEffect[] {
  if (job.state === "Creating") {
    return elapsed(job.createdAt, TIMERS.creatingTimeoutMs, now)
      ? [
          {
            kind: "DeleteJob",
            timer: "CreatingTimeout",
            reason:
              "Creating timeout: no tracking information was recorded within 14 days of creating the job.",
          },
        ]
      : [];
  }
  if (job.state === "Shipping") {
    if (!elapsed(job.trackingRecordedAt, TIMERS.deliveryTimeoutMs, now)) {
      return [];
    }
    const driveIds = drives
      .filter((drive) => !drive.extra && drive.state === "Specified")
      .map((drive) => drive.driveId);
    return driveIds.length === 0
      ? []
      : [
          {
            kind: "MarkNeverReceived",
            driveIds,
            reason: "Delivery timeout: package not received 14 days after tracking was recorded.",
          },
        ];
  }
  if (FINAL_JOB_STATES.includes(job.state)) {
    return elapsed(job.stateChangedAt, TIMERS.retentionMs, now)
      ? [
          {
            kind: "DeleteJob",
            timer: "Retention",
            reason: `Retention: the job has been ${job.state} for 90 days.`,
          },
        ]
      : [];
  }
  return [];
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
  const at = now.getTime();
  return {
    createdAtOrBefore: new Date(at - TIMERS.creatingTimeoutMs).toISOString(),
    trackingRecordedAtOrBefore: new Date(at - TIMERS.deliveryTimeoutMs).toISOString(),
    stateChangedAtOrBefore: new Date(at - TIMERS.retentionMs).toISOString(),
  };
}
