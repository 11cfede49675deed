/**
 * @module The drive header: a small plain JSON file at the root, written first and never changed. It
 * says what the drive is (format, version, drive id) and how to check a key (scrypt parameters, salt,
 * key check value). Its MD5 is the job's `driveHeaderHash`.
 */

import { createHash } from "node:crypto";
import { realpath } from "node:fs/promises";

import { z } from "zod/v4";

import { validateDriveId } from "../../domain/names.js";
import { DriveError } from "./errors.js";
import { KEY_CHECK_BYTES, SALT_BYTES, scryptParametersAllowed } from "./keys.js";
import { HEADER_FILE, LIMITS } from "./layout.js";
import { type DriveLog, openInsideDrive, type PathCodes, readExactly } from "./paths.js";

export const HEADER_FORMAT = "sneakernet-drive";
export const HEADER_VERSION = 1;

const base64Of = (bytes: number) =>
  z
    .string()
    .max(4 * Math.ceil(bytes / 3))
    .refine((text) => Buffer.from(text, "base64").length === bytes && /^[A-Za-z0-9+/]+=*$/.test(text), {
      message: `not ${bytes} bytes of base64`,
    });

const isDriveId = (value: string) => {
  try {
    validateDriveId(value);
    return true;
  } catch {
    return false;
  }
};

export const driveHeaderSchema = z.strictObject({
  format: z.literal(HEADER_FORMAT),
  version: z.literal(HEADER_VERSION),
  driveId: z.string().refine(isDriveId, { message: "not a drive id" }),
  kdf: z
    .strictObject({
      name: z.literal("scrypt"),
      n: z.number(),
      r: z.number(),
      p: z.number(),
      salt: base64Of(SALT_BYTES),
    })
    .refine(scryptParametersAllowed, { message: "scrypt parameters outside what a reader accepts" }),
  keyCheck: base64Of(KEY_CHECK_BYTES),
});

export type DriveHeader = z.infer<typeof driveHeaderSchema>;

/** The header's bytes as written: pretty JSON, since a person may open it to see which drive this is. */
export function encodeHeader(header: DriveHeader): Buffer {
  return Buffer.from(`${JSON.stringify(driveHeaderSchema.parse(header), null, 2)}\n`);
}

/** MD5 in upper-case hex, as the original's journal writes `ManifestHash` (formats.md §1.7, §2.3). */
export function md5Hex(bytes: Uint8Array): string {
  return createHash("md5").update(bytes).digest("hex").toUpperCase();
}

/** Compares a hash read from a job with ours: hex, any case, spaces around trimmed (formats.md §2.3). */
export function sameHash(ours: string, theirs: string): boolean {
  return ours.toUpperCase() === theirs.trim().toUpperCase();
}

const HEADER_CODES: PathCodes = {
  invalid: "DriveHeaderInvalid",
  missing: "DriveHeaderNotFound",
  failed: "IOFailed",
};

export interface ReadHeader {
  header: DriveHeader;
  /** The job's `driveHeaderHash` for this drive. */
  headerHash: string;
}

/** Reads and checks the header; needs no key, so a station can tell which drive is in a bay. */
export async function readHeader(root: string, log?: DriveLog): Promise<ReadHeader> {
  // Resolved here too (the reader passes a resolved root already): a station calls this on a bay as it is.
  const rootReal = await realpath(root).catch(() => {
    throw new DriveError("DriveHeaderNotFound", "The drive folder cannot be opened.");
  });
  const { handle, size } = await openInsideDrive(rootReal, HEADER_FILE, HEADER_CODES, {}, log);
  let bytes: Buffer;
  try {
    if (size > LIMITS.headerBytes) {
      throw invalid(`it is ${size} bytes, more than a header's ${LIMITS.headerBytes}`);
    }
    bytes = Buffer.alloc(size);
    await readExactly(handle, bytes, 0, () => {
      throw invalid("it ended while being read");
    });
  } finally {
    await handle.close();
  }
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString("utf8"));
  } catch {
    throw invalid("it is not JSON");
  }
  const parsed = driveHeaderSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
    throw invalid(`${issue?.message ?? "it does not have a header's shape"}${where}`);
  }
  return { header: parsed.data, headerHash: md5Hex(bytes) };
}

function invalid(why: string): DriveError {
  return new DriveError("DriveHeaderInvalid", `The drive header (${HEADER_FILE}) cannot be used: ${why}.`);
}
