/**
 * @module A whole drive checked before it ships (`drive show`) or before a station trusts it: every
 * block's tag and MD5 and every file's MD5, collecting each problem (file, block, reason) rather than
 * stopping at the first, so one report says everything that is wrong.
 */

import { createHash } from "node:crypto";

import { type DriveErrorCode, isDriveError } from "./errors.js";
import type { ManifestFile } from "./manifest.js";
import { type Drive, openDrive, type OpenDriveOptions } from "./reader.js";
import type { RecoveryPassword } from "./recovery-password.js";

export interface DriveProblem {
  code: DriveErrorCode;
  message: string;
  /** Absent for a problem with the whole drive (the key, the header, the manifest). */
  file?: { id: number; path: string; container: string; blobName: string };
  block?: number;
}

export interface VerifyProgress {
  files: number;
  filesTotal: number;
  bytes: number;
  bytesTotal: number;
}

export interface VerifyOptions extends OpenDriveOptions {
  /** Called after each block and each file; cheap to call, so a progress bar can throttle itself. */
  onProgress?: (progress: VerifyProgress) => void;
}

export interface VerifyReport {
  problems: DriveProblem[];
  /** The opened drive, when it could be opened (for `drive show` to list what it holds). */
  drive?: Drive;
}

/** Verifies everything on the drive; an empty `problems` means every byte is as the manifest says. */
export async function verifyDrive(
  root: string,
  password: string | RecoveryPassword,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  let drive: Drive;
  try {
    drive = await openDrive(root, password, options);
  } catch (error) {
    if (isDriveError(error)) {
      return { problems: [{ code: error.code, message: error.message }] };
    }
    throw error;
  }
  const files = drive.manifest.files;
  const progress: VerifyProgress = {
    files: 0,
    filesTotal: files.length,
    bytes: 0,
    bytesTotal: files.reduce((sum, file) => sum + file.size, 0),
  };
  const problems: DriveProblem[] = [];
  for (const file of files) {
    problems.push(...(await verifyFile(drive, file, progress, options.onProgress)));
    progress.files += 1;
    options.onProgress?.({ ...progress });
  }
  return { problems, drive };
}

async function verifyFile(
  drive: Drive,
  file: ManifestFile,
  progress: VerifyProgress,
  onProgress?: (progress: VerifyProgress) => void,
): Promise<DriveProblem[]> {
  const about = { id: file.id, path: file.path, container: file.container, blobName: file.blobName };
  const problems: DriveProblem[] = [];
  const note = (error: unknown, block?: number) => {
    if (!isDriveError(error)) {
      throw error;
    }
    problems.push({
      code: error.code,
      message: error.message,
      file: about,
      ...(block === undefined ? {} : { block }),
    });
  };
  let opened;
  try {
    opened = await drive.openFile(file);
  } catch (error) {
    note(error);
    return problems;
  }
  const whole = createHash("md5");
  try {
    for (let index = 0; index < file.blocks.length; index += 1) {
      try {
        const plain = await opened.readBlock(index);
        whole.update(plain);
        progress.bytes += plain.length;
      } catch (error) {
        note(error, index);
      }
      onProgress?.({ ...progress });
    }
  } finally {
    await opened.close();
  }
  // With every block right the whole MD5 can only differ if the manifest disagrees with itself; a
  // station sends this MD5 as the blob's Content-MD5, so it is checked rather than assumed.
  if (problems.length === 0 && whole.digest("base64") !== file.md5) {
    problems.push({
      code: "Corrupted",
      message: `${file.path}: every block is right, but the file's MD5 differs from the manifest's.`,
      file: about,
    });
  }
  return problems;
}
