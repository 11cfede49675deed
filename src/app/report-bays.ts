/** @module A copy station says what its bays hold (a heartbeat too): operators see drives waiting in bays. */

import { errors } from "../domain/errors.js";
import { type BayReport, throwIfBaysInvalid } from "../domain/station.js";
import { type AppDeps, nowIso } from "./support/deps.js";
import { type Principal, STATIONS, throwIfNotRole } from "./support/principal.js";

export async function reportBays(
  deps: AppDeps,
  principal: Principal,
  bays: readonly BayReport[],
): Promise<void> {
  throwIfNotRole(principal, STATIONS, "report bays");
  throwIfBaysInvalid(bays);
  // One statement, deciding nothing: the report replaces the last one whole.
  if (!(await deps.store.direct.stations.reportBays(principal.tokenId, bays, nowIso(deps)))) {
    throw errors.stationNotRegistered();
  }
}
