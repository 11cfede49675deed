/**
 * @module `drive prepare` without its command line: plan the dataset, then write its files onto one
 * drive, recording each in the journal as soon as it is whole, and finish the manifest. Run again with
 * the same journal it takes up where it stopped, skipping what the journal says is written.
 */

import { createReadStream } from "node:fs";
import { mkdir, readdir, readFile, realpath, statfs } from "node:fs/promises";
import { basename, dirname, join, resolve, sep } from "node:path";

import type { Clock } from "../../domain/clock.js";
import { validateDriveId } from "../../domain/names.js";
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
  driveId: string;
  journalPath: string;
  onProgress?: (progress: PrepareProgress) => void;
  /** Tests only: scrypt at its floor, small blocks. */
  scrypt?: { n?: number; r?: number; p?: number };
  blockSize?: number;
  /** Tests only: the free bytes the drive folder claims, instead of asking the file system. */
  freeBytes?: (root: string) => Promise<number>;
  /**
   * With a clock, the journal is rewritten at most once a second (and when the run stops) rather than
   * after every file; see the loop in prepareDrive. The CLI passes the system clock.
   */
  clock?: Clock;
}

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
const MARGIN_BYTES = 16 * 1024 * 1024;
const MANIFEST_BYTES_PER_FILE = 512;

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
function storedBytes(file: PlannedFile["file"], blockSize?: number): number {
  return file.size + blockCountOf(file.size, blockSize ?? blockSizeFor(file.size)) * BLOCK_OVERHEAD;
}

export async function prepareDrive(options: PrepareOptions): Promise<DriveListEntry> {
  const { driveId, journalPath, onProgress } = options;
  try {
    validateDriveId(driveId, "--drive-id");
  } catch (error) {
    throw new PrepareError((error as Error).message);
  }
  const csv = await readFile(options.dataset).catch((error: NodeJS.ErrnoException) => {
    throw new PrepareError(`The dataset ${options.dataset} cannot be read (${error.code ?? error.message}).`);
  });
  const rows = parseDataset(csv.toString("utf8"), options.dataset, datasetFolder(options.dataset));
  const planned = await planDataset(rows, options.dataset);
  const fingerprint = sha256Hex(csv);

  const existing = await readJournal(journalPath);
  if (existing && existing.dataset.sha256 !== fingerprint) {
    throw new PrepareError(
      `The journal ${journalPath} was started for another dataset (${existing.dataset.path}, since changed or replaced): use a new journal for a new dataset.`,
    );
  }
  const journal: Journal = existing ?? {
    format: JOURNAL_FORMAT,
    version: JOURNAL_VERSION,
    dataset: { path: options.dataset, sha256: fingerprint },
    drives: [],
  };
  let entry = journal.drives.find((drive) => drive.driveId === driveId);
  const other = journal.drives.find((drive) => drive.driveId !== driveId);
  if (!entry && other) {
    throw new PrepareError(
      `The journal ${journalPath} already prepares this dataset on drive ${other.driveId}; spreading a dataset over several drives (--driveset) is not yet supported.`,
    );
  }

  // The folder is made only once every check has passed: a refused prepare leaves nothing behind.
  const { path: root, existing: nearest } = await realOrPlanned(options.driveRoot);
  await refuseOverlaps(rows, planned, root, journalPath, options.driveRoot);
  const names = root === nearest ? (await readdir(root)).filter((name) => !FRESH_DISK_NAMES.has(name)) : [];
  const holdsHeader = names.includes(HEADER_FILE);
  if (!entry && names.length > 0) {
    throw new PrepareError(
      `${options.driveRoot} is not empty and is not a drive of the journal ${journalPath}: give an empty drive (or folder), or this drive's journal.`,
    );
  }

  const done = new Set((entry?.files ?? []).map(writtenKey));
  const remaining = planned.filter(({ file }) => !done.has(writtenKey(file)));
  if (entry?.finished && remaining.length === 0) {
    // Already done: the folder is checked to be this drive, and the recorded entry given again; finishing
    // anew would seal the manifest under a new nonce and change the manifestHash a job may already hold.
    await resumeTheDrive(root, entry, options.driveRoot);
    return { driveId, bitLockerKey: entry.bitLockerKey, ...entry.finished };
  }
  const needed =
    remaining.reduce((sum, { file }) => sum + storedBytes(file, options.blockSize), 0) +
    planned.length * MANIFEST_BYTES_PER_FILE +
    MARGIN_BYTES;
  const free = await (options.freeBytes ?? freeBytesOf)(nearest);
  if (free < needed) {
    throw new PrepareError(
      `${options.driveRoot} has ${mib(free)} free, and this drive needs ${mib(needed)} (its files, their block tags, the manifest and a margin): use a larger drive.`,
    );
  }

  await mkdir(root, { recursive: true });
  let writer: DriveWriter;
  if (!entry) {
    entry = { driveId, bitLockerKey: generateRecoveryPassword(), root, files: [] };
    journal.drives.push(entry);
    // The key is in the journal before the drive exists: a drive is never written with a key nobody kept.
    await writeJournal(journalPath, journal);
    writer = await createDrive(root, { driveId, password: entry.bitLockerKey, scrypt: options.scrypt });
  } else if (!holdsHeader && entry.files.length === 0) {
    // Stopped between recording the key and writing the header: start the drive again with that key.
    if (names.length > 0) {
      throw new PrepareError(
        `${options.driveRoot} holds files but no drive header: it is not drive ${driveId}.`,
      );
    }
    writer = await createDrive(root, { driveId, password: entry.bitLockerKey, scrypt: options.scrypt });
  } else {
    writer = await resumeTheDrive(root, entry, options.driveRoot);
  }

  const progress: PrepareProgress = {
    files: planned.length - remaining.length,
    filesTotal: planned.length,
    bytes: planned
      .filter(({ file }) => done.has(writtenKey(file)))
      .reduce((sum, { file }) => sum + file.size, 0),
    bytesTotal: planned.reduce((sum, { file }) => sum + file.size, 0),
    skipped: planned.length - remaining.length,
  };
  onProgress?.({ ...progress });
  const journalDrive = entry;
  // The journal is rewritten whole, so rewriting it after every one of 100,000 small files would cost
  // time quadratic in the file count. With a clock it is rewritten at most once a JOURNAL_INTERVAL_MS,
  // and always when the run stops, by an error or not. A crash (power cut, kill -9) between two writes
  // loses at most that interval's records: those files are written again under the same ids and data
  // paths (the writer numbers from the journal's files), replacing their unrecorded copies, so the drive
  // never holds a file twice.
  let recorded = options.clock?.now().getTime();
  let unrecorded = false;
  const record = async () => {
    journalDrive.files = [...writer.files];
    await writeJournal(journalPath, journal);
    unrecorded = false;
    recorded = options.clock?.now().getTime();
  };
  try {
    for (const { file } of remaining) {
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
        await record();
      }
      progress.files += 1;
      onProgress?.({ ...progress, written });
    }
  } finally {
    if (unrecorded) {
      await record();
    }
  }
  const finished = await writer.finish();
  journalDrive.finished = {
    manifestFile: finished.manifestFile,
    manifestHash: finished.manifestHash,
    driveHeaderHash: finished.driveHeaderHash,
  };
  await writeJournal(journalPath, journal);
  return { driveId, bitLockerKey: journalDrive.bitLockerKey, ...journalDrive.finished };
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

async function resumeTheDrive(root: string, entry: JournalDrive, shown: string): Promise<DriveWriter> {
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

async function freeBytesOf(root: string): Promise<number> {
  const stats = await statfs(root);
  return stats.bavail * stats.bsize;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
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
