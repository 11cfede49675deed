/** @module Registering an export job's drive as it arrives (export drives are listed on arrival, not at creation). */

import { blankDrive } from "../domain/drive.js";
import { DomainError } from "../domain/errors.js";
import { validateDriveId } from "../domain/names.js";
import type { AppDeps } from "./deps.js";
import { nowIso } from "./deps.js";
import { type JobView, loadJob, parseJobResourceId, viewOf } from "./job-view.js";
import { actorName, OPERATORS, type Principal, throwIfNotRole } from "./principal.js";
import { retryOnConflict } from "./retry.js";
import { driveChange, saveDerived } from "./state-changes.js";

export async function registerExportDrive(
  deps: AppDeps,
  request: { principal: Principal; job: string; serial: string },
): Promise<JobView> {
  throwIfNotRole(request.principal, OPERATORS, "register drives");
  const address = parseJobResourceId(request.job);
  validateDriveId(request.serial);
  const actor = actorName(request.principal);
  return retryOnConflict(
    () =>
      deps.store.transaction(async (repos) => {
        const at = nowIso(deps);
        const job = await loadJob(repos, address);
        if (job.type !== "Export") {
          throw new DomainError(
            "InvalidJobState",
            `The job '${job.name}' is an import job: its drives are listed by the customer, not registered.`,
          );
        }
        if (!["Shipping", "Received", "Transferring"].includes(job.state)) {
          throw new DomainError(
            "InvalidJobState",
            `The job '${job.name}' is in state '${job.state}'; drives are registered while its package is being received.`,
          );
        }
        const drives = await repos.drives.listByJob(job.id);
        if (drives.some((d) => d.driveId.toUpperCase() === request.serial.toUpperCase())) {
          throw new DomainError(
            "DuplicateDriveId",
            `Drive '${request.serial}' is already registered on this job.`,
          );
        }
        const drive = blankDrive(job.id, request.serial, false, at);
        await repos.drives.add({ drive });
        const reason = "Export drive registered on arrival";
        const saved = await saveDerived(
          repos,
          job,
          [...drives, drive],
          [driveChange(drive, null, at, actor, reason)],
          at,
          actor,
          reason,
        );
        return viewOf(saved, [...drives, drive], await repos.locations.get(job.location), deps.clock.now());
      }),
    undefined,
  );
}
