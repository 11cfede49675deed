/** @module The operator ships a job's drives back: the return package, every copied and extra drive ShippedBack. */

import { shipsBack } from "../domain/drive.js";
import { errors } from "../domain/errors.js";
import { throwIfJobCannotShipBack } from "../domain/job.js";
import { JobDraft } from "../domain/job-update.js";
import { validateCarrierName, validateTrackingNumber } from "../domain/names.js";
import { type AppDeps, nowIso } from "./support/deps.js";
import { type JobAddress, type JobView, loadJob, validateJobAddress, viewOf } from "./support/job-view.js";
import { actorName, OPERATORS, type Principal, throwIfNotRole } from "./support/principal.js";
import { saveUpdate } from "./support/save-update.js";
import { inTransaction } from "./support/transaction.js";

export interface ShipBackRequest {
  principal: Principal;
  job: JobAddress;
  carrier: string;
  tracking: string;
  shipDate?: string;
}

export async function shipBack(deps: AppDeps, request: ShipBackRequest): Promise<JobView> {
  throwIfNotRole(request.principal, OPERATORS, "ship drives back");
  validateJobAddress(request.job);
  validateCarrierName(request.carrier);
  validateTrackingNumber(request.tracking);
  const { shipDate } = request;
  if (shipDate !== undefined && (!/^\d{4}-\d\d-\d\d/.test(shipDate) || Number.isNaN(Date.parse(shipDate)))) {
    throw errors.shipDateInvalid(shipDate);
  }
  const actor = actorName(request.principal);
  return inTransaction(deps, async (repos) => {
    const change = {
      at: nowIso(deps),
      actor,
      reason: `Shipped back: ${request.carrier} ${request.tracking}`,
    };
    const job = await loadJob(repos, request.job);
    throwIfJobCannotShipBack(job);
    const draft = new JobDraft(job, await repos.drives.listByJob(job.id));
    const returning = draft.all().filter(shipsBack);
    for (const drive of returning) {
      draft.move(drive.driveId, "ShippedBack", change);
    }
    draft.setJob({
      returnPackage: {
        carrierName: request.carrier,
        trackingNumber: request.tracking,
        driveCount: returning.length,
        shipDate: shipDate ?? change.at,
      },
    });
    const update = draft.settle(change);
    const saved = await saveUpdate(repos, update);
    return viewOf(saved, update.drives, await repos.locations.get(job.location), deps.clock.now());
  });
}
