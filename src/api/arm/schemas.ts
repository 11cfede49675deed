/**
 * @module The ARM request bodies as strict schemas, property for property from the spec's models
 * (spec/storageimportexport.json). Unknown properties are refused; service-owned fields that clients echo
 * back (state, percentComplete, shippingInformation, …) are accepted and ignored on PUT.
 */

import { z } from "zod";

// Clients built from the spec send null for "not set" as readily as they leave a field out.
const str = z.string().max(4096).nullish();
const bool = z.boolean().nullish();
const int = z.number().int().nullish();

const returnAddress = z
  .object({
    recipientName: z.string(),
    streetAddress1: z.string(),
    streetAddress2: str,
    city: z.string(),
    stateOrProvince: str,
    postalCode: z.string(),
    countryOrRegion: z.string(),
    phone: z.string(),
    email: z.string(),
  })
  .strict();

const returnShipping = z.object({ carrierName: z.string(), carrierAccountNumber: z.string() }).strict();

const deliveryPackage = z
  .object({ carrierName: z.string(), trackingNumber: z.string(), driveCount: int, shipDate: str })
  .strict();

const packageInformation = z
  .object({ carrierName: str, trackingNumber: str, driveCount: int, shipDate: str })
  .strict();

const shippingInformation = z
  .object({
    recipientName: str,
    streetAddress1: str,
    streetAddress2: str,
    city: str,
    stateOrProvince: str,
    postalCode: str,
    countryOrRegion: str,
    phone: str,
    additionalInformation: str,
  })
  .strict();

const driveStatus = z
  .object({
    driveId: z.string(),
    bitLockerKey: str,
    manifestFile: str,
    manifestHash: str,
    driveHeaderHash: str,
    // Service-owned: accepted so a client can send back what it read, then ignored.
    state: str,
    copyStatus: str,
    percentComplete: int,
    verboseLogUri: str,
    errorLogUri: str,
    manifestUri: str,
    bytesSucceeded: int,
  })
  .strict();

const exportSpec = z
  .object({
    blobList: z
      .object({ blobPath: z.array(z.string()).nullish(), blobPathPrefix: z.array(z.string()).nullish() })
      .strict()
      .nullish(),
    blobListBlobPath: str,
  })
  .strict();

const encryptionKey = z
  .object({
    kekType: z.enum(["MicrosoftManaged", "CustomerManaged"]).nullish(),
    kekUrl: str,
    kekVaultResourceID: str,
  })
  .strict();

const tags = z.record(z.string(), z.string()).nullish();

export const jobDetails = z
  .object({
    storageAccountId: str,
    jobType: str,
    returnAddress: returnAddress.nullish(),
    returnShipping: returnShipping.nullish(),
    shippingInformation: shippingInformation.nullish(),
    deliveryPackage: deliveryPackage.nullish(),
    returnPackage: packageInformation.nullish(),
    diagnosticsPath: str,
    logLevel: str,
    backupDriveManifest: bool,
    state: str,
    cancelRequested: bool,
    percentComplete: int,
    incompleteBlobListUri: str,
    driveList: z.array(driveStatus).max(100).nullish(),
    export: exportSpec.nullish(),
    provisioningState: str,
    encryptionKey: encryptionKey.nullish(),
  })
  .strict();

export const putJobParameters = z.object({ location: str, tags, properties: jobDetails.nullish() }).strict();

export const updateJobParameters = z
  .object({
    tags,
    properties: z
      .object({
        cancelRequested: bool,
        state: str,
        returnAddress: returnAddress.nullish(),
        returnShipping: returnShipping.nullish(),
        deliveryPackage: deliveryPackage.nullish(),
        logLevel: str,
        backupDriveManifest: bool,
        driveList: z.array(driveStatus).max(100).nullish(),
      })
      .strict()
      .nullish(),
  })
  .strict();

export type PutJobParameters = z.infer<typeof putJobParameters>;
export type UpdateJobParameters = z.infer<typeof updateJobParameters>;
export type JobDetailsBody = z.infer<typeof jobDetails>;
export type DriveStatusBody = z.infer<typeof driveStatus>;
export type ExportBody = z.infer<typeof exportSpec>;
