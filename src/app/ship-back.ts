/** @module Shipping a job's drives back: the return package, every copied and extra drive ShippedBack. */

import { moveDrive } from "../domain/drive.js";
import { DomainError } from "../domain/errors.js";
import type { StateChange } from "../domain/model.js";
import { validateCarrierName, validateTrackingNumber } from "../domain/names.js";
import type { AppDeps } from "./deps.js";
import { nowIso } from "./deps.js";
import { type JobView, loadJob, parseJobResourceId, viewOf } from "./job-view.js";
import { actorName, OPERATORS, type Principal, throwIfNotRole } from "./principal.js";
import { retryOnConflict } from "./retry.js";
import { driveChange, saveDerived } from "./state-changes.js";

export interface ShipBackRequest {
  principal: Principal;
  job: string;
  carrier: string;
  tracking: string;
  shipDate?: string;
}

export async function shipBack(deps: AppDeps, request: ShipBackRequest): Promise<JobView> {
  throwIfNotRole(request.principal, OPERATORS, "ship drives back");
  const address = parseJobResourceId(request.job);
  validateCarrierName(request.carrier);
  validateTrackingNumber(request.tracking);
  if (
    request.shipDate !== undefined &&
    (!/^\d{4}-\d\d-\d\d/.test(request.shipDate) || Number.isNaN(Date.parse(request.shipDate)))
  ) {
    throw new DomainError(
      "InvalidRequestContent",
      `shipDate must be an ISO-8601 date, such as 2026-11-24, not '${request.shipDate.slice(0, 40)}'.`,
      "shipDate",
    );
  }
  const actor = actorName(request.principal);
  return retryOnConflict(
    () =>
      deps.store.transaction(async (repos) => {
        const at = nowIso(deps);
        const job = await loadJob(repos, address);
        if (job.state !== "Packaging") {
          throw new DomainError(
            "InvalidJobState",
            `The job '${job.name}' is in state '${job.state}'; drives are shipped back once every drive is processed (Packaging).`,
          );
        }
        const drives = await repos.drives.listByJob(job.id);
        const reason = `Shipped back: ${request.carrier} ${request.tracking}`;
        const history: StateChange[] = [];
        const next = [];
        for (const drive of drives) {
          const returns = drive.extra
            ? drive.state === "Received"
            : drive.state === "Completed" || drive.state === "CompletedMoreInfo";
          if (!returns) {
            next.push(drive);
            continue;
          }
          const moved = moveDrive(drive, "ShippedBack", at);
          await repos.drives.update(moved);
          history.push(driveChange(moved, drive.state, at, actor, reason));
          next.push(moved);
        }
        const returnPackage = {
          carrierName: request.carrier,
          trackingNumber: request.tracking,
          driveCount: history.length,
          shipDate: request.shipDate ?? at,
        };
        const saved = await saveDerived(repos, { ...job, returnPackage }, next, history, at, actor, reason);
        return viewOf(saved, next, await repos.locations.get(job.location), deps.clock.now());
      }),
    undefined,
  );
}
