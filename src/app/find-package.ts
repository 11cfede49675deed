/** @module The operator looks a package up: the jobs whose delivery package has this carrier and tracking number. */

import { validateCarrierName, validateTrackingNumber } from "../domain/names.js";
import { packageKey } from "../domain/package.js";
import type { AppDeps } from "./support/deps.js";
import { type JobView, viewOf } from "./support/job-view.js";
import { locationById } from "./support/locations.js";
import { OPERATORS, type Principal, throwIfNotRole } from "./support/principal.js";

export async function findPackage(
  deps: AppDeps,
  principal: Principal,
  carrier: string,
  tracking: string,
): Promise<JobView[]> {
  throwIfNotRole(principal, OPERATORS, "look packages up");
  validateCarrierName(carrier);
  validateTrackingNumber(tracking);
  const repos = deps.store.direct;
  const jobs = await repos.jobs.findByPackageKey(packageKey(carrier, tracking));
  const drives = await repos.drives.listByJobs(jobs.map((j) => j.id));
  const now = deps.clock.now();
  return Promise.all(
    jobs.map(async (j) => viewOf(j, drives.get(j.id) ?? [], await locationById(deps, j.location), now)),
  );
}
