/**
 * @module The port to a job's storage account: a claim hands a station short-lived access to it, and a
 * drive's copy log is read from it as rows. The use cases name it, the transfer layer implements it,
 * serve wires the two.
 */

import type { ParsedDriveLog } from "../../domain/drive-log.js";
import type { StorageCredential } from "./storage-account-view.js";

/** What a station copies with: a SAS for the blob endpoint, until `expiresOn`. */
export interface StorageGrant {
  blobEndpoint: string;
  /** A SAS query string without its leading `?`. A secret: never logged. */
  sas: string;
  /** ISO instant. */
  expiresOn: string;
}

/** A registered account with its credential in the clear (the control plane opened its seal). */
export interface AccountAccess {
  name: string;
  blobEndpoint: string;
  credential: StorageCredential;
}

/** Where a drive log lives in the account: checked by the use case against the job before it is read. */
export interface BlobLocation {
  container: string;
  blobName: string;
}

/** A DriveLog as rows, one per blob: read by the transfer layer, shown by the use cases and the API. */
export type DriveLogTable = ParsedDriveLog;

/**
 * Why a read failed, for the use case to word: the blob is gone, the account refused the credential,
 * the account could not be reached, the blob is larger than allowed, it is not a DriveLog, this kind of
 * credential cannot read here (Entra ID), or anything else the service answered. `message` is the
 * service's first line, with no secret in it.
 */
export type LogReadFailure =
  | "notFound"
  | "forbidden"
  | "unreachable"
  | "tooLarge"
  | "notADriveLog"
  | "credentialUnsupported"
  | "failed";

export type DriveLogRead =
  | { ok: true; log: DriveLogTable }
  | { ok: false; reason: LogReadFailure; message: string };

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

  /**
   * The DriveLog at `location`, read with the account's credential and parsed; a blob larger than
   * `maxBytes` is not read. Failures are answered, not thrown.
   */
  readDriveLog(
    account: AccountAccess,
    location: BlobLocation,
    options: { maxBytes: number },
  ): Promise<DriveLogRead>;
}
