/**
 * @module Saving a customer's edits to a job, as the domain allows them in its state: the fields, and a
 * new drive list with its keys sealed. Shared by the use cases that carry edits (re-PUT, PATCH, ship, cancel).
 */

import { throwIfDrivesInUse } from "../../domain/drive.js";
import { applyChanges, type JobChanges, planDriveList } from "../../domain/job-edits.js";
import { driveRecord } from "../../domain/job-update.js";
import type { Change, Drive, Job, Location } from "../../domain/model.js";
import type { DriveRecord } from "../../store/drives.js";
import type { Repositories } from "../../store/store.js";
import type { AppDeps } from "./deps.js";

/** The job as saved after the edits, and its drives. */
export interface Edited {
  job: Job;
  drives: Drive[];
}

/** What to edit: the job as read (and locked), the changes asked for, its location (carriers), who and when. */
export interface Edit {
  job: Job;
  changes: JobChanges;
  location: Location | undefined;
  /** When and by whom; its reason is unused — an edit is not a move. */
  change: Change;
}

/**
 * Applies the changes the job's state allows (a field that may no longer change is accepted only sent
 * unchanged), replaces the drive list if one is given (job in Creating), saves, and records each drive
 * the new list adds.
 */
export async function saveEdits(
  deps: Pick<AppDeps, "secrets">,
  repos: Repositories,
  { job, changes, location, change }: Edit,
): Promise<Edited> {
  let drives = await repos.drives.listByJob(job.id);
  const sealedKeys = new Map<string, string>();
  for (const key of await repos.drives.encryptedKeys(job.id)) {
    if (key.bitLockerKeyEnc !== null) {
      sealedKeys.set(key.driveId.toUpperCase(), key.bitLockerKeyEnc);
    }
  }
  const keyOf = (driveId: string) => {
    const sealed = sealedKeys.get(driveId.toUpperCase());
    return sealed === undefined ? undefined : deps.secrets.open(sealed);
  };
  const applied = applyChanges(job, drives, changes, location, keyOf);
  const saved = await repos.jobs.update({
    ...applied.job,
    lastModifiedAt: change.at,
    lastModifiedBy: change.actor,
  });
  if (applied.driveList) {
    const planned = planDriveList(
      job,
      applied.driveList,
      (id) => sealedKeys.has(id.toUpperCase()),
      change.at,
    );
    await throwIfListedElsewhere(
      repos,
      job.id,
      planned.map((p) => p.drive.driveId),
    );
    const records: DriveRecord[] = planned.map(({ drive, bitLockerKey }) => ({
      drive,
      bitLockerKeyEnc:
        bitLockerKey !== undefined
          ? deps.secrets.seal(bitLockerKey)
          : sealedKeys.get(drive.driveId.toUpperCase()),
    }));
    const before = new Set(drives.map((d) => d.driveId.toUpperCase()));
    await repos.drives.replaceAll(job.id, records);
    drives = records.map((r) => r.drive);
    await repos.history.append(
      job.subscriptionId,
      drives
        .filter((d) => !before.has(d.driveId.toUpperCase()))
        .map((d) => driveRecord(d, null, { ...change, reason: "Added to the drive list" })),
    );
  }
  return { job: saved, drives };
}

/**
 * A drive list may name only drives no other job holds (LIFECYCLE.md "one drive, one live job"); each
 * refusal names its row. `jobId` 0: a job not created yet.
 */
export async function throwIfListedElsewhere(
  repos: Repositories,
  jobId: number,
  serials: readonly string[],
): Promise<void> {
  throwIfDrivesInUse(
    serials,
    await repos.drives.findInOtherJobs(serials, jobId),
    (index) => `properties.driveList[${index}].driveId`,
  );
}
