/** @module The drive format's public face: what `drive prepare`, the station, `drive show` and `drive extract` import. */

export {
  DRIVE_ERROR_CODES,
  DriveError,
  type DriveErrorCode,
  type DriveErrorPlace,
  isDriveError,
  shownPath,
} from "./errors.js";
export { type DriveHeader, type ReadHeader, readHeader } from "./header.js";
export {
  blockSizeFor,
  DATA_FOLDER,
  HEADER_FILE,
  LIMITS,
  MANIFEST_FILE,
  MAX_BLOCK_SIZE,
  MAX_BLOCKS_PER_FILE,
  MIN_BLOCK_SIZE,
} from "./layout.js";
export { BLOB_TYPES, DISPOSITIONS, ITEM_TYPES, type Manifest, type ManifestFile } from "./manifest.js";
export { containerNameProblem, ROOT_CONTAINER } from "./names.js";
export type { DriveLog } from "./paths.js";
export { type Drive, type DriveFile, openDrive, type OpenDriveOptions } from "./reader.js";
export {
  generateRecoveryPassword,
  parseRecoveryPassword,
  type RecoveryPassword,
} from "./recovery-password.js";
export {
  type DriveProblem,
  verifyDrive,
  type VerifyOptions,
  type VerifyProgress,
  type VerifyReport,
} from "./verify.js";
export {
  type AddFileOptions,
  createDrive,
  type CreateDriveOptions,
  DriveWriter,
  type FinishedDrive,
  type NewFile,
  resumeDrive,
  resumeDriveChecked,
} from "./writer.js";
