/** @module The customer cancels a job (ARM PATCH cancelRequested: true): only while it is Creating; it moves to Canceled. */

import { moveJob, throwIfJobNotCancelable } from "../domain/job.js";
import type { JobChanges } from "../domain/job-edits.js";
import { type AppDeps, nowIso } from "./support/deps.js";
import { saveEdits } from "./support/edit-job.js";
import {
  type JobAddress,
  type JobView,
  loadJob,
  throwIfStale,
  validateJobAddress,
  viewOf,
} from "./support/job-view.js";
import { actorName, type Principal, throwIfCannotChange } from "./support/principal.js";
import { inTransaction } from "./support/transaction.js";

export interface CancelJobRequest {
  principal: Principal;
  address: JobAddress;
  /** Edits sent with the cancellation (saved first, as PATCH carries them). */
  changes: JobChanges;
  /** If-Match: the etags the caller read (`*`: any). */
  ifMatch?: readonly string[];
}

export async function cancelJob(deps: AppDeps, request: CancelJobRequest): Promise<JobView> {
  validateJobAddress(request.address);
  throwIfCannotChange(request.principal, request.address.subscriptionId);
  return inTransaction(
    deps,
    async (repos) => {
      const job = await loadJob(repos, request.address);
      throwIfStale(job, request.ifMatch);
      const location = await repos.locations.get(job.location);
      if (job.state === "Canceled") {
        // Cancelled already: the same request retried.
        return viewOf(job, await repos.drives.listByJob(job.id), location, deps.clock.now());
      }
      throwIfJobNotCancelable(job);
      const at = nowIso(deps);
      const actor = actorName(request.principal);
      const edited = await saveEdits(deps, repos, {
        job,
        changes: request.changes,
        location,
        change: { at, actor, reason: "Job updated" },
      });
      const moved = moveJob(edited.job, "Canceled", { at, actor, reason: "Canceled by the customer" });
      const saved = await repos.jobs.update({ ...moved.job, cancelRequested: true });
      await repos.history.append(saved.subscriptionId, [moved.record]);
      return viewOf(saved, edited.drives, location, deps.clock.now());
    },
    { pinned: request.ifMatch !== undefined },
  );
}
