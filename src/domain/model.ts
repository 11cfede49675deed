/** @module The shapes of a job, its drives, its packages and its state history, as the rules see them. */

import type { DriveState, JobState, JobType, LogLevel } from "./states.js";

/** A postal address with a phone to call: where drives are sent, either way (all required but two lines). */
export interface PostalAddress {
  recipientName: string;
  streetAddress1: string;
  streetAddress2?: string;
  city: string;
  stateOrProvince?: string;
  postalCode: string;
  countryOrRegion: string;
  phone: string;
}

/** Where the customer wants the drives back. */
export interface ReturnAddress extends PostalAddress {
  email: string;
}

/** The customer's account with the return carrier. */
export interface ReturnShipping {
  carrierName: string;
  carrierAccountNumber: string;
}

/** The package the customer ships to the data center. */
export interface DeliveryPackage {
  carrierName: string;
  trackingNumber: string;
  driveCount?: number;
  shipDate?: string;
}

/** The package the data center ships back; present once drives have been shipped back. */
export interface ReturnPackage {
  carrierName: string;
  trackingNumber: string;
  driveCount: number;
  shipDate: string;
}

/** What an export job copies out: blob paths, blob path prefixes, or a blob that lists them. */
export interface ExportSpec {
  blobPaths: string[];
  blobPathPrefixes: string[];
  blobListBlobPath?: string;
}

export interface EncryptionKey {
  kekType: "MicrosoftManaged" | "CustomerManaged";
  kekUrl?: string;
  kekVaultResourceID?: string;
}

/** A data center that accepts packages. `id` is the short form (`westus`), `name` the display form. */
export interface Location extends PostalAddress {
  id: string;
  name: string;
  additionalShippingInformation?: string;
  supportedCarriers: string[];
  alternateLocations: string[];
}

/** How a job is named: its subscription, resource group and name (the three parts of its ARM id). */
export interface JobAddress {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

export interface Job {
  /** Internal, increasing id: the key for paging and for drives and history. */
  id: number;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  /** Location id (`westus`). */
  location: string;
  type: JobType;
  state: JobState;
  storageAccountId: string;
  returnAddress?: ReturnAddress;
  returnShipping?: ReturnShipping;
  deliveryPackage?: DeliveryPackage;
  returnPackage?: ReturnPackage;
  diagnosticsPath: string;
  logLevel: LogLevel;
  backupDriveManifest: boolean;
  cancelRequested: boolean;
  export?: ExportSpec;
  incompleteBlobListUri?: string;
  encryptionKey: EncryptionKey;
  tags: Record<string, string>;
  createdAt: string;
  createdBy: string;
  lastModifiedAt: string;
  lastModifiedBy: string;
  /** When the customer recorded tracking (entered `Shipping`): the delivery timeout runs from here. */
  trackingRecordedAt?: string;
  /** When the job entered its current state: the retention timer runs from here. */
  stateChangedAt: string;
  /** Opaque version for optimistic concurrency; changes on every write. */
  etag: string;
}

export interface Drive {
  jobId: number;
  driveId: string;
  /** A drive that arrived in this job's package but belongs to no job: returned, never copied. */
  extra: boolean;
  state: DriveState;
  manifestFile?: string;
  manifestHash?: string;
  driveHeaderHash?: string;
  copyStatus?: string;
  percentComplete: number;
  bytesSucceeded: number;
  /** Bytes to copy, once known (from the manifest or the export list); weights the job's percent. */
  bytesTotal: number;
  verboseLogUri?: string;
  errorLogUri?: string;
  manifestUri?: string;
  errorCount: number;
  warningCount: number;
  infoCount: number;
  stateChangedAt: string;
  /** The station holding the copy lease (its token id), and until when. */
  claimedBy?: string;
  leaseExpiresAt?: string;
  /** An export drive's capacity in bytes, when the operator recorded it at registration. */
  capacityBytes?: number;
  /**
   * The blobs an export drive's copy could not fit (an absolute URL the station wrote): what the job's
   * next drive is to take. Absent when everything fit, or before the drive finished.
   */
  incompleteBlobListUri?: string;
}

/** Who did something: a token's label and role, or the service itself (sweeps). */
export interface Actor {
  id: string;
  role: "customer" | "operator" | "station" | "admin" | "system";
}

/** When, by whom and why something was done: what every recorded move carries. */
export interface Change {
  at: string;
  actor: string;
  reason: string;
}

/** One move of a job or a drive, as the state history records it. */
export interface StateChange {
  jobId: number;
  /** Set for a drive's move, absent for the job's. */
  driveId?: string;
  from: string | null;
  to: string;
  at: string;
  actor: string;
  reason: string;
}
