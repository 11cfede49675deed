/** @module Finding the drive a station names by serial, with its job, inside a transaction. */

import { COPYABLE_DRIVE_STATES, NOT_COPYABLE_DRIVE_STATES } from "../../domain/drive.js";
import { type DomainError, errors } from "../../domain/errors.js";
import type { Drive, Job } from "../../domain/model.js";
import { validateDriveId } from "../../domain/names.js";
import type { Repositories } from "../../store/store.js";

export interface HeldDrive {
  job: Job;
  drives: Drive[];
  drive: Drive;
}

/**
 * The job's drive with this serial that is being, or can be, copied: the job read (and locked) first.
 * A drive that exists in another state is refused with `refuse(drive)`; an extra drive is never copied.
 */
export async function copyableDrive(
  repos: Repositories,
  serial: string,
  refuse: (drive: Drive) => DomainError = (d) => errors.driveNotCopyable(d.driveId, d.state),
): Promise<HeldDrive> {
  validateDriveId(serial);
  const [candidate] = (await repos.drives.findBySerial(serial, COPYABLE_DRIVE_STATES)).filter(
    (d) => !d.extra,
  );
  if (!candidate) {
    if ((await repos.drives.findBySerial(serial, ["Received"])).length > 0) {
      throw errors.extraDriveNotClaimable(serial);
    }
    const [other] = (await repos.drives.findBySerial(serial, NOT_COPYABLE_DRIVE_STATES)).filter(
      (d) => !d.extra,
    );
    throw other ? refuse(other) : errors.noDriveToCopy(serial);
  }
  const job = await repos.jobs.findById(candidate.jobId);
  const drives = await repos.drives.listByJob(candidate.jobId);
  const drive = drives.find((d) => d.driveId === candidate.driveId && !d.extra);
  if (!job || !drive) {
    throw errors.driveGone(serial);
  }
  return { job, drives, drive };
}
