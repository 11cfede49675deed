/**
 * @module `drive prepare --driveset` without its command line: a dataset spread over several drives by
 * size, each file keeping its own destination so the drives converge back into the dataset's layout on
 * import (formats.md §1.4). The spread is decided once and kept in the journal; the same call resumes.
 */

import { readFile, stat } from "node:fs/promises";

import { deviceSerial } from "../drive/device-serial.js";
import { DriveError, generateRecoveryPassword, HEADER_FILE, readHeader } from "../drive/index.js";
import { datasetFolder, type PlannedFile } from "./dataset.js";
import { type DrivesetDrive, parseDriveset, resolveDriveset } from "./driveset.js";
import { destinationKey, type Journal, type JournalDrive, writeJournal, writtenKey } from "./journal.js";
import {
  bytesOf,
  type DriveListEntry,
  type DriveSite,
  freeBytesOf,
  inspectDrive,
  loadDataset,
  MANIFEST_BYTES_PER_FILE,
  MARGIN_BYTES,
  neededBytes,
  openJournal,
  PrepareError,
  type PrepareOptions,
  type PrepareProgress,
  resumeTheDrive,
  sizeText,
  storedBytes,
  writeDrive,
} from "./prepare.js";

export interface PrepareSetOptions extends Omit<PrepareOptions, "driveRoot" | "driveId"> {
  /** The driveset CSV: `Path,DriveId`, a row per drive. */
  driveset: string;
}

/** A drive of the set with what the journal and the folder say of it. */
interface SetDrive {
  drive: DrivesetDrive;
  site: DriveSite;
  entry?: JournalDrive;
  /** The files assigned to it that the journal does not record as written, in dataset order. */
  remaining: PlannedFile[];
  free: number;
}

/**
 * Prepares every drive of the driveset with its share of the dataset and returns their `driveList`
 * entries, in driveset order. Everything is checked first (each folder, each drive's room for its
 * share), so a refusal writes nothing. Drives are then written one after another: simple, and a single
 * disk's bandwidth is what a USB dock gives anyway; writing several disks in parallel is a later gain.
 */
export async function prepareDriveSet(options: PrepareSetOptions): Promise<DriveListEntry[]> {
  const { journalPath, onProgress } = options;
  const csv = await readFile(options.driveset).catch((error: NodeJS.ErrnoException) => {
    throw new PrepareError(
      `The driveset ${options.driveset} cannot be read (${error.code ?? error.message}).`,
    );
  });
  const rows = parseDriveset(csv.toString("utf8"), options.driveset, datasetFolder(options.driveset));
  const dataset = await loadDataset(options.dataset);
  const drives = await resolveDriveset(rows, options.driveset, options.serialOf ?? deviceSerial);
  const journal = await openJournal(journalPath, options.dataset, dataset.fingerprint);
  refuseAnotherSet(journal, drives, journalPath);

  const set: SetDrive[] = [];
  for (const drive of drives) {
    const entry = journal.drives.find((d) => d.driveId === drive.driveId);
    const site = await inspectDrive(
      drive.path,
      entry !== undefined,
      journalPath,
      dataset.rows,
      dataset.planned,
    );
    await refuseAnotherDrive(site, drive);
    const free = await (options.freeBytes ?? freeBytesOf)(site.nearest);
    set.push({ drive, site, ...(entry ? { entry } : {}), remaining: [], free });
  }
  if (!options.freeBytes) {
    await shareFileSystems(set);
  }

  const first = journal.drives.length === 0;
  const shares = first
    ? assign(dataset.planned, set, options.blockSize)
    : new Map(set.map((d) => [d, d.entry?.assigned ?? []]));
  const byDestination = new Map(dataset.planned.map((planned) => [destinationKey(planned.file), planned]));
  for (const d of set) {
    const share = new Set(shares.get(d));
    const done = new Set((d.entry?.files ?? []).map(writtenKey));
    d.remaining = dataset.planned.filter(
      ({ file }) => share.has(destinationKey(file)) && !done.has(writtenKey(file)),
    );
    if (!first) {
      // Free space may have changed since the spread was decided: each drive still needs room for what is left.
      const needed = neededBytes(d.remaining, share.size, options.blockSize);
      if (d.free < needed && !(d.entry?.finished && d.remaining.length === 0)) {
        throw new PrepareError(
          `${d.drive.path} (driveset line ${d.drive.line}) has ${sizeText(d.free)} free, and drive ${d.drive.driveId} needs ${sizeText(needed)} for the rest of its share: make room on it.`,
        );
      }
    }
    for (const key of share) {
      if (!byDestination.has(key)) {
        throw new PrepareError(
          `The journal ${journalPath} assigns ${key} to drive ${d.drive.driveId}, which the dataset does not plan: the journal is not this dataset's.`,
        );
      }
    }
  }

  if (first) {
    for (const d of set) {
      d.entry = {
        driveId: d.drive.driveId,
        bitLockerKey: generateRecoveryPassword(),
        root: d.site.root,
        files: [],
        assigned: shares.get(d) ?? [],
      };
      journal.drives.push(d.entry);
    }
    journal.driveset = { path: options.driveset };
    // Keys and the spread are in the journal before any drive is written: a resume finds both.
    await writeJournal(journalPath, journal);
  }

  const skipped = set.flatMap((d) => (d.entry?.files ?? []).map(writtenKey));
  const done = new Set(skipped);
  const progress: PrepareProgress = {
    files: skipped.length,
    filesTotal: dataset.planned.length,
    bytes: bytesOf(dataset.planned.filter(({ file }) => done.has(writtenKey(file)))),
    bytesTotal: bytesOf(dataset.planned),
    skipped: skipped.length,
  };
  onProgress?.({ ...progress });
  const entries: DriveListEntry[] = [];
  for (const d of set) {
    const entry = d.entry!;
    if (entry.finished && d.remaining.length === 0) {
      // Finished on an earlier run: checked to be this drive, its recorded entry given again unchanged.
      await resumeTheDrive(d.site.root, entry, d.drive.path);
      entries.push({ driveId: entry.driveId, bitLockerKey: entry.bitLockerKey, ...entry.finished });
      continue;
    }
    entries.push(
      await writeDrive({ site: d.site, entry, remaining: d.remaining, journal, progress, options }),
    );
  }
  return entries;
}

/**
 * A folder already holding a drive header must hold this row's drive: checked for every drive before any
 * is written, so rows whose folders were swapped are refused up front rather than halfway through.
 */
async function refuseAnotherDrive(site: DriveSite, drive: DrivesetDrive): Promise<void> {
  if (!site.names.includes(HEADER_FILE)) {
    return;
  }
  const { header } = await readHeader(site.root).catch((error: unknown) => {
    if (error instanceof DriveError) {
      throw new PrepareError(
        `${drive.path} (driveset line ${drive.line}) holds no readable drive header (${error.message})`,
      );
    }
    throw error;
  });
  if (header.driveId !== drive.driveId) {
    throw new PrepareError(
      `${drive.path} (driveset line ${drive.line}) holds drive ${header.driveId}, not drive ${drive.driveId}: check the driveset's rows.`,
    );
  }
}

/**
 * Drives in folders of one file system share its free space: each is given an equal part of it, so the
 * set is never promised more room than there is (in production each drive is a disk of its own).
 */
async function shareFileSystems(set: readonly SetDrive[]): Promise<void> {
  const devices = await Promise.all(set.map(async (d) => (await stat(d.site.nearest)).dev));
  for (const [i, d] of set.entries()) {
    const sharing = devices.filter((device) => device === devices[i]).length;
    d.free = Math.floor(d.free / sharing);
  }
}

/**
 * A journal resumes only the set it was started with: a single drive's journal is not extended into a
 * set, and a set's drives are the same ids again (their folders may have moved).
 */
function refuseAnotherSet(journal: Journal, drives: readonly DrivesetDrive[], journalPath: string): void {
  if (journal.drives.length === 0) {
    return;
  }
  if (!journal.driveset) {
    throw new PrepareError(
      `The journal ${journalPath} was started for one drive (--drive ${journal.drives[0]!.root}): resume it with --drive, or use a new journal for a driveset.`,
    );
  }
  const recorded = journal.drives.map((d) => d.driveId).sort();
  const given = drives.map((d) => d.driveId).sort();
  if (recorded.join(",") !== given.join(",")) {
    throw new PrepareError(
      `The journal ${journalPath} prepares the drives ${recorded.join(", ")}, and the driveset lists ${given.join(", ")}: resume with the driveset it was started with (adding drives to a set is not supported; use a new journal).`,
    );
  }
}

/**
 * Spreads the dataset over the drives by size: the largest file first, each onto the drive with the most
 * room left (its free space less the margin and what it is already given), ties to the earlier driveset
 * row. A file that fits on no drive is refused, saying how much the set lacks when it is short overall.
 */
function assign(
  planned: readonly PlannedFile[],
  set: readonly SetDrive[],
  blockSize: number | undefined,
): Map<SetDrive, string[]> {
  const cost = (planned: PlannedFile) => storedBytes(planned.file, blockSize) + MANIFEST_BYTES_PER_FILE;
  const room = set.map((d) => d.free - MARGIN_BYTES);
  const needed = planned.reduce((sum, p) => sum + cost(p), 0);
  const available = room.reduce((sum, r) => sum + Math.max(r, 0), 0);
  if (needed > available) {
    throw new PrepareError(
      `The dataset needs ${sizeText(needed + set.length * MARGIN_BYTES)} on the driveset (its files, their block tags, the manifests and a margin per drive), and the drives have ${sizeText(available + set.length * MARGIN_BYTES)} free: ${sizeText(needed - available)} is missing; add a drive or use larger ones.`,
    );
  }
  const shares = new Map<SetDrive, string[]>(set.map((d) => [d, []]));
  // Sorting is stable: files of one size keep the dataset's order, so the same free space spreads the same way.
  const largestFirst = [...planned].sort((a, b) => cost(b) - cost(a));
  for (const file of largestFirst) {
    let best = 0;
    for (let i = 1; i < set.length; i += 1) {
      if (room[i]! > room[best]!) {
        best = i;
      }
    }
    if (cost(file) > room[best]!) {
      throw new PrepareError(
        `${file.file.sourcePath} (dataset line ${file.line}) takes ${sizeText(cost(file))} on a drive, more than any drive of the set has left for it (at most ${sizeText(Math.max(room[best]!, 0))}): use a larger drive.`,
      );
    }
    room[best]! -= cost(file);
    shares.get(set[best]!)!.push(destinationKey(file.file));
  }
  return shares;
}
