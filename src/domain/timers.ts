/** @module The three timers of LIFECYCLE.md as one table over stored timestamps and an injected "now". */

import { DAY_MS } from "./clock.js";
import type { Drive, Job } from "./model.js";
import { FINAL_JOB_STATES, type JobState } from "./states.js";

export type TimerName = "CreatingTimeout" | "DeliveryTimeout" | "Retention";

/** The job's timestamps a timer runs from. */
export type TimerField = "createdAt" | "trackingRecordedAt" | "stateChangedAt";

export interface TimerRule {
  timer: TimerName;
  /** The states the timer runs in. */
  states: readonly JobState[];
  /** The timestamp it runs from. */
  since: TimerField;
  lengthMs: number;
}

/** LIFECYCLE.md "Timers, in one place": which state, from which timestamp, how long. */
export const TIMER_RULES: readonly TimerRule[] = Object.freeze([
  { timer: "CreatingTimeout", states: ["Creating"], since: "createdAt", lengthMs: 14 * DAY_MS },
  { timer: "DeliveryTimeout", states: ["Shipping"], since: "trackingRecordedAt", lengthMs: 14 * DAY_MS },
  { timer: "Retention", states: FINAL_JOB_STATES, since: "stateChangedAt", lengthMs: 90 * DAY_MS },
]);

function rule(timer: TimerName): TimerRule {
  return TIMER_RULES.find((r) => r.timer === timer)!;
}

/** Timer lengths in milliseconds, by name. */
export const TIMERS: {
  readonly creatingTimeoutMs: number;
  readonly deliveryTimeoutMs: number;
  readonly retentionMs: number;
} = Object.freeze({
  creatingTimeoutMs: rule("CreatingTimeout").lengthMs,
  deliveryTimeoutMs: rule("DeliveryTimeout").lengthMs,
  retentionMs: rule("Retention").lengthMs,
});

export type DueEffect =
  | { kind: "DeleteJob"; timer: "CreatingTimeout" | "Retention"; reason: string }
  | { kind: "MarkNeverReceived"; driveIds: string[]; reason: string }
  | { kind: "CloseJob"; reason: string };

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

/** When the delivery timeout of a job in Shipping falls (ISO), if tracking was recorded. */
export function deliveryTimeoutAt(job: Pick<Job, "trackingRecordedAt">): string | undefined {
  const from = job.trackingRecordedAt === undefined ? NaN : Date.parse(job.trackingRecordedAt);
  return Number.isFinite(from) ? new Date(from + TIMERS.deliveryTimeoutMs).toISOString() : undefined;
}

/** What a due timer does to this job. */
function effectOf(timer: TimerName, job: Job, drives: readonly Drive[]): DueEffect[] {
  switch (timer) {
    case "CreatingTimeout":
      return [
        {
          kind: "DeleteJob",
          timer,
          reason:
            "Creating timeout: no tracking information was recorded within 14 days of creating the job.",
        },
      ];
    case "Retention":
      return [{ kind: "DeleteJob", timer, reason: `Retention: the job has been ${job.state} for 90 days.` }];
    case "DeliveryTimeout": {
      const reason = "Delivery timeout: package not received 14 days after tracking was recorded.";
      // An export job has no drive until its drives are registered on arrival: with none, nothing can
      // be marked, so the job itself closes (LIFECYCLE.md "an export package that never arrives").
      if (job.type === "Export" && !drives.some((drive) => !drive.extra)) {
        return [{ kind: "CloseJob", reason }];
      }
      const driveIds = drives
        .filter((drive) => !drive.extra && drive.state === "Specified")
        .map((drive) => drive.driveId);
      return driveIds.length === 0 ? [] : [{ kind: "MarkNeverReceived", driveIds, reason }];
    }
  }
}

/** The effects due on this job at `now` (a timer is due at exactly its length, and after). */
export function dueEffects(job: Job, drives: readonly Drive[], now: Date): DueEffect[] {
  const due = TIMER_RULES.find((r) => r.states.includes(job.state));
  if (!due || !elapsed(job[due.since], due.lengthMs, now)) {
    return [];
  }
  return effectOf(due.timer, job, drives);
}

/** For the store's candidate query: one per timer, the states and the timestamp at or before which it is due. */
export interface TimerCutoff {
  states: readonly JobState[];
  since: TimerField;
  /** ISO-8601, comparable as text with the stored timestamps. */
  atOrBefore: string;
}

/** The cutoffs at `now`: a job may be due only if its timer's timestamp is at or before its cutoff. */
export function timerCutoffs(now: Date): TimerCutoff[] {
  const at = now.getTime();
  return TIMER_RULES.map((r) => ({
    states: r.states,
    since: r.since,
    atOrBefore: new Date(at - r.lengthMs).toISOString(),
  }));
}
