/**
 * @module The seams of an export: the plan a drive is filled by (fixed once, so a restart fills the same
 * drive the same way), the journal the station keeps it in, what the engine reports as it goes, and what
 * it returns for the drive's logs and its incomplete blob list.
 */

import type { SourceBlob } from "../blob/source.js";
import type { ManifestFile } from "../drive/index.js";

/** Why a selected blob is not on the drive (a DriveLog Blob/@Status, or a marked extension). */
export type LeftOutCode =
  /** Extension: the drive had no room left for it (the incomplete blob list's reason, formats.md §2.6). */
  | "NotEnoughSpace"
  /** Extension: an Archive-tier blob cannot be read without rehydrating it. */
  | "BlobArchived"
  /** Leased and no snapshot could be made (formats.md §2.5). */
  | "LeasePresent"
  /** Changed while it was read, and no stable copy could be had. */
  | "BlobUnexpectedChange"
  /** Storage refused a request for it. */
  | "BlobRequestFailed"
  | "BlobRequestForbidden"
  /** Its name or properties cannot be written in the drive format. */
  | "FileNameInvalid"
  /** Writing or reading it back on the drive failed. */
  | "IOFailed"
  | "Corrupted";

/** A blob the plan puts on this drive, numbered in plan order. */
export interface PlannedBlob extends SourceBlob {
  seq: number;
}

/** A selected blob that is not on this drive, and why: it is listed in the incomplete blob list. */
export interface LeftOut {
  blob: SourceBlob;
  code: LeftOutCode;
  message: string;
  /** Whether the problem is the customer's to know (warning/info) or an error (the job ends Closed). */
  kind: "error" | "warning" | "info";
}

export interface ExportPlan {
  /** Bytes the drive may hold, as planned (the smaller of its free space and its recorded capacity). */
  capacityBytes: number;
  blobs: PlannedBlob[];
  leftOut: LeftOut[];
  /** Selection entries that matched no blob: each a warning in the drive's log. */
  unmatched?: string[];
}

/**
 * The per-drive record of an export. The plan is written once, before the drive's header, so a restart
 * fills the same blobs; a written file is recorded only once it is durable on the drive, and it is
 * read back from the drive on resume, not trusted. Synchronous: the station's SQLite answers at once.
 */
export interface ExportJournal {
  plan(): ExportPlan | undefined;
  savePlan(plan: ExportPlan): void;
  /** The blob as the plan now knows it: after a change seen while copying, its new version. */
  replanBlob(blob: PlannedBlob): void;
  /** Files recorded as written and durable, by plan seq. */
  written(): Map<number, ManifestFile>;
  recordWritten(entries: { seq: number; file: ManifestFile }[]): void;
  forgetWritten(seq: number): void;
  /** A snapshot this export made to read a blob in use, kept so a restart reuses it or deletes it. */
  tempSnapshot(seq: number): string | undefined;
  setTempSnapshot(seq: number, snapshot: string | undefined): void;
}

export interface ExportProgress {
  /** Bytes written and durable on the drive, earlier runs' included. */
  bytesDone: number;
  bytesTotal: number;
  filesDone: number;
  filesTotal: number;
}
