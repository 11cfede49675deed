/**
 * @module The operator registers an export job's drive as it arrives (export drives are listed on arrival,
 * not at creation): the drive gets its own key, and its capacity when the operator gives it.
 */

import { blankDrive, throwIfDrivesInUse } from "../domain/drive.js";
import { errors } from "../domain/errors.js";
import { throwIfDriveCannotBeRegistered } from "../domain/job.js";
import { JobDraft } from "../domain/job-update.js";
import { validateDriveId } from "../domain/names.js";
import { parseByteSize } from "../domain/size.js";
import { type AppDeps, nowIso } from "./support/deps.js";
import { sealedExportDriveKey } from "./support/export-drive-key.js";
import { type JobAddress, type JobView, loadJob, validateJobAddress, viewOf } from "./support/job-view.js";
import { actorName, OPERATORS, type Principal, throwIfNotRole } from "./support/principal.js";
import { saveUpdate } from "./support/save-update.js";
import { inTransaction } from "./support/transaction.js";

export interface RegisterExportDriveRequest {
  principal: Principal;
  job: JobAddress;
  serial: string;
  /** The drive's capacity as the operator wrote it (`8TB`, `512GiB`, bytes): see parseByteSize. */
  capacity?: string;
}

export async function registerExportDrive(
  deps: AppDeps,
  request: RegisterExportDriveRequest,
): Promise<JobView> {
  throwIfNotRole(request.principal, OPERATORS, "register drives");
  validateJobAddress(request.job);
  validateDriveId(request.serial);
  const capacityBytes = request.capacity === undefined ? undefined : parseByteSize(request.capacity);
  const actor = actorName(request.principal);
  return inTransaction(deps, async (repos) => {
    const change = { at: nowIso(deps), actor, reason: "Export drive registered on arrival" };
    const job = await loadJob(repos, request.job);
    const drives = await repos.drives.listByJob(job.id);
    throwIfDriveCannotBeRegistered(job, drives);
    if (drives.some((d) => d.driveId.toUpperCase() === request.serial.toUpperCase())) {
      throw errors.driveAlreadyRegistered(request.serial);
    }
    const others = await repos.drives.findInOtherJobs([request.serial], job.id);
    throwIfDrivesInUse([request.serial], others, () => "drive");
    const draft = new JobDraft(job, drives);
    const drive = blankDrive(job.id, request.serial, false, change.at);
    draft.add(capacityBytes === undefined ? drive : { ...drive, capacityBytes }, change);
    const update = draft.settle(change);
    // Its own key, made here: the station writes the drive with it, the customer reads it to open the drive.
    const keys = new Map([[request.serial, sealedExportDriveKey(deps)]]);
    const saved = await saveUpdate(repos, update, keys);
    return viewOf(saved, update.drives, await repos.locations.get(job.location), deps.clock.now());
  });
}
