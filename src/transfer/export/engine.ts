/**
 * @module The export engine: fills one blank drive from blob storage. It plans once (what the selection
 * takes and what fits), writes each blob in the drive format with the MD5 storage vouches for, reads a
 * blob in use from a snapshot, copies a blob that changed under it again from a snapshot of its new
 * version, records only what is durable, and on resume reads back from the drive what the journal
 * claims. What is not on the drive is left out with its reason, never lost.
 */

import { stat } from "node:fs/promises";
import { join } from "node:path";

import type { Clock } from "../../domain/clock.js";
import { isBlobTargetError } from "../blob/errors.js";
import type { BlobSource, BlobVersion, SourceBlob } from "../blob/source.js";
import {
  createDrive,
  DriveError,
  type DriveWriter,
  type FinishedDrive,
  HEADER_FILE,
  isDriveError,
  type Manifest,
  type ManifestFile,
  type NewFile,
  resumeDriveChecked,
} from "../drive/index.js";
import { MANIFEST_FORMAT, MANIFEST_VERSION } from "../drive/manifest.js";
import type { ExportJournal, ExportPlan, ExportProgress, LeftOut, PlannedBlob } from "./contract.js";
import { DRIVE_RESERVE_BYTES, footprintOf, listSelection, planDrive } from "./plan.js";
import { type Selection, SelectionError } from "./selection.js";

/** What the drive is to take: a selection, or nothing (an earlier drive of the job took everything). */
export type ExportSource = { selection: Selection } | { nothing: true };

export interface ExportOptions {
  /** The blank drive's folder (its mount point), or the drive this export started on. */
  root: string;
  driveId: string;
  /** The drive's key, generated when the drive was registered. */
  password: string;
  source: BlobSource;
  journal: ExportJournal;
  /** When written files were last recorded: they are recorded at least every second. */
  clock: Clock;
  /** Called once, when the journal has no plan yet: what to take (may read a blob list from storage). */
  select: () => Promise<ExportSource>;
  /** Called once, when planning: the bytes the drive may hold. */
  capacityBytes: () => Promise<number>;
  /**
   * Blobs read and written at once (default 8); blobs of at most 1 MiB count a quarter each, so up to
   * four times as many small ones are in flight (each holds only its own bytes).
   */
  concurrency?: number;
  /** Aborted: no new blob starts; those in flight finish and are recorded; the result says `stopped`. */
  signal?: AbortSignal;
  onProgress?: (progress: ExportProgress) => void;
  /** Bytes read from storage and written this run (a metrics counter). */
  onWritten?: (bytes: number) => void;
  /**
   * Storage out of reach (no answer, or 500/502/503/504, after the client's own retries): true (the
   * default) stops the run, the result saying `storageDown`; false (a station's last run) fails each blob
   * it cannot read, listed for a later export, so the drive ends rather than waiting forever.
   */
  pauseWhenStorageDown?: boolean;
  /** Tests: a cheaper key derivation for the drive header. */
  scrypt?: { n?: number; r?: number; p?: number };
}

/** One planned blob, as the run left it. */
export interface ExportedFile {
  blob: SourceBlob;
  /** Completed: on the drive, read back; otherwise why not (it is then in `leftOut` too). */
  status: "Completed" | LeftOut["code"] | "Stopped";
  entry?: ManifestFile;
  message?: string;
}

export interface ExportResult {
  driveId: string;
  /** Set when the drive could not be filled at all (the blob list, the drive itself). */
  driveError?: { code: string; message: string };
  files: ExportedFile[];
  /** Every selected blob not on the drive, with its reason: the incomplete blob list and the log. */
  leftOut: LeftOut[];
  /** Selection entries that matched no blob. */
  unmatched: string[];
  counts: { errorCount: number; warningCount: number; infoCount: number };
  bytesDone: number;
  bytesTotal: number;
  stopped: boolean;
  /** Why storage was taken for down, when that stopped the run. */
  storageDown?: string;
  /** The drive's manifest, written, when the run finished. */
  finished?: FinishedDrive;
  manifest?: Manifest;
}

export const DEFAULT_EXPORT_CONCURRENCY = 8;

/** Answers that say the service, not the request, is at fault: after the retries, storage is down. */
const UNAVAILABLE = new Set([0, 500, 502, 503, 504]);
/**
 * A blob this small is one short request and one small block: its time is the storage service's
 * answer, not bytes, so SMALL_PER_SLOT of them share one slot of `concurrency` (a first measure on 10,000
 * × 64 KiB against Azurite: 8 in flight 89 s, 32 in flight 80 s, the raw SDK with 32 in flight 72 s).
 */
const SMALL_BLOB_BYTES = 1024 * 1024;
const SMALL_PER_SLOT = 4;
/** How many times a blob that keeps changing is copied again before it is given up. */
const CHANGE_TRIES = 3;
/** Files recorded per journal write, at most; and how long a written file may wait to be recorded. */
const RECORD_BATCH = 64;
const RECORD_EVERY_MS = 1000;
/**
 * Files written but not yet recorded beyond which a worker waits for the drive's flush: below it the
 * workers go on reading while the drive flushes (a flush of 64 small files took as long as reading
 * them); above it a slow disk holds them back, so a crash never has more than this to write again.
 */
const RECORD_BACKLOG = 4 * RECORD_BATCH;

const isChanged = (error: unknown) =>
  isBlobTargetError(error) && (error.status === 412 || error.code === "ConditionNotMet");

class LeftOutError extends Error {
  constructor(
    readonly code: LeftOut["code"],
    readonly kind: LeftOut["kind"],
    message: string,
    /** A blob gone from storage has nothing to list for a later export. */
    readonly listed = true,
  ) {
    super(message);
  }
}

/** Fills the drive; never throws for a blob or the drive, only for a bug or the journal itself. */
export async function exportDrive(options: ExportOptions): Promise<ExportResult> {
  const { journal, driveId } = options;
  const empty = (driveError?: { code: string; message: string }): ExportResult => ({
    driveId,
    ...(driveError ? { driveError } : {}),
    files: [],
    leftOut: [],
    unmatched: [],
    counts: { errorCount: driveError ? 1 : 0, warningCount: 0, infoCount: 0 },
    bytesDone: 0,
    bytesTotal: 0,
    stopped: false,
  });

  let plan = journal.plan();
  if (!plan) {
    try {
      plan = await makePlan(options);
    } catch (error) {
      const problem = driveProblem(error);
      if (problem === "down") {
        if (options.pauseWhenStorageDown === false) {
          return empty({
            code: "BlobRequestFailed",
            message: `Listing what the job selects failed: ${(error as Error).message}`,
          });
        }
        return { ...empty(), stopped: true, storageDown: (error as Error).message };
      }
      return empty(problem);
    }
    journal.savePlan(plan);
  }

  let writer: DriveWriter;
  try {
    writer = await openWriter(options);
  } catch (error) {
    if (isDriveError(error)) {
      // Nothing goes on this drive: what the plan took is listed, so the job's next drive takes it.
      const message = `The drive could not be written: ${error.message}`;
      return {
        ...empty({ code: error.code, message: error.message }),
        leftOut: [
          ...plan.leftOut,
          ...plan.blobs.map(
            ({ seq: _seq, ...blob }): LeftOut => ({ blob, code: "IOFailed", kind: "error", message }),
          ),
        ],
        unmatched: plan.unmatched ?? [],
      };
    }
    throw error;
  }

  const run = new ExportRun(options, plan, writer);
  return run.fill();
}

/** Lists the selection and plans the drive; a bad blob list or refused access is the drive's failure. */
async function makePlan(options: ExportOptions): Promise<ExportPlan> {
  const what = await options.select();
  if ("nothing" in what) {
    return { capacityBytes: await options.capacityBytes(), blobs: [], leftOut: [], unmatched: [] };
  }
  const listed = await listSelection(options.source, what.selection);
  if (listed.blobs.length === 0) {
    throw new SelectionError(
      `The selection matches no blob in the storage account (${listed.unmatched.slice(0, 3).join(", ")}${listed.unmatched.length > 3 ? ", …" : ""}).`,
    );
  }
  const plan = planDrive(listed.blobs, await options.capacityBytes());
  return { ...plan, unmatched: listed.unmatched };
}

/** A failure before any blob: the drive's code and message, or "down" when storage did not answer. */
function driveProblem(error: unknown): { code: string; message: string } | "down" {
  if (error instanceof SelectionError) {
    return { code: error.code, message: error.message };
  }
  if (isBlobTargetError(error)) {
    if (UNAVAILABLE.has(error.status)) {
      return "down";
    }
    const code = error.status === 401 || error.status === 403 ? "BlobRequestForbidden" : "BlobRequestFailed";
    return { code, message: `Listing what the job selects failed: ${error.message}` };
  }
  throw error;
}

/** The drive's writer: a new drive on a blank one, or the drive this export started, its work checked. */
async function openWriter(options: ExportOptions): Promise<DriveWriter> {
  const hasHeader = await stat(join(options.root, HEADER_FILE)).then(
    () => true,
    () => false,
  );
  if (!hasHeader) {
    // A new drive holds nothing yet, whatever the journal recorded on the one before it in this bay.
    for (const seq of options.journal.written().keys()) {
      options.journal.forgetWritten(seq);
    }
    return createDrive(options.root, {
      driveId: options.driveId,
      password: options.password,
      ...(options.scrypt ? { scrypt: options.scrypt } : {}),
    });
  }
  const recorded = options.journal.written();
  let resumed;
  try {
    resumed = await resumeDriveChecked(options.root, options.password, [...recorded.values()]);
  } catch (error) {
    if (isDriveError(error) && error.code === "BitLockerKeyInvalid") {
      // Not the drive this export wrote: someone else's data, which is never overwritten.
      throw new DriveError(
        "DriveNotEmpty",
        `The drive in the bay already holds a drive written with another key: use a blank drive for '${options.driveId}'.`,
      );
    }
    throw error;
  }
  if (resumed.writer.header.driveId.toLowerCase() !== options.driveId.toLowerCase()) {
    throw new DriveError(
      "DriveNotEmpty",
      `The drive in the bay holds drive '${resumed.writer.header.driveId}', not '${options.driveId}': use a blank drive.`,
    );
  }
  for (const { file } of resumed.dropped) {
    // The journal said written, the drive says otherwise: written again.
    for (const [seq, entry] of recorded) {
      if (entry.id === file.id) {
        options.journal.forgetWritten(seq);
      }
    }
  }
  return resumed.writer;
}

/** A counting semaphore: at most `free` holders at once, the waiters served in turn. */
class Slots {
  private readonly waiting: (() => void)[] = [];
  constructor(private free: number) {}

  async take(): Promise<void> {
    if (this.free > 0) {
      this.free -= 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  give(): void {
    const next = this.waiting.shift();
    if (next) {
      next(); // The slot passes straight to the next waiter.
    } else {
      this.free += 1;
    }
  }
}

/** One run over the plan: workers copy blobs; written files are recorded in batches once durable. */
class ExportRun {
  private readonly written: Map<number, ManifestFile>;
  private readonly failures = new Map<number, LeftOutError>();
  private readonly pending: { seq: number; file: ManifestFile }[] = [];
  private recording: Promise<void> = Promise.resolve();
  /** Records started and not yet done: a new one is started only when none is (it would flush little). */
  private recordsInFlight = 0;
  private lastRecordAt: number;
  private storageDown?: string;
  private readonly halt = new AbortController();
  /** Bytes the plan keeps free: what a blob that grew while it was copied may use. */
  private room: number;
  private readonly blobs: Map<number, PlannedBlob>;
  /**
   * The sums progress reports, kept as `written` and `blobs` change: summed again at each report, they
   * cost a pass over every file per journal write, quadratic on a drive of 500,000 small files.
   */
  private bytesWritten = 0;
  private bytesPlanned = 0;

  constructor(
    private readonly options: ExportOptions,
    private readonly plan: ExportPlan,
    private readonly writer: DriveWriter,
  ) {
    this.written = options.journal.written();
    for (const file of this.written.values()) {
      this.bytesWritten += file.size;
    }
    for (const blob of plan.blobs) {
      this.bytesPlanned += blob.size;
    }
    this.lastRecordAt = options.clock.now().getTime();
    this.blobs = new Map(plan.blobs.map((blob) => [blob.seq, blob]));
    const used = plan.blobs.reduce((sum, blob) => sum + footprintOf(blob), 0);
    // As the plan counted: the drive's reserve (header, folders, the manifest's envelope) is not room.
    this.room = plan.capacityBytes - DRIVE_RESERVE_BYTES - used;
  }

  async fill(): Promise<ExportResult> {
    const { options } = this;
    const stop = () => this.halt.abort();
    options.signal?.addEventListener("abort", stop);
    try {
      const queue = this.plan.blobs.filter((blob) => !this.written.has(blob.seq));
      await this.cleanTempSnapshots();
      this.progress();
      const slots = options.concurrency ?? DEFAULT_EXPORT_CONCURRENCY;
      // Workers enough for every slot to hold small blobs; a larger blob takes a whole slot first, so
      // no more than `slots` of them are in flight, and the queue is still taken in plan order.
      const large = new Slots(slots);
      const workers = Array.from(
        { length: Math.min(slots * SMALL_PER_SLOT, Math.max(1, queue.length)) },
        async () => {
          for (let blob = queue.shift(); blob; blob = queue.shift()) {
            if (this.halt.signal.aborted) {
              return;
            }
            if (blob.size <= SMALL_BLOB_BYTES) {
              await this.copy(blob);
            } else {
              await large.take();
              try {
                await this.copy(blob);
              } finally {
                large.give();
              }
            }
          }
        },
      );
      await Promise.all(workers);
      await this.record(true);
    } finally {
      options.signal?.removeEventListener("abort", stop);
    }
    const stopped = this.halt.signal.aborted;
    let finished: FinishedDrive | undefined;
    if (!stopped) {
      finished = await this.finishWithRoom();
    }
    return this.result(stopped, finished);
  }

  /**
   * Writes the drive's manifest. A drive that filled up before its plan said may have no room left for
   * it: its last files written are given up, one at a time, as NotEnoughSpace, until the manifest fits.
   */
  private async finishWithRoom(): Promise<FinishedDrive> {
    for (;;) {
      try {
        return await this.writer.finish();
      } catch (error) {
        const last = [...this.written].sort(([, a], [, b]) => b.id - a.id)[0];
        if ((error as NodeJS.ErrnoException).code !== "ENOSPC" || !last) {
          throw error;
        }
        const [seq, file] = last;
        this.writer.forget(file.id);
        this.written.delete(seq);
        this.bytesWritten -= file.size;
        this.options.journal.forgetWritten(seq);
        this.failures.set(
          seq,
          new LeftOutError(
            "NotEnoughSpace",
            "info",
            "The drive had no room left for its manifest with this blob on it: export it with the incomplete blob list.",
          ),
        );
      }
    }
  }

  /** Snapshots an earlier run made for blobs now recorded as written are deleted. */
  private async cleanTempSnapshots(): Promise<void> {
    for (const seq of this.written.keys()) {
      await this.dropTempSnapshot(seq);
    }
  }

  private async dropTempSnapshot(seq: number): Promise<void> {
    const snapshot = this.options.journal.tempSnapshot(seq);
    const blob = this.blobs.get(seq);
    if (snapshot === undefined || !blob) {
      return;
    }
    try {
      await this.options.source.deleteSnapshot(blob.container, blob.name, snapshot);
      this.options.journal.setTempSnapshot(seq, undefined);
    } catch {
      // Left for a later run to delete: a snapshot too many costs storage, not data.
    }
  }

  /** Copies one planned blob onto the drive, or records why it is not there. */
  private async copy(planned: PlannedBlob): Promise<void> {
    let blob = planned;
    try {
      for (let attempt = 1; ; attempt += 1) {
        try {
          let version: BlobVersion;
          if (attempt === 1) {
            // Inside the try: a leased blob changed before its snapshot is a change like any other.
            version = await this.versionToRead(blob);
          } else {
            // Changed while it was read: its new version, read from a snapshot so it cannot change again.
            // Inside the try: a change again before the snapshot is made counts as the next attempt.
            const fresh = await this.options.source.describe(blob.container, blob.name);
            if (!fresh || blob.snapshot !== undefined) {
              throw new LeftOutError(
                "BlobRequestFailed",
                "error",
                "The blob was deleted after the export listed it.",
                false,
              );
            }
            blob = this.replan(blob, fresh);
            version = await this.snapshotFor(blob, true);
          }
          const entry = await this.writeBlob(blob, version);
          this.options.onWritten?.(entry.size);
          await this.recordSoon(blob.seq, entry);
          return;
        } catch (error) {
          const changed = isChanged(error) || (isDriveError(error) && error.code === "SourceChanged");
          if (!changed || attempt >= CHANGE_TRIES) {
            throw changed ? this.unexpectedChange(blob, error) : error;
          }
        }
      }
    } catch (error) {
      if (this.options.pauseWhenStorageDown !== false && this.isStorageDown(error)) {
        this.storageDown ??= (error as Error).message;
        this.halt.abort();
        return;
      }
      this.failures.set(blob.seq, this.asLeftOut(error));
      // A snapshot made to read it is of no more use: a snapshot left behind would be exported next time.
      await this.dropTempSnapshot(blob.seq);
    }
  }

  /** What to read for a blob: itself, or a snapshot (one made earlier, or now for a leased blob). */
  private async versionToRead(blob: PlannedBlob): Promise<BlobVersion> {
    const made = this.options.journal.tempSnapshot(blob.seq);
    if (made !== undefined) {
      return { container: blob.container, name: blob.name, snapshot: made };
    }
    if (blob.snapshot === undefined && blob.leaseState === "leased") {
      return this.snapshotFor(blob, false);
    }
    return { container: blob.container, name: blob.name, ...this.snapshotPart(blob), etag: blob.etag };
  }

  private snapshotPart(blob: SourceBlob): { snapshot?: string } {
    return blob.snapshot === undefined ? {} : { snapshot: blob.snapshot };
  }

  /** Takes a snapshot of the blob's current version, recorded before it is read so a restart finds it. */
  private async snapshotFor(blob: PlannedBlob, changed: boolean): Promise<BlobVersion> {
    let snapshot: string;
    try {
      snapshot = await this.options.source.snapshot(blob.container, blob.name, blob.etag);
    } catch (error) {
      if (this.isStorageDown(error)) {
        throw error;
      }
      if (isChanged(error)) {
        throw error; // Changed again: the caller counts the attempt.
      }
      throw changed
        ? this.unexpectedChange(blob, error)
        : new LeftOutError(
            "LeasePresent",
            "warning",
            `The blob is leased and no snapshot of it could be made: ${(error as Error).message}`,
          );
    }
    await this.dropTempSnapshot(blob.seq);
    this.options.journal.setTempSnapshot(blob.seq, snapshot);
    return { container: blob.container, name: blob.name, snapshot };
  }

  /** The blob's new version replaces the planned one, if the drive still has room for it. */
  private replan(old: PlannedBlob, fresh: SourceBlob): PlannedBlob {
    const grown = footprintOf(fresh) - footprintOf(old);
    if (grown > this.room) {
      throw new LeftOutError(
        "NotEnoughSpace",
        "info",
        "The blob grew while it was exported, and the drive has no room left for its new version.",
      );
    }
    this.room -= grown;
    const blob: PlannedBlob = { ...fresh, seq: old.seq };
    this.blobs.set(blob.seq, blob);
    this.bytesPlanned += blob.size - old.size;
    this.options.journal.replanBlob(blob);
    return blob;
  }

  private unexpectedChange(blob: PlannedBlob, error: unknown): LeftOutError {
    return new LeftOutError(
      "BlobUnexpectedChange",
      "error",
      `The blob ${blob.container}/${blob.name} kept changing while it was exported (${(error as Error).message}).`,
    );
  }

  private async writeBlob(blob: PlannedBlob, version: BlobVersion): Promise<ManifestFile> {
    // Not aborted by a stop: a blob begun is finished and recorded, as the import's blocks are.
    const read = await this.options.source.read(version);
    const file: NewFile = {
      container: blob.container,
      blobName: blob.name,
      ...this.snapshotPart(blob),
      // The drive format knows block and page blobs; an append blob is re-imported as a block blob.
      blobType: blob.blobType === "PageBlob" ? "PageBlob" : "BlockBlob",
      metadata: blob.metadata,
      properties: blob.headers,
      size: blob.size,
    };
    try {
      return await this.writer.addFile(read, file, {
        ...(blob.headers.contentMD5 !== undefined ? { expectMd5: blob.headers.contentMD5 } : {}),
      });
    } finally {
      read.destroy();
    }
  }

  /**
   * Queues a written file for the journal; records the queue when it is full or old enough, without
   * waiting for that unless the queue is long (see RECORD_BACKLOG). What is recorded is still only what
   * the drive has flushed; a failed record fails the next one awaited (a worker's, or the last one).
   */
  private async recordSoon(seq: number, file: ManifestFile): Promise<void> {
    this.pending.push({ seq, file });
    if (this.pending.length >= RECORD_BACKLOG) {
      await this.record(false);
      return;
    }
    if (
      this.recordsInFlight === 0 &&
      (this.pending.length >= RECORD_BATCH ||
        this.options.clock.now().getTime() - this.lastRecordAt >= RECORD_EVERY_MS)
    ) {
      // Its failure is kept in the chain, for the next record awaited: not lost, not unhandled.
      this.record(false).catch(() => undefined);
    }
  }

  /** Flushes the drive, then records what is now durable; one at a time. */
  private record(final: boolean): Promise<void> {
    this.recordsInFlight += 1;
    const done = () => {
      this.recordsInFlight -= 1;
    };
    this.recording = this.recording.then(async () => {
      const batch = this.pending.splice(0);
      if (batch.length === 0 && !final) {
        return;
      }
      await this.writer.sync();
      if (batch.length > 0) {
        this.options.journal.recordWritten(batch);
        for (const { seq, file } of batch) {
          this.written.set(seq, file);
          this.bytesWritten += file.size;
        }
      }
      this.lastRecordAt = this.options.clock.now().getTime();
      for (const { seq } of batch) {
        await this.dropTempSnapshot(seq);
      }
      this.progress();
    });
    this.recording.then(done, done);
    return this.recording;
  }

  private progress(): void {
    this.options.onProgress?.({
      bytesDone: this.bytesWritten,
      bytesTotal: this.bytesPlanned,
      filesDone: this.written.size + this.failures.size,
      filesTotal: this.plan.blobs.length,
    });
  }

  /** Storage down as a whole stops the run, unless this is the run that gives up waiting for it. */
  private isStorageDown(error: unknown): boolean {
    return (
      this.options.pauseWhenStorageDown !== false && isBlobTargetError(error) && UNAVAILABLE.has(error.status)
    );
  }

  private asLeftOut(error: unknown): LeftOutError {
    if (error instanceof LeftOutError) {
      return error;
    }
    if (isBlobTargetError(error)) {
      if (error.status === 404) {
        return new LeftOutError(
          "BlobRequestFailed",
          "error",
          "The blob was deleted after the export listed it.",
          false,
        );
      }
      const forbidden = error.status === 401 || error.status === 403;
      return new LeftOutError(
        forbidden ? "BlobRequestForbidden" : "BlobRequestFailed",
        "error",
        `Reading the blob failed: ${error.message}`,
      );
    }
    if (isDriveError(error)) {
      return new LeftOutError(
        error.code === "FileEntryInvalid" ? "FileNameInvalid" : "IOFailed",
        "error",
        error.message,
      );
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOSPC") {
      return new LeftOutError(
        "NotEnoughSpace",
        "info",
        "The drive filled up before this blob (its file system keeps more for itself than planned).",
      );
    }
    if (typeof code === "string" && /^E[A-Z]+$/.test(code)) {
      return new LeftOutError("IOFailed", "error", `Writing the drive failed: ${(error as Error).message}`);
    }
    throw error;
  }

  private result(stopped: boolean, finished: FinishedDrive | undefined): ExportResult {
    const files: ExportedFile[] = [];
    const leftOut: LeftOut[] = [...this.plan.leftOut];
    for (const planned of this.plan.blobs) {
      const blob = this.blobs.get(planned.seq) ?? planned;
      const entry = this.written.get(blob.seq);
      const failure = this.failures.get(blob.seq);
      if (entry) {
        files.push({ blob, status: "Completed", entry });
      } else if (failure) {
        files.push({ blob, status: failure.code, message: failure.message });
        if (failure.listed) {
          leftOut.push({ blob, code: failure.code, kind: failure.kind, message: failure.message });
        }
      } else {
        files.push({ blob, status: "Stopped" });
      }
    }
    const counts = { errorCount: 0, warningCount: 0, infoCount: 0 };
    for (const failure of this.failures.values()) {
      if (!failure.listed) {
        counts.errorCount += 1; // A blob deleted mid-export: in the log, not in the incomplete list.
      }
    }
    for (const out of leftOut) {
      counts[out.kind === "error" ? "errorCount" : out.kind === "warning" ? "warningCount" : "infoCount"] +=
        1;
    }
    counts.warningCount += (this.plan.unmatched ?? []).length;
    return {
      driveId: this.options.driveId,
      files,
      leftOut,
      unmatched: this.plan.unmatched ?? [],
      counts,
      bytesDone: this.bytesWritten,
      bytesTotal: this.bytesPlanned,
      stopped,
      ...(this.storageDown !== undefined ? { storageDown: this.storageDown } : {}),
      ...(finished
        ? {
            finished,
            manifest: {
              format: MANIFEST_FORMAT,
              version: MANIFEST_VERSION,
              driveId: this.writer.header.driveId,
              files: [...this.writer.files],
            },
          }
        : {}),
    };
  }
}
