/**
 * @module An export job's drives as the portal shows them: filled one after the other in registration order
 * (the driveList's), so a drive not started waits for the first drive before it still to fill or being
 * filled (as the service refuses its claim: src/domain/export-drives.ts); and the drive whose incomplete
 * blob list is the job's.
 */

import type { ArmDrive, ArmJob } from "../../api";

/** A drive still to fill, or being filled: a later drive waits for it. */
const UNFILLED = new Set(["Received", "Transferring"]);

/** Each waiting drive of an export job, by its id, with the drive it waits for. Empty for an import job. */
export function waitingFor(job: ArmJob): ReadonlyMap<string, string> {
  const waits = new Map<string, string>();
  if (job.properties.jobType !== "Export") {
    return waits;
  }
  let ahead: string | undefined;
  for (const drive of job.properties.driveList ?? []) {
    if (drive.state === "Received" && ahead !== undefined) {
      waits.set(drive.driveId, ahead);
    }
    if (ahead === undefined && UNFILLED.has(drive.state)) {
      ahead = drive.driveId;
    }
  }
  return waits;
}

/** The drive that finished with the job's incomplete blob list (the last that did), when the job has one. */
export function incompleteListDrive(job: ArmJob): ArmDrive | undefined {
  const uri = job.properties.incompleteBlobListUri;
  if (uri === undefined) {
    return undefined;
  }
  return (job.properties.driveList ?? []).findLast((drive) => drive.incompleteBlobListUri === uri);
}

/** The rows of a drive's error log that had no room on the drives (NotEnoughSpace): what "did not fit" counts. */
export function notFitting(log: { blobs: readonly { status: string }[] }): number {
  return log.blobs.filter((blob) => blob.status === "NotEnoughSpace").length;
}
