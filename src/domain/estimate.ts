/** @module When a transferring job should finish copying, from each drive's copy rate so far (a pure estimate). */

import { isDriveProcessed } from "./derive.js";
import type { Drive } from "./model.js";
import type { JobState } from "./states.js";

export type EstimateDrive = Pick<Drive, "state" | "bytesSucceeded" | "bytesTotal" | "stateChangedAt"> &
  Partial<Pick<Drive, "extra">>;

/** The latest instant a Date can hold; an estimate beyond it is no estimate. */
const MAX_TIME_MS = 8.64e15;

/**
 * The estimated completion time (ISO) of a `Transferring` job's copying, or undefined when it cannot be
 * known. Each own drive that still has work must be `Transferring` with bytes copied and a size known:
 * a drive still `Received` (waiting for a station) has no rate yet, and guessing one would mislead.
 * A drive's rate is bytesSucceeded over the time since it entered `Transferring` (`stateChangedAt`); its
 * estimate is now plus its remaining bytes at that rate; the job's is its slowest drive's.
 */
export function estimatedCompletion(
  jobState: JobState,
  drives: readonly EstimateDrive[],
  now: Date,
): string | undefined {
  if (jobState !== "Transferring") {
    return undefined;
  }
  // A drive NeverReceived has nothing to copy; one processed is done; an extra drive is never copied.
  const working = drives.filter(
    (d) => d.extra !== true && d.state !== "NeverReceived" && !isDriveProcessed(d.state),
  );
  if (working.length === 0) {
    return undefined;
  }
  const nowMs = now.getTime();
  let latest = -Infinity;
  for (const drive of working) {
    const elapsed = nowMs - Date.parse(drive.stateChangedAt);
    const { bytesSucceeded, bytesTotal } = drive;
    if (
      drive.state !== "Transferring" ||
      !(Number.isFinite(bytesSucceeded) && bytesSucceeded > 0) ||
      !(Number.isFinite(bytesTotal) && bytesTotal > 0) ||
      // No time elapsed (the first report is the move itself), a clock behind the record, or a bad time.
      !(elapsed > 0)
    ) {
      return undefined;
    }
    const remaining = Math.max(0, bytesTotal - bytesSucceeded);
    // remaining / (bytesSucceeded / elapsed), written so a tiny rate cannot round to zero first.
    latest = Math.max(latest, nowMs + (remaining * elapsed) / bytesSucceeded);
  }
  const at = Math.ceil(latest);
  return Number.isFinite(at) && at <= MAX_TIME_MS ? new Date(at).toISOString() : undefined;
}
