/**
 * @module Reading a drive as a station does, trusting nothing on it: the header, then the key (checked
 * against the header before anything else is read), then the manifest (bounded, authenticated, held to
 * its schema), then blocks one at a time, each authenticated and hashed against the manifest.
 */

import type { KeyObject } from "node:crypto";
import { realpath } from "node:fs/promises";

import { blockAddress, openBlockWithMd5, ownBuffer } from "./block.js";
import { codeForSystemError, DriveError } from "./errors.js";
import { type DriveHeader, md5Hex, readHeader, sameHash } from "./header.js";
import { deriveDriveKeys, keyCheckMatches } from "./keys.js";
import {
  BLOCK_OVERHEAD,
  HEADER_FILE,
  LIMITS,
  MANIFEST_FILE,
  plainLengthOf,
  storedLengthOf,
  storedOffsetOf,
} from "./layout.js";
import { type Manifest, type ManifestFile, openManifest } from "./manifest.js";
import { type DriveLog, FILE_CODES, type OpenedFile, openInsideDrive, readExactly } from "./paths.js";
import { parseRecoveryPassword, type RecoveryPassword } from "./recovery-password.js";

export interface OpenDriveOptions {
  /** The job's `manifestFile`, drive-relative; the writer's default place otherwise. */
  manifestFile?: string;
  /** What the job (or the device) says this drive is: each given value must match. */
  expect?: { driveId?: string; driveHeaderHash?: string; manifestHash?: string };
  /** Where refused paths are logged (pino fits). */
  log?: DriveLog;
}

/** A drive opened with its key: its header and manifest, verified, and a way to read its blocks. */
export interface Drive {
  /** The drive root, through `realpath`: every path the manifest names is resolved inside it. */
  root: string;
  header: DriveHeader;
  /** MD5 of the header file (upper-case hex): the job's `driveHeaderHash`. */
  headerHash: string;
  manifestFile: string;
  /** MD5 of the sealed manifest file (upper-case hex): the job's `manifestHash`. */
  manifestHash: string;
  manifest: Manifest;
  /** Opens a file's data for reading its blocks; close it when done. */
  openFile(file: ManifestFile): Promise<DriveFile>;
  /** One block's verified plaintext: opens the data file, reads the block, closes. */
  readBlock(file: ManifestFile, index: number): Promise<Buffer>;
}

/** One data file, open, its length already checked against its manifest entry. */
export interface DriveFile {
  file: ManifestFile;
  /** Block `index`'s plaintext, authenticated (GCM tag) and hashed (MD5 against the manifest). */
  readBlock(index: number): Promise<Buffer>;
  close(): Promise<void>;
}

const MANIFEST_CODES = {
  invalid: "ManifestNameInvalid",
  missing: "ManifestNotFound",
  failed: "ReadManifestFailed",
} as const;

/**
 * Opens the drive at `root` with its recovery password. Refuses, in this order: a missing or malformed
 * header, a header that is not the job's, a wrong key (before the manifest is touched), a manifest
 * that cannot be found, is too large, is not the job's, fails authentication or breaks the schema, and
 * a manifest written for another drive.
 */
export async function openDrive(
  root: string,
  password: string | RecoveryPassword,
  options: OpenDriveOptions = {},
): Promise<Drive> {
  const { expect = {}, log } = options;
  const key = parseRecoveryPassword(password);
  const rootReal = await realpath(root).catch((error: unknown) => {
    throw new DriveError(
      codeForSystemError(error, {
        missing: "DriveHeaderNotFound",
        invalid: "DriveHeaderInvalid",
        failed: "IOFailed",
      }),
      "The drive folder cannot be opened.",
    );
  });
  const { header, headerHash } = await readHeader(rootReal, log);
  if (expect.driveId !== undefined && expect.driveId.toLowerCase() !== header.driveId.toLowerCase()) {
    throw new DriveError(
      "ManifestDriveIdMismatch",
      `This drive says it is '${header.driveId}', not '${expect.driveId}' as expected.`,
    );
  }
  if (expect.driveHeaderHash !== undefined && !sameHash(headerHash, expect.driveHeaderHash)) {
    throw new DriveError(
      "DriveHeaderInvalid",
      `The drive header (${HEADER_FILE}) is not the one the job recorded: its MD5 differs from driveHeaderHash.`,
    );
  }
  const keys = await deriveDriveKeys(key, header.kdf);
  if (!keyCheckMatches(keys, Buffer.from(header.keyCheck, "base64"))) {
    throw new DriveError(
      "BitLockerKeyInvalid",
      `The key does not open drive '${header.driveId}': check that it is this drive's recovery password.`,
    );
  }
  const manifestFile = options.manifestFile ?? MANIFEST_FILE;
  const sealed = await readManifestBytes(rootReal, manifestFile, log);
  const manifestHash = md5Hex(sealed);
  if (expect.manifestHash !== undefined && !sameHash(manifestHash, expect.manifestHash)) {
    throw new DriveError(
      "ManifestCorrupted",
      "The drive manifest is not the one the job recorded: its MD5 differs from manifestHash.",
    );
  }
  const manifest = openManifest(keys.manifest, sealed);
  if (manifest.driveId !== header.driveId) {
    throw new DriveError(
      "ManifestDriveIdMismatch",
      `The manifest was written for drive '${manifest.driveId}', but this drive's header says '${header.driveId}'.`,
    );
  }
  const openFile = (file: ManifestFile) => openDriveFile(rootReal, keys.data, header.driveId, file, log);
  return {
    root: rootReal,
    header,
    headerHash,
    manifestFile,
    manifestHash,
    manifest,
    openFile,
    async readBlock(file, index) {
      const opened = await openFile(file);
      try {
        return await opened.readBlock(index);
      } finally {
        await opened.close();
      }
    },
  };
}

async function readManifestBytes(rootReal: string, manifestFile: string, log?: DriveLog): Promise<Buffer> {
  const { handle, size } = await openInsideDrive(rootReal, manifestFile, MANIFEST_CODES, {}, log);
  try {
    if (size > LIMITS.manifestBytes) {
      throw new DriveError(
        "ManifestFormatInvalid",
        `The drive manifest is ${size} bytes, more than the ${LIMITS.manifestBytes} a manifest may be.`,
      );
    }
    const sealed = Buffer.alloc(size);
    await readExactly(handle, sealed, 0, () => {
      throw new DriveError("ReadManifestFailed", "The drive manifest ended while it was being read.");
    });
    return sealed;
  } finally {
    await handle.close();
  }
}

/** Opens one data file of a drive for its blocks (the reader's, and the writer's when it checks its own work). */
export async function openDriveFile(
  rootReal: string,
  dataKey: KeyObject,
  driveId: string,
  file: ManifestFile,
  log?: DriveLog,
): Promise<DriveFile> {
  const place = { fileId: file.id, path: file.path };
  const opened: OpenedFile = await openInsideDrive(rootReal, file.path, FILE_CODES, place, log);
  const expected = storedLengthOf(file.size, file.blockSize);
  if (opened.size !== expected) {
    await opened.handle.close();
    throw new DriveError(
      opened.size < expected ? "FileUnexpectedEnd" : "FileLengthMismatch",
      `${file.path} is ${opened.size} bytes on the drive; its manifest entry needs exactly ${expected}.`,
      place,
    );
  }
  const count = file.blocks.length;
  let spare: Buffer | undefined;
  return {
    file,
    async readBlock(index) {
      if (!Number.isInteger(index) || index < 0 || index >= count) {
        throw new RangeError(`${file.path} has no block ${index}: it has ${count}.`);
      }
      const plainLength = plainLengthOf(file.size, file.blockSize, index);
      // Bounded: the manifest's block size is at most MAX_BLOCK_SIZE, and the file's length was checked.
      // Its own memory: a large block is opened and hashed on a worker thread, which takes the buffer
      // and hands it back; kept for the next block of the same length.
      const storedLength = plainLength + BLOCK_OVERHEAD;
      const stored = spare?.length === storedLength ? spare : ownBuffer(storedLength);
      spare = undefined;
      await readExactly(opened.handle, stored, storedOffsetOf(file.blockSize, index), () => {
        throw new DriveError("FileUnexpectedEnd", `${file.path} ended inside block ${index}.`, {
          ...place,
          block: index,
        });
      });
      const { plain, md5, buffer } = await openBlockWithMd5(
        dataKey,
        blockAddress(driveId, file, index),
        stored,
      );
      spare = buffer;
      if (md5 !== file.blocks[index]) {
        throw new DriveError(
          "Corrupted",
          `Block ${index} of ${file.path} decrypts, but its MD5 differs from the manifest's.`,
          { ...place, block: index },
        );
      }
      return plain;
    },
    close: () => opened.handle.close(),
  };
}
