/**
 * @module Copying a drive: what a station's progress report sets, and how a copy ends — the copy
 * outcomes of LIFECYCLE.md (nothing met → Completed; anything to report → CompletedMoreInfo, an error
 * among it closing the job).
 */

import { errors } from "./errors.js";
import type { Drive, Job } from "./model.js";

export interface ProgressReport {
  bytesSucceeded: number;
  bytesTotal: number;
  copyStatus?: string;
  /** Files copied so far, when the station counts them (the drive row keeps bytes only). */
  filesSucceeded?: number;
}

/** A drive's progress as a progress event carries it: enough for a portal to move the drive's bar. */
export interface DriveProgress {
  percentComplete: number;
  bytesSucceeded: number;
  bytesTotal: number;
  filesSucceeded?: number;
  copyStatus: string;
  /** The job's estimate as of this report (see estimate.ts), when there is one. */
  estimatedCompletionTime?: string;
}

/**
 * At most one progress event per drive this often. A station reports every 2 s (to renew its lease and
 * keep the drive's row current); an event each time would triple the writes to the history, which on
 * PostgreSQL all pass one lock (store/history.ts), for a bar no one reads to the second. At 5 s a
 * portal's bar moves as often as it did when the page polled, every third report of a 2 s station.
 */
export const PROGRESS_EVENT_MS = 5_000;

/**
 * Whether this report becomes a progress event, given the drive's last one: the first always; then one
 * every PROGRESS_EVENT_MS, or at once when the copy status changes (a problem should not wait) or the
 * bytes to copy do (an export drive's are known only once the station has planned it: its bar starts).
 */
export function isProgressEventDue(
  last: { at: string; progress: DriveProgress } | undefined,
  next: DriveProgress,
  now: Date,
): boolean {
  if (!last || last.progress.copyStatus !== next.copyStatus || last.progress.bytesTotal !== next.bytesTotal) {
    return true;
  }
  // A clock set back (or a bad time) must not silence the drive: anything but "too soon" is due.
  return !(now.getTime() - Date.parse(last.at) < PROGRESS_EVENT_MS && now.getTime() >= Date.parse(last.at));
}

/** Bytes copied can be neither negative nor more than the bytes to copy. */
export function throwIfProgressInvalid(report: ProgressReport): void {
  const { bytesSucceeded, bytesTotal } = report;
  if (!(bytesTotal >= 0 && bytesSucceeded >= 0 && bytesSucceeded <= bytesTotal)) {
    throw errors.progressOutOfRange();
  }
}

/** The drive's progress after a report. */
export function progressFields(
  report: ProgressReport,
): Pick<Drive, "bytesSucceeded" | "bytesTotal" | "percentComplete" | "copyStatus"> {
  return {
    bytesSucceeded: report.bytesSucceeded,
    bytesTotal: report.bytesTotal,
    // 100 only when the station says it finished: a copy at its last byte may still fail to verify.
    percentComplete:
      report.bytesTotal > 0 ? Math.min(99, Math.floor((100 * report.bytesSucceeded) / report.bytesTotal)) : 0,
    copyStatus: report.copyStatus ?? "InProgress",
  };
}

/** What a station met while copying, by kind. */
export interface CopyCounts {
  errorCount: number;
  warningCount: number;
  infoCount: number;
}

export type CopyEnd = "Completed" | "CompletedMoreInfo";

/** How a drive ends given what was met: Completed only when nothing at all is to report. */
export function copyOutcome(counts: CopyCounts): CopyEnd {
  return counts.errorCount > 0 || counts.warningCount > 0 || counts.infoCount > 0
    ? "CompletedMoreInfo"
    : "Completed";
}

/** The copy status a finished drive shows. */
export function finishedCopyStatus(
  counts: CopyCounts,
): "Completed" | "CompletedWithErrors" | "CompletedWithInfo" {
  return copyOutcome(counts) === "Completed"
    ? "Completed"
    : counts.errorCount > 0
      ? "CompletedWithErrors"
      : "CompletedWithInfo";
}

export interface FinishReport extends CopyCounts {
  state: CopyEnd;
  verboseLogUri?: string;
  errorLogUri?: string;
  manifestUri?: string;
  /** An export drive's: the blobs it could not fit (an absolute http(s) URL), for the job's next drive. */
  incompleteBlobListUri?: string;
}

/** The state a station reports must be the one its counts imply (InvalidCopyOutcome otherwise). */
export function throwIfOutcomeMismatch(report: FinishReport): void {
  const expected = copyOutcome(report);
  if (report.state !== expected) {
    throw errors.copyOutcomeMismatch(report.state, expected);
  }
}

/** The drive's fields once its copy ended (its state is set by the move itself). */
export function finishedFields(report: FinishReport): Partial<Drive> {
  const fields: Partial<Drive> = {
    errorCount: report.errorCount,
    warningCount: report.warningCount,
    infoCount: report.infoCount,
    percentComplete: 100,
    copyStatus: finishedCopyStatus(report),
  };
  for (const key of ["verboseLogUri", "errorLogUri", "manifestUri", "incompleteBlobListUri"] as const) {
    if (report[key] !== undefined) {
      fields[key] = report[key];
    }
  }
  return fields;
}

/**
 * An incomplete blob list is an export drive's, and an absolute http(s) URL: the next drive's station and
 * the customer (the job's `incompleteBlobListUri`) read the blob it names.
 */
export function throwIfIncompleteBlobListInvalid(
  job: Pick<Job, "type">,
  driveId: string,
  report: Pick<FinishReport, "incompleteBlobListUri">,
): void {
  const uri = report.incompleteBlobListUri;
  if (uri === undefined) {
    return;
  }
  if (job.type !== "Export") {
    throw errors.incompleteBlobListOnImport(driveId);
  }
  if (typeof uri !== "string" || !URL.canParse(uri)) {
    throw errors.incompleteBlobListUriInvalid(uri);
  }
  const url = new URL(uri);
  if ((url.protocol !== "https:" && url.protocol !== "http:") || url.hostname === "") {
    throw errors.incompleteBlobListUriInvalid(uri);
  }
}

/**
 * The job's incomplete blob list once an export drive finished: that drive's, or none when everything fit.
 * Drives finish in registration order, so the job's is always its latest drive's.
 */
export function finishedJobFields(
  job: Pick<Job, "type">,
  report: Pick<FinishReport, "incompleteBlobListUri">,
): Pick<Job, "incompleteBlobListUri"> | undefined {
  if (job.type !== "Export") {
    return undefined;
  }
  return { incompleteBlobListUri: report.incompleteBlobListUri };
}
