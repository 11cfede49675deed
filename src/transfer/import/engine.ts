/**
 * @module The import engine: copies every file of an opened drive into blob storage (or, for a file
 * entry, into a file share: written whole, then read back). It decides each
 * destination before a byte is sent, sends each block with the MD5 the service checks, resumes from
 * the journal while trusting only what storage shows, and fails a file, never the drive, on a problem.
 */

import { createHash } from "node:crypto";

import type { Clock } from "../../domain/clock.js";
import { isBlobTargetError } from "../blob/errors.js";
import { type BlobProperties, type BlobTarget, MAX_PAGE_WRITE } from "../blob/target.js";
import { type Drive, type DriveFile, isDriveError, type ManifestFile } from "../drive/index.js";
import { plainLengthOf } from "../drive/layout.js";
import { sharePathProblem } from "../drive/names.js";
import { type FileShareTarget, isFileShareError } from "../fileshare/target.js";
import { blockId } from "./block-id.js";
import { BlockBudget } from "./budget.js";
import type { FileDecision, ImportJournal, ImportProgress } from "./contract.js";
import {
  type BlockOutcome,
  type BlockStatus,
  countsOf,
  type FileErrorCode,
  type FileOutcome,
  type ImportResult,
} from "./outcome.js";
import { ReadBack } from "./read-back.js";
import { freeName } from "./rename.js";

export interface ImportOptions {
  drive: Drive;
  target: BlobTarget;
  /** Where file entries (`itemType: "file"`) go; without it, each such entry fails with a message saying so. */
  shares?: FileShareTarget;
  journal: ImportJournal;
  /** Blocks in flight at once, over all files (default 16). */
  concurrency?: number;
  /** Block buffers in flight at once, in bytes of plaintext (default 128 MiB; always at least one block). */
  memoryBudgetBytes?: number;
  /** Aborted: no new block starts; those in flight finish and are journaled; the result says `stopped`. */
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
  /** Bytes actually sent this run, as they are acknowledged (a metrics counter). */
  onUploaded?: (bytes: number) => void;
  /** A file this run wrote is committed and read back (a metrics counter). */
  onCommitted?: () => void;
  clock: Clock;
  /**
   * Storage out of reach as a whole (no answer, or 500/502/503/504, after the client's own retries):
   * true (the default) stops the run as the signal would, every file not done left to the next run, and
   * the result says `storageDown`; false fails the files it meets, each with its error.
   */
  pauseWhenStorageDown?: boolean;
}

/** Answers that say the service, not the request, is at fault: after the retries, storage is down. */
const UNAVAILABLE = new Set([0, 500, 502, 503, 504]);

function isStorageDown(error: unknown): boolean {
  const met = error instanceof FileFailure ? error.source : error;
  return (
    (isBlobTargetError(met) && UNAVAILABLE.has(met.status)) || (isFileShareError(met) && met.unreachable)
  );
}

export const DEFAULT_CONCURRENCY = 16;
/** Drive blocks read and decrypted at once. */
const READS_AT_ONCE = 4;
/**
 * Files in hand at once, per block of concurrency: a small file holds one small buffer, and its time
 * goes in waits (open, read, the upload, the read-back), so more of them overlap than blocks of a big
 * file would; the budget still bounds the bytes.
 */
const FILES_PER_BLOCK = 2;
export const DEFAULT_MEMORY_BUDGET = 128 * 1024 * 1024;

/** A file's failure, with the statuses of its blocks when it got as far as its blocks. */
class FileFailure extends Error {
  constructor(
    readonly code: FileErrorCode,
    message: string,
    readonly blocks?: BlockStatus[],
    /** The error met, as it came. */
    readonly source?: unknown,
  ) {
    super(message);
  }
}

/** A conditional create found a blob of that name already there. */
function alreadyThere(error: unknown): boolean {
  const met = error instanceof FileFailure ? error.source : error;
  return isBlobTargetError(met) && (met.status === 409 || met.status === 412);
}

/** The run was stopped inside this file. */
class Stopped extends Error {}

const md5Of = (data: Uint8Array) => createHash("md5").update(data).digest("base64");

const DRIVE_CODES: Partial<Record<string, FileErrorCode>> = {
  FileNameInvalid: "FileNameInvalid",
  FileNotFound: "FileNotFound",
  IOFailed: "IOFailed",
  Corrupted: "Corrupted",
  FileUnexpectedEnd: "FileUnexpectedEnd",
  FileLengthMismatch: "FileLengthMismatch",
};

/** Any error met while copying a file, as a code and a message fit for a copy log. */
function failureOf(error: unknown): { code: FileErrorCode; message: string } {
  if (error instanceof FileFailure) {
    return { code: error.code, message: error.message };
  }
  if (isDriveError(error)) {
    return { code: DRIVE_CODES[error.code] ?? "Failed", message: error.message };
  }
  if (isBlobTargetError(error)) {
    const code = error.status === 403 ? "BlobRequestForbidden" : "BlobRequestFailed";
    return { code, message: `Blob storage refused: ${error.status} ${error.code}: ${error.message}` };
  }
  if (isFileShareError(error)) {
    const code = error.code === "PathInvalid" || error.code === "PathEscapes" ? "FileNameInvalid" : "Failed";
    return { code, message: `File share: ${error.code}: ${error.message}` };
  }
  return { code: "Failed", message: error instanceof Error ? error.message : String(error) };
}

function blockStatusOf(error: unknown): BlockStatus {
  const { code } = failureOf(error);
  switch (code) {
    case "Corrupted":
    case "FileUnexpectedEnd":
    case "BlobRequestFailed":
    case "BlobRequestForbidden":
    case "IOFailed":
      return code;
    default:
      return "Failed";
  }
}

export async function importDrive(options: ImportOptions): Promise<ImportResult> {
  const { drive, target, shares, journal, signal, clock } = options;
  const startedAt = clock.now();
  const files = drive.manifest.files;
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY));
  const budget = new BlockBudget(
    concurrency,
    Math.max(1, options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET),
  );
  let storageDown: string | undefined;
  const aborted = () => signal?.aborted === true || storageDown !== undefined;
  // Reads (and their ciphertext buffers) a few at a time: the budget bounds the plaintext waiting for
  // storage; this keeps the ciphertext beside it small, and the thread pool has four threads anyway.
  const reads = new BlockBudget(READS_AT_ONCE, Number.MAX_SAFE_INTEGER);
  const readBlock = async (data: DriveFile, index: number): Promise<Buffer> => {
    await reads.acquire(1);
    try {
      return await data.readBlock(index);
    } finally {
      reads.release(1);
    }
  };
  // A share and a container of one name are two places: a file entry's names live apart.
  const key = (file: ManifestFile, name: string) =>
    `${file.itemType === "file" ? "file:" : ""}${file.container}/${name}`;

  // Progress: bytes counted once per block (or per file), so a resend never counts twice or goes back.
  const bytesTotal = files.reduce((sum, file) => sum + file.size, 0);
  const countedBlocks = new Map<number, Set<number>>();
  const countedFiles = new Set<number>();
  let bytesDone = 0;
  let filesDone = 0;
  let bytesUploaded = 0;
  const report = () => options.onProgress?.({ bytesDone, bytesTotal, filesDone, filesTotal: files.length });
  const countBlock = (file: ManifestFile, index: number) => {
    let counted = countedBlocks.get(file.id);
    if (!counted) {
      counted = new Set();
      countedBlocks.set(file.id, counted);
    }
    if (!countedFiles.has(file.id) && !counted.has(index)) {
      counted.add(index);
      bytesDone += plainLengthOf(file.size, file.blockSize, index);
    }
  };
  const countFile = (file: ManifestFile) => {
    if (countedFiles.has(file.id)) {
      return;
    }
    for (let index = 0; index < file.blocks.length; index += 1) {
      countBlock(file, index);
    }
    countedFiles.add(file.id);
    filesDone += 1;
    report();
  };
  const uploaded = (bytes: number) => {
    bytesUploaded += bytes;
    options.onUploaded?.(bytes);
  };

  // Earlier runs' work, from the journal: the first report already shows it.
  const claimed = new Set<string>();
  for (const file of files) {
    const recorded = journal.file(file.id);
    if (recorded) {
      claimed.add(key(file, recorded.blobName));
      if (recorded.committed || recorded.status === "Skipped") {
        countFile(file);
      } else {
        for (const index of journal.blocksDone(file.id)) {
          countBlock(file, index);
        }
      }
    }
  }
  report();

  // Decisions one at a time, in manifest order: two files of one name never both take the same free name.
  let decisions: Promise<unknown> = Promise.resolve();
  const decideInTurn = (file: ManifestFile): Promise<FileDecision> => {
    const turn = decisions.then(() => decide(file));
    decisions = turn.catch(() => undefined);
    return turn;
  };

  async function decide(file: ManifestFile): Promise<FileDecision> {
    const share = file.itemType === "file" ? sharesFor(file) : undefined;
    // Also for a decision already recorded: storage may have lost the container since (the embedded
    // Azurite, killed before it saved its metadata), and storage is the truth.
    await (share ? share.ensureShare(file.container) : target.ensureContainer(file.container));
    const recorded = journal.file(file.id);
    if (recorded && !recorded.provisional) {
      return { blobName: recorded.blobName, status: recorded.status };
    }
    if (recorded?.provisional) {
      // A conditional create that may have happened: the blob there is this file's only if it is exactly
      // the file; nothing there, it is created now; anyone else's, the file is decided as if new.
      const props = await target.properties(file.container, recorded.blobName);
      if (props === undefined || isExactly(props, file)) {
        const created: FileDecision = { blobName: recorded.blobName, status: "Created" };
        journal.decide(file.id, created);
        return created;
      }
    }
    const exists = async (name: string) =>
      claimed.has(key(file, name)) ||
      (share
        ? (await share.stat(file.container, name)) !== undefined
        : (await target.properties(file.container, name)) !== undefined);
    for (;;) {
      let decision: FileDecision;
      if (!recorded && !(await exists(file.blobName))) {
        decision = { blobName: file.blobName, status: "Created" };
      } else if (file.disposition === "no-overwrite") {
        decision = { blobName: file.blobName, status: "Skipped" };
      } else if (file.disposition === "overwrite") {
        decision = { blobName: file.blobName, status: "Overwritten" };
      } else {
        const name = await freeName(
          file.container,
          file.blobName,
          exists,
          share ? { problem: sharePathProblem } : {},
        );
        if (name === undefined) {
          throw new FileFailure(
            "RenameFailed",
            `No free valid name was found to rename ${file.blobName} to.`,
          );
        }
        decision = { blobName: name, status: "Renamed" };
      }
      const chosen = key(file, decision.blobName);
      if (decision.status !== "Skipped" && decision.status !== "Overwritten" && claimed.has(chosen)) {
        // A small file's fast path (which does not wait its turn) claimed this name while this file
        // looked at storage: choose again, the name now counts as taken.
        continue;
      }
      claimed.add(chosen);
      journal.decide(file.id, decision);
      return decision;
    }
  }

  /**
   * Runs `work` for each block index in turn, several at once within the budget, stopping at the first
   * failure or at the signal; what was in flight finishes first. Throws the first failure.
   */
  async function eachBlock(
    file: ManifestFile,
    indexes: readonly number[],
    statuses: BlockStatus[],
    work: (index: number) => Promise<void>,
  ): Promise<void> {
    let failure: unknown;
    const inFlight = new Set<Promise<void>>();
    for (const index of indexes) {
      if (failure !== undefined || aborted()) {
        break;
      }
      const bytes = plainLengthOf(file.size, file.blockSize, index);
      await budget.acquire(bytes);
      if (failure !== undefined || aborted()) {
        budget.release(bytes);
        break;
      }
      const task = work(index)
        .catch((error: unknown) => {
          statuses[index] = blockStatusOf(error);
          failure ??= error;
        })
        .finally(() => {
          budget.release(bytes);
          inFlight.delete(task);
        });
      inFlight.add(task);
    }
    await Promise.all(inFlight);
    if (failure !== undefined) {
      const { code, message } = failureOf(failure);
      throw new FileFailure(code, message, statuses, failure);
    }
    if (indexes.some((index) => statuses[index] === "Cancelled")) {
      throw new Stopped();
    }
  }

  /** Opens the file's data only when a block must be read; a failure to open fails every block as Cancelled. */
  async function withData<T>(
    file: ManifestFile,
    statuses: BlockStatus[],
    use: (data: DriveFile) => Promise<T>,
  ): Promise<T> {
    let data: DriveFile;
    try {
      data = await drive.openFile(file);
    } catch (error) {
      const { code, message } = failureOf(error);
      throw new FileFailure(code, message, statuses);
    }
    try {
      return await use(data);
    } finally {
      await data.close();
    }
  }

  const headersOf = (file: ManifestFile) => ({ ...file.properties, contentMD5: file.md5 });
  const isExactly = (props: BlobProperties | undefined, file: ManifestFile) =>
    props !== undefined &&
    props.blobType === file.blobType &&
    props.length === file.size &&
    props.contentMD5 === file.md5;

  /** After a commit: storage must hold exactly the manifest's length and MD5 under the file's type. */
  async function checkCommitted(
    file: ManifestFile,
    name: string,
    read: Promise<BlobProperties | undefined> = target.properties(file.container, name),
  ): Promise<void> {
    const props = await read;
    if (!isExactly(props, file)) {
      throw new FileFailure(
        "Failed",
        `After the commit, ${file.container}/${name} is ${props?.length ?? "no"} bytes with Content-MD5 ${props?.contentMD5 ?? "none"}; the manifest says ${file.size} bytes with ${file.md5}.`,
      );
    }
    journal.committed(file.id);
    options.onCommitted?.();
  }

  /** One Put Blob; read back at once, or (`ifNoneExists`, the fast path) left to the caller's batch. */
  async function putWhole(
    file: ManifestFile,
    name: string,
    statuses: BlockStatus[],
    ifNoneExists = false,
  ): Promise<void> {
    const write = { headers: headersOf(file), metadata: file.metadata, ifNoneExists };
    if (file.blocks.length === 0) {
      await target.putBlob(file.container, name, Buffer.alloc(0), file.md5, write);
    } else {
      await withData(file, statuses, (data) =>
        eachBlock(file, [0], statuses, async () => {
          const block = await readBlock(data, 0);
          await target.putBlob(file.container, name, block, file.md5, write);
          uploaded(block.length);
          statuses[0] = "Completed";
        }),
      );
    }
    if (!ifNoneExists) {
      await checkCommitted(file, name);
    }
  }

  async function stageAndCommit(file: ManifestFile, name: string, statuses: BlockStatus[]): Promise<void> {
    const ids = file.blocks.map((md5, index) => blockId(file.id, index, md5));
    const uncommitted = await target.uncommittedBlocks(file.container, name);
    const staged = ids.flatMap((id, index) =>
      uncommitted.get(id) === plainLengthOf(file.size, file.blockSize, index) ? [index] : [],
    );
    // The journal is a hint: what storage lost is forgotten and sent again, what it holds is recorded.
    const recorded = journal.blocksDone(file.id);
    if ([...recorded].some((index) => !staged.includes(index))) {
      journal.forgetBlocks(file.id);
    }
    const known = journal.blocksDone(file.id);
    for (const index of staged) {
      statuses[index] = "Uncommitted";
      if (!known.has(index)) {
        journal.blockDone(file.id, index);
      }
      countBlock(file, index);
    }
    report();
    const missing = ids.flatMap((_, index) => (statuses[index] === "Uncommitted" ? [] : [index]));
    if (missing.length > 0) {
      await withData(file, statuses, (data) =>
        eachBlock(file, missing, statuses, async (index) => {
          const block = await readBlock(data, index);
          await target.stageBlock(file.container, name, ids[index] ?? "", block, file.blocks[index] ?? "");
          journal.blockDone(file.id, index);
          statuses[index] = "Uncommitted";
          uploaded(block.length);
          countBlock(file, index);
          report();
        }),
      );
    }
    await target.commitBlockList(file.container, name, ids, {
      headers: headersOf(file),
      metadata: file.metadata,
    });
    statuses.fill("Completed");
    await checkCommitted(file, name);
  }

  async function writePages(
    file: ManifestFile,
    name: string,
    props: BlobProperties | undefined,
    statuses: BlockStatus[],
  ): Promise<void> {
    const offsetOf = (index: number) => index * file.blockSize;
    const recorded = [...journal.blocksDone(file.id)].sort((a, b) => a - b);
    let trusted: number[] = [];
    if (recorded.length > 0 && props?.blobType === "PageBlob" && props.length === file.size) {
      // Pages said written are trusted only once read back and hashed like the drive's block.
      const checks: BlockStatus[] = file.blocks.map(() => "Cancelled");
      await eachBlock(file, recorded, checks, async (index) => {
        const back = await target.readRange(
          file.container,
          name,
          offsetOf(index),
          plainLengthOf(file.size, file.blockSize, index),
        );
        checks[index] = md5Of(back) === file.blocks[index] ? "Uncommitted" : "Failed";
      });
      trusted = recorded.filter((index) => checks[index] === "Uncommitted");
      if (trusted.length !== recorded.length) {
        journal.forgetBlocks(file.id);
        trusted.forEach((index) => journal.blockDone(file.id, index));
      }
    } else {
      if (recorded.length > 0) {
        journal.forgetBlocks(file.id);
      }
      const { contentMD5: _whole, ...headers } = headersOf(file);
      await target.createPageBlob(file.container, name, file.size, { headers, metadata: file.metadata });
    }
    for (const index of trusted) {
      statuses[index] = "Uncommitted";
      countBlock(file, index);
    }
    report();
    const missing = file.blocks.flatMap((_, index) => (statuses[index] === "Uncommitted" ? [] : [index]));
    if (missing.length > 0) {
      await withData(file, statuses, (data) =>
        eachBlock(file, missing, statuses, async (index) => {
          const block = await readBlock(data, index);
          // The drive's blocks may be larger than Put Page takes: cut into 4 MiB writes, each hashed.
          for (let at = 0; at < block.length; at += MAX_PAGE_WRITE) {
            const part = block.subarray(at, at + MAX_PAGE_WRITE);
            await target.uploadPages(file.container, name, offsetOf(index) + at, part, md5Of(part));
            uploaded(part.length);
          }
          journal.blockDone(file.id, index);
          statuses[index] = "Uncommitted";
          countBlock(file, index);
          report();
        }),
      );
    }
    await target.setHeaders(file.container, name, headersOf(file));
    statuses.fill("Completed");
    await checkCommitted(file, name);
  }

  /** A file's outcome, Completed under `blobName` until told otherwise. */
  const outcomeOf = (file: ManifestFile, blobName = file.blobName): FileOutcome => ({
    fileId: file.id,
    path: file.path,
    ...(file.sourcePath === undefined ? {} : { sourcePath: file.sourcePath }),
    ...(file.itemType === undefined ? {} : { itemType: file.itemType }),
    container: file.container,
    blobName,
    blobType: file.blobType,
    requestedDisposition: file.disposition,
    length: file.size,
    status: "Completed",
  });

  /** A file that ended on `error`: stopped, or failed with its blocks' statuses (it counts as finished). */
  function ended(
    outcome: FileOutcome,
    file: ManifestFile,
    statuses: BlockStatus[],
    error: unknown,
  ): FileOutcome {
    if (error instanceof Stopped) {
      return { ...outcome, status: "Stopped" };
    }
    const { code, message } = failureOf(error);
    // A failed file is finished too (its bytes are not done): the file count reaches the total.
    filesDone += 1;
    report();
    const blocks: BlockOutcome[] = statuses.map((status, index) => ({
      index,
      offset: index * file.blockSize,
      length: plainLengthOf(file.size, file.blockSize, index),
      ...(file.itemType !== "file" && file.blobType === "BlockBlob" && file.blocks.length > 1
        ? { id: blockId(file.id, index, file.blocks[index] ?? "") }
        : {}),
      md5: file.blocks[index] ?? "",
      status,
    }));
    return { ...outcome, status: code, message, blocks };
  }

  /** One look at storage at a time, shared by every file that met an error that may mean it is down. */
  let probing: Promise<boolean> | undefined;
  const isDown = (container: string): Promise<boolean> => {
    probing ??= target
      .list(container, "", 1)
      .then(
        () => false,
        (error: unknown) => isStorageDown(error),
      )
      .finally(() => (probing = undefined));
    return probing;
  };

  /**
   * As `ended`, but a file whose error says storage may be down asks storage (one List Blobs): down for
   * every request, the run stops as the signal would, and the next run (storage back) takes the file up
   * again; up, the error was this file's own, and it fails.
   */
  async function endedOrPaused(
    outcome: FileOutcome,
    file: ManifestFile,
    statuses: BlockStatus[],
    error: unknown,
  ): Promise<FileOutcome> {
    if (
      options.pauseWhenStorageDown !== false &&
      isStorageDown(error) &&
      (storageDown !== undefined ||
        (file.itemType === "file" ? !(await sharesFor(file).reachable()) : await isDown(file.container)))
    ) {
      storageDown ??= failureOf(error).message;
      return { ...outcome, status: "Stopped" };
    }
    return ended(outcome, file, statuses, error);
  }

  /**
   * The fast path of a small block blob met for the first time: recorded as provisionally Created, sent
   * in one Put Blob with If-None-Match: * (so nothing is looked up first, and nothing of anyone's is
   * overwritten), and read back with a batch. Returns its outcome to come; undefined when a blob of that
   * name was already there (the file then goes the ordinary way, which looks and decides).
   */
  async function putFirstTime(file: ManifestFile): Promise<{ later: Promise<FileOutcome> } | undefined> {
    claimed.add(key(file, file.blobName));
    const outcome: FileOutcome = { ...outcomeOf(file), dispositionStatus: "Created" };
    const statuses: BlockStatus[] = file.blocks.map(() => "Cancelled");
    try {
      await target.ensureContainer(file.container);
      journal.decide(file.id, { blobName: file.blobName, status: "Created", provisional: true });
      await putWhole(file, file.blobName, statuses, true);
    } catch (error) {
      if (alreadyThere(error)) {
        return undefined;
      }
      return { later: endedOrPaused(outcome, file, statuses, error) };
    }
    const read = readBack.properties(file.container, file.blobName);
    const later = checkCommitted(file, file.blobName, read).then(
      () => {
        countFile(file);
        return outcome;
      },
      (error: unknown) => endedOrPaused(outcome, file, statuses, error),
    );
    return { later };
  }

  /** The file share a file entry goes to; none given, the entry fails saying so. */
  function sharesFor(file: ManifestFile): FileShareTarget {
    if (!shares) {
      throw new FileFailure(
        "Failed",
        `${file.container}/${file.blobName} goes to a file share, and this station has no file share root (station run --file-shares).`,
      );
    }
    return shares;
  }

  /** The file at `name` in the share is exactly the manifest's: its length, then its bytes' MD5. */
  async function isShareExactly(share: FileShareTarget, file: ManifestFile, name: string): Promise<boolean> {
    const entry = await share.stat(file.container, name);
    return (
      entry?.file === true &&
      entry.length === file.size &&
      (await share.md5(file.container, name)) === file.md5
    );
  }

  /** The drive's blocks of `file`, in order, each within the memory budget while it is in hand. */
  async function* blocksOf(
    file: ManifestFile,
    data: DriveFile,
    statuses: BlockStatus[],
  ): AsyncGenerator<Buffer> {
    for (let index = 0; index < file.blocks.length; index += 1) {
      if (aborted()) {
        throw new Stopped();
      }
      const bytes = plainLengthOf(file.size, file.blockSize, index);
      await budget.acquire(bytes);
      try {
        let block: Buffer;
        try {
          block = await readBlock(data, index);
        } catch (error) {
          statuses[index] = blockStatusOf(error);
          throw error;
        }
        yield block;
        statuses[index] = "Uncommitted";
        uploaded(block.length);
        countBlock(file, index);
        report();
      } finally {
        budget.release(bytes);
      }
    }
  }

  /**
   * A file entry: decided as a blob is (rename, no-overwrite, overwrite), then written whole under a
   * temporary name and renamed, then read back and held to the manifest's MD5 before the journal says
   * committed. Nothing but the decision is journaled before: a crash mid-file leaves a temporary file,
   * which the next attempt overwrites, and the file is written again from its first byte.
   */
  async function importShareFile(file: ManifestFile): Promise<FileOutcome> {
    const outcome = outcomeOf(file);
    const statuses: BlockStatus[] = file.blocks.map(() => "Cancelled");
    try {
      const share = sharesFor(file);
      const decision = await decideInTurn(file);
      outcome.blobName = decision.blobName;
      outcome.dispositionStatus = decision.status;
      if (decision.status === "Skipped") {
        countFile(file);
        return outcome;
      }
      if (Object.keys(file.metadata).length > 0 || Object.keys(file.properties).length > 0) {
        // A folder on a file system has no place for them: said, so a customer who set them knows.
        outcome.warning =
          "Metadata and properties are not kept for a file share item: only its bytes were copied.";
      }
      const name = decision.blobName;
      if (await isShareExactly(share, file, name)) {
        // Written by a run that stopped before its journal said so (or said so): nothing to write.
        if (journal.file(file.id)?.committed !== true) {
          journal.committed(file.id);
        }
        countFile(file);
        return outcome;
      }
      if (journal.file(file.id)?.committed === true) {
        journal.forgetBlocks(file.id);
      }
      if (aborted()) {
        throw new Stopped();
      }
      const write = {
        tempTag: `${drive.manifest.driveId}/${file.id}`,
        replace: decision.status === "Overwritten",
      };
      if (file.blocks.length === 0) {
        // An empty file has no data on the drive to open.
        await share.write(file.container, name, (async function* () {})(), write);
      } else {
        await withData(file, statuses, (data) =>
          share.write(file.container, name, blocksOf(file, data, statuses), write),
        );
      }
      statuses.fill("Completed");
      if (!(await isShareExactly(share, file, name))) {
        throw new FileFailure(
          "Failed",
          `After the write, ${file.container}/${name} does not read back as the manifest's ${file.size} bytes with MD5 ${file.md5}.`,
          statuses,
        );
      }
      journal.committed(file.id);
      options.onCommitted?.();
      countFile(file);
      return outcome;
    } catch (error) {
      return await endedOrPaused(outcome, file, statuses, error);
    }
  }

  async function importFile(file: ManifestFile): Promise<FileOutcome> {
    if (file.itemType === "file") {
      return importShareFile(file);
    }
    const outcome = outcomeOf(file);
    const statuses: BlockStatus[] = file.blocks.map(() => "Cancelled");
    try {
      const decision = await decideInTurn(file);
      outcome.blobName = decision.blobName;
      outcome.dispositionStatus = decision.status;
      if (decision.status === "Skipped") {
        countFile(file);
        return outcome;
      }
      const name = decision.blobName;
      const props = await target.properties(file.container, name);
      if (isExactly(props, file)) {
        // Ours, committed by a run whose journal record was lost (or recorded): nothing to send.
        if (journal.file(file.id)?.committed !== true) {
          journal.committed(file.id);
        }
        countFile(file);
        return outcome;
      }
      if (journal.file(file.id)?.committed === true) {
        journal.forgetBlocks(file.id);
      }
      if (aborted()) {
        throw new Stopped();
      }
      if (
        props !== undefined &&
        props.blobType !== file.blobType &&
        file.blobType === "BlockBlob" &&
        file.blocks.length > 1
      ) {
        // Put Block cannot stage onto a page or append blob: an overwrite of another type removes it first.
        await target.deleteBlob(file.container, name);
      }
      if (file.blobType === "PageBlob") {
        await writePages(file, name, props, statuses);
      } else if (file.blocks.length <= 1) {
        await putWhole(file, name, statuses);
      } else {
        await stageAndCommit(file, name, statuses);
      }
      countFile(file);
      return outcome;
    } catch (error) {
      return await endedOrPaused(outcome, file, statuses, error);
    }
  }

  // File workers, twice as many as blocks may be in flight: small files overlap, a big one fills the budget.
  const outcomes: (FileOutcome | undefined)[] = files.map(() => undefined);
  const readBack = new ReadBack(target);
  // Each small file's outcome to come, until it settles: held no longer, so 500,000 files hold none.
  const readingBack = new Set<Promise<unknown>>();
  const firstTime = (file: ManifestFile) =>
    file.blobType === "BlockBlob" &&
    file.blocks.length <= 1 &&
    journal.file(file.id) === undefined &&
    file.itemType !== "file" &&
    !claimed.has(key(file, file.blobName));
  let next = 0;
  const worker = async () => {
    while (next < files.length && !aborted()) {
      const at = next;
      next += 1;
      const file = files[at];
      if (!file) {
        continue;
      }
      const fast = firstTime(file) ? await putFirstTime(file) : undefined;
      if (fast) {
        // The worker goes on: the read-back answers for this file with others, later.
        const settled: Promise<unknown> = fast.later.then((outcome) => {
          outcomes[at] = outcome;
          readingBack.delete(settled);
        });
        readingBack.add(settled);
      } else {
        outcomes[at] = await importFile(file);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(FILES_PER_BLOCK * concurrency, files.length) }, worker));
  await readBack.drain();
  await Promise.all([...readingBack]);

  const results: FileOutcome[] = files.map(
    // A file never reached keeps the name decided for it, if one was.
    (file, at) => outcomes[at] ?? { ...outcomeOf(file, journal.file(file.id)?.blobName), status: "Stopped" },
  );
  report();
  return {
    driveId: drive.manifest.driveId,
    files: results,
    counts: countsOf(results),
    bytesDone,
    bytesTotal,
    bytesUploaded,
    stopped: results.some((file) => file.status === "Stopped"),
    ...(storageDown === undefined ? {} : { storageDown }),
    startedAt,
    finishedAt: clock.now(),
    peakBlocksInFlight: budget.peakBlocks,
    peakBufferBytes: budget.peakBytes,
  };
}
