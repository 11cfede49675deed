/**
 * @module The port through which a claim hands a station short-lived access to the job's storage
 * account: the use cases name it, the transfer layer implements it, serve wires the two.
 */

import type { StorageCredential } from "./storage-account-view.js";

/** What a station copies with: a SAS for the blob endpoint, until `expiresOn`. */
export interface StorageGrant {
  blobEndpoint: string;
  /** A SAS query string without its leading `?`. A secret: never logged. */
  sas: string;
  /** ISO instant. */
  expiresOn: string;
}

export interface StorageAccess {
  /**
   * Access to the account's blob service from `now` on; undefined when this kind of credential yields
   * none here (Entra ID: the service cannot mint a user-delegation SAS yet, so the station is told no
   * storage access and reports the drive as failed rather than guess).
   */
  grant(
    account: { name: string; blobEndpoint: string; credential: StorageCredential },
    now: Date,
  ): Promise<StorageGrant | undefined>;
}
