/** @module The operator registers an export job's drive as it arrives (export drives are listed on arrival, not at creation). */

import { blankDrive, throwIfDrivesInUse } from "../domain/drive.js";
import { errors } from "../domain/errors.js";
import { throwIfDriveCannotBeRegistered } from "../domain/job.js";
import { JobDraft } from "../domain/job-update.js";
import { validateDriveId } from "../domain/names.js";
import { type AppDeps, nowIso } from "./support/deps.js";
import { type JobAddress, type JobView, loadJob, validateJobAddress, viewOf } from "./support/job-view.js";
import { actorName, OPERATORS, type Principal, throwIfNotRole } from "./support/principal.js";
import { saveUpdate } from "./support/save-update.js";
import { inTransaction } from "./support/transaction.js";

export interface RegisterExportDriveRequest {
  principal: Principal;
  job: JobAddress;
  serial: string;
}

export async function registerExportDrive(
  deps: AppDeps,
  request: RegisterExportDriveRequest,
): Promise<JobView> {
  throwIfNotRole(request.principal, OPERATORS, "register drives");
  validateJobAddress(request.job);
  validateDriveId(request.serial);
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
    draft.add(blankDrive(job.id, request.serial, false, change.at), change);
    const update = draft.settle(change);
    const saved = await saveUpdate(repos, update);
    return viewOf(saved, update.drives, await repos.locations.get(job.location), deps.clock.now());
  });
}
