/** @module Reading one job: its customer (or an operator) sees it with its drives, location and derived progress. */

import type { AppDeps } from "./support/deps.js";
import { type JobAddress, type JobView, loadJob, validateJobAddress, viewOf } from "./support/job-view.js";
import { locationById } from "./support/locations.js";
import { type Principal, throwIfNoAccess } from "./support/principal.js";

export async function getJob(deps: AppDeps, principal: Principal, address: JobAddress): Promise<JobView> {
  validateJobAddress(address);
  throwIfNoAccess(principal, address.subscriptionId);
  const repos = deps.store.direct;
  const job = await loadJob(repos, address);
  const [drives, location] = await Promise.all([
    repos.drives.listByJob(job.id),
    locationById(deps, job.location),
  ]);
  return viewOf(job, drives, location, deps.clock.now());
}
