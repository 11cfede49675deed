/** @module A drive marked NeverReceived turned up in another package: the operator receives it into its own job. */

import { DomainError } from "../domain/errors.js";
import { validateCarrierName, validateDriveId, validateTrackingNumber } from "../domain/names.js";
import type { AppDeps } from "./deps.js";
import { nowIso } from "./deps.js";
import { type JobView, viewOf } from "./job-view.js";
import { actorName, OPERATORS, type Principal, throwIfNotRole } from "./principal.js";
import { receiveFoundDrive } from "./process-package.js";
import { retryOnConflict } from "./retry.js";

export async function driveFound(
  deps: AppDeps,
  request: { principal: Principal; serial: string; carrier: string; tracking: string },
): Promise<JobView> {
  throwIfNotRole(request.principal, OPERATORS, "receive drives");
  validateDriveId(request.serial);
  validateCarrierName(request.carrier);
  validateTrackingNumber(request.tracking);
  const actor = actorName(request.principal);
  return retryOnConflict(
    () =>
      deps.store.transaction(async (repos) => {
        const at = nowIso(deps);
        const reason = `Found in package ${request.carrier} ${request.tracking}`;
        const job = await receiveFoundDrive(repos, request.serial, -1, at, actor, reason);
        if (!job) {
          const any = await repos.drives.findBySerial(request.serial, [
            "Specified",
            "Received",
            "Transferring",
            "Completed",
            "CompletedMoreInfo",
            "ShippedBack",
          ]);
          throw any.length > 0
            ? new DomainError(
                "InvalidDriveTransition",
                `Drive '${request.serial}' is '${any[0]!.state}', not 'NeverReceived': it cannot move from '${any[0]!.state}' to 'Received' as a found drive.`,
                request.serial,
              )
            : new DomainError("DriveNotFound", `No job lists a drive '${request.serial}'.`, request.serial);
        }
        return viewOf(
          job,
          await repos.drives.listByJob(job.id),
          await repos.locations.get(job.location),
          deps.clock.now(),
        );
      }),
    undefined,
  );
}
