/** @module Reading the data centers that accept packages, by short (`westus`) or display (`West US`) name. */

import { errors } from "../domain/errors.js";
import type { Location } from "../domain/model.js";
import { locationKey } from "../domain/names.js";
import type { AppDeps } from "./deps.js";

export function listLocations(deps: Pick<AppDeps, "store">): Promise<Location[]> {
  return deps.store.read.locations.list();
}

export async function getLocation(deps: Pick<AppDeps, "store">, name: string): Promise<Location> {
  const location = await deps.store.read.locations.get(locationKey(name));
  if (!location) {
    throw errors.notFound("location", name);
  }
  return location;
}
