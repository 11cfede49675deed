/**
 * @module Opening a file named by the drive, never trusting the name: a drive-relative path is checked
 * as text (no `..`, no absolute path, no NUL, no `\`), then resolved through every symlink and refused
 * if it lands outside the drive root or on anything but a regular file (a device, a FIFO, a folder).
 */

import { constants } from "node:fs";
import { type FileHandle, open, realpath, stat } from "node:fs/promises";
import { join, sep } from "node:path";

import {
  codeForSystemError,
  DriveError,
  type DriveErrorCode,
  type DriveErrorPlace,
  shownPath,
} from "./errors.js";
import { LIMITS } from "./layout.js";

/** Where refusals are logged: pino's `warn` fits, so the station can pass its logger as it is. */
export interface DriveLog {
  warn(fields: Record<string, unknown>, message: string): void;
}

/** Which codes a refusal carries: a data file's, the manifest's or the header's. */
export interface PathCodes {
  invalid: DriveErrorCode;
  missing: DriveErrorCode;
  failed: DriveErrorCode;
}

export const FILE_CODES: PathCodes = {
  invalid: "FileNameInvalid",
  missing: "FileNotFound",
  failed: "IOFailed",
};

/**
 * Why a drive-relative path cannot be used, judged on its text alone; undefined when it can. Our own
 * writer only makes `a/b/c` paths of plain segments, so anything else is a crafted or damaged manifest.
 */
export function drivePathProblem(path: unknown): string | undefined {
  if (typeof path !== "string" || path.length === 0) {
    return "it is empty";
  }
  if (path.length > LIMITS.pathChars) {
    return `it is longer than ${LIMITS.pathChars} characters`;
  }
  if (path.includes("\0")) {
    return "it holds a NUL character";
  }
  if (path.includes("\\")) {
    return "it holds a '\\' (drive paths use '/')";
  }
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path)) {
    return "it is absolute";
  }
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") {
      return "it has an empty or '.' segment";
    }
    if (segment === "..") {
      return "it climbs out with '..'";
    }
    if (Buffer.byteLength(segment) > LIMITS.pathSegmentBytes) {
      return `a segment is longer than ${LIMITS.pathSegmentBytes} bytes`;
    }
  }
  return undefined;
}

/** A regular file inside the drive, open for reading, with its length at the moment it was opened. */
export interface OpenedFile {
  handle: FileHandle;
  size: number;
}

/**
 * Opens `path` (drive-relative) inside `rootReal` (the drive root, already through `realpath`). Each
 * refusal is logged and thrown as a DriveError with the caller's codes.
 */
export async function openInsideDrive(
  rootReal: string,
  path: string,
  codes: PathCodes,
  place: DriveErrorPlace,
  log?: DriveLog,
): Promise<OpenedFile> {
  const refuse = (code: DriveErrorCode, why: string): never => {
    if (code === codes.invalid) {
      // A refused path is a sign of a crafted drive: worth an operator's attention, not only a log row.
      log?.warn({ code, path: shownPath(path), reason: why }, "drive path refused");
    }
    throw new DriveError(code, `The drive's path ${shownPath(path)} cannot be read: ${why}.`, place);
  };
  const problem = drivePathProblem(path);
  if (problem !== undefined) {
    return refuse(codes.invalid, problem);
  }
  let real: string;
  try {
    real = await realpath(join(rootReal, path));
  } catch (error) {
    const code = codeForSystemError(error, codes);
    return refuse(code, code === codes.missing ? "no such file on the drive" : systemReason(error));
  }
  const inside = rootReal.endsWith(sep) ? rootReal : rootReal + sep;
  if (!real.startsWith(inside)) {
    return refuse(codes.invalid, "a symlink leads outside the drive");
  }
  // stat before open: opening a FIFO blocks and opening a device can act on it, so neither is opened.
  const before = await stat(real).catch((error: unknown) =>
    refuse(codeForSystemError(error, codes), systemReason(error)),
  );
  if (!before.isFile()) {
    return refuse(codes.invalid, "it is not a regular file");
  }
  let handle: FileHandle;
  try {
    handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    return refuse(codeForSystemError(error, codes), systemReason(error));
  }
  // The same file we judged, not one swapped in between (the drive is not ours while we read it).
  const after = await handle.stat();
  if (!after.isFile() || after.ino !== before.ino || after.dev !== before.dev) {
    await handle.close();
    return refuse(codes.invalid, "it changed while being opened");
  }
  return { handle, size: after.size };
}

/** A system error's code, never its message: messages carry absolute paths of the station's disk. */
function systemReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code ? `the system answered ${code}` : "the system refused it";
}

/**
 * Reads exactly `length` bytes at `position` into `buffer`; fewer available means the file ended early,
 * which `onShort` turns into the caller's error.
 */
export async function readExactly(
  handle: FileHandle,
  buffer: Buffer,
  position: number,
  onShort: () => never,
): Promise<void> {
  let done = 0;
  while (done < buffer.length) {
    const { bytesRead } = await handle.read(buffer, done, buffer.length - done, position + done);
    if (bytesRead === 0) {
      onShort();
    }
    done += bytesRead;
  }
}
