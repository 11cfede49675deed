/**
 * @module Short-lived storage access for a station: an account SAS for the blob service, signed with the
 * registered account key (or the key inside a connection string), or the registered SAS as it is.
 */

import {
  AccountSASPermissions,
  AccountSASResourceTypes,
  AccountSASServices,
  generateAccountSASQueryParameters,
  StorageSharedKeyCredential,
} from "@azure/storage-blob";

import { parseConnectionString } from "../../domain/connection-string.js";

/** A registered credential, in the clear (the control plane opened its seal). */
export interface BlobCredential {
  type: "accountKey" | "connectionString" | "sas" | "entra";
  secret?: string;
}

export interface BlobAccess {
  blobEndpoint: string;
  /** Without a leading `?`. */
  sas: string;
  /** ISO instant. */
  expiresOn: string;
}

/** Clocks of a station and the storage service disagree a little: the SAS starts a bit in the past. */
export const SAS_START_SKEW_MS = 5 * 60 * 1000;
/** Long enough for a station between two claims (it renews well before), short enough to be worthless soon if leaked. */
export const SAS_LIFETIME_MS = 60 * 60 * 1000;

/** The permissions a copy needs, both ways: read, add, create, write, delete, list. */
const PERMISSIONS = "racwdl";

/**
 * Access to `account`'s blob service, valid from a little before `now` to an hour after; undefined for
 * a credential no SAS can be minted from here (Entra ID: a user-delegation SAS needs a token of the
 * service's own identity, which it does not have yet — the claim then carries no storage access, and
 * the station reports that it cannot copy).
 */
export async function grantBlobAccess(
  account: { name: string; blobEndpoint: string; credential: BlobCredential },
  now: Date,
): Promise<BlobAccess | undefined> {
  const { credential } = account;
  const expiresOn = new Date(now.getTime() + SAS_LIFETIME_MS);
  switch (credential.type) {
    case "accountKey":
      return credential.secret
        ? accountSas(account.blobEndpoint, account.name, credential.secret, now, expiresOn)
        : undefined;
    case "connectionString": {
      const parsed = parseConnectionString(credential.secret ?? "");
      return parsed
        ? accountSas(account.blobEndpoint, parsed.accountName, parsed.accountKey, now, expiresOn)
        : undefined;
    }
    case "sas": {
      const sas = (credential.secret ?? "").replace(/^\?/, "");
      // A registered SAS expires when its own `se` says; without one, it is taken as lasting the hour.
      const se = new URLSearchParams(sas).get("se");
      const until = se && !Number.isNaN(Date.parse(se)) ? new Date(se) : expiresOn;
      return sas ? { blobEndpoint: account.blobEndpoint, sas, expiresOn: until.toISOString() } : undefined;
    }
    case "entra":
      return undefined;
  }
}

/** An account SAS for the blob service over its service, containers and blobs. */
export function accountSas(
  blobEndpoint: string,
  accountName: string,
  accountKey: string,
  now: Date,
  expiresOn: Date,
): BlobAccess {
  const sas = generateAccountSASQueryParameters(
    {
      services: AccountSASServices.parse("b").toString(),
      resourceTypes: AccountSASResourceTypes.parse("sco").toString(),
      permissions: AccountSASPermissions.parse(PERMISSIONS),
      startsOn: new Date(now.getTime() - SAS_START_SKEW_MS),
      expiresOn,
    },
    new StorageSharedKeyCredential(accountName, accountKey),
  ).toString();
  return { blobEndpoint, sas, expiresOn: expiresOn.toISOString() };
}
