/** @module The customer cancels a job (ARM PATCH cancelRequested: true): only while it is Creating; it moves to Canceled. */

import { moveJob, throwIfJobNotCancelable } from "../domain/job.js";
import type { JobChanges } from "../domain/job-edits.js";
import { changeJob, type JobChangeRequest } from "./support/change-job.js";
import type { AppDeps } from "./support/deps.js";
import { saveEdits } from "./support/edit-job.js";
import { type JobView, viewOf } from "./support/job-view.js";

export interface CancelJobRequest extends JobChangeRequest {
  /** Edits sent with the cancellation (saved first, as PATCH carries them). */
  changes: JobChanges;
}

export function cancelJob(deps: AppDeps, request: CancelJobRequest): Promise<JobView> {
  return changeJob(deps, request, async ({ repos, job, location, at, actor }) => {
    if (job.state === "Canceled") {
      // Cancelled already: the same request retried.
      return viewOf(job, await repos.drives.listByJob(job.id), location, deps.clock.now());
    }
    throwIfJobNotCancelable(job);
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
  });
}
