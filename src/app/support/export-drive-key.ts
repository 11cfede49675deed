/** @module An export drive's key: a fresh recovery password, sealed, given to the drive as it is registered. */

import { generateRecoveryPassword } from "../../domain/recovery-password.js";
import type { AppDeps } from "./deps.js";

/**
 * A new key for one export drive, sealed for the store. The station writes the drive encrypted with it;
 * the customer reads it (listBitLockerKeys) to open the drive that comes back. One per drive, never reused.
 */
export function sealedExportDriveKey(deps: Pick<AppDeps, "secrets">): string {
  return deps.secrets.seal(generateRecoveryPassword());
}
