/** @module Administration: the data centers (locations) and the storage-account registry jobs resolve against. */

import { DomainError, errors } from "../domain/errors.js";
import type { Location } from "../domain/model.js";
import { validateCarrierName, validateSubscriptionId } from "../domain/names.js";
import type { StorageAccount } from "../store/storage-accounts.js";
import type { AppDeps } from "./deps.js";
import { nowIso } from "./deps.js";
import { forgetLocations } from "./locations.js";
import { type Principal, throwIfNotRole } from "./principal.js";

const ADMINS = ["admin"] as const;

function requireText(value: string | undefined, field: string, max = 200): string {
  const text = value?.trim() ?? "";
  if (text === "" || text.length > max) {
    throw new DomainError("InvalidAddress", `'${field}' is required, at most ${max} characters.`, field);
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
    throw new DomainError(
      "InvalidLocation",
      "A location id is 2–32 lowercase letters and digits (e.g. westus).",
      "id",
    );
  }
  if (input.supportedCarriers.length === 0) {
    throw new DomainError("InvalidCarrier", "A location accepts at least one carrier.", "supportedCarriers");
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
    alternateLocations: input.alternateLocations ?? [`/providers/Microsoft.ImportExport/locations/${id}`],
  };
  for (const key of ["streetAddress2", "stateOrProvince", "additionalShippingInformation"] as const) {
    if (input[key] !== undefined) {
      location[key] = requireText(input[key], key, 500);
    }
  }
  await deps.store.read.locations.upsert(location);
  forgetLocations(deps);
  return location;
}

export async function deleteLocation(deps: AppDeps, principal: Principal, id: string): Promise<void> {
  throwIfNotRole(principal, ADMINS, "change locations");
  const inUse = await deps.store.read.jobs.countByLocation(id);
  if (inUse > 0) {
    throw new DomainError(
      "InvalidLocation",
      `The location '${id}' is used by ${inUse} job(s); it cannot be deleted.`,
      "id",
    );
  }
  if (!(await deps.store.read.locations.delete(id))) {
    throw errors.notFound("location", id);
  }
  forgetLocations(deps);
}

export type CredentialType = "accountKey" | "sas" | "entra";

export interface StorageAccountInput {
  subscriptionId?: string;
  blobEndpoint: string;
  credential?: { type: CredentialType; secret?: string };
}

/** A registration as an admin sees it: the credential's kind and its last characters, never the secret. */
export interface StorageAccountView {
  name: string;
  subscriptionId?: string;
  blobEndpoint: string;
  credential?: { type: CredentialType; hint?: string };
}

function validateAccountName(name: string): void {
  if (!/^[a-z0-9]{3,24}$/.test(name)) {
    throw new DomainError(
      "InvalidStorageAccountId",
      "A storage account name is 3–24 lowercase letters and digits.",
      "name",
    );
  }
}

function viewOfAccount(deps: AppDeps, account: StorageAccount): StorageAccountView {
  const view: StorageAccountView = { name: account.name, blobEndpoint: account.blobEndpoint };
  if (account.subscriptionId !== undefined) {
    view.subscriptionId = account.subscriptionId;
  }
  if (account.credentialEnc !== undefined) {
    const credential = JSON.parse(deps.secrets.open(account.credentialEnc)) as {
      type: CredentialType;
      secret?: string;
    };
    view.credential = credential.secret
      ? { type: credential.type, hint: `…${credential.secret.slice(-4)}` }
      : { type: credential.type };
  }
  return view;
}

export async function setStorageAccount(
  deps: AppDeps,
  principal: Principal,
  name: string,
  input: StorageAccountInput,
): Promise<StorageAccountView> {
  throwIfNotRole(principal, ADMINS, "register storage accounts");
  validateAccountName(name);
  if (input.subscriptionId !== undefined) {
    validateSubscriptionId(input.subscriptionId);
  }
  let endpoint: URL;
  try {
    endpoint = new URL(input.blobEndpoint);
  } catch {
    throw new DomainError("InvalidStorageAccountId", "blobEndpoint must be an http(s) URL.", "blobEndpoint");
  }
  if (endpoint.protocol !== "https:" && endpoint.protocol !== "http:") {
    throw new DomainError("InvalidStorageAccountId", "blobEndpoint must be an http(s) URL.", "blobEndpoint");
  }
  const credential = input.credential;
  if (credential && credential.type !== "entra" && !credential.secret) {
    throw new DomainError(
      "InvalidRequestContent",
      `A ${credential.type} credential needs its secret.`,
      "credential.secret",
    );
  }
  const account: StorageAccount = { name, blobEndpoint: endpoint.toString().replace(/\/$/, "") };
  if (input.subscriptionId !== undefined) {
    account.subscriptionId = input.subscriptionId.toLowerCase();
  }
  if (credential) {
    // Sealed like drive keys: the database alone never yields a usable credential.
    account.credentialEnc = deps.secrets.seal(JSON.stringify(credential));
  }
  await deps.store.read.storageAccounts.upsert(account, nowIso(deps));
  return viewOfAccount(deps, account);
}

export async function listStorageAccounts(
  deps: AppDeps,
  principal: Principal,
): Promise<StorageAccountView[]> {
  throwIfNotRole(principal, ADMINS, "read the storage-account registry");
  return (await deps.store.read.storageAccounts.list()).map((a) => viewOfAccount(deps, a));
}

export async function getStorageAccount(
  deps: AppDeps,
  principal: Principal,
  name: string,
  subscriptionId?: string,
): Promise<StorageAccountView> {
  throwIfNotRole(principal, ADMINS, "read the storage-account registry");
  const account = await deps.store.read.storageAccounts.get(name, subscriptionId?.toLowerCase());
  if (!account) {
    throw errors.notFound("storage account", name);
  }
  return viewOfAccount(deps, account);
}

export async function deleteStorageAccount(
  deps: AppDeps,
  principal: Principal,
  name: string,
  subscriptionId?: string,
): Promise<void> {
  throwIfNotRole(principal, ADMINS, "register storage accounts");
  if (!(await deps.store.read.storageAccounts.delete(name, subscriptionId?.toLowerCase()))) {
    throw errors.notFound("storage account", name);
  }
}
