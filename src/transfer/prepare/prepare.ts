/**
 * @module `drive prepare` without its command line: plan the dataset, then write its files onto one
 * drive, recording each in the journal as soon as it is whole, and finish the manifest. Run again with
 * the same journal it takes up where it stopped, skipping what the journal says is written. The steps a
 * driveset repeats per drive (checking a folder, writing a drive) are exported for prepare-set.ts.
 */

import { createReadStream } from "node:fs";
import { mkdir, readdir, readFile, realpath, statfs } from "node:fs/promises";
import { basename, dirname, join, resolve, sep } from "node:path";

import type { Clock } from "../../domain/clock.js";
import { validateDriveId } from "../../domain/names.js";
import { deviceSerial } from "../drive/device-serial.js";
import {
  blockSizeFor,
  createDrive,
  DriveError,
  type DriveWriter,
  generateRecoveryPassword,
  HEADER_FILE,
  type ManifestFile,
  resumeDrive,
} from "../drive/index.js";
import { BLOCK_OVERHEAD, blockCountOf } from "../drive/layout.js";
import { datasetFolder, type DatasetRow, parseDataset, planDataset, type PlannedFile } from "./dataset.js";
import {
  type Journal,
  JOURNAL_FORMAT,
  JOURNAL_VERSION,
  type JournalDrive,
  readJournal,
  sha256Hex,
  writeJournal,
  writtenKey,
} from "./journal.js";

/** A prepare refused before any byte is written: the command line or the folders are wrong (exit 2). */
export class PrepareError extends Error {
  override readonly name = "PrepareError";
}

export interface PrepareProgress {
  files: number;
  filesTotal: number;
  bytes: number;
  bytesTotal: number;
  /** Files the journal already had when this run started (resumed, not written again). */
  skipped: number;
  /** The file just written, on the call that follows it; absent on byte-count calls. */
  written?: ManifestFile;
}

export interface PrepareOptions {
  dataset: string;
  driveRoot: string;
  /** The drive's serial; absent, the serial of the disk mounted at `driveRoot` (lsblk), if it is one. */
  driveId?: string;
  journalPath: string;
  onProgress?: (progress: PrepareProgress) => void;
  /** Tests only: scrypt at its floor, small blocks. */
  scrypt?: { n?: number; r?: number; p?: number };
  blockSize?: number;
  /** Tests only: the free bytes the drive folder claims, instead of asking the file system. */
  freeBytes?: (root: string) => Promise<number>;
  /** Tests only: the serial of the disk mounted at a folder, instead of asking lsblk. */
  serialOf?: (folder: string) => Promise<string | undefined>;
  /**
   * With a clock, the journal is rewritten at most once a second (and when the run stops) rather than
   * after every file; see the loop in prepareDrive. The CLI passes the system clock.
   */
  clock?: Clock;
  /** Files written at once (default 8; tests that stop a run at an exact file pass 1). */
  filesAtOnce?: number;
}

/** Files written at once by one drive's prepare. */
const FILES_AT_ONCE = 8;

/** How often, at most, a run with a clock rewrites its journal. */
export const JOURNAL_INTERVAL_MS = 1000;

/** The job's `driveList` entry for a prepared drive. */
export interface DriveListEntry {
  driveId: string;
  bitLockerKey: string;
  manifestFile: string;
  manifestHash: string;
  driveHeaderHash: string;
}

/** Room kept free beyond the data: the manifest (a few hundred bytes a file) and the file system's own. */
export const MARGIN_BYTES = 16 * 1024 * 1024;
export const MANIFEST_BYTES_PER_FILE = 512;

/**
 * Names a fresh disk may hold before anything is written to it (ext4's lost+found, what Windows and
 * macOS put on a new volume): they do not make a drive folder "not empty".
 */
const FRESH_DISK_NAMES = new Set([
  "lost+found",
  "System Volume Information",
  "$RECYCLE.BIN",
  ".Trashes",
  ".fseventsd",
  ".Spotlight-V100",
]);

/** What one file takes on the drive: its bytes and each block's nonce and tag. */
export function storedBytes(file: PlannedFile["file"], blockSize?: number): number {
  return file.size + blockCountOf(file.size, blockSize ?? blockSizeFor(file.size)) * BLOCK_OVERHEAD;
}

/** A dataset read and planned, and the fingerprint a journal keeps of it. */
export interface LoadedDataset {
  rows: DatasetRow[];
  planned: PlannedFile[];
  fingerprint: string;
}

export async function loadDataset(dataset: string): Promise<LoadedDataset> {
  const csv = await readFile(dataset).catch((error: NodeJS.ErrnoException) => {
    throw new PrepareError(`The dataset ${dataset} cannot be read (${error.code ?? error.message}).`);
  });
  const rows = parseDataset(csv.toString("utf8"), dataset, datasetFolder(dataset));
  const planned = await planDataset(rows, dataset);
  return { rows, planned, fingerprint: sha256Hex(csv) };
}

/** The journal at `journalPath` for this dataset, or a new one; a journal of another dataset is refused. */
export async function openJournal(
  journalPath: string,
  dataset: string,
  fingerprint: string,
): Promise<Journal> {
  const existing = await readJournal(journalPath);
  if (existing && existing.dataset.sha256 !== fingerprint) {
    throw new PrepareError(
      `The journal ${journalPath} was started for another dataset (${existing.dataset.path}, since changed or replaced): use a new journal for a new dataset.`,
    );
  }
  return (
    existing ?? {
      format: JOURNAL_FORMAT,
      version: JOURNAL_VERSION,
      dataset: { path: dataset, sha256: fingerprint },
      drives: [],
    }
  );
}

export async function prepareDrive(options: PrepareOptions): Promise<DriveListEntry> {
  const { journalPath, onProgress } = options;
  const driveId = options.driveId ?? (await serialOrRefuse(options.driveRoot, options.serialOf));
  try {
    validateDriveId(driveId, "--drive-id");
  } catch (error) {
    throw new PrepareError((error as Error).message);
  }
  const { rows, planned, fingerprint } = await loadDataset(options.dataset);
  const journal = await openJournal(journalPath, options.dataset, fingerprint);
  if (journal.driveset) {
    throw new PrepareError(
      `The journal ${journalPath} was started with --driveset ${journal.driveset.path}: resume it with that --driveset, not --drive.`,
    );
  }
  let entry = journal.drives.find((drive) => drive.driveId === driveId);
  const other = journal.drives.find((drive) => drive.driveId !== driveId);
  if (!entry && other) {
    throw new PrepareError(
      `The journal ${journalPath} already prepares this dataset on drive ${other.driveId}: a journal holds one drive, or one --driveset; use a new journal (or --driveset) for more drives.`,
    );
  }

  // The folder is made only once every check has passed: a refused prepare leaves nothing behind.
  const site = await inspectDrive(options.driveRoot, entry !== undefined, journalPath, rows, planned);
  const done = new Set((entry?.files ?? []).map(writtenKey));
  const remaining = planned.filter(({ file }) => !done.has(writtenKey(file)));
  if (entry?.finished && remaining.length === 0) {
    // Already done: the folder is checked to be this drive, and the recorded entry given again; finishing
    // anew would seal the manifest under a new nonce and change the manifestHash a job may already hold.
    await resumeTheDrive(site.root, entry, options.driveRoot);
    return entryOf(entry, entry.finished);
  }
  const needed = neededBytes(remaining, planned.length, options.blockSize);
  const free = await (options.freeBytes ?? freeBytesOf)(site.nearest);
  if (free < needed) {
    throw new PrepareError(
      `${options.driveRoot} has ${mib(free)} free, and this drive needs ${mib(needed)} (its files, their block tags, the manifest and a margin): use a larger drive.`,
    );
  }

  if (!entry) {
    entry = { driveId, bitLockerKey: generateRecoveryPassword(), root: site.root, files: [] };
    journal.drives.push(entry);
    // The key is in the journal before the drive exists: a drive is never written with a key nobody kept.
    await writeJournal(journalPath, journal);
  }
  const progress: PrepareProgress = {
    files: planned.length - remaining.length,
    filesTotal: planned.length,
    bytes: bytesOf(planned.filter(({ file }) => done.has(writtenKey(file)))),
    bytesTotal: bytesOf(planned),
    skipped: planned.length - remaining.length,
  };
  onProgress?.({ ...progress });
  return writeDrive({ site, entry, remaining, journal, progress, options });
}

/**
 * The serial of the disk mounted at `driveRoot` (lsblk), the drive id when none is given; a plain folder
 * has none, and then `--drive-id` is required.
 */
async function serialOrRefuse(
  driveRoot: string,
  serialOf: PrepareOptions["serialOf"] = deviceSerial,
): Promise<string> {
  // Serials are printed with spaces at times (formats.md §1.7: the id is the serial without spaces).
  const serial = (await serialOf(driveRoot))?.replaceAll(" ", "");
  if (!serial) {
    throw new PrepareError(
      `--drive-id is required: ${driveRoot} is not the mount point of a disk whose serial number lsblk can read (give --drive-id SERIAL, as on the drive's label).`,
    );
  }
  return serial;
}

/** A drive folder as found before anything is written, checked to be empty or a drive of the journal. */
export interface DriveSite {
  /** The folder as given, for messages. */
  shown: string;
  /** The folder with symlinks resolved (it may not exist yet). */
  root: string;
  /** Its nearest existing ancestor (itself when it exists): where free space is measured. */
  nearest: string;
  /** What the folder holds, beyond what a fresh disk holds. */
  names: string[];
}

/**
 * Checks a drive folder before any byte is written: the dataset and the journal stay out of it, and it is
 * empty unless the journal already knows this drive (`known`).
 */
export async function inspectDrive(
  shown: string,
  known: boolean,
  journalPath: string,
  rows: readonly DatasetRow[],
  planned: readonly PlannedFile[],
): Promise<DriveSite> {
  const { path: root, existing: nearest } = await realOrPlanned(shown);
  await refuseOverlaps(rows, planned, root, journalPath, shown);
  const names = root === nearest ? (await readdir(root)).filter((name) => !FRESH_DISK_NAMES.has(name)) : [];
  if (!known && names.length > 0) {
    throw new PrepareError(
      `${shown} is not empty and is not a drive of the journal ${journalPath}: give an empty drive (or folder), or this drive's journal.`,
    );
  }
  return { shown, root, nearest, names };
}

/** The bytes `remaining` takes on a drive holding `count` files in all, with the margin. */
export function neededBytes(remaining: readonly PlannedFile[], count: number, blockSize?: number): number {
  return (
    remaining.reduce((sum, { file }) => sum + storedBytes(file, blockSize), 0) +
    count * MANIFEST_BYTES_PER_FILE +
    MARGIN_BYTES
  );
}

export function bytesOf(files: readonly PlannedFile[]): number {
  return files.reduce((sum, { file }) => sum + file.size, 0);
}

function entryOf(entry: JournalDrive, finished: NonNullable<JournalDrive["finished"]>): DriveListEntry {
  return { driveId: entry.driveId, bitLockerKey: entry.bitLockerKey, ...finished };
}

/** One drive to write: its checked folder, its journal entry (key recorded), and the files still to write. */
export interface DriveWrite {
  site: DriveSite;
  entry: JournalDrive;
  remaining: readonly PlannedFile[];
  journal: Journal;
  /** The run's counts, shared by every drive of a set and advanced here. */
  progress: PrepareProgress;
  options: Pick<
    PrepareOptions,
    "journalPath" | "onProgress" | "scrypt" | "blockSize" | "clock" | "filesAtOnce"
  >;
}

/**
 * Writes `remaining` onto the drive (creating it, or resuming it from the journal's files), recording
 * each file in the journal, then finishes the manifest and records the drive's `driveList` entry.
 */
export async function writeDrive({
  site,
  entry,
  remaining,
  journal,
  progress,
  options,
}: DriveWrite): Promise<DriveListEntry> {
  const { journalPath, onProgress } = options;
  await mkdir(site.root, { recursive: true });
  let writer: DriveWriter;
  if (!site.names.includes(HEADER_FILE) && entry.files.length === 0) {
    // A new drive, or one stopped between recording its key and writing its header: (re)start it with that key.
    if (site.names.length > 0) {
      throw new PrepareError(
        `${site.shown} holds files but no drive header: it is not drive ${entry.driveId}.`,
      );
    }
    writer = await createDrive(site.root, {
      driveId: entry.driveId,
      password: entry.bitLockerKey,
      scrypt: options.scrypt,
    });
  } else {
    writer = await resumeTheDrive(site.root, entry, site.shown);
  }

  const journalDrive = entry;
  // The journal is rewritten whole, so rewriting it after every one of 100,000 small files would cost
  // time quadratic in the file count. With a clock it is rewritten at most once a JOURNAL_INTERVAL_MS,
  // and always when the run stops, by an error or not. A crash (power cut, kill -9) between two writes
  // loses at most that interval's records: those files are written again under the same ids and data
  // paths (the writer numbers from the journal's files), replacing their unrecorded copies, so the drive
  // never holds a file twice.
  let recorded = options.clock?.now().getTime();
  let unrecorded = false;
  // One record at a time: files finish in any order, and two rewrites of the journal must not cross.
  let recording: Promise<void> = Promise.resolve();
  const record = () => {
    recording = recording.then(async () => {
      // Only what is on the disk for sure is recorded: the journal never claims a file a power cut lost.
      journalDrive.files = [...(await writer.sync())];
      await writeJournal(journalPath, journal);
      recorded = options.clock?.now().getTime();
    });
    unrecorded = false;
    return recording;
  };
  // Several files at once: a small file costs more in waits (open, read, write, close, rename, each a
  // trip through the thread pool) than in work, and one file at a time left the disk and the CPU idle
  // between them. Ids are taken in dataset order as each file starts, so the manifest keeps that order.
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < remaining.length && failure === undefined) {
      const { file } = remaining[next]!;
      next += 1;
      try {
        const written = await writer.addFile(
          counted(createReadStream(file.sourcePath), (bytes) => {
            progress.bytes += bytes;
            onProgress?.({ ...progress });
          }),
          file,
          options.blockSize ? { blockSize: options.blockSize } : {},
        );
        delete journalDrive.finished;
        unrecorded = true;
        const now = options.clock?.now().getTime();
        if (now === undefined || recorded === undefined || now - recorded >= JOURNAL_INTERVAL_MS) {
          recorded = now;
          await record();
        }
        progress.files += 1;
        onProgress?.({ ...progress, written });
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  try {
    await Promise.all(
      Array.from({ length: Math.min(options.filesAtOnce ?? FILES_AT_ONCE, remaining.length) }, worker),
    );
  } finally {
    // Also after a failure: the files finished before it are recorded, and resume skips them.
    if (unrecorded) {
      await record();
    }
    await recording;
  }
  if (failure) {
    throw failure.error;
  }
  const finished = await writer.finish();
  journalDrive.finished = {
    manifestFile: finished.manifestFile,
    manifestHash: finished.manifestHash,
    driveHeaderHash: finished.driveHeaderHash,
  };
  await writeJournal(journalPath, journal);
  return entryOf(journalDrive, journalDrive.finished);
}

/**
 * Refuses a dataset that would copy the drive into itself (a folder row holding the drive folder, or a
 * source inside it) or the journal (rewritten after each file, it would change under its own copy):
 * either would also make a resumed run plan differently from the first.
 */
async function refuseOverlaps(
  rows: readonly DatasetRow[],
  planned: readonly PlannedFile[],
  root: string,
  journalPath: string,
  shownRoot: string,
): Promise<void> {
  const inside = (path: string, folder: string) =>
    path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep);
  const journal = join(
    await realpath(dirname(resolve(journalPath))).catch(() => dirname(resolve(journalPath))),
    basename(journalPath),
  );
  for (const row of rows) {
    const source = await realpath(row.source);
    if (inside(source, root) || (row.folder && inside(root, source))) {
      throw new PrepareError(
        `${row.source} (dataset line ${row.line}) and the drive ${shownRoot} overlap: a drive cannot hold a copy of itself.`,
      );
    }
    if (row.folder && inside(journal, source)) {
      throw new PrepareError(
        `The journal ${journalPath} is inside ${row.source} (dataset line ${row.line}): keep it out of the data it records.`,
      );
    }
  }
  for (const { line, file } of planned) {
    if ((await realpath(file.sourcePath)) === journal) {
      throw new PrepareError(
        `The journal ${journalPath} is a source of dataset line ${line}: keep it out of the data it records.`,
      );
    }
  }
}

/**
 * `path` with symlinks resolved, whether or not it exists yet (its nearest existing ancestor resolved,
 * the rest appended), and that ancestor: where free space is measured before the folder is made.
 */
async function realOrPlanned(path: string): Promise<{ path: string; existing: string }> {
  const absolute = resolve(path);
  const real = await realpath(absolute).catch(() => undefined);
  if (real !== undefined) {
    return { path: real, existing: real };
  }
  const parent = dirname(absolute);
  if (parent === absolute) {
    throw new PrepareError(`${path} cannot be reached.`);
  }
  const above = await realOrPlanned(parent);
  return { path: join(above.path, basename(absolute)), existing: above.existing };
}

export async function resumeTheDrive(root: string, entry: JournalDrive, shown: string): Promise<DriveWriter> {
  let writer: DriveWriter;
  try {
    writer = await resumeDrive(root, entry.bitLockerKey, entry.files);
  } catch (error) {
    if (
      error instanceof DriveError &&
      (error.code === "DriveHeaderNotFound" || error.code === "BitLockerKeyInvalid")
    ) {
      throw new PrepareError(`${shown} is not drive ${entry.driveId} of this journal (${error.message})`);
    }
    throw error;
  }
  if (writer.header.driveId !== entry.driveId) {
    throw new PrepareError(
      `${shown} holds drive ${writer.header.driveId}, not drive ${entry.driveId} of this journal.`,
    );
  }
  return writer;
}

export async function freeBytesOf(root: string): Promise<number> {
  const stats = await statfs(root);
  return stats.bavail * stats.bsize;
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** A size in the largest binary unit that keeps it at 1 or more: a shortfall of a few KiB reads as such. */
export function sizeText(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Passes a stream's chunks through, telling `count` each one's length. */
async function* counted(
  source: AsyncIterable<Buffer>,
  count: (bytes: number) => void,
): AsyncIterable<Uint8Array> {
  for await (const chunk of source) {
    yield chunk;
    count(chunk.length);
  }
}
