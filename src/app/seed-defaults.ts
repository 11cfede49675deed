/** @module What a fresh installation starts with: one location and the embedded storage account. */

import type { Location } from "../domain/model.js";
import { locationResourceId } from "../domain/names.js";
import { type AppDeps, nowIso } from "./support/deps.js";
import type { StorageCredential } from "./support/storage-account-view.js";
import { inTransaction } from "./support/transaction.js";

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

/**
 * Points the shared development account at the blob endpoint this start actually serves, with the
 * emulator's well-known key sealed as its credential: at every start with the embedded endpoint, so a
 * data dir from before (no credential, another port) is brought up to date — a replacement, not an
 * insert-if-absent.
 */
export async function registerEmbeddedAccount(
  deps: Pick<AppDeps, "store" | "clock" | "secrets">,
  blobEndpoint: string,
  accountKey: string,
): Promise<void> {
  const credential: StorageCredential = { type: "accountKey", secret: accountKey };
  await inTransaction(deps, (repos) =>
    repos.storageAccounts.upsert(
      {
        name: DEV_STORAGE_ACCOUNT.name,
        blobEndpoint,
        credentialEnc: deps.secrets.seal(JSON.stringify(credential)),
      },
      nowIso(deps),
    ),
  );
}
