/**
 * @module An export job's drives are filled one after the other, in the order they were registered: each
 * takes what the one before it could not fit (its incomplete blob list), so none may start before the
 * drives registered ahead of it have finished.
 */

import { errors } from "./errors.js";
import type { Drive, Job } from "./model.js";
import type { DriveState } from "./states.js";

/** A drive still to fill, or being filled: a later drive waits for it. */
const UNFILLED: readonly DriveState[] = ["Received", "Transferring"];

/** A drive whose copy has ended: what it could not fit is known. */
const FILLED: readonly DriveState[] = ["Completed", "CompletedMoreInfo", "ShippedBack"];

/** The job's own drives registered before `drive` (`drives` in registration order, as the store lists them). */
function earlierDrives(drives: readonly Drive[], drive: Drive): Drive[] {
  const index = drives.findIndex((d) => d.driveId === drive.driveId && !d.extra);
  return drives.slice(0, Math.max(index, 0)).filter((d) => !d.extra);
}

/**
 * Refuses (DriveNotClaimable, the station shows the drive as waiting) to start filling an export drive
 * while a drive registered before it is still to fill or being filled. Import jobs copy in any order.
 */
export function throwIfExportDriveWaits(
  job: Pick<Job, "type">,
  drives: readonly Drive[],
  drive: Drive,
): void {
  if (job.type !== "Export") {
    return;
  }
  const ahead = earlierDrives(drives, drive).find((d) => UNFILLED.includes(d.state));
  if (ahead) {
    throw errors.exportDriveWaitsForEarlier(drive.driveId, ahead.driveId);
  }
}

/** Where an export drive's filling starts: the drive filled before it, and the blobs that one left over. */
export interface ExportAfter {
  driveId: string;
  /** Absent: the earlier drive took everything, and nothing is left for this one. */
  incompleteBlobListUri?: string;
}

/**
 * The latest drive registered before `drive` whose copy has ended, with the incomplete blob list it
 * finished with. Undefined for an import job, and for an export job's first drive.
 */
export function exportAfter(
  job: Pick<Job, "type">,
  drives: readonly Drive[],
  drive: Drive,
): ExportAfter | undefined {
  if (job.type !== "Export") {
    return undefined;
  }
  const before = earlierDrives(drives, drive)
    .filter((d) => FILLED.includes(d.state))
    .at(-1);
  if (!before) {
    return undefined;
  }
  return before.incompleteBlobListUri === undefined
    ? { driveId: before.driveId }
    : { driveId: before.driveId, incompleteBlobListUri: before.incompleteBlobListUri };
}
