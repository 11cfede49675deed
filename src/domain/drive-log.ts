/**
 * @module A drive's copy log (the original's DriveLog XML, formats.md §2.4) as rows, one per blob: the
 * shape the transfer layer reads a log into and the use cases, the API and the CLI show.
 */

export interface DriveLogBlockRow {
  offset: number;
  length: number;
  id?: string;
  /** Hex MD5, as the log holds it. */
  hash?: string;
  status: string;
}

export interface DriveLogRow {
  status: string;
  blobPath: string;
  filePath: string;
  sourcePath?: string;
  /** Export: the snapshot the blob was read from, as storage writes its time. */
  snapshot?: string;
  length: number;
  /** Export: the blob's Last-Modified as it was read. */
  lastModified?: string;
  /** The requested disposition (the element's text) and what it did (its Status). */
  disposition?: string;
  dispositionStatus?: string;
  message?: string;
  blocks: DriveLogBlockRow[];
}

export interface ParsedDriveLog {
  version: string;
  driveId: string;
  /** The drive's outcome: Completed, CompletedWithWarnings, CompletedWithErrors or a drive-level code. */
  status: string;
  message?: string;
  blobs: DriveLogRow[];
}
