/** @module The admin creates or replaces a location (a data center that accepts packages). */

import { errors } from "../domain/errors.js";
import type { Location } from "../domain/model.js";
import { locationResourceId, namesLocation, validateCarrierName } from "../domain/names.js";
import type { AppDeps } from "./support/deps.js";
import { forgetLocations } from "./support/locations.js";
import { ADMINS, type Principal, throwIfNotRole } from "./support/principal.js";
import { inTransaction } from "./support/transaction.js";

function requireText(value: string | undefined, field: string, max = 200): string {
  const text = value?.trim() ?? "";
  if (text === "" || text.length > max) {
    throw errors.locationFieldInvalid(field, max);
  }
  return text;
}

export type LocationInput = Omit<Location, "id" | "alternateLocations"> & { alternateLocations?: string[] };

export async function setLocation(
  deps: AppDeps,
  principal: Principal,
  id: string,
  input: LocationInput,
): Promise<Location> {
  throwIfNotRole(principal, ADMINS, "change locations");
  if (!/^[a-z0-9]{2,32}$/.test(id)) {
    throw errors.locationIdInvalid();
  }
  if (input.supportedCarriers.length === 0) {
    throw errors.locationNeedsCarrier();
  }
  input.supportedCarriers.forEach((c) => validateCarrierName(c));
  const location: Location = {
    id,
    name: requireText(input.name, "name", 64),
    recipientName: requireText(input.recipientName, "recipientName"),
    streetAddress1: requireText(input.streetAddress1, "streetAddress1"),
    city: requireText(input.city, "city"),
    postalCode: requireText(input.postalCode, "postalCode", 32),
    countryOrRegion: requireText(input.countryOrRegion, "countryOrRegion", 64),
    phone: requireText(input.phone, "phone", 64),
    supportedCarriers: input.supportedCarriers,
    alternateLocations: input.alternateLocations ?? [locationResourceId(id)],
  };
  for (const key of ["streetAddress2", "stateOrProvince", "additionalShippingInformation"] as const) {
    if (input[key] !== undefined) {
      location[key] = requireText(input[key], key, 500);
    }
  }
  await inTransaction(deps, async (repos) => {
    // A customer names a location by id or display name: each name must name one location only.
    const other = (await repos.locations.list()).find((l) => l.id !== id && namesLocation(l, location.name));
    if (other) {
      throw errors.locationNameTaken(location.name, other.id);
    }
    await repos.locations.upsert(location);
  });
  forgetLocations(deps);
  return location;
}
