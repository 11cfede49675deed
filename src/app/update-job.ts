/** @module The customer edits a job (ARM PATCH without a state change): the fields its state still allows. */

import type { JobChanges } from "../domain/job-edits.js";
import { changeJob, type JobChangeRequest } from "./support/change-job.js";
import type { AppDeps } from "./support/deps.js";
import { saveEdits } from "./support/edit-job.js";
import { type JobView, viewOf } from "./support/job-view.js";

export interface UpdateJobRequest extends JobChangeRequest {
  changes: JobChanges;
}

export function updateJob(deps: AppDeps, request: UpdateJobRequest): Promise<JobView> {
  return changeJob(deps, request, async ({ repos, job, location, at, actor }) => {
    const change = { at, actor, reason: "Job updated" };
    const edited = await saveEdits(deps, repos, { job, changes: request.changes, location, change });
    return viewOf(edited.job, edited.drives, location, deps.clock.now());
  });
}
