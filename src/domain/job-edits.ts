/**
 * @module What a customer may set on a job, and when: validating each field, the table of the states in
 * which each may still change, a new job's defaults, and a new drive list.
 */

import { blankDrive } from "./drive.js";
import { errors } from "./errors.js";
import { MAX_DRIVES_PER_JOB } from "./job.js";
import type {
  DeliveryPackage,
  Drive,
  EncryptionKey,
  ExportSpec,
  Job,
  JobAddress,
  Location,
  ReturnAddress,
  ReturnShipping,
} from "./model.js";
import {
  validateBitLockerKey,
  validateDeliveryPackage,
  validateDiagnosticsPath,
  validateDriveId,
  validateReturnAddress,
  validateReturnShipping,
  validateTags,
} from "./names.js";
import {
  FINAL_JOB_STATES,
  JOB_TYPES,
  type JobState,
  type JobType,
  LOG_LEVELS,
  type LogLevel,
} from "./states.js";

export interface DriveInput {
  driveId: string;
  bitLockerKey?: string;
  manifestFile?: string;
  manifestHash?: string;
  driveHeaderHash?: string;
}

/** What a PUT or PATCH may set; absent means "leave as it is". */
export interface JobChanges {
  tags?: Record<string, string>;
  returnAddress?: ReturnAddress;
  returnShipping?: ReturnShipping;
  deliveryPackage?: DeliveryPackage;
  logLevel?: string;
  backupDriveManifest?: boolean;
  diagnosticsPath?: string;
  driveList?: DriveInput[];
  export?: ExportSpec;
}

// eslint-disable-next-line no-control-regex -- refusing control characters (C0, DEL, C1) is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** The states in which each field may still change; outside them only an identical value is accepted. */
const EDITABLE_IN: Record<Exclude<keyof JobChanges, "tags">, (state: JobState) => boolean> = {
  returnAddress: (s) => !FINAL_JOB_STATES.includes(s),
  returnShipping: (s) => !FINAL_JOB_STATES.includes(s),
  // A tracking number can be corrected while the package is on its way, not after it arrived.
  deliveryPackage: (s) => s === "Creating" || s === "Shipping",
  logLevel: (s) => s === "Creating" || s === "Shipping",
  backupDriveManifest: (s) => s === "Creating" || s === "Shipping",
  diagnosticsPath: (s) => s === "Creating",
  driveList: (s) => s === "Creating",
  export: (s) => s === "Creating",
};

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

/** A drive list as its ids, upper-cased, in order: what "the same drives" means. */
function driveIds(list: readonly { driveId: string }[]): string {
  return list.map((d) => d.driveId.toUpperCase()).join(",");
}

export function validateLogLevel(value: string): LogLevel {
  const level = LOG_LEVELS.find((l) => l.toLowerCase() === value.toLowerCase());
  if (!level) {
    throw errors.logLevelInvalid(LOG_LEVELS);
  }
  return level;
}

export function validateExport(spec: ExportSpec | undefined): void {
  if (
    !spec ||
    (spec.blobPaths.length === 0 && spec.blobPathPrefixes.length === 0 && !spec.blobListBlobPath)
  ) {
    throw errors.exportRequired();
  }
  for (const path of [...spec.blobPaths, ...spec.blobPathPrefixes, spec.blobListBlobPath ?? "/"]) {
    if (path.length === 0 || path.length > 1024 || path.includes("..") || CONTROL.test(path)) {
      throw errors.blobPathInvalid(path);
    }
  }
}

/** A drive of a new drive list, with the key it brings (absent: it keeps the key already given for it). */
export interface PlannedDrive {
  drive: Drive;
  bitLockerKey?: string;
}

/**
 * Validates a drive list for a job in Creating and turns it into drives. `hasKey` tells whether the job
 * already holds a key for a drive (a re-sent list without keys keeps the keys given before).
 */
export function planDriveList(
  job: Pick<Job, "id" | "type">,
  list: readonly DriveInput[],
  hasKey: (driveId: string) => boolean,
  at: string,
): PlannedDrive[] {
  if (job.type === "Export") {
    if (list.length > 0) {
      throw errors.exportListsNoDrives();
    }
    return [];
  }
  if (list.length === 0) {
    throw errors.importNeedsDrives();
  }
  if (list.length > MAX_DRIVES_PER_JOB) {
    throw errors.tooManyDrives(MAX_DRIVES_PER_JOB, list.length);
  }
  const seen = new Set<string>();
  return list.map((input, index) => {
    // Each refusal names its row, so a form can show it next to the drive it is about.
    const row = `properties.driveList[${index}]`;
    validateDriveId(input.driveId, `${row}.driveId`);
    const key = input.driveId.toUpperCase();
    if (seen.has(key)) {
      throw errors.driveListedTwice(input.driveId, `${row}.driveId`);
    }
    seen.add(key);
    if (input.bitLockerKey !== undefined) {
      validateBitLockerKey(input.driveId, input.bitLockerKey, `${row}.bitLockerKey`);
    } else if (!hasKey(input.driveId)) {
      throw errors.bitLockerKeyMissing(input.driveId, `${row}.bitLockerKey`);
    }
    const drive: Drive = blankDrive(job.id, input.driveId, false, at, "Specified");
    for (const field of ["manifestFile", "manifestHash", "driveHeaderHash"] as const) {
      if (input[field] !== undefined) {
        drive[field] = input[field];
      }
    }
    return input.bitLockerKey !== undefined ? { drive, bitLockerKey: input.bitLockerKey } : { drive };
  });
}

export interface AppliedChanges {
  job: Job;
  /** Set when the drive list is replaced (job in Creating). */
  driveList?: DriveInput[];
}

/**
 * Applies the changes the job's state allows. A field that may no longer change is accepted only when
 * it is sent unchanged (clients re-send what they read), else PropertyChangeNotAllowed naming the state.
 */
export function applyChanges(
  job: Job,
  drives: readonly Drive[],
  changes: JobChanges,
  location: Location | undefined,
  keyOf: (driveId: string) => string | undefined,
): AppliedChanges {
  const next: Job = { ...job };
  let driveList: DriveInput[] | undefined;
  const allowed = (field: keyof typeof EDITABLE_IN, same: boolean): boolean => {
    if (EDITABLE_IN[field](job.state)) {
      return true;
    }
    if (!same) {
      throw errors.propertyFixedInState(field, job.state);
    }
    return false;
  };

  if (changes.tags !== undefined) {
    validateTags(changes.tags);
    next.tags = changes.tags;
  }
  if (changes.returnAddress !== undefined) {
    validateReturnAddress(changes.returnAddress);
    if (allowed("returnAddress", canonical(changes.returnAddress) === canonical(job.returnAddress))) {
      next.returnAddress = changes.returnAddress;
    }
  }
  if (changes.returnShipping !== undefined) {
    validateReturnShipping(changes.returnShipping);
    if (allowed("returnShipping", canonical(changes.returnShipping) === canonical(job.returnShipping))) {
      next.returnShipping = changes.returnShipping;
    }
  }
  if (changes.deliveryPackage !== undefined) {
    validateDeliveryPackage(changes.deliveryPackage, location?.supportedCarriers);
    const same =
      job.deliveryPackage !== undefined &&
      changes.deliveryPackage.carrierName === job.deliveryPackage.carrierName &&
      changes.deliveryPackage.trackingNumber === job.deliveryPackage.trackingNumber;
    if (allowed("deliveryPackage", same)) {
      next.deliveryPackage = changes.deliveryPackage;
    }
  }
  if (changes.logLevel !== undefined) {
    const level = validateLogLevel(changes.logLevel);
    if (allowed("logLevel", level === job.logLevel)) {
      next.logLevel = level;
    }
  }
  if (changes.backupDriveManifest !== undefined) {
    if (allowed("backupDriveManifest", changes.backupDriveManifest === job.backupDriveManifest)) {
      next.backupDriveManifest = changes.backupDriveManifest;
    }
  }
  if (changes.diagnosticsPath !== undefined) {
    validateDiagnosticsPath(changes.diagnosticsPath);
    if (allowed("diagnosticsPath", changes.diagnosticsPath === job.diagnosticsPath)) {
      next.diagnosticsPath = changes.diagnosticsPath;
    }
  }
  if (changes.export !== undefined) {
    if (job.type !== "Export") {
      throw errors.exportOnlyForExportJobs();
    }
    validateExport(changes.export);
    if (allowed("export", canonical(changes.export) === canonical(job.export))) {
      next.export = changes.export;
    }
  }
  if (changes.driveList !== undefined) {
    const own = drives.filter((d) => !d.extra);
    const same =
      driveIds(changes.driveList) === driveIds(own) &&
      changes.driveList.every((d) => d.bitLockerKey === undefined || d.bitLockerKey === keyOf(d.driveId));
    if (allowed("driveList", same)) {
      driveList = changes.driveList;
    }
  }
  return driveList ? { job: next, driveList } : { job: next };
}

/** `Import` or `Export`, in any case; InvalidJobType otherwise. */
export function parseJobType(value: string | undefined): JobType {
  const type = JOB_TYPES.find((t) => t.toLowerCase() === (value ?? "").toLowerCase());
  if (!type) {
    throw errors.jobTypeInvalid();
  }
  return type;
}

/** What a new job is made of, besides the fields a customer may edit (applied after, as to a job in Creating). */
export interface NewJobInput {
  address: JobAddress;
  location: Location;
  type: JobType;
  storageAccountId: string;
  logLevel?: string;
  export?: ExportSpec;
  encryptionKey?: EncryptionKey;
  at: string;
  actor: string;
}

/** A job as it is created: in Creating, with the service's defaults. The store gives it its id and etag. */
export function newJob(input: NewJobInput): Omit<Job, "id" | "etag"> {
  if (input.type === "Export") {
    validateExport(input.export);
  } else if (input.export !== undefined) {
    throw errors.exportOnlyForExportJobs();
  }
  return {
    subscriptionId: input.address.subscriptionId.toLowerCase(),
    resourceGroup: input.address.resourceGroup,
    name: input.address.name,
    location: input.location.id,
    type: input.type,
    state: "Creating",
    storageAccountId: input.storageAccountId,
    diagnosticsPath: "waimportexport",
    logLevel: input.logLevel !== undefined ? validateLogLevel(input.logLevel) : "Error",
    backupDriveManifest: false,
    cancelRequested: false,
    encryptionKey: input.encryptionKey ?? { kekType: "MicrosoftManaged" },
    tags: {},
    createdAt: input.at,
    createdBy: input.actor,
    lastModifiedAt: input.at,
    lastModifiedBy: input.actor,
    stateChangedAt: input.at,
  };
}

/**
 * What was fixed at creation may only be re-sent as it is (a re-PUT carries the whole job): a location,
 * job type or storage account that differs is PropertyChangeNotAllowed.
 */
export function throwIfFixedFieldsChanged(
  job: Pick<Job, "location" | "type" | "storageAccountId">,
  sent: { location: string; jobType?: string; storageAccountId?: string },
): void {
  if (sent.location !== job.location) {
    throw errors.propertyFixedAtCreation("location");
  }
  if (sent.jobType !== undefined && parseJobType(sent.jobType) !== job.type) {
    throw errors.propertyFixedAtCreation("jobType");
  }
  if (
    sent.storageAccountId !== undefined &&
    sent.storageAccountId.toLowerCase() !== job.storageAccountId.toLowerCase()
  ) {
    throw errors.propertyFixedAtCreation("storageAccountId");
  }
}
