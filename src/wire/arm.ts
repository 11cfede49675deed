/**
 * @module The ARM customer API's JSON (Microsoft.ImportExport, spec/storageimportexport.json): the answers
 * as the service sends them, and the PUT and PATCH bodies, derived from the answers' objects.
 */

import { z } from "zod/v4";

import {
  count,
  deliveryPackage,
  driveState,
  instant,
  jobState,
  jobType,
  list,
  logLevel,
  page,
  postalAddress,
  returnPackage,
} from "./common.js";
import { PROVIDER } from "./ids.js";

// ---- Answers ----------------------------------------------------------------------------------------

/** Where the customer wants the drives back. */
export const returnAddress = postalAddress.extend({ email: z.string() });

/** The customer's account with the return carrier. */
export const returnShipping = z.strictObject({ carrierName: z.string(), carrierAccountNumber: z.string() });

/** Where to ship the drives: the data center's address, from the job's location. */
export const shippingInformation = postalAddress.extend({ additionalInformation: z.string().optional() });

/** A drive as its customer sees it. Its key never appears here (only listBitLockerKeys gives it). */
export const armDrive = z.strictObject({
  driveId: z.string(),
  manifestFile: z.string().optional(),
  manifestHash: z.string().optional(),
  driveHeaderHash: z.string().optional(),
  state: driveState,
  /** Present from Transferring on; before that the spec leaves it out. */
  copyStatus: z.string().optional(),
  percentComplete: count,
  verboseLogUri: z.string().optional(),
  errorLogUri: z.string().optional(),
  manifestUri: z.string().optional(),
  bytesSucceeded: count,
  /** Extension (export): the drive's capacity in bytes, when the operator recorded it at registration. */
  capacityBytes: count.optional(),
  /** Extension (export): the blobs this drive could not fit, once it finished (the job's names the last). */
  incompleteBlobListUri: z.string().optional(),
});

const blobList = z.strictObject({ blobPath: z.array(z.string()), blobPathPrefix: z.array(z.string()) });

/** What an export job copies out: blob paths and prefixes, or a blob that lists them. */
export const armExport = z.strictObject({ blobList, blobListBlobPath: z.string().optional() });

export const encryptionKey = z.strictObject({
  kekType: z.enum(["MicrosoftManaged", "CustomerManaged"]),
  kekUrl: z.string().optional(),
  kekVaultResourceID: z.string().optional(),
});

const tags = z.record(z.string(), z.string());

export const armJobProperties = z.strictObject({
  storageAccountId: z.string(),
  jobType,
  returnAddress: returnAddress.optional(),
  returnShipping: returnShipping.optional(),
  shippingInformation: shippingInformation.optional(),
  deliveryPackage: deliveryPackage.optional(),
  returnPackage: returnPackage.optional(),
  diagnosticsPath: z.string(),
  logLevel,
  backupDriveManifest: z.boolean(),
  state: jobState,
  cancelRequested: z.boolean(),
  percentComplete: count,
  /** Ours, not the spec's (docs/arm-deviations.md): only while Transferring and every drive's rate is known. */
  estimatedCompletionTime: instant.optional(),
  incompleteBlobListUri: z.string().optional(),
  /** The job's drives; extra drives (in its package, but no job's) are the operators' business only. */
  driveList: z.array(armDrive),
  export: armExport.optional(),
  provisioningState: z.literal("Succeeded"),
  encryptionKey,
});

/** A job as the ARM API shows it: GET, PUT and PATCH answer it, lists page it. */
export const armJob = z.strictObject({
  id: z.string(),
  name: z.string(),
  type: z.literal(`${PROVIDER}/jobs`),
  location: z.string(),
  tags,
  systemData: z.strictObject({
    createdBy: z.string(),
    createdByType: z.literal("User"),
    createdAt: instant,
    lastModifiedBy: z.string(),
    lastModifiedByType: z.literal("User"),
    lastModifiedAt: instant,
  }),
  identity: z.strictObject({ type: z.literal("None") }),
  properties: armJobProperties,
});

/** A data center that accepts packages, as its address and what it takes (the ops API adds its id and name). */
export const locationProperties = postalAddress.extend({
  additionalShippingInformation: z.string().optional(),
  supportedCarriers: z.array(z.string()),
  alternateLocations: z.array(z.string()),
});

export const armLocation = z.strictObject({
  id: z.string(),
  name: z.string(),
  type: z.literal(`${PROVIDER}/locations`),
  properties: locationProperties,
});

/** One operation of the provider, as ListOperations shows it. */
export const operation = z.strictObject({
  name: z.string(),
  display: z.strictObject({
    provider: z.string(),
    resource: z.string(),
    operation: z.string(),
    description: z.string(),
  }),
});

export const bitLockerKey = z.strictObject({ driveId: z.string(), bitLockerKey: z.string() });

/** One block (or page range) of a blob in a drive log: the verbose log lists them all, the error log the failing ones. */
export const driveLogBlock = z.strictObject({
  offset: count,
  length: count,
  id: z.string().optional(),
  /** Hex MD5, as the log holds it. */
  hash: z.string().optional(),
  status: z.string(),
});

/** One blob of a drive log: a row of the table. */
export const driveLogBlob = z.strictObject({
  status: z.string(),
  blobPath: z.string(),
  filePath: z.string(),
  sourcePath: z.string().optional(),
  /** Export: the snapshot the blob was read from, and the blob's Last-Modified as it was read. */
  snapshot: z.string().optional(),
  length: count,
  lastModified: z.string().optional(),
  /** The requested disposition, and what it did. */
  disposition: z.string().optional(),
  dispositionStatus: z.string().optional(),
  message: z.string().optional(),
  blocks: z.array(driveLogBlock),
});

/**
 * A drive's copy log as rows: `GET {job}/drives/{driveId}/log?kind=error|verbose` (an extension of ours).
 * `status` is the drive's outcome as the log says it; `logUri` the blob it was read from.
 */
export const driveLog = z.strictObject({
  driveId: z.string(),
  driveState,
  kind: z.enum(["error", "verbose"]),
  logUri: z.string(),
  version: z.string(),
  status: z.string(),
  message: z.string().optional(),
  blobs: z.array(driveLogBlob),
});

export const armJobPage = page(armJob);
export const armLocationList = list(armLocation);
export const operationList = list(operation);
export const bitLockerKeyList = list(bitLockerKey);

// ---- Request bodies ---------------------------------------------------------------------------------

/** Free text in a request: capped, so one field cannot fill the body limit before validation reads it. */
const TEXT_MAX = 4096;
const text = z.string().max(TEXT_MAX);

type Lenient<S extends z.core.$ZodShape> = {
  [K in keyof S]: S[K] extends z.ZodOptional<infer T extends z.core.SomeType>
    ? z.ZodOptional<z.ZodNullable<T>>
    : S[K];
};

/**
 * An answer's object as a request may carry it: clients built from the spec send null for "not set" as
 * readily as they leave a field out, so every optional field may also be null (free text capped).
 * Unknown fields are still refused.
 */
function lenient<S extends z.core.$ZodShape>(
  schema: z.ZodObject<S>,
): z.ZodObject<Lenient<S>, z.core.$strict> {
  const shape: Record<string, z.core.SomeType> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    if (field instanceof z.ZodOptional) {
      // Made optional twice (an optional field of a `.partial()`): the field's own type is further in.
      let inner: z.core.SomeType = field;
      while (inner instanceof z.ZodOptional) {
        inner = inner.unwrap();
      }
      shape[key] = z.nullish(inner instanceof z.ZodString ? inner.max(TEXT_MAX) : inner);
    } else {
      shape[key] = field;
    }
  }
  return z.strictObject(shape) as unknown as z.ZodObject<Lenient<S>, z.core.$strict>;
}

/**
 * A drive of a driveList: its id and key, and its manifest. The service-owned fields a client sends back
 * from what it read (state, copyStatus, …) are accepted, then ignored.
 */
const driveStatus = lenient(armDrive.partial()).extend({
  driveId: z.string(),
  bitLockerKey: text.nullish(),
  state: text.nullish(),
});

const exportBody = lenient(armExport.partial()).extend({ blobList: lenient(blobList.partial()).nullish() });

/**
 * A job's properties as PUT takes them. Service-owned fields that clients echo back (state,
 * percentComplete, shippingInformation, …) are accepted and ignored. Type, log level and state are free
 * text here: the use case refuses a wrong one with its own code (InvalidJobType, InvalidLogLevel, …).
 */
export const jobDetails = lenient(armJobProperties.omit({ estimatedCompletionTime: true }).partial()).extend({
  jobType: text.nullish(),
  returnAddress: lenient(returnAddress).nullish(),
  shippingInformation: lenient(shippingInformation.partial()).nullish(),
  deliveryPackage: lenient(deliveryPackage).nullish(),
  returnPackage: lenient(returnPackage.partial()).nullish(),
  logLevel: text.nullish(),
  state: text.nullish(),
  driveList: z.array(driveStatus).max(100).nullish(),
  export: exportBody.nullish(),
  provisioningState: text.nullish(),
  encryptionKey: lenient(encryptionKey.partial()).nullish(),
});

export const putJobParameters = z.strictObject({
  location: text.nullish(),
  tags: tags.nullish(),
  properties: jobDetails.nullish(),
});

/** PATCH takes fewer properties than PUT: the ones a customer may change after creating the job. */
export const updateJobParameters = z.strictObject({
  tags: tags.nullish(),
  properties: jobDetails
    .pick({
      cancelRequested: true,
      state: true,
      returnAddress: true,
      returnShipping: true,
      deliveryPackage: true,
      logLevel: true,
      backupDriveManifest: true,
      driveList: true,
    })
    .nullish(),
});

// ---- Types ------------------------------------------------------------------------------------------

export type ReturnAddress = z.infer<typeof returnAddress>;
export type ReturnShipping = z.infer<typeof returnShipping>;
export type ShippingInformation = z.infer<typeof shippingInformation>;
export type ArmDrive = z.infer<typeof armDrive>;
export type ArmExport = z.infer<typeof armExport>;
export type ArmJobProperties = z.infer<typeof armJobProperties>;
export type ArmJob = z.infer<typeof armJob>;
export type ArmJobPage = z.infer<typeof armJobPage>;
export type LocationProperties = z.infer<typeof locationProperties>;
export type ArmLocation = z.infer<typeof armLocation>;
export type ArmLocationList = z.infer<typeof armLocationList>;
export type Operation = z.infer<typeof operation>;
export type OperationList = z.infer<typeof operationList>;
export type BitLockerKey = z.infer<typeof bitLockerKey>;
export type BitLockerKeyList = z.infer<typeof bitLockerKeyList>;
export type DriveLog = z.infer<typeof driveLog>;
export type DriveLogBlob = z.infer<typeof driveLogBlob>;

/** The bodies as the server reads them (after parsing). */
export type PutJobParameters = z.output<typeof putJobParameters>;
export type UpdateJobParameters = z.output<typeof updateJobParameters>;
export type DriveStatusBody = z.output<typeof driveStatus>;
export type ExportBody = z.output<typeof exportBody>;

/** A PATCH body as a client writes it. */
export type PatchJobBody = z.input<typeof updateJobParameters>;

export type {
  DeliveryPackage,
  HistoryList,
  HistoryRow,
  ProgressEvent,
  ReturnPackage,
  StateEvent,
} from "./common.js";
