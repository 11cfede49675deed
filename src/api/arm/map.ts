/**
 * @module ARM JSON ⇄ domain: request bodies (src/wire/arm.ts) into use-case inputs, jobs and locations
 * into the ARM resources of src/wire/arm.ts.
 */

import type { CreateJobInput } from "../../app/create-job.js";
import type { DriveLogView } from "../../app/read-drive-log.js";
import type { HistoryEntry } from "../../app/read-history.js";
import type { JobView } from "../../app/support/job-view.js";
import type { DriveInput, JobChanges } from "../../domain/job-edits.js";
import type { Drive, ExportSpec, Location } from "../../domain/model.js";
import type {
  ArmDrive,
  ArmJob,
  ArmLocation,
  DriveLog,
  DriveStatusBody,
  ExportBody,
  Operation,
  PutJobParameters,
  ShippingInformation,
  UpdateJobParameters,
} from "../../wire/arm.js";
import type { HistoryRow } from "../../wire/common.js";
import { jobId, locationId, PROVIDER } from "../../wire/ids.js";

/** Copies the keys whose values are set (not null or undefined): "absent" and "null" mean the same here. */
function defined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v != null)) as {
    [K in keyof T]: Exclude<T[K], null>;
  };
}

function driveInput(body: DriveStatusBody): DriveInput {
  return defined({
    driveId: body.driveId,
    bitLockerKey: body.bitLockerKey,
    manifestFile: body.manifestFile,
    manifestHash: body.manifestHash,
    driveHeaderHash: body.driveHeaderHash,
  }) as DriveInput;
}

function exportInput(body: ExportBody): ExportSpec {
  const spec: ExportSpec = {
    blobPaths: body.blobList?.blobPath ?? [],
    blobPathPrefixes: body.blobList?.blobPathPrefix ?? [],
  };
  if (body.blobListBlobPath != null) {
    spec.blobListBlobPath = body.blobListBlobPath;
  }
  return spec;
}

/** What PUT and PATCH both take: the tags, and the properties a PATCH may carry (a PUT's are more). */
type CommonChanges = Pick<UpdateJobParameters, "tags"> & NonNullable<UpdateJobParameters["properties"]>;

function changesFrom(body: CommonChanges): JobChanges {
  const changes = defined({
    tags: body.tags,
    returnAddress: body.returnAddress ? defined(body.returnAddress) : undefined,
    returnShipping: body.returnShipping,
    deliveryPackage: body.deliveryPackage ? defined(body.deliveryPackage) : undefined,
    logLevel: body.logLevel,
    backupDriveManifest: body.backupDriveManifest,
    driveList: body.driveList?.map(driveInput),
  });
  return changes as JobChanges;
}

export function putInput(body: PutJobParameters): CreateJobInput {
  const p = body.properties ?? {};
  const input: CreateJobInput = {
    ...changesFrom({ ...p, tags: body.tags }),
    ...defined({
      location: body.location,
      storageAccountId: p.storageAccountId,
      jobType: p.jobType,
      diagnosticsPath: p.diagnosticsPath,
    }),
  };
  if (p.export != null) {
    input.export = exportInput(p.export);
  }
  if (p.encryptionKey != null) {
    input.encryptionKey = {
      kekType: p.encryptionKey.kekType ?? "MicrosoftManaged",
      ...defined({ kekUrl: p.encryptionKey.kekUrl, kekVaultResourceID: p.encryptionKey.kekVaultResourceID }),
    };
  }
  return input;
}

/** The PATCH body's edits, with the `state` and `cancelRequested` that say what else it asks (see patch.ts). */
export function patchInput(
  body: UpdateJobParameters,
): JobChanges & { state?: string; cancelRequested?: boolean } {
  const p = body.properties ?? {};
  return {
    ...changesFrom({ ...p, tags: body.tags }),
    ...defined({ state: p.state, cancelRequested: p.cancelRequested }),
  };
}

/** Drives in `Transferring` or later carry a copy status; before that the spec leaves it out. */
const COPY_STARTED = new Set(["Transferring", "Completed", "CompletedMoreInfo", "ShippedBack"]);

function driveJson(drive: Drive): ArmDrive {
  return defined({
    driveId: drive.driveId,
    manifestFile: drive.manifestFile,
    manifestHash: drive.manifestHash,
    driveHeaderHash: drive.driveHeaderHash,
    state: drive.state,
    copyStatus: COPY_STARTED.has(drive.state) ? (drive.copyStatus ?? "NotStarted") : undefined,
    percentComplete: drive.percentComplete,
    verboseLogUri: drive.verboseLogUri,
    errorLogUri: drive.errorLogUri,
    manifestUri: drive.manifestUri,
    bytesSucceeded: drive.bytesSucceeded,
    capacityBytes: drive.capacityBytes,
    incompleteBlobListUri: drive.incompleteBlobListUri,
  });
}

/** The data center's address: where customers ship drives (a job's shippingInformation, a location's properties). */
function addressOf(location: Location) {
  return {
    recipientName: location.recipientName,
    streetAddress1: location.streetAddress1,
    streetAddress2: location.streetAddress2,
    city: location.city,
    stateOrProvince: location.stateOrProvince,
    postalCode: location.postalCode,
    countryOrRegion: location.countryOrRegion,
    phone: location.phone,
  };
}

function shippingInformation(location: Location | undefined): ShippingInformation | undefined {
  return location
    ? defined({ ...addressOf(location), additionalInformation: location.additionalShippingInformation })
    : undefined;
}

/** A job as the ARM API shows it. Drive keys never appear here (only listBitLockerKeys gives them). */
export function jobJson(view: JobView): ArmJob {
  const { job } = view;
  const exportJson =
    job.type === "Export" && job.export
      ? defined({
          blobList: { blobPath: job.export.blobPaths, blobPathPrefix: job.export.blobPathPrefixes },
          blobListBlobPath: job.export.blobListBlobPath,
        })
      : undefined;
  return {
    id: jobId(job),
    name: job.name,
    type: `${PROVIDER}/jobs` as const,
    location: view.location?.name ?? job.location,
    tags: job.tags,
    systemData: {
      createdBy: job.createdBy,
      createdByType: "User",
      createdAt: job.createdAt,
      lastModifiedBy: job.lastModifiedBy,
      lastModifiedByType: "User",
      lastModifiedAt: job.lastModifiedAt,
    },
    identity: { type: "None" },
    properties: defined({
      storageAccountId: job.storageAccountId,
      jobType: job.type,
      returnAddress: job.returnAddress,
      returnShipping: job.returnShipping,
      shippingInformation: shippingInformation(view.location),
      deliveryPackage: job.deliveryPackage,
      returnPackage: job.returnPackage,
      diagnosticsPath: job.diagnosticsPath,
      logLevel: job.logLevel,
      backupDriveManifest: job.backupDriveManifest,
      state: job.state,
      cancelRequested: job.cancelRequested,
      percentComplete: view.percentComplete,
      // Ours, not the spec's (docs/arm-deviations.md); absent when unknown. Clients ignore what they do not know.
      estimatedCompletionTime: view.estimatedCompletionTime,
      incompleteBlobListUri: job.incompleteBlobListUri,
      driveList: view.drives.filter((d) => !d.extra).map(driveJson),
      export: exportJson,
      provisioningState: "Succeeded" as const,
      encryptionKey: job.encryptionKey,
    }),
  };
}

export function locationJson(location: Location): ArmLocation {
  return {
    id: locationId(location.id),
    name: location.name,
    type: `${PROVIDER}/locations` as const,
    properties: defined({
      ...addressOf(location),
      additionalShippingInformation: location.additionalShippingInformation,
      supportedCarriers: location.supportedCarriers,
      alternateLocations: location.alternateLocations,
    }),
  };
}

/** One move of a job or a drive, as the history (`{job}/history`, `/ops/v1/history`) shows it. */
export function historyJson(entry: HistoryEntry): HistoryRow {
  return {
    at: entry.at,
    driveId: entry.driveId,
    from: entry.from,
    to: entry.to,
    actor: entry.actor,
    reason: entry.reason,
  };
}

/** A drive's log as the API answers it: the drive, which log, where it was read, and its rows. */
export function driveLogJson(view: DriveLogView): DriveLog {
  const { log } = view;
  return {
    driveId: view.driveId,
    driveState: view.driveState,
    kind: view.kind,
    logUri: view.logUri,
    version: log.version,
    status: log.status,
    ...(log.message === undefined ? {} : { message: log.message }),
    blobs: log.blobs.map((blob) => ({ ...blob, blocks: blob.blocks.map((block) => ({ ...block })) })),
  };
}

/** The operations this provider offers, as ListOperations shows them. */
export const OPERATIONS: Operation[] = (
  [
    ["locations/read", "Location", "Get location", "Gets the data centers that accept packages."],
    ["jobs/write", "Job", "Create or update job", "Creates or updates an import/export job."],
    ["jobs/read", "Job", "Get job", "Gets import/export jobs."],
    [
      "jobs/listBitLockerKeys/action",
      "Job",
      "List BitLocker keys",
      "Gets the BitLocker keys of a job's drives.",
    ],
    ["jobs/delete", "Job", "Delete job", "Deletes an import/export job."],
    [
      "register/action",
      "Import/Export provider",
      "Register",
      "Registers the subscription with the provider.",
    ],
  ] as const
).map(([name, resource, operation, description]) => ({
  name: `${PROVIDER}/${name}`,
  display: { provider: "Microsoft Import/Export", resource, operation, description },
}));
