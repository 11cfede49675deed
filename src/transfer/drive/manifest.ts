/**
 * @module The manifest: versioned JSON listing every file on the drive (where its data is, where it
 * goes, its size, block size and MD5s), sealed whole with AES-256-GCM because file names are customer
 * data too. A reader bounds it before reading, authenticates it, then holds it to the schema below.
 */

import { createCipheriv, createDecipheriv, type KeyObject, randomBytes } from "node:crypto";

import { z } from "zod/v4";

import { DriveError } from "./errors.js";
import {
  blockCountOf,
  isValidBlockSize,
  LIMITS,
  MAX_BLOCKS_PER_FILE,
  MAX_FILE_SIZE,
  MAX_PAGE_BLOB_SIZE,
  NONCE_BYTES,
  PAGE_SIZE,
  TAG_BYTES,
} from "./layout.js";
import {
  blobNameProblem,
  containerNameProblem,
  metadataProblem,
  shareNameProblem,
  sharePathProblem,
} from "./names.js";
import { drivePathProblem } from "./paths.js";

export const MANIFEST_FORMAT = "sneakernet-manifest";
export const MANIFEST_VERSION = 1;

/** MD5 in base64, as blob storage's Content-MD5 and transactional MD5 take it: no re-encoding per block. */
const md5 = z.string().regex(/^[A-Za-z0-9+/]{22}==$/, { message: "not an MD5 in base64" });
const text = (max: number) => z.string().max(max);

export const BLOB_TYPES = ["BlockBlob", "PageBlob"] as const;
export const DISPOSITIONS = ["rename", "no-overwrite", "overwrite"] as const;
/** What an entry becomes: absent, a blob (every drive written before file shares); `file`, an Azure Files file. */
export const ITEM_TYPES = ["file"] as const;

/** Blob properties a manifest may set (formats.md §2.2); the rest are the service's to write. */
export const blobProperties = z.strictObject({
  contentType: text(256).optional(),
  contentEncoding: text(256).optional(),
  contentLanguage: text(256).optional(),
  contentDisposition: text(1024).optional(),
  cacheControl: text(1024).optional(),
  contentMD5: md5.optional(),
});

/** A problem reported on the field it concerns, so a message can say where. */
function problemAt<T>(ctx: z.RefinementCtx<T>, path: PropertyKey[], message: string | undefined): void {
  if (message !== undefined) {
    ctx.addIssue({ code: "custom", message, path });
  }
}

/** One file on the drive: where its data is, where it goes, and what its bytes must hash to. */
export const manifestFileSchema = z
  .strictObject({
    /** Unique on the drive, and part of every block's authenticated data. */
    id: z.number().int().min(1).max(LIMITS.files),
    /** The data file, drive-relative (`sneakernet-data/0000/00000001.blk`). */
    path: z.string(),
    /** The customer's own path of the file, for logs and `drive show`; never used to open anything. */
    sourcePath: text(LIMITS.sourcePathChars).optional(),
    /**
     * `file`: the entry goes to a file share, `container` naming the share and `blobName` the file's
     * path in it (`/`-separated). Absent: a blob, as on every older drive.
     */
    itemType: z.enum(ITEM_TYPES).optional(),
    container: z.string().max(63),
    blobName: z.string().max(4 * 1024),
    /** Export (issue 12): the snapshot a blob was read from. */
    snapshot: text(64).optional(),
    blobType: z.enum(BLOB_TYPES),
    disposition: z.enum(DISPOSITIONS),
    metadata: z.record(z.string().max(256), z.string().max(8 * 1024)),
    properties: blobProperties,
    size: z.number().int().min(0).max(MAX_FILE_SIZE),
    blockSize: z
      .number()
      .refine(isValidBlockSize, { message: "not a block size (a power of two, 4 KiB–256 MiB)" }),
    md5,
    /** The MD5 of each block's plaintext, in order. */
    blocks: z.array(md5).max(MAX_BLOCKS_PER_FILE),
  })
  .superRefine((file, ctx) => {
    problemAt(ctx, ["path"], drivePathProblem(file.path));
    if (file.itemType === "file") {
      // A hostile manifest's `..` or absolute path is refused here, before a station opens anything.
      problemAt(ctx, ["container"], shareNameProblem(file.container));
      problemAt(ctx, ["blobName"], sharePathProblem(file.blobName));
      if (file.blobType !== "BlockBlob" || file.snapshot !== undefined) {
        problemAt(
          ctx,
          ["blobType"],
          "a file share item has no blob type (BlockBlob stands for none) nor snapshot",
        );
      }
    } else {
      problemAt(ctx, ["container"], containerNameProblem(file.container));
      problemAt(ctx, ["blobName"], blobNameProblem(file.container, file.blobName));
    }
    problemAt(ctx, ["metadata"], metadataProblem(file.metadata));
    if (file.blocks.length !== blockCountOf(file.size, file.blockSize)) {
      problemAt(ctx, ["blocks"], `${file.blocks.length} block hashes for a file of that size and block size`);
    }
    if (file.blobType === "PageBlob" && (file.size % PAGE_SIZE !== 0 || file.size > MAX_PAGE_BLOB_SIZE)) {
      problemAt(ctx, ["size"], "a page blob's size is a multiple of 512, at most 8 TiB");
    }
  });

export type ManifestFile = z.infer<typeof manifestFileSchema>;

export const manifestSchema = z
  .strictObject({
    format: z.literal(MANIFEST_FORMAT),
    version: z.literal(MANIFEST_VERSION),
    driveId: z.string().max(64),
    files: z.array(manifestFileSchema).max(LIMITS.files),
  })
  .superRefine((manifest, ctx) => {
    const ids = new Set<number>();
    const paths = new Set<string>();
    manifest.files.forEach((file, index) => {
      // Two entries on one data file would let one file's blocks pass for another's.
      if (ids.has(file.id) || paths.has(file.path)) {
        problemAt(ctx, ["files", index], "a second entry with the same id or data path");
      }
      ids.add(file.id);
      paths.add(file.path);
    });
  });

export type Manifest = z.infer<typeof manifestSchema>;

/** The first bytes of a sealed manifest; they are also its authenticated data. */
const MAGIC = Buffer.from("SNKMAN1\n", "ascii");

/** The manifest's bytes on the drive: magic, nonce, ciphertext of the JSON, GCM tag. */
export function sealManifest(key: KeyObject, manifest: Manifest): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(MAGIC);
  const body = cipher.update(JSON.stringify(manifestSchema.parse(manifest)), "utf8");
  cipher.final();
  return Buffer.concat([MAGIC, nonce, body, cipher.getAuthTag()]);
}

/**
 * The manifest from its sealed bytes: authenticated first (`ManifestCorrupted`), then read as JSON and
 * held to the schema (`ManifestFormatInvalid`). The caller has bounded `sealed` to LIMITS.manifestBytes.
 */
export function openManifest(key: KeyObject, sealed: Buffer): Manifest {
  const overhead = MAGIC.length + NONCE_BYTES + TAG_BYTES;
  if (sealed.length < overhead || !sealed.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new DriveError("ManifestCorrupted", "The drive manifest is not a sealed Sneakernet manifest.");
  }
  const nonce = sealed.subarray(MAGIC.length, MAGIC.length + NONCE_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", key, nonce);
  decipher.setAAD(MAGIC);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  let plain: Buffer;
  try {
    plain = Buffer.concat([
      decipher.update(sealed.subarray(MAGIC.length + NONCE_BYTES, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw new DriveError(
      "ManifestCorrupted",
      "The drive manifest fails authentication: it was changed or damaged after it was written.",
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(plain.toString("utf8"));
  } catch {
    throw formatInvalid("it is not JSON");
  }
  return parseManifest(json);
}

/** Holds decrypted JSON to the schema; the counts are bounded before the schema walks any entry. */
export function parseManifest(json: unknown): Manifest {
  const files = (json as { files?: unknown } | null)?.files;
  if (Array.isArray(files)) {
    if (files.length > LIMITS.files) {
      throw formatInvalid(`it lists ${files.length} files, more than the ${LIMITS.files} a drive may hold`);
    }
    files.forEach((file: unknown, index) => {
      const { blocks, metadata } = (file ?? {}) as { blocks?: unknown; metadata?: unknown };
      if (Array.isArray(blocks) && blocks.length > MAX_BLOCKS_PER_FILE) {
        throw formatInvalid(
          `file ${index + 1} has ${blocks.length} blocks, more than the ${MAX_BLOCKS_PER_FILE} a blob may have`,
        );
      }
      // zod's record drops an own `__proto__` key without a word; a manifest must not lose metadata silently.
      if (typeof metadata === "object" && metadata !== null && Object.hasOwn(metadata, "__proto__")) {
        throw formatInvalid(
          `file ${index + 1} has '__proto__' as a metadata name, which is not a metadata name`,
        );
      }
    });
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` (at ${issue.path.join(".")})` : "";
    throw formatInvalid(`${issue?.message ?? "it does not have a manifest's shape"}${where}`);
  }
  return parsed.data;
}

function formatInvalid(why: string): DriveError {
  return new DriveError("ManifestFormatInvalid", `The drive manifest does not follow the format: ${why}.`);
}
