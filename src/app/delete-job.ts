/** @module The customer deletes a job: allowed only in the states LIFECYCLE.md names. */

import { throwIfJobNotDeletable } from "../domain/job.js";
import { changeJob, type JobChangeRequest } from "./support/change-job.js";
import type { AppDeps } from "./support/deps.js";

export type DeleteJobRequest = JobChangeRequest;

export async function deleteJob(deps: AppDeps, request: DeleteJobRequest): Promise<void> {
  await changeJob(deps, request, async ({ repos, job }) => {
    throwIfJobNotDeletable(job);
    await repos.jobs.delete(job);
  });
}
