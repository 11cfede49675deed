/** @module Deleting a job, allowed only in the states LIFECYCLE.md names. */

import { throwIfJobNotDeletable } from "../domain/job.js";
import type { AppDeps } from "./deps.js";
import { type JobAddress, loadJob, throwIfStale, validateJobAddress } from "./job-view.js";
import { type Principal, throwIfCannotChange } from "./principal.js";
import { retryOnConflict } from "./retry.js";

export async function deleteJob(
  deps: AppDeps,
  principal: Principal,
  address: JobAddress,
  ifMatch?: string,
): Promise<void> {
  validateJobAddress(address);
  throwIfCannotChange(principal, address.subscriptionId);
  await retryOnConflict(
    () =>
      deps.store.transaction(async (repos) => {
        const job = await loadJob(repos, address);
        throwIfStale(job, ifMatch);
        throwIfJobNotDeletable(job);
        await repos.jobs.delete(job);
      }),
    ifMatch,
  );
}
