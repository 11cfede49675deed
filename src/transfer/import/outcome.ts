/**
 * @module What an import returns: one outcome per manifest file, in the words of the DriveLog
 * (formats.md §2.4), and the drive's counts. The copy logs and the station's report are made from it.
 */

import type { DispositionStatus } from "./contract.js";

/** Why a file was not copied: the DriveLog's blob and block codes, and a marked extension or two. */
export const FILE_ERROR_CODES = [
  "FileNameInvalid",
  "FileNotFound",
  "FileAccessDenied",
  "IOFailed",
  "BlobRequestFailed",
  "BlobRequestForbidden",
  "RenameFailed",
  // Block codes, a file failing because of one of its blocks.
  "Corrupted",
  "FileUnexpectedEnd",
  // Extension: a data file longer than its manifest entry (the original only knew shorter).
  "FileLengthMismatch",
  "Failed",
] as const;

export type FileErrorCode = (typeof FILE_ERROR_CODES)[number];

/** `Stopped`: the run was stopped (signal) before this file was done; the next run resumes it. */
export type FileStatus = "Completed" | "Stopped" | FileErrorCode;

export type BlockStatus =
  | "Completed"
  | "Uncommitted"
  | "Corrupted"
  | "FileUnexpectedEnd"
  | "BlobRequestFailed"
  | "BlobRequestForbidden"
  | "IOFailed"
  | "Failed"
  | "Cancelled";

export interface BlockOutcome {
  index: number;
  offset: number;
  length: number;
  /** The block id staged (block blobs). */
  id?: string;
  /** The block's MD5, base64 (the log writes it in hex). */
  md5: string;
  status: BlockStatus;
}

export interface FileOutcome {
  fileId: number;
  /** The data file on the drive. */
  path: string;
  /** The customer's own path, when the manifest has it. */
  sourcePath?: string;
  /** `file`: a file share item, `container` its share and `blobName` its path there. */
  itemType?: "file";
  container: string;
  /** The final blob name (after a rename); the requested one when no decision was made. */
  blobName: string;
  blobType: "BlockBlob" | "PageBlob";
  requestedDisposition: "rename" | "no-overwrite" | "overwrite";
  /** What the disposition did; undefined when the file failed before a decision. */
  dispositionStatus?: DispositionStatus;
  length: number;
  status: FileStatus;
  /** Why it failed (no secret, no stack). */
  message?: string;
  /** Something a completed file lost on the way (a file share item's metadata): a warning in the log. */
  warning?: string;
  /** Every block of a failed file, each with its status; absent for files that did not fail. */
  blocks?: BlockOutcome[];
}

export interface ImportCounts {
  /** Files that failed. */
  errorCount: number;
  /** Files copied (or skipped) whose disposition was a rename, a skip or an overwrite. */
  warningCount: number;
  infoCount: number;
}

export interface ImportResult {
  driveId: string;
  files: FileOutcome[];
  counts: ImportCounts;
  /** Bytes in storage and verified, earlier runs' included, skipped files' included. */
  bytesDone: number;
  bytesTotal: number;
  /** Bytes this run sent. */
  bytesUploaded: number;
  /** The signal, or storage out of reach, stopped the run before every file was done. */
  stopped: boolean;
  /** Why storage was taken for down (the first such error), when that stopped the run. */
  storageDown?: string;
  startedAt: Date;
  finishedAt: Date;
  /** The most block buffers held at once (count and bytes): the memory bound, observed. */
  peakBlocksInFlight: number;
  peakBufferBytes: number;
}

export function countsOf(files: readonly FileOutcome[]): ImportCounts {
  let errorCount = 0;
  let warningCount = 0;
  for (const file of files) {
    if (file.status !== "Completed" && file.status !== "Stopped") {
      errorCount += 1;
    } else if (file.status === "Completed" && (file.dispositionStatus !== "Created" || file.warning)) {
      warningCount += 1;
    }
  }
  return { errorCount, warningCount, infoCount: 0 };
}
