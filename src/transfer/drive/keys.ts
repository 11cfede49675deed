/**
 * @module From recovery password to keys: scrypt (with the header's salt and parameters) gives a drive
 * secret, HKDF splits it into one key per use (key check, manifest, data), and the key check value lets a
 * reader tell a wrong password from a damaged drive before it reads anything else.
 */

import {
  createHmac,
  createSecretKey,
  hkdfSync,
  type KeyObject,
  randomBytes,
  scrypt,
  timingSafeEqual,
} from "node:crypto";

import type { RecoveryPassword } from "./recovery-password.js";

/** The scrypt parameters a header records, so a later version can raise them without a new format. */
export interface ScryptParameters {
  name: "scrypt";
  /** Cost: a power of two. */
  n: number;
  r: number;
  p: number;
  /** Base64, random per drive. */
  salt: string;
}

/**
 * The password already carries 128 random bits, so scrypt is not what stops a guess; it is there so
 * the key comes from a standard, memory-hard KDF should a person ever choose a weaker password. 2^15 × 8
 * costs 32 MiB and a few tens of milliseconds, once per drive opened.
 */
export const DEFAULT_SCRYPT = { n: 2 ** 15, r: 8, p: 1 } as const;

/**
 * What a reader accepts from a header, checked before scrypt runs: a crafted header must not make a
 * station spend a gigabyte of memory or minutes of CPU. 2^14 is the floor (tests use it: it is fast).
 */
export const SCRYPT_BOUNDS = {
  minN: 2 ** 14,
  maxN: 2 ** 17,
  maxR: 16,
  maxP: 4,
  maxMemory: 256 * 1024 * 1024,
};
export const SALT_BYTES = 32;
export const KEY_CHECK_BYTES = 32;

export function scryptParametersAllowed(params: { n: number; r: number; p: number }): boolean {
  const { n, r, p } = params;
  return (
    Number.isInteger(n) &&
    Number.isInteger(r) &&
    Number.isInteger(p) &&
    n >= SCRYPT_BOUNDS.minN &&
    n <= SCRYPT_BOUNDS.maxN &&
    (n & (n - 1)) === 0 &&
    r >= 1 &&
    r <= SCRYPT_BOUNDS.maxR &&
    p >= 1 &&
    p <= SCRYPT_BOUNDS.maxP &&
    scryptMemory(n, r) <= SCRYPT_BOUNDS.maxMemory
  );
}

function scryptMemory(n: number, r: number): number {
  return 128 * n * r;
}

export function newScryptParameters(overrides: Partial<Pick<ScryptParameters, "n" | "r" | "p">> = {}) {
  return {
    name: "scrypt",
    ...DEFAULT_SCRYPT,
    ...overrides,
    salt: randomBytes(SALT_BYTES).toString("base64"),
  } satisfies ScryptParameters;
}

/** One key per use, so a manifest key can never open a block and the key check reveals neither. */
export interface DriveKeys {
  check: KeyObject;
  manifest: KeyObject;
  data: KeyObject;
}

// The labels are part of the format: changing one changes every key.
const LABELS = {
  check: "sneakernet drive v1 key check",
  manifest: "sneakernet drive v1 manifest",
  data: "sneakernet drive v1 data",
} as const;
const KEY_CHECK_MESSAGE = "sneakernet drive v1: this key opens this drive";

export async function deriveDriveKeys(
  password: RecoveryPassword,
  params: ScryptParameters,
): Promise<DriveKeys> {
  const secret = await new Promise<Buffer>((resolve, reject) => {
    scrypt(
      Buffer.from(password, "ascii"),
      Buffer.from(params.salt, "base64"),
      32,
      // Node refuses above 32 MiB unless told; the bound was checked against SCRYPT_BOUNDS already.
      { N: params.n, r: params.r, p: params.p, maxmem: scryptMemory(params.n, params.r) * 2 },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
  const subkey = (label: string) =>
    createSecretKey(Buffer.from(hkdfSync("sha256", secret, Buffer.alloc(0), label, 32)));
  const keys = { check: subkey(LABELS.check), manifest: subkey(LABELS.manifest), data: subkey(LABELS.data) };
  secret.fill(0);
  return keys;
}

/** The value a header stores: an HMAC of a fixed message under the check key. */
export function keyCheckValue(keys: DriveKeys): Buffer {
  return createHmac("sha256", keys.check).update(KEY_CHECK_MESSAGE).digest();
}

export function keyCheckMatches(keys: DriveKeys, stored: Buffer): boolean {
  const expected = keyCheckValue(keys);
  return stored.length === expected.length && timingSafeEqual(stored, expected);
}
