/**
 * @module One block of a data file, sealed alone with AES-256-GCM under its own random nonce, so any
 * block can be checked and decrypted by itself, in any order, after any crash. Its authenticated data
 * names the drive, the file, the block's index and the file's size and block count: a block swapped,
 * moved to another file or cut short fails its tag.
 */

import { createCipheriv, createDecipheriv, createHash, type KeyObject, randomBytes } from "node:crypto";

import { cryptoPool, OFFLOAD_MIN_BYTES, type OpenAnswer, type SealAnswer } from "./crypto-pool.js";
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
 * A buffer that owns its whole memory, as a worker needs it to be handed over (not a slice of Node's
 * shared pool). Not zeroed: every caller fills what it uses before reading it.
 */
export function ownBuffer(length: number): Buffer {
  return Buffer.allocUnsafeSlow(length);
}

/** A Buffer over a worker's answer (which arrives as a bare Uint8Array), without copying it. */
function wrap(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function ownsItsMemory(buffer: Buffer): boolean {
  return buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength;
}

/**
 * `sealBlock` with the block's MD5, on a worker thread when the block is large and `plain` owns its
 * memory (see `ownBuffer`): then `plain` is taken, and `buffer` is the same memory handed back, for the
 * next block. Otherwise it is done here and `buffer` is `plain`'s.
 */
export async function sealBlockWithMd5(
  key: KeyObject,
  address: BlockAddress,
  plain: Buffer,
): Promise<{ md5: string; sealed: [Buffer, Buffer, Buffer]; buffer: Buffer }> {
  if (plain.length >= OFFLOAD_MIN_BYTES && ownsItsMemory(plain) && cryptoPool.enabled) {
    const answer = await cryptoPool.run<SealAnswer>({
      op: "seal",
      key,
      aad: associatedData(address),
      nonceBytes: NONCE_BYTES,
      buffer: plain.buffer as ArrayBuffer,
      length: plain.length,
    });
    return {
      md5: answer.md5,
      sealed: [wrap(answer.nonce), wrap(answer.body), wrap(answer.tag)],
      buffer: Buffer.from(answer.buffer),
    };
  }
  const md5 = createHash("md5").update(plain).digest("base64");
  return { md5, sealed: sealBlock(key, address, plain), buffer: plain };
}

/**
 * `openBlock` and the plaintext's MD5, on a worker thread when the block is large and `stored` owns its
 * memory: then `stored` is taken, and `buffer` is its memory handed back.
 */
export async function openBlockWithMd5(
  key: KeyObject,
  address: BlockAddress,
  stored: Buffer,
): Promise<{ plain: Buffer; md5: string; buffer?: Buffer }> {
  if (stored.length >= OFFLOAD_MIN_BYTES && ownsItsMemory(stored) && cryptoPool.enabled) {
    const answer = await cryptoPool.run<OpenAnswer>({
      op: "open",
      key,
      aad: associatedData(address),
      nonceBytes: NONCE_BYTES,
      tagBytes: TAG_BYTES,
      buffer: stored.buffer as ArrayBuffer,
      length: stored.length,
    });
    if (!answer.authentic) {
      throw notAuthentic(address);
    }
    return { plain: wrap(answer.plain), md5: answer.md5, buffer: Buffer.from(answer.buffer) };
  }
  const plain = openBlock(key, address, stored);
  return { plain, md5: createHash("md5").update(plain).digest("base64") };
}

function notAuthentic(address: BlockAddress): DriveError {
  return new DriveError(
    "Corrupted",
    `Block ${address.index} of ${address.path} fails authentication: it was changed, cut short or moved.`,
    { fileId: address.fileId, path: address.path, block: address.index },
  );
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
    throw notAuthentic(address);
  }
  return plain;
}
