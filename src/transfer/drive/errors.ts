/**
 * @module Everything that can be wrong with a drive, as one error class with a stable code: the drive,
 * blob and block codes of the original's copy log (formats.md §2.4) where one fits, so a station can
 * write them into the DriveLog as they are, and a few marked extensions where none does.
 */

import { shown } from "../../domain/errors.js";

export const DRIVE_ERROR_CODES = [
  // Drive level (DriveLog/Status): the drive cannot be read at all.
  "BitLockerKeyInvalid",
  "ManifestNameInvalid",
  "ManifestNotFound",
  "ManifestCorrupted",
  "ManifestFormatInvalid",
  "ManifestDriveIdMismatch",
  "ReadManifestFailed",
  // Extensions, drive level: the original had no plain header (BitLocker's own metadata played its part).
  "DriveHeaderNotFound",
  "DriveHeaderInvalid",
  // File level (Blob/@Status).
  "FileNameInvalid",
  "FileNotFound",
  "IOFailed",
  // Block level (Block/@Status).
  "Corrupted",
  "FileUnexpectedEnd",
  // Extensions, file level: a data file longer than its manifest entry (the original only knew shorter).
  "FileLengthMismatch",
  // Extensions, writing a drive (`drive prepare`, an export).
  "DriveNotEmpty",
  "FileEntryInvalid",
  "SourceChanged",
] as const;

export type DriveErrorCode = (typeof DRIVE_ERROR_CODES)[number];

/** Where on the drive a problem is: a manifest entry (by id and data path) and, for a block, its index. */
export interface DriveErrorPlace {
  fileId?: number;
  path?: string;
  block?: number;
}

/**
 * A drive problem, with a message written for a person. No message ever holds the recovery password or
 * a key: the messages below are the only ones, and none takes either as an argument.
 */
export class DriveError extends Error {
  override readonly name = "DriveError";
  constructor(
    readonly code: DriveErrorCode,
    message: string,
    readonly place: DriveErrorPlace = {},
  ) {
    super(message);
  }
}

export function isDriveError(error: unknown): error is DriveError {
  return error instanceof DriveError;
}

/** A refused path as a message may show it: cut and without control characters (it is the drive's text). */
export function shownPath(path: unknown): string {
  return shown(path);
}

/**
 * The operating system's answer for a file, as a drive code: a file that is not there is `missing`, a
 * loop of symlinks is an invalid name, and anything else (permissions, a failing disk) is an I/O failure.
 */
export function codeForSystemError(
  error: unknown,
  codes: { missing: DriveErrorCode; invalid: DriveErrorCode; failed: DriveErrorCode },
): DriveErrorCode {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT" || code === "ENOTDIR") {
    return codes.missing;
  }
  if (code === "ELOOP" || code === "ENAMETOOLONG") {
    return codes.invalid;
  }
  return codes.failed;
}
