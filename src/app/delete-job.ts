/** @module The customer deletes a job: allowed only in the states LIFECYCLE.md names. */

import { throwIfJobNotDeletable } from "../domain/job.js";
import type { AppDeps } from "./support/deps.js";
import { type JobAddress, loadJob, throwIfStale, validateJobAddress } from "./support/job-view.js";
import { type Principal, throwIfCannotChange } from "./support/principal.js";
import { inTransaction } from "./support/transaction.js";

export interface DeleteJobRequest {
  principal: Principal;
  address: JobAddress;
  /** If-Match: the etags the caller read (`*`: any). */
  ifMatch?: readonly string[];
}

export async function deleteJob(deps: AppDeps, request: DeleteJobRequest): Promise<void> {
  validateJobAddress(request.address);
  throwIfCannotChange(request.principal, request.address.subscriptionId);
  await inTransaction(
    deps,
    async (repos) => {
      const job = await loadJob(repos, request.address);
      throwIfStale(job, request.ifMatch);
      throwIfJobNotDeletable(job);
      await repos.jobs.delete(job);
    },
    { pinned: request.ifMatch !== undefined },
  );
}
