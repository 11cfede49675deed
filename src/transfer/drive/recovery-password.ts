/**
 * @module The drive key a customer holds: a 48-digit recovery password in BitLocker's shape (8 groups
 * of 6 digits, each a multiple of 11 below 720,896), so the job's `bitLockerKey` field carries it as it
 * carries a real BitLocker password, and a typo in one group is caught before any key is derived.
 */

import {
  generateRecoveryPassword,
  RECOVERY_PASSWORD_GROUP_FACTOR as GROUP_FACTOR,
  RECOVERY_PASSWORD_GROUP_LIMIT as GROUP_LIMIT,
  RECOVERY_PASSWORD_GROUPS as GROUPS,
  type RecoveryPassword,
} from "../../domain/recovery-password.js";
import { DriveError } from "./errors.js";

// Generated and shaped in the domain (the control plane gives each export drive its key); checked here.
export { generateRecoveryPassword, type RecoveryPassword };

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
