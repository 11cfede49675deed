/** @module The customer edits a job (ARM PATCH without a state change): the fields its state still allows. */

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

export interface UpdateJobRequest {
  principal: Principal;
  address: JobAddress;
  changes: JobChanges;
  /** If-Match: the etags the caller read (`*`: any). */
  ifMatch?: readonly string[];
}

export async function updateJob(deps: AppDeps, request: UpdateJobRequest): Promise<JobView> {
  validateJobAddress(request.address);
  throwIfCannotChange(request.principal, request.address.subscriptionId);
  return inTransaction(
    deps,
    async (repos) => {
      const job = await loadJob(repos, request.address);
      throwIfStale(job, request.ifMatch);
      const location = await repos.locations.get(job.location);
      const change = { at: nowIso(deps), actor: actorName(request.principal), reason: "Job updated" };
      const edited = await saveEdits(deps, repos, { job, changes: request.changes, location, change });
      return viewOf(edited.job, edited.drives, location, deps.clock.now());
    },
    { pinned: request.ifMatch !== undefined },
  );
}
