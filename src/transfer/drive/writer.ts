/**
 * @module Writing a drive (`drive prepare` for import, the station for export): the header first, then
 * each file block by block from a stream with bounded memory, then the manifest. Every data file and the
 * manifest land under a temporary name, are flushed, then renamed: a name on the drive is always a
 * complete file, so an interrupted write resumes from the list of files already written.
 */

import { createHash } from "node:crypto";
import { type FileHandle, mkdir, open, readdir, realpath, rename, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";

import { blockAddress, ownBuffer, sealBlockWithMd5 } from "./block.js";
import { DriveError } from "./errors.js";
import {
  type DriveHeader,
  driveHeaderSchema,
  encodeHeader,
  HEADER_FORMAT,
  HEADER_VERSION,
  md5Hex,
  readHeader,
} from "./header.js";
import {
  deriveDriveKeys,
  type DriveKeys,
  keyCheckMatches,
  keyCheckValue,
  newScryptParameters,
  type ScryptParameters,
} from "./keys.js";
import {
  BLOCK_OVERHEAD,
  blockCountOf,
  blockSizeFor,
  DATA_FOLDER,
  dataPath,
  HEADER_FILE,
  isValidBlockSize,
  MANIFEST_FILE,
  MAX_BLOCKS_PER_FILE,
  plainLengthOf,
  storedLengthOf,
} from "./layout.js";
import {
  MANIFEST_FORMAT,
  MANIFEST_VERSION,
  type ManifestFile,
  manifestFileSchema,
  sealManifest,
} from "./manifest.js";
import { metadataProblem } from "./names.js";
import { FILE_CODES, openInsideDrive } from "./paths.js";
import { openDriveFile } from "./reader.js";
import { parseRecoveryPassword, type RecoveryPassword } from "./recovery-password.js";

/** A file to write: where it goes and how long it is; the writer fills in where its data is and its hashes. */
export interface NewFile {
  /** `file`: to a file share, `container` the share and `blobName` the path in it. */
  itemType?: ManifestFile["itemType"];
  container: string;
  blobName: string;
  blobType?: ManifestFile["blobType"];
  disposition?: ManifestFile["disposition"];
  metadata?: Record<string, string>;
  properties?: ManifestFile["properties"];
  /** The exact length the source will give: a source that gives more or less is `SourceChanged`. */
  size: number;
  sourcePath?: string;
  snapshot?: string;
}

export interface CreateDriveOptions {
  driveId: string;
  password: string | RecoveryPassword;
  /** scrypt's cost; only tests lower it (to the floor the reader accepts), to keep them fast. */
  scrypt?: Partial<Pick<ScryptParameters, "n" | "r" | "p">>;
}

export interface AddFileOptions {
  /**
   * The file's block size, a power of two from 4 KiB to 256 MiB; by default the smallest from 4 MiB up
   * that needs at most 50,000 blocks. Tests pass small ones to get many blocks from few bytes.
   */
  blockSize?: number;
  /**
   * The MD5 (base64) the source says its bytes have (a blob's Content-MD5): bytes that hash otherwise are
   * refused as `SourceChanged` before the file gets its name, so a drive never holds a copy that differs
   * from what storage vouches for.
   */
  expectMd5?: string;
}

/** What the job needs from a finished drive: its `driveList` entry but for the key. */
export interface FinishedDrive {
  driveId: string;
  manifestFile: string;
  manifestHash: string;
  driveHeaderHash: string;
}

/** Starts a new drive in the folder `root` (which must exist): writes its header. */
export async function createDrive(root: string, options: CreateDriveOptions): Promise<DriveWriter> {
  const rootReal = await realpath(root);
  const existing = await stat(join(rootReal, HEADER_FILE)).catch(() => undefined);
  if (existing) {
    throw new DriveError(
      "DriveNotEmpty",
      `This folder already holds a drive (${HEADER_FILE}): resume it with its list of written files, or use an empty drive.`,
    );
  }
  const password = parseRecoveryPassword(options.password);
  const kdf = newScryptParameters(options.scrypt);
  const keys = await deriveDriveKeys(password, kdf);
  const header: DriveHeader = {
    format: HEADER_FORMAT,
    version: HEADER_VERSION,
    driveId: options.driveId,
    kdf,
    keyCheck: keyCheckValue(keys).toString("base64"),
  };
  const checked = driveHeaderSchema.safeParse(header);
  if (!checked.success) {
    throw new DriveError(
      "DriveHeaderInvalid",
      `A drive header cannot be written: ${checked.error.issues[0]?.message ?? "invalid"} (at ${checked.error.issues[0]?.path.join(".")}).`,
    );
  }
  const bytes = encodeHeader(header);
  await writeWhole(join(rootReal, HEADER_FILE), [bytes]);
  return new DriveWriter(rootReal, header, md5Hex(bytes), keys, []);
}

/** A drive already begun, its header read and the key checked against it before anything else. */
async function openWritten(
  root: string,
  password: string | RecoveryPassword,
): Promise<{ rootReal: string; header: DriveHeader; headerHash: string; keys: DriveKeys }> {
  const rootReal = await realpath(root);
  const { header, headerHash } = await readHeader(rootReal);
  const keys = await deriveDriveKeys(parseRecoveryPassword(password), header.kdf);
  if (!keyCheckMatches(keys, Buffer.from(header.keyCheck, "base64"))) {
    throw new DriveError(
      "BitLockerKeyInvalid",
      `The key does not open drive '${header.driveId}': check that it is this drive's recovery password.`,
    );
  }
  return { rootReal, header, headerHash, keys };
}

/**
 * Takes up a drive whose writing stopped: `written` is the list of files recorded as written (each
 * entry `addFile` returned, kept by the caller's journal). Their data files are checked to be there
 * and complete; whatever was being written when it stopped is written again.
 */
export async function resumeDrive(
  root: string,
  password: string | RecoveryPassword,
  written: readonly ManifestFile[],
): Promise<DriveWriter> {
  const { rootReal, header, headerHash, keys } = await openWritten(root, password);
  const files: ManifestFile[] = [];
  for (const entry of written) {
    const file = manifestFileSchema.parse(entry);
    const { handle, size } = await openInsideDrive(rootReal, file.path, FILE_CODES, {
      fileId: file.id,
      path: file.path,
    });
    await handle.close();
    if (size !== storedLengthOf(file.size, file.blockSize)) {
      throw new DriveError(
        "FileLengthMismatch",
        `${file.path} is recorded as written but is ${size} bytes on the drive: the record and the drive disagree.`,
        { fileId: file.id, path: file.path },
      );
    }
    files.push(file);
  }
  return new DriveWriter(rootReal, header, headerHash, keys, files);
}

/**
 * Takes up a drive whose writing stopped, trusting nothing the caller's journal says: each recorded file
 * is read back block by block (tag and MD5) and as a whole; those that fail are left out (`dropped`)
 * and their data files removed when the drive is finished, so they are written again. What an export
 * resumes with: a drive a customer gets back must hold exactly what its manifest says.
 */
export async function resumeDriveChecked(
  root: string,
  password: string | RecoveryPassword,
  written: readonly ManifestFile[],
): Promise<{ writer: DriveWriter; dropped: { file: ManifestFile; problem: DriveError }[] }> {
  const { rootReal, header, headerHash, keys } = await openWritten(root, password);
  const writer = new DriveWriter(rootReal, header, headerHash, keys, []);
  const kept: ManifestFile[] = [];
  const dropped: { file: ManifestFile; problem: DriveError }[] = [];
  for (const entry of written) {
    const parsed = manifestFileSchema.safeParse(entry);
    if (!parsed.success) {
      dropped.push({
        file: entry,
        problem: new DriveError("FileEntryInvalid", "The journal's entry is not valid."),
      });
      continue;
    }
    const problem = await writer.verifyFile(parsed.data);
    if (problem) {
      dropped.push({ file: parsed.data, problem });
    } else {
      kept.push(parsed.data);
    }
  }
  return { writer: new DriveWriter(rootReal, header, headerHash, keys, kept), dropped };
}

/** An open drive being written; one file at a time. */
export class DriveWriter {
  private readonly written: ManifestFile[];
  /** Data files written but not yet flushed to the disk. */
  private readonly unsynced: string[] = [];
  private nextId: number;

  constructor(
    readonly root: string,
    readonly header: DriveHeader,
    /** The job's `driveHeaderHash`, known from the start. */
    readonly headerHash: string,
    private readonly keys: DriveKeys,
    files: ManifestFile[],
  ) {
    this.written = [...files];
    this.nextId = files.reduce((max, file) => Math.max(max, file.id), 0) + 1;
  }

  /** The files written so far, in order, durable or not yet (see `sync`). */
  get files(): readonly ManifestFile[] {
    return [...this.written].sort((a, b) => a.id - b.id);
  }

  /**
   * Flushes every file written since the last call, and their folders, to the disk; answers the files
   * written so far, all durable now: what a journal may record. One flush for many files is the point:
   * a flush per small file made preparing 64 KiB files wait on the disk twice each.
   */
  async sync(): Promise<readonly ManifestFile[]> {
    const paths = this.unsynced.splice(0);
    const done = this.files;
    for (let at = 0; at < paths.length; at += FLUSHES_AT_ONCE) {
      await Promise.all(paths.slice(at, at + FLUSHES_AT_ONCE).map(syncFile));
    }
    const folders = [...new Set(paths.map((path) => dirname(path)))];
    for (let at = 0; at < folders.length; at += FLUSHES_AT_ONCE) {
      await Promise.all(folders.slice(at, at + FLUSHES_AT_ONCE).map(syncFolder));
    }
    return done;
  }

  /**
   * Writes one file from `source`, block by block, holding one block in memory. The file is complete
   * under its final name when this returns, and durable once `sync` has returned after it: only then
   * may a journal record it (a file not recorded is written again, or removed, when the drive resumes).
   */
  async addFile(
    source: AsyncIterable<Uint8Array>,
    file: NewFile,
    options: AddFileOptions = {},
  ): Promise<ManifestFile> {
    const id = this.nextId;
    this.nextId += 1;
    const path = dataPath(id);
    const blockSize = options.blockSize ?? blockSizeFor(file.size);
    const entry = checkedEntry(id, path, blockSize, file);
    const target = join(this.root, path);
    await mkdir(dirname(target), { recursive: true });
    const partial = `${target}.part`;
    const handle = await open(partial, "w");
    let hashes: { md5: string; blocks: string[] };
    try {
      hashes = await this.writeBlocks(handle, source, entry);
      if (options.expectMd5 !== undefined && hashes.md5 !== options.expectMd5) {
        throw new DriveError(
          "SourceChanged",
          `The bytes read for ${entry.blobName} hash to ${hashes.md5}, not to the MD5 the source keeps (${options.expectMd5}).`,
          { fileId: entry.id, path: entry.path },
        );
      }
    } catch (error) {
      await handle.close();
      await rm(partial, { force: true });
      throw error;
    }
    await handle.close();
    await rename(partial, target);
    const done = { ...entry, ...hashes };
    this.written.push(done);
    this.unsynced.push(target);
    return done;
  }

  /**
   * Takes a written file off the drive's list: its data file is removed when the drive is finished. An
   * export gives up its last files this way when the drive has no room left for its manifest.
   */
  forget(id: number): void {
    const at = this.written.findIndex((file) => file.id === id);
    if (at >= 0) {
      this.written.splice(at, 1);
    }
  }

  /**
   * Reads a written file back from the drive: every block's tag and MD5, then the whole file's MD5.
   * Answers the first problem, or undefined when the file is exactly its entry.
   */
  async verifyFile(entry: ManifestFile): Promise<DriveError | undefined> {
    let opened;
    try {
      opened = await openDriveFile(this.root, this.keys.data, this.header.driveId, entry);
    } catch (error) {
      if (error instanceof DriveError) {
        return error;
      }
      throw error;
    }
    try {
      const whole = createHash("md5");
      for (let index = 0; index < entry.blocks.length; index += 1) {
        whole.update(await opened.readBlock(index));
      }
      if (whole.digest("base64") !== entry.md5) {
        return new DriveError("Corrupted", `${entry.path}: its blocks are right but the file's MD5 is not.`, {
          fileId: entry.id,
          path: entry.path,
        });
      }
      return undefined;
    } catch (error) {
      if (error instanceof DriveError) {
        return error;
      }
      throw error;
    } finally {
      await opened.close();
    }
  }

  /**
   * Writes the manifest of the files written so far, atomically (temporary name, flush, rename). It may
   * be called again after more files: the new manifest replaces the old one whole.
   */
  async finish(): Promise<FinishedDrive> {
    await this.sync();
    await this.removeUnlisted();
    const sealed = sealManifest(this.keys.manifest, {
      format: MANIFEST_FORMAT,
      version: MANIFEST_VERSION,
      driveId: this.header.driveId,
      files: [...this.written].sort((a, b) => a.id - b.id),
    });
    await writeWhole(join(this.root, MANIFEST_FILE), [sealed]);
    return {
      driveId: this.header.driveId,
      manifestFile: MANIFEST_FILE,
      manifestHash: md5Hex(sealed),
      driveHeaderHash: this.headerHash,
    };
  }

  /**
   * Removes the data files no entry lists, so the drive holds what its manifest says and nothing more: a
   * `.part` a crash left, or a file completed as the writer stopped but never recorded by its caller (and
   * not written again since). Only names of the writer's own pattern, in its own folders, are touched.
   */
  private async removeUnlisted(): Promise<void> {
    const listed = new Set(this.written.map((file) => file.path));
    const data = join(this.root, DATA_FOLDER);
    const folders = await readdir(data, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") {
        return []; // No file written yet.
      }
      throw error;
    });
    for (const folder of folders.filter((entry) => entry.isDirectory() && /^\d{4}$/.test(entry.name))) {
      for (const entry of await readdir(join(data, folder.name), { withFileTypes: true })) {
        const path = `${DATA_FOLDER}/${folder.name}/${entry.name}`;
        if (entry.isFile() && /^\d{8}\.blk(\.part)?$/.test(entry.name) && !listed.has(path)) {
          await rm(join(data, folder.name, entry.name));
        }
      }
    }
  }

  private async writeBlocks(
    handle: FileHandle,
    source: AsyncIterable<Uint8Array>,
    entry: ManifestFile,
  ): Promise<{ md5: string; blocks: string[] }> {
    const { size, blockSize } = entry;
    const changed = (why: string) =>
      new DriveError(
        "SourceChanged",
        `The source of ${entry.blobName} ${why} than the ${size} bytes declared.`,
        {
          fileId: entry.id,
          path: entry.path,
        },
      );
    const whole = createHash("md5");
    const blocks: string[] = [];
    // One buffer for the whole file, reused for every block: memory is one block whatever the file size.
    // Its own memory, so a worker thread can take it to seal a block and hand it back.
    let buffer = ownBuffer(Math.min(blockSize, size));
    let index = 0;
    let filled = 0;
    let received = 0;
    const flush = async (length: number) => {
      // The file's MD5 here, in block order; the block's MD5 and its sealing on a worker when it is large.
      whole.update(buffer.subarray(0, length));
      const address = blockAddress(this.header.driveId, entry, index);
      const full = length === buffer.length; // asked before a worker takes (detaches) the buffer
      const done = await sealBlockWithMd5(
        this.keys.data,
        address,
        full ? buffer : buffer.subarray(0, length),
      );
      if (full) {
        buffer = done.buffer;
      }
      blocks.push(done.md5);
      const sealed = done.sealed;
      let written = (await handle.writev(sealed)).bytesWritten;
      while (written < length + BLOCK_OVERHEAD) {
        // A short write (a full disk writes what fits): the rest is written, or fails with its reason,
        // ENOSPC, which an export takes for a drive with no room left, not for a broken one.
        const { bytesWritten } = await handle.write(Buffer.concat(sealed).subarray(written));
        if (bytesWritten === 0) {
          throw new DriveError("IOFailed", `Block ${index} of ${entry.path} was not written whole.`, {
            fileId: entry.id,
            path: entry.path,
            block: index,
          });
        }
        written += bytesWritten;
      }
      index += 1;
      filled = 0;
    };
    for await (const chunk of source) {
      let offset = 0;
      while (offset < chunk.length) {
        if (received >= size) {
          throw changed("gave more bytes");
        }
        const wanted = plainLengthOf(size, blockSize, index);
        const take = Math.min(chunk.length - offset, wanted - filled);
        buffer.set(chunk.subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
        received += take;
        if (filled === wanted) {
          await flush(wanted);
        }
      }
    }
    if (received !== size) {
      throw changed("gave fewer bytes");
    }
    return { md5: whole.digest("base64"), blocks };
  }
}

const NO_MD5 = "1B2M2Y8AsgTpgAmY7PhCfg=="; // MD5 of nothing: a placeholder that has the right shape

/** The entry a file will have, checked before any byte is written: names, sizes, block count. */
function checkedEntry(id: number, path: string, blockSize: number, file: NewFile): ManifestFile {
  const refuse = (why: string): never => {
    throw new DriveError(
      "FileEntryInvalid",
      `${file.sourcePath ?? file.blobName} cannot be written: ${why}.`,
    );
  };
  if (!isValidBlockSize(blockSize)) {
    refuse("its block size is not a power of two from 4 KiB to 256 MiB");
  }
  // Checked on the caller's object too: the schema's record would drop an own `__proto__` name unseen.
  const metadata = metadataProblem(file.metadata ?? {});
  if (metadata !== undefined) {
    refuse(metadata);
  }
  const count = blockCountOf(file.size, blockSize);
  if (count > MAX_BLOCKS_PER_FILE) {
    refuse(`it would need ${count} blocks, more than ${MAX_BLOCKS_PER_FILE}`);
  }
  const entry = {
    id,
    path,
    ...(file.sourcePath === undefined ? {} : { sourcePath: file.sourcePath }),
    ...(file.itemType === undefined ? {} : { itemType: file.itemType }),
    container: file.container,
    blobName: file.blobName,
    ...(file.snapshot === undefined ? {} : { snapshot: file.snapshot }),
    blobType: file.blobType ?? "BlockBlob",
    disposition: file.disposition ?? "rename",
    metadata: file.metadata ?? {},
    properties: file.properties ?? {},
    size: file.size,
    blockSize,
    md5: NO_MD5,
    blocks: new Array<string>(count).fill(NO_MD5),
  };
  const parsed = manifestFileSchema.safeParse(entry);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return refuse(
      `${issue?.message ?? "invalid"}${issue && issue.path.length > 0 ? ` (${issue.path.join(".")})` : ""}`,
    );
  }
  return parsed.data;
}

/** Writes `parts` to `path` under a temporary name, flushes, renames: the name holds all or nothing. */
async function writeWhole(path: string, parts: Buffer[]): Promise<void> {
  const partial = `${path}.part`;
  const handle = await open(partial, "w");
  try {
    const whole = Buffer.concat(parts);
    let written = (await handle.writev(parts)).bytesWritten;
    while (written < whole.length) {
      // A short write: the rest is written, or fails with its reason (ENOSPC on a full disk).
      const { bytesWritten } = await handle.write(whole.subarray(written));
      if (bytesWritten === 0) {
        throw new DriveError("IOFailed", `${path} was not written whole.`);
      }
      written += bytesWritten;
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(partial, path);
  await syncFolder(dirname(path));
}

/** Flushes at once (the thread pool has four threads; more only queue). */
const FLUSHES_AT_ONCE = 8;

/** Flushes a written file's data to the disk ('r+': Windows flushes only a handle open for writing). */
async function syncFile(path: string): Promise<void> {
  const handle = await open(path, "r+");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Flushes a folder so a rename in it survives a power cut. Windows cannot open a folder for this, and
 * its rename is already durable on NTFS, so a refusal there is not an error.
 */
async function syncFolder(path: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, "r");
    await handle.sync();
  } catch {
    // See above: best effort where the platform does not allow it.
  } finally {
    await handle?.close();
  }
}
