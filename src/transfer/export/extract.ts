/**
 * @module The customer's side of an export (issue 12): a returned drive decrypted into a folder, one file
 * per blob, every block and every file checked before the file gets its name, names that would leave the
 * folder refused, and a second run taking up where the first stopped. Bytes only: no HTTP, no SQL.
 *
 * On-disk naming, under OUTDIR:
 * - a blob:       `<container>/<blob name>` (the name's `/`-separated segments become folders; `$root`
 *                 is the folder `$root`);
 * - a snapshot:   `$snapshots/<container>/<snapshot time, ':' → '-'>/<blob name>`, e.g.
 *                 `$snapshots/photos/2026-12-01T10-00-00.1234567Z/a/b.jpg`.
 * A separate `$snapshots` tree rather than a suffix beside the base blob (`b.jpg.snapshot-…`) because a
 * suffix can be a real blob's name too, while `$snapshots` can never be a container's (container names
 * are lowercase letters, digits and hyphens, or `$root`): no blob and no snapshot can land on another's
 * path, and a snapshot never overwrites its base blob. The time keeps its fixed shape (only its ':' are
 * replaced, since Windows refuses them in names), so two snapshot times never share a folder.
 * - `.sneakernet-extract.json`: what was extracted whole (see ExtractState); `.sneakernet-partial/`: files
 *   being written. Neither can be an output: every output is under a container folder or `$snapshots`.
 */

import { createHash, createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { createReadStream, type Stats } from "node:fs";
import { type FileHandle, lstat, mkdir, open, readFile, realpath, rename, rm, rmdir } from "node:fs/promises";
import { dirname, join, sep } from "node:path";

import { z } from "zod/v4";

import type { Clock } from "../../domain/clock.js";
import {
  containerNameProblem,
  type Drive,
  DriveError,
  type DriveErrorCode,
  isDriveError,
  type ManifestFile,
  openDrive,
  parseRecoveryPassword,
  type RecoveryPassword,
  shownPath,
} from "../drive/index.js";

export const STATE_FILE = ".sneakernet-extract.json";
export const PARTIAL_FOLDER = ".sneakernet-partial";
export const SNAPSHOTS_FOLDER = "$snapshots";

export const EXTRACT_ERROR_CODES = [
  /** OUTDIR cannot be created or written: nothing was extracted. */
  "OutputNotWritable",
  /** The blob name, container or snapshot time would not stay inside OUTDIR (or is not a name at all). */
  "BlobNameUnsafe",
  /** Two entries would land on the same path (or one on the other's folder). */
  "OutputPathConflict",
  /** Writing, flushing or renaming the output failed (disk full, permissions, a symlink in the way). */
  "WriteFailed",
] as const;

export type ExtractErrorCode = (typeof EXTRACT_ERROR_CODES)[number];

export class ExtractError extends Error {
  override readonly name = "ExtractError";
  constructor(
    readonly code: ExtractErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isExtractError(error: unknown): error is ExtractError {
  return error instanceof ExtractError;
}

export interface ExtractOptions {
  /** The drive's root folder. */
  drive: string;
  /** The drive's recovery password (from `job keys`). */
  password: string | RecoveryPassword;
  /** OUTDIR: created if missing. */
  to: string;
  /** After each block and each file; cheap, so a progress bar throttles itself. */
  onProgress?: (progress: ExtractProgress) => void;
  /** Stops between blocks: the file in hand is removed, what is done is recorded, the reason is thrown. */
  signal?: AbortSignal;
  /** Files written at once (default 4); each holds one block in memory. */
  concurrency?: number;
  /**
   * With a clock the state file is rewritten at most once a second while files complete (and when the
   * run stops); without one, after every file. The CLI passes the system clock.
   */
  clock?: Clock;
}

export interface ExtractProgress {
  /** Files finished (extracted, skipped or failed). */
  files: number;
  filesTotal: number;
  /** Bytes of finished and in-flight files, skipped files included. */
  bytes: number;
  bytesTotal: number;
  /** Files found already extracted whole, known before the first byte is written. */
  skipped: number;
  failed: number;
}

export type ExtractOutcome = "extracted" | "skipped" | "failed";

export interface ExtractedFile {
  id: number;
  container: string;
  blobName: string;
  snapshot?: string;
  /** Where it is (or would be), relative to OUTDIR with `/`; absent when its name was refused. */
  output?: string;
  size: number;
  outcome: ExtractOutcome;
  code?: DriveErrorCode | ExtractErrorCode;
  message?: string;
}

export interface ExtractReport {
  driveId: string;
  /** OUTDIR, resolved. */
  to: string;
  /** One per manifest entry, in id order. */
  files: ExtractedFile[];
  extracted: number;
  skipped: number;
  failed: number;
  /** Bytes written by this run. */
  bytes: number;
}

/**
 * Decrypts every file of the drive into `to`. Throws only when nothing can be done (a DriveError for
 * the drive: no header, wrong key, bad manifest; `OutputNotWritable`; the signal's reason when aborted);
 * a file that cannot be extracted is reported in `files` with its code and the others go on.
 */
export async function extractDrive(options: ExtractOptions): Promise<ExtractReport> {
  const password = parseRecoveryPassword(options.password);
  const drive = await openDrive(options.drive, password);
  const outReal = await prepareOutput(options.to);
  const files = [...drive.manifest.files].sort((a, b) => a.id - b.id);
  const results = planOutputs(files);
  const stateFile = new StateFile(outReal, drive.header.driveId, drive.manifestHash, password, options.clock);
  await stateFile.load();

  const progress: ExtractProgress = {
    files: 0,
    filesTotal: files.length,
    bytes: 0,
    bytesTotal: files.reduce((sum, file) => sum + file.size, 0),
    skipped: 0,
    failed: 0,
  };
  // Outputs of this run (and those found whole), by inode: a second entry landing on one of them is a
  // conflict the names alone did not show (a file system that ignores case, or normalises Unicode).
  const owners = new Map<string, number>();
  const folders = new Map<string, string>();
  const pending: { file: ManifestFile; result: ExtractedFile }[] = [];
  files.forEach((file, index) => {
    const result = results[index]!;
    if (result.outcome === "failed") {
      progress.files += 1;
      progress.failed += 1;
    } else {
      pending.push({ file, result });
    }
  });
  // Resume first, for every file, so progress starts from what is already there.
  const toWrite: typeof pending = [];
  for (const item of pending) {
    options.signal?.throwIfAborted();
    const found = await stateFile.alreadyExtracted(item.file, item.result.output!);
    if (found) {
      item.result.outcome = "skipped";
      owners.set(inodeKey(found), item.file.id);
      progress.files += 1;
      progress.skipped += 1;
      progress.bytes += item.file.size;
    } else {
      toWrite.push(item);
    }
  }
  options.onProgress?.({ ...progress });

  let written = 0;
  let next = 0;
  const fail = (file: ManifestFile, result: ExtractedFile, error: unknown, bytesCounted: number) => {
    Object.assign(result, { outcome: "failed", ...asFailure(error, file) });
    progress.failed += 1;
    // Its bytes still count as dealt with, so the bar reaches the end.
    progress.bytes += file.size - bytesCounted;
  };
  const ended = async () => {
    progress.files += 1;
    options.onProgress?.({ ...progress });
    await stateFile.saveSometimes();
  };
  const landing = new Landing(owners, async (item, landed) => {
    const { file, result } = item;
    try {
      const stats = await landed;
      owners.set(inodeKey(stats), file.id);
      stateFile.record(file, result.output!, stats);
      result.outcome = "extracted";
      written += file.size;
    } catch (error) {
      fail(file, result, error, file.size);
    }
    await ended();
  });
  const worker = async () => {
    while (next < toWrite.length && !options.signal?.aborted) {
      const { file, result } = toWrite[next]!;
      next += 1;
      const counted = { bytes: 0 };
      let partial: WrittenPartial;
      try {
        partial = await writePartial(drive, file, outReal, result.output!, {
          owners,
          folders,
          signal: options.signal,
          onBytes: (bytes) => {
            counted.bytes += bytes;
            progress.bytes += bytes;
            options.onProgress?.({ ...progress });
          },
        });
      } catch (error) {
        if (options.signal?.aborted) {
          progress.bytes -= counted.bytes;
          return;
        }
        fail(file, result, error, counted.bytes);
        await ended();
        continue;
      }
      await landing.add({ file, result, partial });
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? 4, toWrite.length));
  try {
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    // Files written whole and checked take their names even when the run stops: they are done.
    await landing.flush();
  }
  await stateFile.save();
  await rmdir(join(outReal, PARTIAL_FOLDER)).catch(() => undefined); // only when empty
  options.signal?.throwIfAborted();

  const count = (outcome: ExtractOutcome) => results.filter((r) => r.outcome === outcome).length;
  return {
    driveId: drive.header.driveId,
    to: outReal,
    files: results,
    extracted: count("extracted"),
    skipped: count("skipped"),
    failed: count("failed"),
    bytes: written,
  };
}

// ---- Names ------------------------------------------------------------------------------------------

/** A snapshot time as blob storage writes it; the shape is what makes the ':' → '-' folder name unique. */
const SNAPSHOT_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$/;

/**
 * Why a blob name's segment cannot be a file or folder name on Windows, or undefined. Windows opens a
 * device for `CON` or `NUL.txt` in any folder, reads `a:b` as a stream of the file `a`, and drops a
 * trailing dot or space (so `a.` would land on `a`): each is refused there, for its file alone.
 */
export function windowsNameProblem(segment: string): string | undefined {
  // eslint-disable-next-line no-control-regex -- control characters are what is looked for
  if (/[<>:"|?*\u0000-\u001f]/.test(segment)) {
    return 'holds one of < > : " | ? * or a control character';
  }
  if (/[ .]$/.test(segment)) {
    return "ends with a space or a dot";
  }
  if (/^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i.test(segment.trimEnd())) {
    return "is a name Windows keeps for a device";
  }
  return undefined;
}

/**
 * The output path of an entry, relative to OUTDIR with `/`, or why it has none. The manifest's names were
 * checked against blob storage's rules when the drive was opened, but those rules let through what a
 * file system reads as a way out (`../x`, `/etc/x`, `a//b`, `a\b`): every segment is checked here again.
 */
export function outputPathOf(
  file: Pick<ManifestFile, "container" | "blobName" | "snapshot">,
  platform: NodeJS.Platform = process.platform,
): string {
  const unsafe = (why: string): never => {
    throw new ExtractError("BlobNameUnsafe", why);
  };
  if (containerNameProblem(file.container) !== undefined) {
    unsafe(`the container ${shownPath(file.container)} is not a container name`);
  }
  const name = file.blobName;
  if (name.includes("\0") || name.includes("\\")) {
    // A backslash is a separator on Windows: `a\..\..\x` would climb out there.
    unsafe(`the blob name ${shownPath(name)} holds a NUL or a backslash`);
  }
  if (name.startsWith("/")) {
    unsafe(`the blob name ${shownPath(name)} is an absolute path`);
  }
  for (const segment of name.split("/")) {
    if (segment === "" || segment === "." || segment === "..") {
      unsafe(`the blob name ${shownPath(name)} has an empty, '.' or '..' segment`);
    }
    const problem = platform === "win32" ? windowsNameProblem(segment) : undefined;
    if (problem !== undefined) {
      unsafe(
        `the blob name ${shownPath(name)} cannot be written on Windows: ${shownPath(segment)} ${problem}`,
      );
    }
  }
  const base = `${file.container}/${name}`;
  if (file.snapshot === undefined) {
    return base;
  }
  if (!SNAPSHOT_TIME.test(file.snapshot)) {
    unsafe(
      `the snapshot time ${shownPath(file.snapshot)} is not a time such as 2026-12-01T10:00:00.1234567Z`,
    );
  }
  return `${SNAPSHOTS_FOLDER}/${file.container}/${file.snapshot.replaceAll(":", "-")}/${name}`;
}

/**
 * Each entry's output, or its refusal: an unsafe name, two entries on one path (both refused: neither is
 * the right one to keep), or a file where another entry needs a folder (blob `a` beside blob `a/b`: the
 * file is refused, the folder's files go on).
 */
function planOutputs(files: readonly ManifestFile[]): ExtractedFile[] {
  const results = files.map((file): ExtractedFile => {
    const about = {
      id: file.id,
      container: file.container,
      blobName: file.blobName,
      ...(file.snapshot === undefined ? {} : { snapshot: file.snapshot }),
      size: file.size,
    };
    try {
      return { ...about, output: outputPathOf(file), outcome: "extracted" };
    } catch (error) {
      return { ...about, outcome: "failed", ...asFailure(error, file) };
    }
  });
  const byPath = new Map<string, number>();
  const folders = new Set<string>();
  for (const result of results) {
    if (result.output === undefined) {
      continue;
    }
    byPath.set(result.output, (byPath.get(result.output) ?? 0) + 1);
    const segments = result.output.split("/");
    for (let end = 1; end < segments.length; end += 1) {
      folders.add(segments.slice(0, end).join("/"));
    }
  }
  for (const result of results) {
    if (result.output === undefined || result.outcome === "failed") {
      continue;
    }
    if ((byPath.get(result.output) ?? 0) > 1) {
      Object.assign(result, {
        outcome: "failed",
        code: "OutputPathConflict",
        message: `${blobOf(result)}: another entry of this drive would land on ${shownPath(result.output)} too`,
      });
    } else if (folders.has(result.output)) {
      Object.assign(result, {
        outcome: "failed",
        code: "OutputPathConflict",
        message: `${blobOf(result)}: ${shownPath(result.output)} is a folder of other blobs on this drive`,
      });
    }
  }
  return results;
}

// ---- Writing ----------------------------------------------------------------------------------------

async function prepareOutput(to: string): Promise<string> {
  const refuse = (error: unknown): never => {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    throw new ExtractError(
      "OutputNotWritable",
      `The output folder ${shownPath(to)} cannot be written (${code || (error as Error).message}).`,
    );
  };
  await mkdir(to, { recursive: true }).catch(refuse);
  const outReal = await realpath(to).catch(refuse);
  await mkdir(join(outReal, PARTIAL_FOLDER)).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "EEXIST") {
      refuse(error);
    }
  });
  const partial = await lstat(join(outReal, PARTIAL_FOLDER)).catch(refuse);
  if (!partial.isDirectory()) {
    refuse(new Error(`${PARTIAL_FOLDER} is not a folder`));
  }
  // A probe, since permissions alone do not say it all (a read-only mount, an ACL).
  const probe = join(outReal, PARTIAL_FOLDER, `probe-${process.pid}`);
  await (await open(probe, "w").catch(refuse)).close();
  await rm(probe, { force: true });
  return outReal;
}

interface WriteContext {
  owners: Map<string, number>;
  /**
   * Folders this run made or checked, by their path under OUTDIR, with their real path. Checked once:
   * a drive's names cannot put a symlink in OUTDIR (only regular files are written), so what was a
   * folder of ours stays one unless someone else changes OUTDIR under a running extract.
   */
  folders: Map<string, string>;
  signal: AbortSignal | undefined;
  onBytes: (bytes: number) => void;
}

/** A file written whole under its partial name and checked, its handle still open for the flush. */
interface WrittenPartial {
  handle: FileHandle;
  partial: string;
  target: string;
  output: string;
  fileId: number;
  size: number;
}

/**
 * One file, up to its flush: its folders made one segment at a time (a symlink on the way is refused,
 * never followed), its blocks decrypted and checked (GCM tag and block MD5, by the reader) into a partial
 * file, and the file's MD5 checked. On any failure the partial file is removed. `land` flushes it and
 * gives it its name.
 */
async function writePartial(
  drive: Drive,
  file: ManifestFile,
  outReal: string,
  output: string,
  context: WriteContext,
): Promise<WrittenPartial> {
  const segments = output.split("/");
  const folderPath = segments.slice(0, -1).join("/");
  let folder = context.folders.get(folderPath);
  if (folder === undefined) {
    folder = await makeFolders(outReal, segments.slice(0, -1));
    context.folders.set(folderPath, folder);
  }
  const target = join(folder, segments.at(-1)!);
  // Not beside the target, as is usual: any name there could be another blob's. The partial folder
  // is at the top of OUTDIR, where only container folders and `$snapshots` are outputs.
  const partial = join(
    outReal,
    PARTIAL_FOLDER,
    `${Buffer.from(drive.header.driveId).toString("hex")}-${file.id}.part`,
  );
  const handle = await open(partial, "w").catch(writeFailed(output));
  try {
    const whole = createHash("md5");
    const source = await drive.openFile(file);
    try {
      for (let index = 0; index < file.blocks.length; index += 1) {
        context.signal?.throwIfAborted();
        const plain = await source.readBlock(index);
        whole.update(plain);
        await writeAll(handle, plain).catch(writeFailed(output));
        context.onBytes(plain.length);
      }
    } finally {
      await source.close();
    }
    // Every block matched; the file's MD5 is checked too, as `drive show` does, rather than assumed.
    if (whole.digest("base64") !== file.md5) {
      throw new DriveError(
        "Corrupted",
        `${file.path}: every block is right, but the file's MD5 differs from the manifest's.`,
        { fileId: file.id, path: file.path },
      );
    }
    return { handle, partial, target, output, fileId: file.id, size: file.size };
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(partial, { force: true });
    throw error;
  }
}

/**
 * Flushes a checked partial file (its flush already asked for, with others, by `Landing`), then renames
 * it onto its name, unless a file this run wrote is there (a file system that folds names). Answers the
 * output's stats; on any failure the partial file is removed.
 */
async function land(
  written: WrittenPartial,
  flushed: Promise<void>,
  owners: Map<string, number>,
): Promise<Stats> {
  const { handle, partial, target, output } = written;
  try {
    try {
      await flushed.catch(writeFailed(output));
    } finally {
      await handle.close();
    }
    const existing = await lstat(target).catch(() => undefined);
    const owner = existing ? owners.get(inodeKey(existing)) : undefined;
    if (owner !== undefined && owner !== written.fileId) {
      throw new ExtractError(
        "OutputPathConflict",
        `${shownPath(output)} is where file ${owner} of this drive already is (the file system folds names that differ)`,
      );
    }
    await rename(partial, target).catch(writeFailed(output));
    return await lstat(target);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

/**
 * Checked files waiting for their flush: up to this many at once, or this many bytes (so a stop loses
 * little, and a large file lands alone, as soon as it is written).
 */
const LANDING_FILES = 64;
const LANDING_BYTES = 8 * 1024 * 1024;

interface LandingItem {
  file: ManifestFile;
  result: ExtractedFile;
  partial: WrittenPartial;
}

/**
 * Files land in batches: their flushes asked for all at once, so the disk commits many in one go (a
 * flush per 64 KiB file made extracting wait on the disk at every file), then each renamed onto its
 * name in order. A name still appears only for a file whose bytes are on the disk.
 */
class Landing {
  private batch: LandingItem[] = [];
  private bytes = 0;
  private landing: Promise<void> = Promise.resolve();

  constructor(
    private readonly owners: Map<string, number>,
    private readonly onLanded: (item: LandingItem, stats: Promise<Stats>) => Promise<void>,
  ) {}

  /** Adds a checked file; when the batch is full, waits for it to land. */
  async add(item: LandingItem): Promise<void> {
    this.batch.push(item);
    this.bytes += item.partial.size;
    if (this.batch.length >= LANDING_FILES || this.bytes >= LANDING_BYTES) {
      await this.flush();
    }
  }

  /** Lands every file added so far; batches land one after the other. */
  flush(): Promise<void> {
    const batch = this.batch;
    this.batch = [];
    this.bytes = 0;
    this.landing = this.landing.then(async () => {
      const flushes = batch.map((item) => item.partial.handle.sync());
      // Each flush's failure is its own file's, seen by `land`.
      flushes.forEach((flush) => flush.catch(() => undefined));
      for (const [index, item] of batch.entries()) {
        await this.onLanded(item, land(item.partial, flushes[index]!, this.owners));
      }
    });
    return this.landing;
  }
}

/** The folders of an output, made one at a time under OUTDIR: a symlink or a file on the way is refused. */
async function makeFolders(outReal: string, folders: string[]): Promise<string> {
  let at = outReal;
  for (const name of folders) {
    at = join(at, name);
    let stats = await lstat(at).catch(() => undefined);
    if (!stats) {
      await mkdir(at).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "EEXIST") {
          throw new ExtractError(
            "WriteFailed",
            `the folder ${shownPath(name)} cannot be made (${error.code})`,
          );
        }
      });
      stats = await lstat(at);
    }
    if (!stats.isDirectory()) {
      throw new ExtractError(
        "WriteFailed",
        `${shownPath(at.slice(outReal.length + 1))} is ${stats.isSymbolicLink() ? "a symlink (not followed)" : "not a folder"}`,
      );
    }
  }
  // Belt and braces: the folder, resolved, is inside OUTDIR (a folder swapped for a symlink meanwhile).
  const real = await realpath(at);
  if (real !== outReal && !real.startsWith(outReal + sep)) {
    throw new ExtractError("BlobNameUnsafe", `${shownPath(at)} resolves outside the output folder`);
  }
  return real;
}

async function writeAll(handle: FileHandle, data: Buffer): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await handle.write(data, offset, data.length - offset);
    offset += bytesWritten;
  }
}

function writeFailed(output: string): (error: NodeJS.ErrnoException) => never {
  return (error) => {
    throw new ExtractError(
      "WriteFailed",
      `${shownPath(output)} cannot be written (${error.code ?? error.message})`,
    );
  };
}

function asFailure(
  error: unknown,
  file: ManifestFile,
): { code: DriveErrorCode | ExtractErrorCode; message: string } {
  if (isDriveError(error) || isExtractError(error)) {
    return { code: error.code, message: `${blobOf(file)}: ${error.message}` };
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === "string") {
    // The system's refusal (EACCES, ENOSPC, EIO…) on this file's folder or output: this file fails.
    return {
      code: "WriteFailed",
      message: `${blobOf(file)}: ${(error as Error).message}`,
    };
  }
  throw error;
}

/** A blob as a message names it: container, name (shown safely) and snapshot time when it is one. */
function blobOf(file: Pick<ManifestFile, "container" | "blobName" | "snapshot">): string {
  return `${shownPath(`${file.container}/${file.blobName}`)}${file.snapshot === undefined ? "" : ` (snapshot ${shownPath(file.snapshot)})`}`;
}

function inodeKey(stats: Stats): string {
  return `${stats.dev}:${stats.ino}`;
}

// ---- State ------------------------------------------------------------------------------------------

const STATE_FORMAT = "sneakernet-extract";
const STATE_VERSION = 1;
/** At most one state write a second while files complete: a record not yet written only costs a re-hash. */
const SAVE_EVERY_MS = 1000;

/** What a completed file was when it got its name: enough to tell it is still that file without reading it. */
const recordSchema = z.strictObject({
  output: z.string().max(8 * 1024),
  size: z.number().int().min(0),
  md5: z.string().max(32),
  mtimeMs: z.number(),
  ctimeMs: z.number(),
  ino: z.number(),
});

type ExtractRecord = z.infer<typeof recordSchema>;

const driveStateSchema = z.strictObject({
  manifestHash: z.string().max(64),
  files: z.record(z.string().regex(/^\d{1,9}$/), recordSchema),
  /** HMAC-SHA256 of the rest, keyed from the drive's password: a state edited by hand is not trusted. */
  mac: z.string().max(128),
});

type DriveState = z.infer<typeof driveStateSchema>;

/** The state file: one entry per drive extracted into OUTDIR (several drives of one export may share it). */
const stateSchema = z.strictObject({
  format: z.literal(STATE_FORMAT),
  version: z.literal(STATE_VERSION),
  drives: z.record(z.string().max(64), z.unknown()),
});

/**
 * `.sneakernet-extract.json`: which files of the drive were extracted whole. A file is trusted as done,
 * without reading it again, when the record is authentic (its MAC), is for this manifest, names the same
 * output, size and MD5 as the manifest entry, and the output still has the recorded size, mtime, ctime
 * and inode. Why those and not a fresh MD5: re-hashing would read back every byte already extracted, on
 * every resume, hours for a full drive; and a change to the file's bytes changes its ctime, which, unlike
 * mtime, no tool can set back (`cp -p`, `rsync -t` and `touch -d` keep or set mtime only). A file not
 * recorded (or whose record does not hold) but present with the right size is read once and kept when
 * its MD5 is the manifest's (the manifest is authenticated, so that is proof); otherwise it is written again.
 */
class StateFile {
  private readonly key: Buffer;
  private others: Record<string, unknown> = {};
  private files: Record<string, ExtractRecord> = {};
  private dirty = false;
  private lastSave: number | undefined;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly outReal: string,
    private readonly driveId: string,
    private readonly manifestHash: string,
    password: RecoveryPassword,
    private readonly clock?: Clock,
  ) {
    this.lastSave = clock?.now().getTime();
    this.key = Buffer.from(hkdfSync("sha256", password, driveId, "sneakernet extract state v1", 32));
  }

  private get path(): string {
    return join(this.outReal, STATE_FILE);
  }

  async load(): Promise<void> {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(this.path, "utf8"));
    } catch {
      return; // None yet, or unreadable: every output is checked by its content instead.
    }
    const state = stateSchema.safeParse(json);
    if (!state.success) {
      return;
    }
    const { [this.driveId]: mine, ...others } = state.data.drives;
    this.others = others;
    const drive = driveStateSchema.safeParse(mine);
    if (drive.success && drive.data.manifestHash === this.manifestHash && this.macMatches(drive.data)) {
      this.files = drive.data.files;
    }
  }

  /** The output's stats when the file is there whole (see the class comment); undefined otherwise. */
  async alreadyExtracted(file: ManifestFile, output: string): Promise<Stats | undefined> {
    const target = join(this.outReal, ...output.split("/"));
    const stats = await lstat(target).catch(() => undefined);
    if (!stats?.isFile() || stats.size !== file.size) {
      return undefined;
    }
    // A file reached through a symlinked folder is not in OUTDIR, whatever it holds.
    const folder = await realpath(dirname(target)).catch(() => "");
    if (!folder.startsWith(this.outReal + sep)) {
      return undefined;
    }
    const record = this.files[String(file.id)];
    if (
      record !== undefined &&
      record.output === output &&
      record.size === file.size &&
      record.md5 === file.md5 &&
      record.mtimeMs === stats.mtimeMs &&
      record.ctimeMs === stats.ctimeMs &&
      record.ino === stats.ino
    ) {
      return stats;
    }
    if ((await md5Of(target).catch(() => undefined)) === file.md5) {
      this.record(file, output, stats);
      return stats;
    }
    return undefined;
  }

  record(file: ManifestFile, output: string, stats: Stats): void {
    this.files[String(file.id)] = {
      output,
      size: file.size,
      md5: file.md5,
      mtimeMs: stats.mtimeMs,
      ctimeMs: stats.ctimeMs,
      ino: stats.ino,
    };
    this.dirty = true;
  }

  async saveSometimes(): Promise<void> {
    const now = this.clock?.now().getTime();
    if (now === undefined || this.lastSave === undefined || now - this.lastSave >= SAVE_EVERY_MS) {
      await this.save();
    }
  }

  /** Writes the state atomically (temporary name, flush, rename); one write at a time. */
  save(): Promise<void> {
    this.saving = this.saving.then(async () => {
      if (!this.dirty) {
        return;
      }
      this.dirty = false;
      this.lastSave = this.clock?.now().getTime();
      const mine: Omit<DriveState, "mac"> = { manifestHash: this.manifestHash, files: { ...this.files } };
      const state = {
        format: STATE_FORMAT,
        version: STATE_VERSION,
        drives: { ...this.others, [this.driveId]: { ...mine, mac: this.mac(mine) } },
      };
      const partial = `${this.path}.part`;
      const handle = await open(partial, "w");
      try {
        await handle.writeFile(`${JSON.stringify(state, null, 1)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(partial, this.path);
    });
    return this.saving;
  }

  private mac(state: Omit<DriveState, "mac">): string {
    // Over a canonical text: the records in id order, so a re-read and re-written state keeps its MAC.
    const ids = Object.keys(state.files).sort((a, b) => Number(a) - Number(b));
    const text = JSON.stringify([
      this.driveId,
      state.manifestHash,
      ids.map((id) => {
        const r = state.files[id]!;
        return [id, r.output, r.size, r.md5, r.mtimeMs, r.ctimeMs, r.ino];
      }),
    ]);
    return createHmac("sha256", this.key).update(text).digest("base64");
  }

  private macMatches(state: DriveState): boolean {
    const expected = Buffer.from(this.mac(state));
    const given = Buffer.from(state.mac);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

async function md5Of(path: string): Promise<string> {
  const hash = createHash("md5");
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
  }
  return hash.digest("base64");
}
