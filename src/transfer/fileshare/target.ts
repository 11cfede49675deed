/**
 * @module The file share target of an import: shares as folders under one root (`<root>/<share>/<path>`),
 * a local folder or a mounted SMB/NFS share. Each file is written whole under a temporary name in its own
 * folder, flushed, then renamed (or linked, when nothing may be replaced), so a file's name always holds
 * a complete file; every path is checked by the manifest's rules and resolved so nothing leaves the root.
 */

import { createHash } from "node:crypto";
import { constants } from "node:fs";
import { link, lstat, mkdir, open, realpath, rename, rm, stat as statOf } from "node:fs/promises";
import { dirname, join, sep } from "node:path";

import { shareNameProblem, sharePathProblem } from "../drive/names.js";

export const FILE_SHARE_ERROR_CODES = [
  /** The share name or path breaks Azure Files' rules (a hostile or damaged manifest). */
  "PathInvalid",
  /** A folder on the way resolves (through a symlink) outside the share root. */
  "PathEscapes",
  /** Something is already at the name a create-only write wanted. */
  "AlreadyExists",
  /** The file system refused (no space, no permission, a file where a folder should be...). */
  "IOFailed",
] as const;

export type FileShareErrorCode = (typeof FILE_SHARE_ERROR_CODES)[number];

/** A refusal of the file share target, with a stable code; its message names the share path, no more. */
export class FileShareError extends Error {
  override readonly name = "FileShareError";
  constructor(
    readonly code: FileShareErrorCode,
    message: string,
    /**
     * The share as a whole is out of reach (its root gone, a mount unmounted, a network file system not
     * answering), not this file: a copy waits for it as for blob storage that does not answer.
     */
    readonly unreachable = false,
  ) {
    super(message);
  }
}

export function isFileShareError(error: unknown): error is FileShareError {
  return error instanceof FileShareError;
}

/** What is at a path in a share. */
export interface ShareEntry {
  /** A regular file (not a folder, nor a symlink, which is never followed). */
  file: boolean;
  length: number;
}

export interface ShareWriteOptions {
  /**
   * Names the temporary file (hashed): the same tag gives the same temporary name, so a write that a
   * crash cut short is overwritten by the next attempt, and two writers with different tags never meet.
   */
  tempTag: string;
  /** Replace whatever file is at the name (overwrite); false: only if nothing is there, else AlreadyExists. */
  replace: boolean;
}

/** What the import engine needs of a file share: names decided, a file written whole, and read back. */
export interface FileShareTarget {
  /** The share root, as given. */
  readonly root: string;
  /** Creates the share's folder unless it exists. */
  ensureShare(share: string): Promise<void>;
  /** What is at `path` (not following a final symlink), or undefined when nothing is. */
  stat(share: string, path: string): Promise<ShareEntry | undefined>;
  /** The MD5 (base64) of the regular file at `path`; undefined when there is none. */
  md5(share: string, path: string): Promise<string | undefined>;
  /** Writes the parts as the whole file at `path`: the name shows the complete file or nothing new. */
  write(share: string, path: string, parts: AsyncIterable<Buffer>, options: ShareWriteOptions): Promise<void>;
  /** False when the share as a whole is out of reach (see `FileShareError.unreachable`). */
  reachable(): Promise<boolean>;
}

export interface FileShareTargetOptions {
  /**
   * The folder holding one folder per share. It must exist (never made here: a missing root is a share
   * not mounted), and it must stay on the file system it was first found on.
   */
  root: string;
}

const errno = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;
/** An error of a file system call (it names the call), not one that came through the parts. */
const isFsError = (error: unknown) =>
  error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === "string";

/** Errors of a network file system (SMB, NFS) that cannot reach its server, whatever the path. */
const UNREACHABLE = new Set([
  "ENOTCONN",
  "ESTALE",
  "EHOSTDOWN",
  "EHOSTUNREACH",
  "ENETDOWN",
  "ENETUNREACH",
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
]);

/** A file system error as the target's, naming the share path only (not the station's folders). */
function ioFailed(error: unknown, where: string): FileShareError {
  if (isFileShareError(error)) {
    return error;
  }
  const code = errno(error);
  return new FileShareError(
    "IOFailed",
    `The file share refused ${where}: ${code ?? (error as Error).message}.`,
    code !== undefined && UNREACHABLE.has(code),
  );
}

/** Errors meaning the file system cannot hard-link: the create-only write checks, then renames. */
const NO_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EXDEV", "EMLINK"]);

export function createFileShareTarget(options: FileShareTargetOptions): FileShareTarget {
  const { root } = options;
  const gone = (why: string) =>
    new FileShareError(
      "IOFailed",
      `The file share root ${why}: is the share mounted? The copy waits for it.`,
      true,
    );
  /** The root's real path, resolved once (again after a failure). */
  let resolved: Promise<string> | undefined;
  /**
   * Whether the root was a mount point (its file system not its parent folder's) when first found: one
   * that was must stay one, since a share unmounted mid-copy leaves its mount point, an empty folder of
   * the station's own disk, in its place. Kept for the target's life, across a remount (which may give
   * the share another device number).
   */
  let mountPoint: boolean | undefined;
  const resolveRoot = () => {
    resolved ??= realpath(root).catch((error: unknown) => {
      resolved = undefined;
      // Never made here: a missing root is a share not mounted, and a folder made in its place would
      // take the customer's files onto the station's own disk.
      throw errno(error) === "ENOENT" || errno(error) === "ENOTDIR"
        ? gone("is not there")
        : ioFailed(error, "its root folder");
    });
    return resolved;
  };
  const rootOf = async () => {
    const real = await resolveRoot();
    const [here, parent] = await Promise.all([statOf(real), statOf(dirname(real))]).catch(
      (error: unknown) => {
        resolved = undefined;
        throw errno(error) === "ENOENT" ? gone("is no longer there") : ioFailed(error, "its root folder");
      },
    );
    if (!here.isDirectory()) {
      resolved = undefined;
      throw gone("is not a folder");
    }
    const isMountPoint = here.dev !== parent.dev;
    mountPoint ??= isMountPoint;
    if (mountPoint && !isMountPoint) {
      throw gone("is no longer a mounted file system (unmounted?)");
    }
    return real;
  };

  const checked = (share: string, path?: string) => {
    const problem = shareNameProblem(share) ?? (path === undefined ? undefined : sharePathProblem(path));
    if (problem !== undefined) {
      throw new FileShareError(
        "PathInvalid",
        `'${share}/${path ?? ""}' is not a path in a file share: ${problem}.`,
      );
    }
  };

  /**
   * The real folder `path`'s file goes in, each folder on the way resolved and held inside the root
   * (a symlink leading out is refused before anything is created beyond it); undefined when a folder is
   * missing and `create` is false.
   */
  async function folderOf(share: string, path: string, create: boolean): Promise<string | undefined> {
    const top = await rootOf();
    const folders = [share, ...path.split("/").slice(0, -1)];
    let current = top;
    for (const name of folders) {
      const next = join(current, name);
      if (create) {
        await mkdir(next).catch((error: unknown) => {
          if (errno(error) !== "EEXIST") {
            throw ioFailed(error, `a folder of '${share}/${path}'`);
          }
        });
      }
      let real: string;
      try {
        real = await realpath(next);
      } catch (error) {
        if (!create && (errno(error) === "ENOENT" || errno(error) === "ENOTDIR")) {
          return undefined;
        }
        throw ioFailed(error, `a folder of '${share}/${path}'`);
      }
      if (real !== top && !real.startsWith(top + sep)) {
        throw new FileShareError(
          "PathEscapes",
          `A folder of '${share}/${path}' leads outside the share root (a symlink): refused.`,
        );
      }
      current = real;
    }
    return current;
  }

  const leaf = (path: string) => path.slice(path.lastIndexOf("/") + 1);

  async function stat(share: string, path: string): Promise<ShareEntry | undefined> {
    checked(share, path);
    const folder = await folderOf(share, path, false);
    if (folder === undefined) {
      return undefined;
    }
    try {
      const info = await lstat(join(folder, leaf(path)));
      return { file: info.isFile(), length: info.size };
    } catch (error) {
      if (errno(error) === "ENOENT") {
        return undefined;
      }
      throw ioFailed(error, `'${share}/${path}'`);
    }
  }

  async function md5(share: string, path: string): Promise<string | undefined> {
    checked(share, path);
    const folder = await folderOf(share, path, false);
    if (folder === undefined) {
      return undefined;
    }
    let handle;
    try {
      // O_NOFOLLOW: a symlink at the name is not a file of the share, wherever it leads.
      handle = await open(join(folder, leaf(path)), constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (error) {
      if (errno(error) === "ENOENT" || errno(error) === "ELOOP") {
        return undefined;
      }
      throw ioFailed(error, `'${share}/${path}'`);
    }
    try {
      if (!(await handle.stat()).isFile()) {
        return undefined;
      }
      const hash = createHash("md5");
      const buffer = Buffer.allocUnsafe(1024 * 1024);
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
        if (bytesRead === 0) {
          break;
        }
        hash.update(buffer.subarray(0, bytesRead));
      }
      return hash.digest("base64");
    } catch (error) {
      throw ioFailed(error, `reading '${share}/${path}' back`);
    } finally {
      await handle.close();
    }
  }

  async function write(
    share: string,
    path: string,
    parts: AsyncIterable<Buffer>,
    options: ShareWriteOptions,
  ): Promise<void> {
    checked(share, path);
    const folder = (await folderOf(share, path, true))!;
    const target = join(folder, leaf(path));
    // Hidden, short (a long name plus a suffix could pass 255 bytes), and the same for the same tag.
    const tag = createHash("sha256")
      .update(options.tempTag)
      .update("\0")
      .update(path)
      .digest("hex")
      .slice(0, 20);
    const temporary = join(folder, `.sneakernet-${tag}.part`);
    try {
      // Whatever is at the temporary name (an earlier attempt's bytes, or a planted symlink) goes first:
      // the file is then created new, never opened through a link.
      await rm(temporary, { force: true });
      const handle = await open(
        temporary,
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
        0o644,
      );
      try {
        for await (const part of parts) {
          await handle.write(part, 0, part.length, null);
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
      if (options.replace) {
        await rename(temporary, target);
      } else {
        await createOnly(temporary, target, `${share}/${path}`);
      }
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined);
      // The drive's errors (a corrupted block) and a stop come through the parts: passed on as they are.
      throw isFsError(error) ? ioFailed(error, `writing '${share}/${path}'`) : error;
    }
    await syncFolder(folder);
  }

  return {
    root,
    ensureShare: async (share) => {
      checked(share);
      const top = await rootOf();
      await mkdir(join(top, share)).catch((error: unknown) => {
        if (errno(error) !== "EEXIST") {
          throw ioFailed(error, `the share '${share}'`);
        }
      });
    },
    stat,
    md5,
    write,
    reachable: () =>
      rootOf().then(
        () => true,
        (error: unknown) => !(isFileShareError(error) && error.unreachable),
      ),
  };
}

/**
 * Gives `temporary` the name `target` only if nothing has it: a hard link fails when the name is taken,
 * atomically. A file system without hard links (some SMB mounts) gets a look first, then a rename:
 * a writer outside the station could slip in between, which only that file system's users can cause.
 */
async function createOnly(temporary: string, target: string, where: string): Promise<void> {
  try {
    await link(temporary, target);
    await rm(temporary, { force: true });
    return;
  } catch (error) {
    if (errno(error) === "EEXIST") {
      throw new FileShareError("AlreadyExists", `Something is already at '${where}'.`);
    }
    if (!NO_LINKS.has(errno(error) ?? "")) {
      throw error;
    }
  }
  const there = await lstat(target).then(
    () => true,
    (error: unknown) => (errno(error) === "ENOENT" ? false : Promise.reject(error)),
  );
  if (there) {
    throw new FileShareError("AlreadyExists", `Something is already at '${where}'.`);
  }
  await rename(temporary, target);
}

/** The folder's entry for the new name, flushed too; a file system that cannot (some mounts) is let be. */
async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, constants.O_RDONLY);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // EINVAL/EISDIR on file systems without directory fsync: the rename itself is still atomic.
  }
}
