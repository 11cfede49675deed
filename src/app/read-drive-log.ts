/**
 * @module Reading a drive's copy log as rows: its customer (or an operator) sees the DriveLog the station
 * wrote, read by the control plane with the account's registered credential.
 */

import { errors } from "../domain/errors.js";
import type { Drive } from "../domain/model.js";
import { parseStorageAccountId, validateDriveId } from "../domain/names.js";
import type { DriveState } from "../domain/states.js";
import type { AppDeps } from "./support/deps.js";
import { type JobAddress, loadJob, validateJobAddress } from "./support/job-view.js";
import { type Principal, throwIfNoAccess } from "./support/principal.js";
import type { BlobLocation, DriveLogRead, DriveLogTable } from "./support/storage-access.js";
import { openCredential } from "./support/storage-account-view.js";

export const DRIVE_LOG_KINDS = ["error", "verbose"] as const;
export type DriveLogKind = (typeof DRIVE_LOG_KINDS)[number];

/**
 * A log larger than this is not read: the control plane holds it in memory to answer it. The error log
 * of a drive with a failure per file stays far below; a verbose log lists every block of every file,
 * about 200 bytes a block, so this is some 80,000 blocks (several TB copied in 4 MiB blocks).
 */
export const MAX_DRIVE_LOG_BYTES = 16 * 1024 * 1024;

export interface DriveLogView {
  driveId: string;
  driveState: DriveState;
  kind: DriveLogKind;
  /** The log's blob, as the drive names it (no SAS). */
  logUri: string;
  log: DriveLogTable;
}

export interface ReadDriveLogInput {
  address: JobAddress;
  driveId: string;
  kind: DriveLogKind;
}

export async function readDriveLog(
  deps: AppDeps,
  principal: Principal,
  input: ReadDriveLogInput,
): Promise<DriveLogView> {
  const { address, kind } = input;
  validateJobAddress(address);
  validateDriveId(input.driveId);
  throwIfNoAccess(principal, address.subscriptionId);
  const repos = deps.store.direct;
  const job = await loadJob(repos, address);
  const drives = await repos.drives.listByJob(job.id);
  const drive = findDrive(drives, input.driveId);
  if (!drive) {
    throw errors.notFound("drive", input.driveId);
  }
  const { driveId } = drive;
  const logUri = kind === "verbose" ? drive.verboseLogUri : drive.errorLogUri;
  if (!logUri) {
    throw errors.driveLogNotWritten(driveId, kind, kind === "verbose" && job.logLevel !== "Verbose");
  }
  const account = await repos.storageAccounts.resolve(
    parseStorageAccountId(job.storageAccountId).accountName,
    job.subscriptionId,
  );
  if (!account) {
    throw errors.driveLogUnreadable(
      driveId,
      kind,
      "the job's storage account is no longer registered with this service.",
    );
  }
  const location = logLocation(logUri, account.blobEndpoint, job.diagnosticsPath);
  if (!location) {
    throw errors.driveLogOutsideDiagnostics(driveId, kind, job.diagnosticsPath);
  }
  if (account.credentialEnc === undefined) {
    throw errors.driveLogUnreadable(
      driveId,
      kind,
      `no credential is registered for the storage account '${account.name}'; an admin registers one with 'sneakernet admin storage-account set'.`,
    );
  }
  if (!deps.storageAccess) {
    throw errors.driveLogUnreadable(driveId, kind, "this server reads no storage.");
  }
  const read = await deps.storageAccess.readDriveLog(
    {
      name: account.name,
      blobEndpoint: account.blobEndpoint,
      credential: openCredential(deps, account.credentialEnc),
    },
    location,
    { maxBytes: MAX_DRIVE_LOG_BYTES },
  );
  if (!read.ok) {
    throw errors.driveLogUnreadable(driveId, kind, failureSentence(read, account.name));
  }
  return { driveId, driveState: drive.state, kind, logUri, log: read.log };
}

/** The drive as the job lists it; serials are matched as the receiving desk reads them, case aside. */
function findDrive(drives: readonly Drive[], driveId: string): Drive | undefined {
  return (
    drives.find((d) => d.driveId === driveId) ??
    drives.find((d) => d.driveId.toUpperCase() === driveId.toUpperCase())
  );
}

/**
 * The container and blob name of a log URI, when it lies inside the account's blob endpoint and the
 * job's diagnostics path (`container` or `container/prefix`); undefined otherwise. The URI comes from
 * the database, written from a station's report: the credential is never pointed at anything else.
 */
export function logLocation(
  uri: string,
  blobEndpoint: string,
  diagnosticsPath: string,
): BlobLocation | undefined {
  let target: URL;
  let endpoint: URL;
  try {
    target = new URL(uri);
    endpoint = new URL(blobEndpoint);
  } catch {
    return undefined;
  }
  if (
    target.origin !== endpoint.origin ||
    target.username !== "" ||
    target.password !== "" ||
    target.search !== "" ||
    target.hash !== ""
  ) {
    return undefined;
  }
  const base = endpoint.pathname.replace(/\/+$/, "");
  if (!target.pathname.startsWith(`${base}/`)) {
    return undefined;
  }
  let segments: string[];
  try {
    segments = target.pathname
      .slice(base.length + 1)
      .split("/")
      .map(decodeURIComponent);
  } catch {
    return undefined;
  }
  const expected = diagnosticsPath.split("/").filter((part) => part !== "");
  const inside =
    expected.length > 0 &&
    segments.length > expected.length &&
    expected.every((part, index) => segments[index] === part) &&
    segments.every((part) => part !== "" && part !== "." && part !== ".." && !part.includes("\\"));
  if (!inside) {
    return undefined;
  }
  return { container: segments[0] as string, blobName: segments.slice(1).join("/") };
}

function failureSentence(read: Extract<DriveLogRead, { ok: false }>, account: string): string {
  switch (read.reason) {
    case "notFound":
      return `the storage account '${account}' has no such blob (it was deleted, or its container was): ${ended(read.message)}`;
    case "forbidden":
      return `the storage account '${account}' refused the registered credential: ${ended(read.message)}`;
    case "unreachable":
      return `the storage account '${account}' could not be reached: ${ended(read.message)}`;
    case "tooLarge":
      return `${read.message} Read it from the storage account itself.`;
    case "notADriveLog":
      return `the blob is not a DriveLog: ${ended(read.message)}`;
    case "credentialUnsupported":
      return read.message;
    case "failed":
      return `the storage account '${account}' answered: ${ended(read.message)}`;
  }
}

/** The service's line, ended as a sentence (the refusal's message is one). */
function ended(text: string): string {
  return /[.!?)]$/.test(text) ? text : `${text}.`;
}
