/** @module Finding the drive a station names by serial, with its job, inside a transaction. */

import { DomainError } from "../domain/errors.js";
import type { Drive, Job } from "../domain/model.js";
import { validateDriveId } from "../domain/names.js";
import type { Repositories } from "../store/store.js";
import type { Principal } from "./principal.js";

export interface HeldDrive {
  job: Job;
  drives: Drive[];
  drive: Drive;
}

const OTHER_STATES = ["Specified", "NeverReceived", "Completed", "CompletedMoreInfo", "ShippedBack"];

/**
 * The job's drive with this serial that is being, or can be, copied: the job read (and locked) first.
 * A drive that exists in another state is refused with `refuse(drive)`; an extra drive is never copied.
 */
export async function copyableDrive(
  repos: Repositories,
  serial: string,
  refuse: (drive: Drive) => DomainError = (d) =>
    new DomainError(
      "DriveNotClaimable",
      `Drive '${d.driveId}' is '${d.state}': only a drive Received or Transferring can be copied.`,
      d.driveId,
    ),
): Promise<HeldDrive> {
  validateDriveId(serial);
  const [candidate] = (await repos.drives.findBySerial(serial, ["Received", "Transferring"])).filter(
    (d) => !d.extra,
  );
  if (!candidate) {
    if ((await repos.drives.findBySerial(serial, ["Received"])).length > 0) {
      throw new DomainError(
        "DriveNotClaimable",
        `Drive '${serial}' is an extra drive: it is never copied.`,
        serial,
      );
    }
    const [other] = (await repos.drives.findBySerial(serial, OTHER_STATES)).filter((d) => !d.extra);
    throw other ? refuse(other) : new DomainError("DriveNotFound", `No job has a drive '${serial}'.`, serial);
  }
  const job = await repos.jobs.findById(candidate.jobId);
  const drives = await repos.drives.listByJob(candidate.jobId);
  const drive = drives.find((d) => d.driveId === candidate.driveId && !d.extra);
  if (!job || !drive) {
    throw new DomainError(
      "DriveNotFound",
      `No drive '${serial}' is waiting to be copied or being copied.`,
      serial,
    );
  }
  return { job, drives, drive };
}

/** A station may report on a drive only while it holds the drive's lease (an expired one it still holds counts). */
export function throwIfLeaseNotHeld(principal: Principal, drive: Drive): void {
  if (drive.claimedBy !== principal.tokenId) {
    throw new DomainError(
      "LeaseNotHeld",
      drive.claimedBy
        ? `Drive '${drive.driveId}' is held by another station; claim it before reporting on it.`
        : `Drive '${drive.driveId}' is not claimed; claim it before reporting on it.`,
      drive.driveId,
    );
  }
}
