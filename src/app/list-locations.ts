/** @module Listing the data centers that accept packages (anyone signed in; admins through their API too). */

import type { Location } from "../domain/model.js";
import type { AppDeps } from "./support/deps.js";
import { cachedLocations } from "./support/locations.js";

export function listLocations(deps: Pick<AppDeps, "store" | "clock">): Promise<Location[]> {
  return cachedLocations(deps);
}
