/** @module The customer-editable parts of a job: validating them and deciding which may change in which state. */

import { blankDrive } from "../domain/drive.js";
import { DomainError } from "../domain/errors.js";
import { MAX_DRIVES_PER_JOB } from "../domain/job.js";
import type {
  DeliveryPackage,
  Drive,
  ExportSpec,
  Job,
  Location,
  ReturnAddress,
  ReturnShipping,
} from "../domain/model.js";
import {
  validateBitLockerKey,
  validateDeliveryPackage,
  validateDiagnosticsPath,
  validateDriveId,
  validateReturnAddress,
  validateReturnShipping,
  validateTags,
} from "../domain/names.js";
import { FINAL_JOB_STATES, type JobState, LOG_LEVELS, type LogLevel } from "../domain/states.js";
import type { DriveRecord } from "../store/drives.js";
import type { SecretBox } from "./secret-box.js";

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

function refuseChange(field: string, state: JobState): DomainError {
  return new DomainError(
    "PropertyChangeNotAllowed",
    `'${field}' cannot be changed while the job is in state '${state}'.`,
    `properties.${field}`,
  );
}

/** A drive list as its ids, upper-cased, in order: what "the same drives" means. */
function driveIds(list: readonly { driveId: string }[]): string {
  return list.map((d) => d.driveId.toUpperCase()).join(",");
}

export function validateLogLevel(value: string): LogLevel {
  const level = LOG_LEVELS.find((l) => l.toLowerCase() === value.toLowerCase());
  if (!level) {
    throw new DomainError(
      "InvalidLogLevel",
      `logLevel must be one of ${LOG_LEVELS.join(", ")}.`,
      "properties.logLevel",
    );
  }
  return level;
}

export function validateExport(spec: ExportSpec | undefined): void {
  if (
    !spec ||
    (spec.blobPaths.length === 0 && spec.blobPathPrefixes.length === 0 && !spec.blobListBlobPath)
  ) {
    throw new DomainError(
      "InvalidExport",
      "An export job needs properties.export with blobList.blobPath, blobList.blobPathPrefix or blobListBlobPath.",
      "properties.export",
    );
  }
  for (const path of [...spec.blobPaths, ...spec.blobPathPrefixes, spec.blobListBlobPath ?? "/"]) {
    if (
      path.length === 0 ||
      path.length > 1024 ||
      path.includes("..") ||
      [...path].some((c) => c.charCodeAt(0) < 0x20)
    ) {
      throw new DomainError(
        "InvalidExport",
        `The blob path '${path.slice(0, 64)}' is not valid.`,
        "properties.export",
      );
    }
  }
}

/** Validates a new drive list for a job in Creating and turns it into drive records with sealed keys. */
export function newDriveRecords(
  job: Pick<Job, "id" | "type">,
  list: readonly DriveInput[],
  existingKeys: ReadonlyMap<string, string>,
  secrets: SecretBox,
  at: string,
): DriveRecord[] {
  if (job.type === "Export") {
    if (list.length > 0) {
      throw new DomainError(
        "InvalidDriveList",
        "An export job lists no drives at creation; its drives are registered when they arrive.",
        "properties.driveList",
      );
    }
    return [];
  }
  if (list.length === 0) {
    throw new DomainError(
      "InvalidDriveList",
      "An import job needs at least one drive in driveList.",
      "properties.driveList",
    );
  }
  if (list.length > MAX_DRIVES_PER_JOB) {
    throw new DomainError(
      "TooManyDrives",
      `A job holds at most ${MAX_DRIVES_PER_JOB} drives; this one lists ${list.length}.`,
    );
  }
  const seen = new Set<string>();
  return list.map((input, index) => {
    // Each refusal names its row, so a form can show it next to the drive it is about.
    const row = `properties.driveList[${index}]`;
    validateDriveId(input.driveId, `${row}.driveId`);
    const key = input.driveId.toUpperCase();
    if (seen.has(key)) {
      throw new DomainError(
        "DuplicateDriveId",
        `Drive '${input.driveId}' is listed twice.`,
        `${row}.driveId`,
      );
    }
    seen.add(key);
    // A re-sent list without keys keeps the keys already given for the same drives.
    const sealed = input.bitLockerKey === undefined ? existingKeys.get(key) : undefined;
    if (input.bitLockerKey !== undefined) {
      validateBitLockerKey(input.driveId, input.bitLockerKey, `${row}.bitLockerKey`);
    } else if (sealed === undefined) {
      throw new DomainError(
        "InvalidBitLockerKey",
        `Drive '${input.driveId}' needs its bitLockerKey (the drive's 48-digit recovery password).`,
        `${row}.bitLockerKey`,
      );
    }
    const drive: Drive = blankDrive(job.id, input.driveId, false, at, "Specified");
    if (input.manifestFile !== undefined) {
      drive.manifestFile = input.manifestFile;
    }
    if (input.manifestHash !== undefined) {
      drive.manifestHash = input.manifestHash;
    }
    if (input.driveHeaderHash !== undefined) {
      drive.driveHeaderHash = input.driveHeaderHash;
    }
    return {
      drive,
      bitLockerKeyEnc: input.bitLockerKey !== undefined ? secrets.seal(input.bitLockerKey) : sealed,
    };
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
      throw refuseChange(field, job.state);
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
      throw new DomainError(
        "InvalidExport",
        "properties.export is for export jobs only.",
        "properties.export",
      );
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
