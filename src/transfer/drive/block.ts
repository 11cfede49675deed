/**
 * @module One block of a data file, sealed alone with AES-256-GCM under its own random nonce, so any
 * block can be checked and decrypted by itself, in any order, after any crash. Its authenticated data
 * names the drive, the file, the block's index and the file's size and block count: a block swapped,
 * moved to another file or cut short fails its tag.
 */

import { createCipheriv, createDecipheriv, type KeyObject, randomBytes } from "node:crypto";

import { DriveError } from "./errors.js";
import { blockCountOf, NONCE_BYTES, TAG_BYTES } from "./layout.js";

/** What a block is bound to. */
export interface BlockAddress {
  driveId: string;
  fileId: number;
  /** The data file, for messages only (it is not authenticated: the file id is). */
  path: string;
  index: number;
  count: number;
  size: number;
}

/** The address of block `index` of a file: the same for the writer, which has no block list yet, and the reader. */
export function blockAddress(
  driveId: string,
  file: { id: number; path: string; size: number; blockSize: number },
  index: number,
): BlockAddress {
  const count = blockCountOf(file.size, file.blockSize);
  return { driveId, fileId: file.id, path: file.path, index, count, size: file.size };
}

const LABEL = Buffer.from("SNKBLK1\0", "ascii");

function associatedData(address: BlockAddress): Buffer {
  const driveId = Buffer.from(address.driveId, "utf8");
  const aad = Buffer.alloc(LABEL.length + 4 + 4 + 4 + 8 + driveId.length);
  let at = LABEL.copy(aad, 0);
  at = aad.writeUInt32BE(address.fileId, at);
  at = aad.writeUInt32BE(address.index, at);
  at = aad.writeUInt32BE(address.count, at);
  at = aad.writeBigUInt64BE(BigInt(address.size), at);
  driveId.copy(aad, at);
  return aad;
}

/**
 * Seals `plain` as block `address.index`: nonce, ciphertext and tag, as three buffers for one `writev`
 * (joining them would copy the block once more).
 */
export function sealBlock(
  key: KeyObject,
  address: BlockAddress,
  plain: Uint8Array,
): [Buffer, Buffer, Buffer] {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(associatedData(address));
  const body = cipher.update(plain);
  cipher.final();
  return [nonce, body, cipher.getAuthTag()];
}

/**
 * The plaintext of a stored block (nonce, ciphertext, tag). A failed tag is `Corrupted`: the block was
 * changed, moved or cut, or belongs elsewhere.
 */
export function openBlock(key: KeyObject, address: BlockAddress, stored: Buffer): Buffer {
  const decipher = createDecipheriv("aes-256-gcm", key, stored.subarray(0, NONCE_BYTES));
  decipher.setAAD(associatedData(address));
  decipher.setAuthTag(stored.subarray(stored.length - TAG_BYTES));
  const plain = decipher.update(stored.subarray(NONCE_BYTES, stored.length - TAG_BYTES));
  try {
    decipher.final();
  } catch {
    throw new DriveError(
      "Corrupted",
      `Block ${address.index} of ${address.path} fails authentication: it was changed, cut short or moved.`,
      { fileId: address.fileId, path: address.path, block: address.index },
    );
  }
  return plain;
}
