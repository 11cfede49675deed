/** @module A copy station registers itself: its token, a name people read, a first heartbeat. */

import { errors } from "../domain/errors.js";
import { type AppDeps, nowIso } from "./support/deps.js";
import { type Principal, STATIONS, throwIfNotRole } from "./support/principal.js";

export async function registerStation(
  deps: AppDeps,
  principal: Principal,
  name: string,
): Promise<{ id: string; name: string }> {
  throwIfNotRole(principal, STATIONS, "register as a copy station");
  const trimmed = name.trim();
  if (!/^[\w.-]{1,64}$/.test(trimmed)) {
    throw errors.stationNameInvalid();
  }
  const at = nowIso(deps);
  // One statement that decides nothing: a station is its token, registering again renames it.
  await deps.store.direct.stations.upsert({
    id: principal.tokenId,
    name: trimmed,
    registeredAt: at,
    lastSeenAt: at,
  });
  return { id: principal.tokenId, name: trimmed };
}
