/**
 * @module A drive key's shape: a 48-digit recovery password as BitLocker writes one (8 groups of 6 digits,
 * each 11 × a random 16-bit value), generated here so the control plane can give each export drive its
 * key and the transfer layer, which checks and uses it, shares the one definition.
 */

import { randomBytes } from "node:crypto";

declare const canonical: unique symbol;

/** A recovery password in its one written form, `dddddd-dddddd-…` (8 groups): what the KDF is given. */
export type RecoveryPassword = string & { readonly [canonical]: true };

export const RECOVERY_PASSWORD_GROUPS = 8;
export const RECOVERY_PASSWORD_GROUP_FACTOR = 11;
/** BitLocker's bound: each group is 11 × a 16-bit value, so the password holds exactly 128 random bits. */
export const RECOVERY_PASSWORD_GROUP_LIMIT = RECOVERY_PASSWORD_GROUP_FACTOR * 65536;

/** A fresh password from the system's CSPRNG: 8 random 16-bit values, each written as 11 × value. */
export function generateRecoveryPassword(): RecoveryPassword {
  const bytes = randomBytes(RECOVERY_PASSWORD_GROUPS * 2);
  const groups: string[] = [];
  for (let i = 0; i < RECOVERY_PASSWORD_GROUPS; i += 1) {
    groups.push(String(bytes.readUInt16BE(i * 2) * RECOVERY_PASSWORD_GROUP_FACTOR).padStart(6, "0"));
  }
  return groups.join("-") as RecoveryPassword;
}
