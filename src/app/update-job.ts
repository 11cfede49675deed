/** @module Updating a job (ARM PATCH): edit its details, record tracking (→ Shipping), or cancel (→ Canceled). */

import { DomainError } from "../domain/errors.js";
import { throwIfJobCannotShip, throwIfJobNotCancelable } from "../domain/job.js";
import type { AppDeps } from "./deps.js";
import { nowIso } from "./deps.js";
import type { JobChanges } from "./job-changes.js";
import {
  type JobAddress,
  type JobView,
  loadJob,
  throwIfStale,
  validateJobAddress,
  viewOf,
} from "./job-view.js";
import { actorName, type Principal, throwIfCannotChange } from "./principal.js";
import { processPackage } from "./process-package.js";
import { saveChanges } from "./put-job.js";
import { retryOnConflict } from "./retry.js";
import { moveJob } from "./state-changes.js";

export interface JobPatch extends JobChanges {
  /** "Shipping" records that the customer shipped the package; "" or absent changes nothing. */
  state?: string;
  /** If given, must be true: cancel the job (only while Creating). */
  cancelRequested?: boolean;
}

export interface UpdateJobRequest {
  principal: Principal;
  address: JobAddress;
  patch: JobPatch;
  ifMatch?: string;
}

function intent(patch: JobPatch): "ship" | "cancel" | "edit" {
  const state = patch.state?.trim() ?? "";
  if (state !== "" && state.toLowerCase() !== "shipping") {
    throw new DomainError(
      "InvalidStateValue",
      `properties.state may only be set to 'Shipping' (the package was shipped), not '${patch.state}'. To cancel, send cancelRequested: true.`,
      "properties.state",
    );
  }
  if (patch.cancelRequested === false) {
    throw new DomainError(
      "InvalidCancelRequest",
      "cancelRequested, if given, must be true.",
      "properties.cancelRequested",
    );
  }
  if (state !== "" && patch.cancelRequested === true) {
    throw new DomainError(
      "InvalidStateValue",
      "A request cannot both ship (state: Shipping) and cancel (cancelRequested: true) the job.",
      "properties.state",
    );
  }
  return state !== "" ? "ship" : patch.cancelRequested === true ? "cancel" : "edit";
}

export async function updateJob(deps: AppDeps, request: UpdateJobRequest): Promise<JobView> {
  validateJobAddress(request.address);
  throwIfCannotChange(request.principal, request.address.subscriptionId);
  const action = intent(request.patch);
  const { state: _state, cancelRequested: _cancel, ...changes } = request.patch;
  return retryOnConflict(
    () =>
      deps.store.transaction(async (repos) => {
        const job = await loadJob(repos, request.address);
        throwIfStale(job, request.ifMatch);
        const at = nowIso(deps);
        const actor = actorName(request.principal);
        const location = await repos.locations.get(job.location);

        if (action === "cancel") {
          if (job.state === "Canceled") {
            return viewOf(job, await repos.drives.listByJob(job.id), location, deps.clock.now());
          }
          throwIfJobNotCancelable(job);
        }
        if (action === "ship" && job.state === "Shipping") {
          // Shipping twice is the same request retried: accept it, and any correction it carries.
          return saveChanges(deps, repos, job, changes, location, actor, at);
        }
        const edited = await saveChanges(deps, repos, job, changes, location, actor, at);
        if (action === "edit") {
          return edited;
        }
        if (action === "ship") {
          throwIfJobCannotShip(edited.job, edited.drives);
          const moved = moveJob(
            edited.job,
            "Shipping",
            at,
            actor,
            `Tracking recorded: ${edited.job.deliveryPackage?.carrierName} ${edited.job.deliveryPackage?.trackingNumber}`,
          );
          let saved = await repos.jobs.update({ ...moved.job, trackingRecordedAt: at });
          await repos.history.append(job.subscriptionId, [moved.change]);
          let drives = edited.drives;
          // A package the data center received before tracking was recorded was held: process it now.
          for (const held of (await repos.packages.listByJob(job.id)).filter((p) => p.status === "Held")) {
            const outcome = await processPackage(
              repos,
              saved,
              held.driveSerials,
              at,
              held.receivedBy,
              `${held.reason} (held until tracking was recorded)`,
            );
            await repos.packages.markReceived(held.id);
            saved = outcome.job;
            drives = outcome.drives;
          }
          return viewOf(saved, drives, location, deps.clock.now());
        }
        const moved = moveJob(edited.job, "Canceled", at, actor, "Canceled by the customer");
        const saved = await repos.jobs.update({ ...moved.job, cancelRequested: true });
        await repos.history.append(job.subscriptionId, [moved.change]);
        return viewOf(saved, edited.drives, location, deps.clock.now());
      }),
    request.ifMatch,
  );
}
