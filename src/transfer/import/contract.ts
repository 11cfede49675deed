/**
 * @module The seams of an import: what the engine records so a restart resumes (the journal, kept by
 * the station in SQLite), what it reports as it goes, and what it returns for the drive's logs.
 */

/** What happened to a file's destination name (the DriveLog's ImportDisposition/@Status). */
export type DispositionStatus = "Created" | "Renamed" | "Skipped" | "Overwritten";

/** Recorded before the first byte of a file is sent, so a crash can never rename (or decide) twice. */
export interface FileDecision {
  /** The blob the file goes to: the manifest's name, or the one a rename chose. */
  blobName: string;
  status: DispositionStatus;
  /**
   * Created only if storage had no blob of that name: a small file's fast path records this, then
   * writes with If-None-Match: *, so it needs no look first. A resumed run that finds a blob there
   * takes it for this file's only if it is exactly the file, and decides again otherwise.
   */
  provisional?: boolean;
}

export interface JournalFile extends FileDecision {
  committed: boolean;
}

/**
 * A per-drive record of work done. It is a hint, storage is the truth: the engine checks on resume what
 * the journal claims (a committed blob's length and Content-MD5, a staged block in the uncommitted block
 * list) and sends again what storage lacks. Synchronous: the station's SQLite answers at once.
 */
export interface ImportJournal {
  file(fileId: number): JournalFile | undefined;
  decide(fileId: number, decision: FileDecision): void;
  /** Block indexes of the file staged (block blob) or written (page blob). */
  blocksDone(fileId: number): ReadonlySet<number>;
  blockDone(fileId: number, index: number): void;
  committed(fileId: number): void;
  /** Storage lost what the journal recorded for this file: start it again (its decision stays). */
  forgetBlocks(fileId: number): void;
}

export interface ImportProgress {
  /** Bytes verified and in storage, counting those of earlier runs: never goes back across a restart. */
  bytesDone: number;
  bytesTotal: number;
  /** Files finished in this run or an earlier one: copied, skipped, or failed (a failed file's bytes are not done). */
  filesDone: number;
  filesTotal: number;
}
