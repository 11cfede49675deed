/** @module The admin deletes a location no job uses. */

import { errors } from "../domain/errors.js";
import type { AppDeps } from "./support/deps.js";
import { forgetLocations } from "./support/locations.js";
import { ADMINS, type Principal, throwIfNotRole } from "./support/principal.js";
import { inTransaction } from "./support/transaction.js";

export async function deleteLocation(deps: AppDeps, principal: Principal, id: string): Promise<void> {
  throwIfNotRole(principal, ADMINS, "change locations");
  // Counted and deleted in one transaction: a job created meanwhile cannot be left pointing nowhere.
  await inTransaction(deps, async (repos) => {
    const inUse = await repos.jobs.countByLocation(id);
    if (inUse > 0) {
      throw errors.locationInUse(id, inUse);
    }
    if (!(await repos.locations.delete(id))) {
      throw errors.notFound("location", id);
    }
  });
  forgetLocations(deps);
}
