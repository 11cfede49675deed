/** @module What a fresh installation starts with: one location and the embedded storage account. */

import type { Location } from "../domain/model.js";
import { locationResourceId } from "../domain/names.js";
import { type AppDeps, nowIso } from "./support/deps.js";

/** The embedded data center; an admin can add real ones. */
export const DEFAULT_LOCATION: Location = {
  id: "westus",
  name: "West US",
  recipientName: "Sneakernet Data Center",
  streetAddress1: "1 Loopback Way",
  city: "Localhost",
  stateOrProvince: "CA",
  postalCode: "94000",
  countryOrRegion: "USA",
  phone: "+1 555 010 0100",
  additionalShippingInformation: "Write the job name on the package.",
  supportedCarriers: ["FedEx", "UPS", "DHL", "USPS", "Blue Dart", "TNT"],
  alternateLocations: [locationResourceId("westus")],
};

/** The well-known development account of the embedded blob endpoint (Azurite). */
export const DEV_STORAGE_ACCOUNT = {
  name: "devstoreaccount1",
  blobEndpoint: "http://127.0.0.1:10000/devstoreaccount1",
};

/** Safe to run at every start and from several replicas at once: it only inserts what is missing. */
export async function seedDefaults(deps: Pick<AppDeps, "store" | "clock">): Promise<void> {
  await deps.store.direct.locations.insertIfAbsent(DEFAULT_LOCATION);
  await deps.store.direct.storageAccounts.insertSharedIfAbsent(
    DEV_STORAGE_ACCOUNT.name,
    DEV_STORAGE_ACCOUNT.blobEndpoint,
    nowIso(deps),
  );
}
