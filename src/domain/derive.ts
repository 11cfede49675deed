/** @module The job's state and progress, derived from its drives by pure functions (LIFECYCLE.md Decisions). */

import type { Drive, Job } from "./model.js";
import type { JobState } from "./states.js";

/**
 * The job state that its drives imply. Creating and Canceled are customer states and are returned
 * unchanged. See the module tests for the full table.
 */
export function deriveJobState(job: Pick<Job, "state" | "type">, drives: readonly Drive[]): JobState {
  void job;
  void drives;
  throw new Error("not implemented");
}

/** True when the job met an error: a drive CompletedMoreInfo with errorCount > 0, or a drive NeverReceived. */
export function jobHasErrors(drives: readonly Drive[]): boolean {
  void drives;
  throw new Error("not implemented");
}

/** Byte-weighted percent complete (0–100, integer) over the job's own (non-extra) drives. */
export function jobPercentComplete(drives: readonly Drive[]): number {
  void drives;
  throw new Error("not implemented");
}
