/**
 * @module The destination names a manifest may hold, by blob storage's rules (formats.md §3.9):
 * containers, blob names and metadata names; and by Azure Files' rules: share names and file paths. Checked
 * when a drive is written, again when it is read, and by the file share target before it opens anything,
 * so a station never sends a name the service would refuse or misread, nor writes outside a share.
 */

const CONTAINER = /^(?=.{3,63}$)[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const ROOT_CONTAINER = "$root";
export const MAX_BLOB_NAME_CHARS = 1024;
export const MAX_BLOB_NAME_SEGMENTS = 254;
/** Metadata names follow C# identifier rules (ASCII subset, as blob storage's HTTP headers need). */
const METADATA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,255}$/;
/** Blob storage's limit on a blob's metadata: names and values together. */
export const MAX_METADATA_BYTES = 8 * 1024;

/** Why `name` is not a container name; undefined when it is. */
export function containerNameProblem(name: string): string | undefined {
  if (name === ROOT_CONTAINER || CONTAINER.test(name)) {
    return undefined;
  }
  return "a container name is 3–63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit (or $root)";
}

/**
 * Why `name` is not a blob name in `container`; undefined when it is. Names that blob storage accepts
 * but that cannot round-trip (a trailing `.` or `/`, which tools and file systems drop) are refused too.
 */
export function blobNameProblem(container: string, name: string): string | undefined {
  const chars = [...name];
  if (chars.length < 1 || chars.length > MAX_BLOB_NAME_CHARS) {
    return `a blob name is 1–${MAX_BLOB_NAME_CHARS} characters`;
  }
  if (name.split("/").length > MAX_BLOB_NAME_SEGMENTS) {
    return `a blob name has at most ${MAX_BLOB_NAME_SEGMENTS} path segments`;
  }
  if (name.endsWith("/") || name.endsWith(".")) {
    return "a blob name may not end with '/' or '.'";
  }
  if (container === ROOT_CONTAINER && name.includes("/")) {
    return "a blob in $root cannot hold '/'";
  }
  for (const char of chars) {
    const code = char.codePointAt(0) ?? 0;
    if (
      code <= 0x1f ||
      (code >= 0x7f && code <= 0x9f) ||
      (code >= 0xd800 && code <= 0xdfff) || // a lone surrogate: `[...name]` keeps pairs together
      (code >= 0xe000 && code <= 0xf8ff) || // private use: legal on NTFS, not in a blob name
      (code >= 0xfdd0 && code <= 0xfdef) ||
      (code & 0xfffe) === 0xfffe
    ) {
      return "a blob name may not hold control characters or invalid code points";
    }
  }
  return undefined;
}

/** Why `metadata` cannot be a blob's metadata; undefined when it can. */
export function metadataProblem(metadata: Record<string, string>): string | undefined {
  let bytes = 0;
  const seen = new Set<string>();
  for (const [name, value] of Object.entries(metadata)) {
    // `__proto__` is an identifier, but an object built from JSON would lose it silently.
    if (!METADATA_NAME.test(name) || name === "__proto__") {
      return `metadata name ${JSON.stringify(name.slice(0, 40))} is not an identifier`;
    }
    if (seen.has(name.toLowerCase())) {
      return `metadata name ${JSON.stringify(name)} appears twice (names ignore case)`;
    }
    seen.add(name.toLowerCase());
    // eslint-disable-next-line no-control-regex -- a header value cannot carry control characters
    if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) {
      return `metadata ${JSON.stringify(name)} holds a control character`;
    }
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value);
  }
  if (bytes > MAX_METADATA_BYTES) {
    return `metadata is ${bytes} bytes, more than blob storage's ${MAX_METADATA_BYTES}`;
  }
  return undefined;
}

/** Azure Files' share names: the container rule without `$root`. */
const SHARE = CONTAINER;
/** Azure Files refuses these in a file or folder name (besides `/`, which separates them). */
// eslint-disable-next-line no-control-regex -- control characters are among those refused
const FORBIDDEN_IN_SEGMENT = /["\\:|<>*?\u0000-\u001f\u007f-\u009f]/;
/** One name in a path: the byte limit of Linux file systems and Azure Files' 255 characters. */
export const MAX_FILE_SEGMENT_BYTES = 255;
/** A whole path in a share: Azure Files' 2,048 characters, in bytes so a file system takes it too. */
export const MAX_FILE_PATH_BYTES = 2048;

/** Why `name` is not a file share name; undefined when it is. */
export function shareNameProblem(name: string): string | undefined {
  if (SHARE.test(name)) {
    return undefined;
  }
  return "a share name is 3–63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit";
}

/**
 * Why `path` is not a file's path in a share; undefined when it is. One rule for the dataset, the
 * manifest and the file share target: segments joined by `/`, none empty, `.` or `..` (a path never
 * leaves its share), none holding a character Azure Files refuses or a control character.
 */
export function sharePathProblem(path: string): string | undefined {
  if (path === "") {
    return "a file path in a share is not empty";
  }
  if (Buffer.byteLength(path) > MAX_FILE_PATH_BYTES) {
    return `a file path in a share is at most ${MAX_FILE_PATH_BYTES} bytes`;
  }
  for (const segment of path.split("/")) {
    if (segment === "" || segment === "." || segment === "..") {
      return "a file path in a share has no empty, '.' or '..' segment (nor a leading or trailing '/')";
    }
    if (Buffer.byteLength(segment) > MAX_FILE_SEGMENT_BYTES) {
      return `a file or folder name is at most ${MAX_FILE_SEGMENT_BYTES} bytes`;
    }
    if (FORBIDDEN_IN_SEGMENT.test(segment)) {
      return 'a file or folder name may not hold " \\ : | < > * ? or a control character';
    }
    if (segment.endsWith(".") || segment.endsWith(" ")) {
      // SMB clients drop them, so such a file could not be opened by its name on the share.
      return "a file or folder name may not end with '.' or a space";
    }
    for (const char of segment) {
      const code = char.codePointAt(0) ?? 0;
      if ((code >= 0xd800 && code <= 0xdfff) || (code & 0xfffe) === 0xfffe) {
        return "a file or folder name may not hold invalid code points";
      }
    }
  }
  return undefined;
}
