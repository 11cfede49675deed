/**
 * @module Test drives: a temporary folder under the suite's TMP (removed after the file), a writer
 * with scrypt at its floor so each open costs milliseconds, and ways to reach into a written drive as
 * an attacker would: raw blocks, and manifests sealed by hand from the documented layout.
 */

import assert from "node:assert/strict";
import { createCipheriv, createHash, randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after } from "node:test";

import {
  createDrive,
  type DriveErrorCode,
  type FinishedDrive,
  generateRecoveryPassword,
  HEADER_FILE,
  MANIFEST_FILE,
  type ManifestFile,
  type NewFile,
  parseRecoveryPassword,
} from "../../../src/transfer/drive/index.js";
import { deriveDriveKeys } from "../../../src/transfer/drive/keys.js";
import { TMP } from "../../support/db.js";

/** The lowest scrypt cost a reader accepts: the format is the same, the tests are fast. */
export const FAST_SCRYPT = { n: 2 ** 14 };

/** A fresh empty folder, removed when the test file ends. */
export function tempFolder(label: string): string {
  const path = join(TMP, "drive", `${label}-${randomUUID().slice(0, 8)}`);
  mkdirSync(path, { recursive: true });
  after(() => rmSync(path, { recursive: true, force: true }));
  return path;
}

/** Yields `data` in chunks of an awkward size, so block boundaries fall inside chunks. */
export async function* chunks(data: Buffer, size = 3001): AsyncIterable<Uint8Array> {
  for (let at = 0; at < data.length; at += size) {
    yield data.subarray(at, at + size);
  }
}

export interface PlannedFile {
  file: Omit<NewFile, "size">;
  data: Buffer;
  blockSize?: number;
}

export interface WrittenDrive {
  root: string;
  password: string;
  finished: FinishedDrive;
  entries: ManifestFile[];
}

/** Writes `planned` onto a new drive in `root` and its manifest. */
export async function writeDrive(
  root: string,
  planned: PlannedFile[],
  driveId = "TESTDRIVE01",
  password: string = generateRecoveryPassword(),
): Promise<WrittenDrive> {
  const writer = await createDrive(root, { driveId, password, scrypt: FAST_SCRYPT });
  const entries: ManifestFile[] = [];
  for (const { file, data, blockSize } of planned) {
    entries.push(
      await writer.addFile(chunks(data), { ...file, size: data.length }, blockSize ? { blockSize } : {}),
    );
  }
  return { root, password, finished: await writer.finish(), entries };
}

/** A drive of two block-blob files, A (4 full blocks) and B (3 full blocks and a partial one), 4 KiB blocks. */
export async function twoFileDrive(label: string): Promise<WrittenDrive & { a: Buffer; b: Buffer }> {
  const a = randomBytes(4 * 4096);
  const b = randomBytes(3 * 4096 + 1000);
  const drive = await writeDrive(tempFolder(label), [
    { file: { container: "photos", blobName: "a.bin" }, data: a, blockSize: 4096 },
    { file: { container: "photos", blobName: "b.bin" }, data: b, blockSize: 4096 },
  ]);
  return { ...drive, a, b };
}

export function md5Base64(data: Uint8Array): string {
  return createHash("md5").update(data).digest("base64");
}

/** The raw stored bytes (nonce, ciphertext, tag) of block `index` of a file with full blocks before it. */
export function storedBlockRange(entry: ManifestFile, index: number): { start: number; end: number } {
  const start = index * (entry.blockSize + 28);
  const plain = Math.min(entry.blockSize, entry.size - index * entry.blockSize);
  return { start, end: start + plain + 28 };
}

/** Seals `json` as a manifest of the drive at `root`, from the layout alone: magic, nonce, ciphertext, tag. */
export async function sealByHand(root: string, password: string, json: string): Promise<void> {
  const header = JSON.parse(readFileSync(join(root, HEADER_FILE), "utf8"));
  const keys = await deriveDriveKeys(parseRecoveryPassword(password), header.kdf);
  const magic = Buffer.from("SNKMAN1\n", "ascii");
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keys.manifest, nonce);
  cipher.setAAD(magic);
  const body = cipher.update(json, "utf8");
  cipher.final();
  writeFileSync(join(root, MANIFEST_FILE), Buffer.concat([magic, nonce, body, cipher.getAuthTag()]));
}

/** Re-seals the drive's manifest after `change` edits its decrypted JSON (as someone holding the key could). */
export async function editManifest(
  drive: WrittenDrive,
  change: (manifest: { driveId: string; files: Record<string, unknown>[] } & Record<string, unknown>) => void,
): Promise<void> {
  const manifest = {
    format: "sneakernet-manifest",
    version: 1,
    driveId: "TESTDRIVE01",
    files: structuredClone(drive.entries) as unknown as Record<string, unknown>[],
  };
  change(manifest);
  await sealByHand(drive.root, drive.password, JSON.stringify(manifest));
}

/** Asserts that `promise` rejects with a DriveError of `code` whose message matches `message`. */
export async function rejectsWith(
  promise: Promise<unknown>,
  code: DriveErrorCode,
  message?: RegExp,
): Promise<void> {
  await assert.rejects(promise, (error: Error & { code?: string }) => {
    assert.equal(error.name, "DriveError", `expected a DriveError, got ${error.name}: ${error.message}`);
    assert.equal(error.code, code, error.message);
    if (message) {
      assert.match(error.message, message);
    }
    return true;
  });
}
