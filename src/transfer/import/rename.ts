/**
 * @module The rename rule of `ImportDisposition=rename` (formats.md §2.3): ` (n)` before the last dot
 * of the last path segment, so a dot in a virtual directory (`v1.0/readme`) is never taken for an
 * extension, and a dotfile (`.env`) has no extension to keep.
 */

import { blobNameProblem } from "../drive/names.js";

/** The `n`th candidate name for `blobName` (n ≥ 2). */
export function renamed(blobName: string, n: number): string {
  const slash = blobName.lastIndexOf("/");
  const folder = blobName.slice(0, slash + 1);
  const segment = blobName.slice(slash + 1);
  const dot = segment.lastIndexOf(".");
  // A dot at 0 starts a dotfile's name, not an extension.
  if (dot <= 0) {
    return `${folder}${segment} (${n})`;
  }
  return `${folder}${segment.slice(0, dot)} (${n})${segment.slice(dot)}`;
}

/**
 * The first candidate from ` (2)` up that `taken` says is free, or undefined when the candidates stop
 * being valid names (too long) or `limit` tries pass: the file is then `RenameFailed`.
 */
export async function freeName(
  container: string,
  blobName: string,
  taken: (name: string) => Promise<boolean>,
  options: {
    limit?: number;
    /** Why a candidate is no name (default: blob name rules; a file share passes its path rules). */
    problem?: (name: string) => string | undefined;
  } = {},
): Promise<string | undefined> {
  const limit = options.limit ?? 10_000;
  const problem = options.problem ?? ((name: string) => blobNameProblem(container, name));
  for (let n = 2; n < limit + 2; n += 1) {
    const candidate = renamed(blobName, n);
    if (problem(candidate) !== undefined) {
      return undefined;
    }
    if (!(await taken(candidate))) {
      return candidate;
    }
  }
  return undefined;
}
