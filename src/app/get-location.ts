/** @module Reading one data center by its short (`westus`) or display (`West US`) name. */

import { errors } from "../domain/errors.js";
import type { Location } from "../domain/model.js";
import type { AppDeps } from "./support/deps.js";
import { findLocation } from "./support/locations.js";

export async function getLocation(deps: Pick<AppDeps, "store">, name: string): Promise<Location> {
  const location = await findLocation(deps.store.direct, name);
  if (!location) {
    throw errors.notFound("location", name);
  }
  return location;
}
