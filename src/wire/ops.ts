/**
 * @module The operator, station and admin API's JSON (/ops/v1/, docs/ops-api.md): the request bodies,
 * strict, and the answers — jobs and drives as the data center sees them, never a drive key but in a claim.
 */

import { z } from "zod/v4";

import { BAY_STATES, MAX_BAYS } from "../domain/station.js";
import { armDrive, locationProperties } from "./arm.js";
import {
  count,
  deliveryPackage,
  instant,
  jobState,
  jobType,
  list,
  logLevel,
  returnPackage,
} from "./common.js";

// ---- Answers ----------------------------------------------------------------------------------------

/** A drive as operators see it: extra drives too, the copy's counters, the station holding its lease. */
export const opsDrive = armDrive
  .pick({
    driveId: true,
    state: true,
    copyStatus: true,
    percentComplete: true,
    bytesSucceeded: true,
    verboseLogUri: true,
    errorLogUri: true,
  })
  .extend({
    /** In a job's package but listed by no job: returned, never copied. */
    extra: z.boolean(),
    bytesTotal: count,
    errorCount: count,
    warningCount: count,
    infoCount: count,
    /** The station's token id, and until when it holds the copy lease. */
    claimedBy: z.string().optional(),
    leaseExpiresAt: instant.optional(),
    stateChangedAt: instant,
    /** An export drive's capacity in bytes, when the operator recorded it at registration. */
    capacityBytes: count.optional(),
    /** The blobs an export drive's copy could not fit: what the job's next drive takes. */
    incompleteBlobListUri: z.string().optional(),
  });

/** A job in brief, named by its ARM id (`id`) as the operator API names jobs. */
export const jobBrief = z.strictObject({
  id: z.string(),
  name: z.string(),
  subscriptionId: z.string(),
  resourceGroup: z.string(),
  type: jobType,
  state: jobState,
  /** The location's id (`westus`). */
  location: z.string(),
  storageAccountId: z.string(),
  deliveryPackage: deliveryPackage.optional(),
  returnPackage: returnPackage.optional(),
  /** When the customer recorded tracking: the delivery timeout runs from here. */
  trackingRecordedAt: instant.optional(),
  stateChangedAt: instant,
});

/** A job with its progress and every drive: the job's drives, and the extra ones of its package. */
export const jobSummary = jobBrief.extend({
  percentComplete: count,
  /** Only while Transferring and every drive still to copy has a copy rate. */
  estimatedCompletionTime: instant.optional(),
  drives: z.array(opsDrive),
  extraDrives: z.array(opsDrive),
});

export const receiveAnswer = z.strictObject({
  /** Held: every job it is for is still Creating (no tracking recorded); nothing moved until one is. */
  status: z.enum(["Received", "Held"]),
  /** The first job the package went to (the oldest), or the first holding it. */
  job: jobSummary,
  /** Every job of the customer sharing the package's tracking number that it went to, or is held for. */
  jobs: z.array(jobSummary),
  received: z.array(z.string()),
  neverReceived: z.array(z.string()),
  extra: z.array(z.string()),
  /** Serials that were NeverReceived drives of other jobs, received into those jobs. */
  found: z.array(z.strictObject({ serial: z.string(), job: jobBrief })),
  /** An export job's serials, registered as its drives. */
  registered: z.array(z.string()),
});

/** A drive found or registered: its job, and the drive (absent if the serial is not one of the job's). */
export const driveAnswer = z.strictObject({ job: jobSummary, drive: opsDrive.optional() });

export const shipAnswer = z.strictObject({ job: jobSummary });

/** What an export job copies out, as the station reads it. */
export const exportSpec = z.strictObject({
  blobPaths: z.array(z.string()),
  blobPathPrefixes: z.array(z.string()),
  blobListBlobPath: z.string().optional(),
});

/**
 * Short-lived access to the job's storage account, minted at each claim (a station renews it by claiming
 * again a drive it holds): the SAS is a secret, for the station alone.
 */
export const storageGrant = z.strictObject({
  blobEndpoint: z.string(),
  /** A SAS query string without its leading `?`. */
  sas: z.string(),
  expiresOn: instant,
});

/** Where an export drive's filling starts: the drive filled before it, and what that one left over. */
export const exportAfter = z.strictObject({
  driveId: z.string(),
  incompleteBlobListUri: z.string().optional(),
});

export const claimAnswer = z.strictObject({
  /** The drive, with what the customer recorded of it: the station opens it only if it matches. */
  drive: opsDrive.extend({
    manifestFile: z.string().optional(),
    manifestHash: z.string().optional(),
    driveHeaderHash: z.string().optional(),
  }),
  /** The job, and what the station needs to copy: where to, what (export), how much to log. */
  job: jobBrief.extend({
    blobEndpoint: z.string().optional(),
    /** Absent: the account has no credential the service can mint access from (none, or Entra ID). */
    storage: storageGrant.optional(),
    /** Where the account's file shares are mounted on the station, when the registry says. */
    fileShareRoot: z.string().optional(),
    export: exportSpec.optional(),
    /** An export job: whether the station also writes each drive's manifest to the job's storage account. */
    backupDriveManifest: z.boolean(),
    diagnosticsPath: z.string(),
    logLevel,
  }),
  /** The key to unlock the drive (an export drive: to lock it): it travels only to the lease holder. */
  bitLockerKey: z.string().optional(),
  leaseExpiresAt: instant,
  /**
   * An export drive after the job's first: the drive filled just before it, and the incomplete blob list
   * that drive finished with — what this drive takes. No list: everything fit, nothing is left for this
   * one. Absent for an export job's first drive and for import jobs.
   */
  exportAfter: exportAfter.optional(),
});

export const progressAnswer = z.strictObject({ drive: opsDrive, leaseExpiresAt: instant });

export const finishAnswer = z.strictObject({ drive: opsDrive, job: jobBrief });

/** A copy station (its id is its token's). */
export const station = z.strictObject({ id: z.string(), name: z.string() });

/** A station as the work queue lists it, with its last heartbeat. */
export const stationBrief = station.extend({ lastSeenAt: instant });

/** A bay as its station last reported it. */
export const bayReport = z.strictObject({
  /** The bay's folder name. */
  bay: z.string().min(1).max(255),
  state: z.enum(BAY_STATES),
  driveId: z.string().max(200).optional(),
  /** Why a drive waits, or what went wrong, for a person. */
  message: z.string().max(1000).optional(),
});

/** A station in the work queue: its heartbeat and what its bays hold. */
export const stationStatus = stationBrief.extend({ bays: z.array(bayReport).optional() });

export const queueDrive = z.strictObject({
  job: jobBrief,
  drive: opsDrive,
  station: stationBrief.optional(),
});

/** The operators' work, section by section. */
export const workQueue = z.strictObject({
  at: instant,
  /** Jobs Shipping: their package is on its way. */
  packagesExpected: z.array(z.strictObject({ job: jobBrief, deliveryTimeoutAt: instant.optional() })),
  /** Drives Received (or whose lease ran out mid-copy), not held by a station. */
  waitingToCopy: z.array(queueDrive),
  copying: z.array(queueDrive),
  /** Jobs Packaging. */
  waitingToShip: z.array(jobBrief),
  /** Extra drives not yet returned. */
  extraDrives: z.array(queueDrive),
  stations: z.array(stationStatus),
});

/** A token's roles (the store's Role, which the wire may not import: the domain does not list them). */
const ROLES = ["customer", "operator", "station", "admin"] as const;

/** Who the calling token is. */
export const whoAmI = z.strictObject({
  tokenId: z.string(),
  label: z.string(),
  role: z.enum(ROLES),
  subscriptions: z.array(z.string()),
});

/** A data center, as admins manage it: its short id (`westus`), display name, address and carriers. */
export const location = locationProperties.extend({ id: z.string(), name: z.string() });

const credentialType = z.enum(["accountKey", "connectionString", "sas", "entra"]);

/** A registered storage account: the credential's kind and its last characters, never the secret. */
export const storageAccount = z.strictObject({
  name: z.string(),
  /** Absent: the account is shared by every subscription. */
  subscriptionId: z.string().optional(),
  blobEndpoint: z.string(),
  credential: z.strictObject({ type: credentialType, hint: z.string().optional() }).optional(),
  /** Where the stations find the account's file shares mounted (`<root>/<share>`). */
  fileShareRoot: z.string().optional(),
});

export const deleted = z.strictObject({ deleted: z.literal(true) });

export const jobSummaryList = list(jobSummary);
export const locationList = list(location);
export const storageAccountList = list(storageAccount);

/** The OpenAPI document itself (`/ops/v1/openapi.json`): its full shape is OpenAPI 3.1's. */
export const openApiDocument = z.looseObject({
  openapi: z.string(),
  paths: z.record(z.string(), z.unknown()),
});

// ---- Request bodies ---------------------------------------------------------------------------------

const serial = z.string().max(200);
const carrier = z.string().max(200);
const tracking = z.string().max(200);
/** A job, named by its ARM id. */
const jobRef = z.string().max(1000);

export const receivePackageBody = z.strictObject({
  carrier,
  tracking,
  drives: z.array(serial).max(100),
  reason: z.string().max(500).optional(),
});

export const driveFoundBody = z.strictObject({ serial, carrier, tracking });

export const registerDriveBody = z.strictObject({
  job: jobRef,
  drive: serial,
  /** The drive's capacity: bytes, or text with a unit (`8TB`, `512GiB`); the use case reads and checks it. */
  capacity: z.union([z.string().max(100), z.number()]).optional(),
});

export const shipBody = z.strictObject({
  job: jobRef,
  carrier,
  tracking,
  shipDate: z.string().max(100).optional(),
});

export const registerStationBody = z.strictObject({ name: z.string().max(200) });

export const reportBaysBody = z.strictObject({ bays: z.array(bayReport).max(MAX_BAYS) });

const tally = count.min(0).max(Number.MAX_SAFE_INTEGER);

export const progressBody = z.strictObject({
  bytesSucceeded: tally,
  bytesTotal: tally,
  copyStatus: z.string().max(100).optional(),
  filesSucceeded: tally.optional(),
});

const uri = z.string().max(2048).optional();

export const finishBody = z.strictObject({
  state: z.enum(["Completed", "CompletedMoreInfo"]),
  errorCount: tally,
  warningCount: tally,
  infoCount: tally,
  verboseLogUri: uri,
  errorLogUri: uri,
  manifestUri: uri,
  /** An export drive's: the blobs it could not fit, for the job's next drive (absent: everything fit). */
  incompleteBlobListUri: uri,
});

const entries = z.array(z.string().max(500)).max(50);

/**
 * A location's PUT: the location without its id (the path's; one in the body is ignored) and, if
 * wanted, its alternate locations. Each field's length is the use case's to check, naming the field.
 */
export const locationBody = location
  .partial({ id: true })
  .extend({ supportedCarriers: entries, alternateLocations: entries.optional() });

export const storageAccountBody = z.strictObject({
  /** The path's; one in the body is ignored. */
  name: z.string().max(500).optional(),
  subscriptionId: z.string().max(500).optional(),
  blobEndpoint: z.string().max(2048),
  credential: z.strictObject({ type: credentialType, secret: z.string().max(4096).optional() }).optional(),
  fileShareRoot: z.string().max(2048).optional(),
});

// ---- Types ------------------------------------------------------------------------------------------

export type OpsDrive = z.infer<typeof opsDrive>;
export type JobBrief = z.infer<typeof jobBrief>;
export type JobSummary = z.infer<typeof jobSummary>;
export type ReceiveAnswer = z.infer<typeof receiveAnswer>;
export type DriveAnswer = z.infer<typeof driveAnswer>;
export type ShipAnswer = z.infer<typeof shipAnswer>;
export type ExportSpec = z.infer<typeof exportSpec>;
export type ClaimAnswer = z.infer<typeof claimAnswer>;
export type ExportAfter = z.infer<typeof exportAfter>;
export type StorageGrant = z.infer<typeof storageGrant>;
export type ProgressAnswer = z.infer<typeof progressAnswer>;
export type FinishAnswer = z.infer<typeof finishAnswer>;
export type Station = z.infer<typeof station>;
export type StationBrief = z.infer<typeof stationBrief>;
export type StationStatus = z.infer<typeof stationStatus>;
export type BayReportJson = z.infer<typeof bayReport>;
export type ReportBaysBody = z.infer<typeof reportBaysBody>;
export type QueueDrive = z.infer<typeof queueDrive>;
export type WorkQueue = z.infer<typeof workQueue>;
export type Role = (typeof ROLES)[number];
export type WhoAmI = z.infer<typeof whoAmI>;
export type Location = z.infer<typeof location>;
export type StorageAccountView = z.infer<typeof storageAccount>;
export type Deleted = z.infer<typeof deleted>;
export type JobSummaryList = z.infer<typeof jobSummaryList>;
export type LocationList = z.infer<typeof locationList>;
export type StorageAccountList = z.infer<typeof storageAccountList>;
export type CredentialType = z.infer<typeof credentialType>;

export type ReceivePackageBody = z.infer<typeof receivePackageBody>;
export type DriveFoundBody = z.infer<typeof driveFoundBody>;
export type RegisterDriveBody = z.infer<typeof registerDriveBody>;
export type ShipBody = z.infer<typeof shipBody>;
export type RegisterStationBody = z.infer<typeof registerStationBody>;
export type ProgressBody = z.infer<typeof progressBody>;
export type FinishBody = z.infer<typeof finishBody>;
/** What a location's PUT carries. */
export type LocationInput = z.infer<typeof locationBody>;
/** What a storage account's PUT carries. */
export type StorageAccountInput = z.infer<typeof storageAccountBody>;

export type { HistoryList, HistoryRow, ProgressEvent, StateEvent } from "./common.js";
