/** @module The JSON the APIs answer, as the client reads it (README.md for the ARM API, docs/ops-api.md for /ops/v1/). */

import type {
  DeliveryPackage,
  ExportSpec,
  Location,
  ReturnAddress,
  ReturnPackage,
  ReturnShipping,
} from "../domain/model.js";
import type { DriveState, JobState, JobType, LogLevel } from "../domain/states.js";

export type { DeliveryPackage, ExportSpec, Location, ReturnAddress, ReturnPackage, ReturnShipping };
export type { DriveState, JobState, JobType, LogLevel };

/** Where a customer's job lives: the three parts of its ARM id. */
export interface JobAddress {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

export interface ArmDrive {
  driveId: string;
  state: DriveState;
  copyStatus?: string;
  percentComplete?: number;
  bytesSucceeded?: number;
  verboseLogUri?: string;
  errorLogUri?: string;
  manifestUri?: string;
  manifestFile?: string;
}

/** A job as the ARM API shows it (the fields the CLI reads; the rest passes through untouched). */
export interface ArmJob {
  id: string;
  name: string;
  type: string;
  location: string;
  tags?: Record<string, string>;
  systemData?: { createdAt?: string; createdBy?: string; lastModifiedAt?: string; lastModifiedBy?: string };
  properties: {
    storageAccountId?: string;
    jobType?: JobType;
    state: JobState;
    percentComplete?: number;
    /** ISO; only while Transferring and every drive still to copy has a copy rate. */
    estimatedCompletionTime?: string;
    cancelRequested?: boolean;
    logLevel?: LogLevel;
    returnAddress?: ReturnAddress;
    returnShipping?: ReturnShipping;
    shippingInformation?: Record<string, string>;
    deliveryPackage?: DeliveryPackage;
    returnPackage?: ReturnPackage;
    driveList?: ArmDrive[];
    export?: { blobList?: { blobPath?: string[]; blobPathPrefix?: string[] }; blobListBlobPath?: string };
    [more: string]: unknown;
  };
}

/** The body of a job PUT: the ARM model, loosely, since a `--from-file` may carry any of it. */
export interface PutJobBody {
  location?: string;
  tags?: Record<string, string>;
  properties?: Record<string, unknown>;
  [more: string]: unknown;
}

/** The body of a job PATCH. */
export interface PatchJobBody {
  tags?: Record<string, string>;
  properties: {
    state?: JobState;
    cancelRequested?: boolean;
    returnAddress?: ReturnAddress;
    returnShipping?: ReturnShipping;
    deliveryPackage?: DeliveryPackage;
    logLevel?: LogLevel;
  };
}

/** One move of a job (no driveId) or of one of its drives. */
export interface HistoryRow {
  at: string;
  driveId?: string;
  from: string | null;
  to: string;
  actor: string;
  reason: string;
}

export interface BitLockerKey {
  driveId: string;
  bitLockerKey: string;
}

export interface WhoAmI {
  tokenId: string;
  label: string;
  role: "customer" | "operator" | "station" | "admin";
  subscriptions: string[];
}

/** A drive as operators see it (extra drives too, copy counters, the station holding it). */
export interface OpsDrive {
  driveId: string;
  state: DriveState;
  extra: boolean;
  copyStatus?: string;
  percentComplete: number;
  bytesSucceeded: number;
  bytesTotal: number;
  errorCount: number;
  warningCount: number;
  infoCount: number;
  claimedBy?: string;
  leaseExpiresAt?: string;
  stateChangedAt: string;
}

/** A job in brief, as the operator API names it: by its ARM id. */
export interface JobBrief {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  type: JobType;
  state: JobState;
  location: string;
  storageAccountId: string;
  deliveryPackage?: DeliveryPackage;
  returnPackage?: ReturnPackage;
  trackingRecordedAt?: string;
  stateChangedAt: string;
}

export interface JobSummary extends JobBrief {
  percentComplete: number;
  /** ISO; only while Transferring and every drive still to copy has a copy rate. */
  estimatedCompletionTime?: string;
  drives: OpsDrive[];
  extraDrives: OpsDrive[];
}

export interface ReceiveAnswer {
  status: "Received" | "Held";
  job: JobSummary;
  received: string[];
  neverReceived: string[];
  extra: string[];
  found: { serial: string; job: JobBrief }[];
  registered: string[];
}

export interface StationBrief {
  id: string;
  name: string;
  lastSeenAt?: string;
}

export interface QueueDrive {
  job: JobBrief;
  drive: OpsDrive;
  station?: StationBrief;
}

export interface WorkQueue {
  at: string;
  packagesExpected: { job: JobBrief; deliveryTimeoutAt?: string }[];
  waitingToCopy: QueueDrive[];
  copying: QueueDrive[];
  waitingToShip: JobBrief[];
  extraDrives: QueueDrive[];
  stations?: StationBrief[];
}

/** What a location's PUT carries (the id is in the path). */
export type LocationInput = Omit<Location, "id" | "alternateLocations"> & { alternateLocations?: string[] };

export type CredentialType = "accountKey" | "sas" | "entra";

export interface StorageAccountInput {
  subscriptionId?: string;
  blobEndpoint: string;
  credential?: { type: CredentialType; secret?: string };
}

/** A registered storage account as admins see it: the credential's kind and a hint, never the secret. */
export interface StorageAccountView {
  name: string;
  subscriptionId?: string;
  blobEndpoint: string;
  credential?: { type: CredentialType; hint?: string };
}
