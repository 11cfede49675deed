/**
 * @module Copying a drive: what a station's progress report sets, and how a copy ends — the copy
 * outcomes of LIFECYCLE.md (nothing met → Completed; anything to report → CompletedMoreInfo, an error
 * among it closing the job).
 */

import { errors } from "./errors.js";
import type { Drive } from "./model.js";

export interface ProgressReport {
  bytesSucceeded: number;
  bytesTotal: number;
  copyStatus?: string;
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
  for (const key of ["verboseLogUri", "errorLogUri", "manifestUri"] as const) {
    if (report[key] !== undefined) {
      fields[key] = report[key];
    }
  }
  return fields;
}
