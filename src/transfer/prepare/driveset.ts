/**
 * @module The driveset CSV of `drive prepare --driveset`: a `Path,DriveId` row per drive (the original's
 * v2 driveset, formats.md §1.5, named drives by Windows letter; here a drive is its folder, usually a
 * disk's mount point). Every refusal names the CSV line, because a customer fixes it by editing that line.
 */

import { realpath, stat } from "node:fs/promises";
import { isAbsolute, resolve, sep } from "node:path";

import { validateDriveId } from "../../domain/names.js";
import { DatasetError, parseCsv } from "./dataset.js";

export const DRIVESET_COLUMNS = ["Path", "DriveId"] as const;

/** One driveset row as written: the drive folder (absolute) and its id, when the row gives one. */
export interface DrivesetRow {
  line: number;
  path: string;
  driveId?: string;
}

/** A driveset drive ready to prepare: its folder resolved and its id known. */
export interface DrivesetDrive {
  line: number;
  /** The folder as the row names it (absolute), for messages. */
  path: string;
  /** The folder with symlinks resolved. */
  root: string;
  driveId: string;
}

/**
 * Reads a driveset CSV's text into rows: the header is exactly `Path,DriveId` (in any case), every row
 * names a folder, and no folder or id appears twice. Relative paths are taken from `baseFolder` (the CSV's
 * folder), as in a dataset.
 */
export function parseDriveset(text: string, file: string, baseFolder: string): DrivesetRow[] {
  const records = parseCsv(text, file);
  const header = records.shift();
  const expected = DRIVESET_COLUMNS.join(",");
  if (!header) {
    throw new DatasetError(`${file} is empty: it needs the header ${expected} and a row per drive.`);
  }
  const columns = header.fields.map((name) => name.trim().toLowerCase());
  if (columns.join(",") !== expected.toLowerCase()) {
    throw new DatasetError(
      `${file} line ${header.line}: the header is '${header.fields.join(",")}', not ${expected}.`,
      header.line,
    );
  }
  if (records.length === 0) {
    throw new DatasetError(`${file} has a header but no row: name at least one drive.`);
  }
  const paths = new Map<string, number>();
  const ids = new Map<string, number>();
  return records.map(({ line, fields }) => {
    if (fields.length > DRIVESET_COLUMNS.length) {
      throw new DatasetError(
        `${file} line ${line}: ${fields.length} fields for the 2 columns ${expected} (quote a path that holds a comma).`,
        line,
      );
    }
    const named = (fields[0] ?? "").trim();
    const driveId = (fields[1] ?? "").trim();
    if (named === "") {
      throw new DatasetError(`${file} line ${line}, column Path: the drive folder is empty.`, line, "Path");
    }
    const path = isAbsolute(named) ? resolve(named) : resolve(baseFolder, named);
    const samePath = paths.get(path);
    if (samePath !== undefined) {
      throw new DatasetError(
        `${file} line ${line}, column Path: ${path} is already the drive of line ${samePath}.`,
        line,
        "Path",
      );
    }
    paths.set(path, line);
    if (driveId !== "") {
      refuseId(file, line, driveId, ids);
    }
    return driveId === "" ? { line, path } : { line, path, driveId };
  });
}

function refuseId(file: string, line: number, driveId: string, ids: Map<string, number>): void {
  try {
    validateDriveId(driveId, "DriveId");
  } catch (error) {
    throw new DatasetError(
      `${file} line ${line}, column DriveId: ${(error as Error).message}`,
      line,
      "DriveId",
    );
  }
  // Ids are compared as a job compares them: a job refuses one drive listed twice, in any case.
  const sameId = ids.get(driveId.toUpperCase());
  if (sameId !== undefined) {
    throw new DatasetError(
      `${file} line ${line}, column DriveId: ${driveId} is already the drive of line ${sameId}.`,
      line,
      "DriveId",
    );
  }
  ids.set(driveId.toUpperCase(), line);
}

/**
 * Checks each row's folder on disk (it must exist and be a folder, and no drive may lie inside another)
 * and completes an empty DriveId with the serial of the disk mounted there (`serialOf`, lsblk), which a
 * plain folder has not: then the row must give it.
 */
export async function resolveDriveset(
  rows: readonly DrivesetRow[],
  file: string,
  serialOf: (folder: string) => Promise<string | undefined>,
): Promise<DrivesetDrive[]> {
  const drives: DrivesetDrive[] = [];
  const ids = new Map<string, number>();
  for (const row of rows) {
    const info = await stat(row.path).catch(() => undefined);
    if (!info?.isDirectory()) {
      throw new DatasetError(
        `${file} line ${row.line}, column Path: ${row.path} ${info ? "is not a folder" : "does not exist"} (a drive is a folder, usually a disk's mount point).`,
        row.line,
        "Path",
      );
    }
    const root = await realpath(row.path);
    for (const other of drives) {
      const [outer, inner] = root.length <= other.root.length ? [root, other.root] : [other.root, root];
      if (inner === outer || inner.startsWith(outer.endsWith(sep) ? outer : outer + sep)) {
        throw new DatasetError(
          `${file} line ${row.line}, column Path: ${row.path} and ${other.path} (line ${other.line}) overlap: each drive is a folder of its own.`,
          row.line,
          "Path",
        );
      }
    }
    let driveId = row.driveId;
    if (driveId === undefined) {
      driveId = (await serialOf(row.path))?.replaceAll(" ", "");
      if (!driveId) {
        throw new DatasetError(
          `${file} line ${row.line}, column DriveId: empty, and ${row.path} is not the mount point of a disk whose serial number lsblk can read: write the drive's serial number (as on its label).`,
          row.line,
          "DriveId",
        );
      }
    }
    refuseId(file, row.line, driveId, ids);
    drives.push({ line: row.line, path: row.path, root, driveId });
  }
  return drives;
}
