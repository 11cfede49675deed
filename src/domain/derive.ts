/** @module The job's state and progress, derived from its drives by pure functions (LIFECYCLE.md Decisions). */

import type { Drive, Job } from "./model.js";
import type { DriveState, JobState } from "./states.js";

/** Copying is over for this drive (it may still be waiting to ship back). */
export function isDriveProcessed(state: DriveState): boolean {
  return state === "Completed" || state === "CompletedMoreInfo" || state === "ShippedBack";
}

/** Copied in the current round but not shipped back yet: the job still holds it. */
function isAwaitingShipBack(state: DriveState): boolean {
  return state === "Completed" || state === "CompletedMoreInfo";
}

/**
 * The job state that its drives imply. Creating and Canceled are customer states and are returned
 * unchanged. The stored state is read only to tell a re-opened job from a first arrival. See the
 * module tests for the full table.
 */
export function deriveJobState(job: Pick<Job, "state" | "type">, drives: readonly Drive[]): JobState {
  if (job.state === "Creating" || job.state === "Canceled") {
    return job.state;
  }
  const own = drives.filter((drive) => !drive.extra);
  const extra = drives.filter((drive) => drive.extra);
  const anyOwn = (...states: DriveState[]): boolean => own.some((drive) => states.includes(drive.state));

  // An export job has no drives until they arrive: it waits for its package, unless the delivery timeout
  // closed it (LIFECYCLE.md "an export package that never arrives"); a drive registered later re-opens it.
  if (own.length === 0) {
    return job.state === "Closed" ? "Closed" : "Shipping";
  }
  // Still waiting for the package.
  if (anyOwn("Specified")) {
    return "Shipping";
  }
  if (anyOwn("Transferring")) {
    return "Transferring";
  }
  if (anyOwn("Received")) {
    // Copying has started if a drive was copied this round, or if the job already got past Received
    // (a drive shipped back before another was copied, or a late drive re-opening a job that only an
    // extra drive held in Packaging): going back to Received would be a move JOB_MOVES forbids. A
    // first arrival, or a late drive re-opening a Closed job, is only Received.
    const started =
      anyOwn("Completed", "CompletedMoreInfo") || job.state === "Transferring" || job.state === "Packaging";
    return started ? "Transferring" : "Received";
  }
  // Every own drive is now NeverReceived, Completed, CompletedMoreInfo or ShippedBack.
  if (own.some((drive) => isAwaitingShipBack(drive.state)) || extra.some((d) => d.state !== "ShippedBack")) {
    return "Packaging";
  }
  return jobHasErrors(own) ? "Closed" : "Completed";
}

/**
 * True when the job met an error: a drive NeverReceived, or a drive CompletedMoreInfo with errorCount
 * > 0 (still true once it has shipped back; warnings and information alone are not errors). Extra
 * drives are ignored: they belong to no job and are never copied.
 */
export function jobHasErrors(drives: readonly Drive[]): boolean {
  return drives.some(
    (drive) =>
      !drive.extra &&
      (drive.state === "NeverReceived" ||
        (drive.errorCount > 0 && (drive.state === "CompletedMoreInfo" || drive.state === "ShippedBack"))),
  );
}

/** A non-negative finite number, so one bad stored value cannot turn the job's percent into NaN. */
function amount(value: number): number {
  return Number.isFinite(value) && value > 0 ? value : 0;
}

/** Byte-weighted percent complete (0–100, integer) over the job's own (non-extra) drives. */
export function jobPercentComplete(drives: readonly Drive[]): number {
  // A NeverReceived drive has nothing to copy; counting it would hold the job below 100 forever.
  const counted = drives.filter((drive) => !drive.extra && drive.state !== "NeverReceived");
  if (counted.length === 0) {
    return 0;
  }
  const total = counted.reduce((sum, drive) => sum + amount(drive.bytesTotal), 0);
  let percent: number;
  if (total > 0) {
    const done = counted.reduce((sum, drive) => {
      const bytesTotal = amount(drive.bytesTotal);
      return (
        sum +
        (isDriveProcessed(drive.state) ? bytesTotal : Math.min(amount(drive.bytesSucceeded), bytesTotal))
      );
    }, 0);
    percent = Math.floor((100 * done) / total);
  } else {
    // Sizes not known yet (or all empty): fall back to the drives' own percentages.
    const sum = counted.reduce(
      (acc, drive) =>
        acc + (isDriveProcessed(drive.state) ? 100 : Math.min(amount(drive.percentComplete), 100)),
      0,
    );
    percent = Math.floor(sum / counted.length);
  }
  return Math.min(100, Math.max(0, percent));
}
