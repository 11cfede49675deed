/**
 * @module The drive key a customer holds: a 48-digit recovery password in BitLocker's shape (8 groups
 * of 6 digits, each a multiple of 11 below 720,896), so the job's `bitLockerKey` field carries it as it
 * carries a real BitLocker password, and a typo in one group is caught before any key is derived.
 */

import { randomBytes } from "node:crypto";

import { DriveError } from "./errors.js";

declare const canonical: unique symbol;

/** A recovery password in its one written form, `dddddd-dddddd-…` (8 groups): what the KDF is given. */
export type RecoveryPassword = string & { readonly [canonical]: true };

const GROUPS = 8;
const GROUP_FACTOR = 11;
/** BitLocker's bound: each group is 11 × a 16-bit value, so the password holds exactly 128 random bits. */
const GROUP_LIMIT = GROUP_FACTOR * 65536;

/** A fresh password from the system's CSPRNG: 8 random 16-bit values, each written as 11 × value. */
export function generateRecoveryPassword(): RecoveryPassword {
  const bytes = randomBytes(GROUPS * 2);
  const groups: string[] = [];
  for (let i = 0; i < GROUPS; i += 1) {
    groups.push(String(bytes.readUInt16BE(i * 2) * GROUP_FACTOR).padStart(6, "0"));
  }
  return groups.join("-") as RecoveryPassword;
}

/**
 * The password a person typed or a job holds, in its canonical form. Groups may be separated by `-`,
 * spaces or nothing, as people copy them. The refusal names the group at fault but never echoes digits:
 * the text may be someone's real key with one typo.
 */
export function parseRecoveryPassword(text: string): RecoveryPassword {
  const refuse = (why: string): never => {
    throw new DriveError(
      "BitLockerKeyInvalid",
      `This is not a drive recovery password: ${why}. A recovery password is 48 digits in 8 groups of 6 (dddddd-dddddd-…), as 'drive prepare' printed it and the job's bitLockerKey holds it.`,
    );
  };
  if (typeof text !== "string") {
    return refuse("it is not text");
  }
  const compact = text.trim().replace(/[-\s]/g, "");
  if (!/^[0-9]*$/.test(compact)) {
    return refuse("it holds characters other than digits, '-' and spaces");
  }
  if (compact.length !== GROUPS * 6) {
    return refuse(`it has ${compact.length} digits instead of 48`);
  }
  const groups: string[] = [];
  for (let i = 0; i < GROUPS; i += 1) {
    const group = compact.slice(i * 6, i * 6 + 6);
    const value = Number(group);
    if (value % GROUP_FACTOR !== 0 || value >= GROUP_LIMIT) {
      refuse(`group ${i + 1} is not one a recovery password can hold (a mistyped digit?)`);
    }
    groups.push(group);
  }
  return groups.join("-") as RecoveryPassword;
}
