/**
 * @module The create-job form turned into the ARM PUT that creates the job: its address, its body, and for each
 * drive sent the form row it came from (blank rows are not sent, so the server's row numbers can differ).
 */

import { jobId } from "../../api";
import type { CreateJobForm, JobType } from "./form";

export interface JobPutBody {
  location: string;
  properties: {
    storageAccountId: string;
    jobType: JobType;
    returnAddress: Record<string, string>;
    returnShipping?: { carrierName: string; carrierAccountNumber: string };
    logLevel: string;
    driveList?: { driveId: string; bitLockerKey: string }[];
    export?: { blobList: { blobPath: string[]; blobPathPrefix: string[] } };
  };
}

export interface JobRequest {
  /** The job's ARM id, the PUT's path. */
  id: string;
  body: JobPutBody;
  /** `driveRows[i]` is the form row of `body.properties.driveList[i]`. */
  driveRows: number[];
}

/** The request for `form`, at `location` (the one picked, or the first offered). Every value is sent trimmed. */
export function jobRequest(form: CreateJobForm, location: string): JobRequest {
  const resourceGroup = form.resourceGroup.trim();
  const account = form.storageAccount.trim();
  const storageAccountId = account.startsWith("/")
    ? account
    : `/subscriptions/${form.subscription}/resourceGroups/${resourceGroup}/providers/Microsoft.Storage/storageAccounts/${account}`;
  // Empty optional fields are left out rather than sent empty.
  const returnAddress = Object.fromEntries(
    Object.entries(form.address)
      .map(([field, value]) => [field, value.trim()])
      .filter(([, value]) => value),
  );
  const carrierName = form.carrier.trim();
  const carrierAccountNumber = form.carrierAccount.trim();
  const drives = form.drives
    .map((drive, row) => ({ row, driveId: drive.driveId.trim(), bitLockerKey: drive.bitLockerKey.trim() }))
    .filter((drive) => drive.driveId || drive.bitLockerKey);
  const paths = form.blobs
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  const importing = form.type === "Import";
  return {
    id: jobId(form.subscription, resourceGroup, form.name.trim()),
    body: {
      location,
      properties: {
        storageAccountId,
        jobType: form.type,
        returnAddress,
        ...(carrierName || carrierAccountNumber
          ? { returnShipping: { carrierName, carrierAccountNumber } }
          : {}),
        logLevel: form.logLevel,
        ...(importing
          ? { driveList: drives.map(({ driveId, bitLockerKey }) => ({ driveId, bitLockerKey })) }
          : {
              export: {
                blobList: {
                  // A line ending in / is a prefix: everything under it.
                  blobPath: paths.filter((path) => !path.endsWith("/")),
                  blobPathPrefix: paths.filter((path) => path.endsWith("/")),
                },
              },
            }),
      },
    },
    driveRows: importing ? drives.map((drive) => drive.row) : [],
  };
}
