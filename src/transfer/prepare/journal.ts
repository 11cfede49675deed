/**
 * @module The prepare journal: JSON recording, per drive, its id, its key, where it was written, every
 * file written so far and, once finished, its `driveList` entry. Rewritten whole after each file under a
 * temporary name then renamed, so a crash leaves the previous journal or the new one, never half of one;
 * that is what lets the same `drive prepare` command resume without writing anything twice.
 */

import { createHash } from "node:crypto";
import { type FileHandle, open, readFile, rename } from "node:fs/promises";
import { dirname } from "node:path";

import { z } from "zod/v4";

import { type ManifestFile, manifestFileSchema } from "../drive/manifest.js";

export const JOURNAL_FORMAT = "sneakernet-journal";
export const JOURNAL_VERSION = 1;

const finishedSchema = z.strictObject({
  manifestFile: z.string(),
  manifestHash: z.string(),
  driveHeaderHash: z.string(),
});

const journalDriveSchema = z.strictObject({
  driveId: z.string(),
  /** The recovery password: the journal is as secret as the drive's key, and written owner-only. */
  bitLockerKey: z.string(),
  /** The drive folder when it was prepared (a mount point may differ on resume; the header decides). */
  root: z.string(),
  files: z.array(manifestFileSchema),
  finished: finishedSchema.optional(),
  /**
   * A driveset's share of the dataset for this drive, as destinations (`container/blobName`), decided once
   * when the set was first prepared: a resume writes each remaining file where it was assigned, whatever
   * the free space says by then. Absent for a single drive, which holds the whole dataset (and in journals
   * written before drivesets).
   */
  assigned: z.array(z.string()).optional(),
});

export const journalSchema = z.strictObject({
  format: z.literal(JOURNAL_FORMAT),
  version: z.literal(JOURNAL_VERSION),
  /** The dataset the drives hold: a journal resumes only the dataset it was started with. */
  dataset: z.strictObject({ path: z.string(), sha256: z.string() }),
  /** Present when the journal was started with `--driveset`: it is then resumed only with one. */
  driveset: z.strictObject({ path: z.string() }).optional(),
  drives: z.array(journalDriveSchema),
});

export type Journal = z.infer<typeof journalSchema>;
export type JournalDrive = z.infer<typeof journalDriveSchema>;

/** A journal that cannot be read as one (not JSON, another format, a field broken). */
export class JournalError extends Error {
  override readonly name = "JournalError";
}

/** The journal at `path`, or undefined when there is none yet. */
export async function readJournal(path: string): Promise<Journal | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      return undefined;
    }
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new JournalError(`${path} is not a journal: it is not JSON.`);
  }
  const parsed = journalSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new JournalError(
      `${path} is not a sneakernet journal: ${issue?.message ?? "invalid"} at ${issue?.path.join(".") || "the top"}.`,
    );
  }
  return parsed.data;
}

/** Writes `journal` to `path` atomically (temporary name, flush, rename), readable by its owner only. */
export async function writeJournal(path: string, journal: Journal): Promise<void> {
  const partial = `${path}.part`;
  const handle = await open(partial, "w", 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(journal, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(partial, path);
  let folder: FileHandle | undefined;
  try {
    folder = await open(dirname(path), "r");
    await folder.sync();
  } catch {
    // Windows cannot open a folder to flush it; its rename is durable already.
  } finally {
    await folder?.close();
  }
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** A planned file's destination, as a driveset's assignment records it (unique within a dataset). */
export function destinationKey(file: Pick<ManifestFile, "container" | "blobName">): string {
  return `${file.container}/${file.blobName}`;
}

/** The identity of a written file for resuming: the same source to the same destination. */
export function writtenKey(file: Pick<ManifestFile, "sourcePath" | "container" | "blobName">): string {
  return JSON.stringify([file.sourcePath ?? "", file.container, file.blobName]);
}
