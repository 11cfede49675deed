/** @module The operator receives a drive marked NeverReceived that turned up in another package: into its own job, re-opening it. */

import { errors } from "../domain/errors.js";
import { validateCarrierName, validateDriveId, validateTrackingNumber } from "../domain/names.js";
import { DRIVE_STATES } from "../domain/states.js";
import { receiveIntoOwnJob } from "./support/apply-package.js";
import { type AppDeps, nowIso } from "./support/deps.js";
import { type JobView, viewOf } from "./support/job-view.js";
import { actorName, OPERATORS, type Principal, throwIfNotRole } from "./support/principal.js";
import { inTransaction } from "./support/transaction.js";

export interface ReceiveFoundDriveRequest {
  principal: Principal;
  serial: string;
  /** The package it turned up in. */
  carrier: string;
  tracking: string;
}

export async function receiveFoundDrive(deps: AppDeps, request: ReceiveFoundDriveRequest): Promise<JobView> {
  throwIfNotRole(request.principal, OPERATORS, "receive drives");
  validateDriveId(request.serial);
  validateCarrierName(request.carrier);
  validateTrackingNumber(request.tracking);
  const actor = actorName(request.principal);
  return inTransaction(deps, async (repos) => {
    const change = {
      at: nowIso(deps),
      actor,
      reason: `Found in package ${request.carrier} ${request.tracking}`,
    };
    const [lost] = (await repos.drives.findBySerial(request.serial, ["NeverReceived"])).filter(
      (d) => !d.extra,
    );
    const job = lost && (await receiveIntoOwnJob(repos, lost.jobId, lost.driveId, change));
    if (!job) {
      const other = DRIVE_STATES.filter((s) => s !== "NeverReceived");
      const [any] = await repos.drives.findBySerial(request.serial, other);
      throw any
        ? errors.notFoundDriveState(request.serial, any.state)
        : errors.driveNotListed(request.serial);
    }
    return viewOf(
      job,
      await repos.drives.listByJob(job.id),
      await repos.locations.get(job.location),
      deps.clock.now(),
    );
  });
}
