/**
 * @module Which blobs an export job selects (formats.md §2.5): its inline `blobPath` / `blobPathPrefix`
 * lists, or a blob-list XML document, read into one Selection, and the original's matching rules.
 */

import { parseElements } from "../xml/elements.js";

/** One `BlobPath`: a blob, with its snapshots (or without them), or exactly one of its snapshots. */
export interface BlobPathRule {
  container: string;
  blob: string;
  includeSnapshots: boolean;
  /** ISO instant of the one snapshot selected. */
  snapshotTime?: string;
}

export interface Selection {
  paths: BlobPathRule[];
  /** Each starts with `/`: a plain string prefix of `/<container>/<blob>`. */
  prefixes: string[];
}

/** A blob as storage lists it: `snapshot` is set for a snapshot, absent for the base blob. */
export interface ListedBlob {
  container: string;
  name: string;
  snapshot?: string;
}

/** A selection that cannot be used; `code` is the drive's failure code of formats.md §2.4–2.5. */
export class SelectionError extends Error {
  override readonly name = "SelectionError";
  constructor(
    message: string,
    /** BlobListFormatInvalid for a list that is wrong; BlobRequestForbidden for one that cannot be read. */
    readonly code: "BlobListFormatInvalid" | "BlobRequestForbidden" = "BlobListFormatInvalid",
  ) {
    super(message);
  }
}

/**
 * A `BlobPath` as the job or the list gives it: container-relative, with or without a leading slash
 * (the Data Box documents write one, the Import/Export ones do not: both are taken), `$root/…` for
 * the root container.
 */
function blobPathRule(text: string, includeSnapshots = true, snapshotTime?: string): BlobPathRule {
  const path = text.replace(/^\//, "");
  const slash = path.indexOf("/");
  if (slash <= 0 || slash === path.length - 1) {
    throw new SelectionError(
      `BlobPath '${text.trim()}' is not <container>/<blob> (use $root/<blob> for the root container).`,
    );
  }
  return {
    container: path.slice(0, slash),
    blob: path.slice(slash + 1),
    includeSnapshots,
    ...(snapshotTime !== undefined ? { snapshotTime } : {}),
  };
}

function blobPathPrefix(text: string): string {
  const prefix = text.trim();
  if (!prefix.startsWith("/")) {
    throw new SelectionError(
      `BlobPathPrefix '${prefix}' must start with '/' and name all or part of a container.`,
    );
  }
  return prefix;
}

/** The job's inline lists (`export.blobList`). */
export function selectionFromLists(lists: { blobPath?: string[]; blobPathPrefix?: string[] }): Selection {
  return {
    paths: (lists.blobPath ?? []).map((path) => blobPathRule(path.trim())),
    prefixes: (lists.blobPathPrefix ?? []).map(blobPathPrefix),
  };
}

/**
 * A BlobPath's text in a document: whitespace before it is layout (no container name holds any); after
 * it, only a run with a line break is. A blob name may end with spaces, and an incomplete blob list
 * names such a blob on one line.
 */
function pathText(text: string): string {
  return text.trimStart().replace(/\s*[\r\n]\s*$/, "");
}

/** A blob-list document: `<BlobList>` of `<BlobPathPrefix>` and `<BlobPath [IncludeSnapshots] [SnapshotTime]>`. */
export function parseBlobList(xml: string): Selection {
  let root;
  try {
    root = parseElements(xml, "The blob list");
  } catch (error) {
    throw new SelectionError((error as Error).message);
  }
  const list = root.children.find((element) => element.name === "BlobList");
  if (!list || root.children.length !== 1) {
    throw new SelectionError("The blob list has no single <BlobList> root element.");
  }
  const selection: Selection = { paths: [], prefixes: [] };
  for (const element of list.children) {
    if (element.name === "BlobPathPrefix") {
      selection.prefixes.push(blobPathPrefix(element.text));
    } else if (element.name === "BlobPath") {
      const include = element.attributes.IncludeSnapshots;
      if (include !== undefined && include !== "true" && include !== "false") {
        throw new SelectionError(`IncludeSnapshots is '${include}': it is true or false.`);
      }
      const snapshotTime = element.attributes.SnapshotTime;
      if (snapshotTime !== undefined && Number.isNaN(Date.parse(snapshotTime))) {
        throw new SelectionError(`SnapshotTime '${snapshotTime}' is not a date and time.`);
      }
      selection.paths.push(blobPathRule(pathText(element.text), include !== "false", snapshotTime));
    } else {
      throw new SelectionError(`The blob list holds <${element.name}>: only BlobPath and BlobPathPrefix.`);
    }
  }
  if (selection.paths.length === 0 && selection.prefixes.length === 0) {
    throw new SelectionError("The blob list selects nothing: it has no BlobPath and no BlobPathPrefix.");
  }
  return selection;
}

/** Whether the selection takes this blob (or snapshot). */
export function selects(selection: Selection, blob: ListedBlob): boolean {
  const full = `/${blob.container}/${blob.name}`;
  // A prefix takes the blobs and their snapshots alike.
  if (selection.prefixes.some((prefix) => full.startsWith(prefix))) {
    return true;
  }
  return selection.paths.some((rule) => {
    if (rule.container !== blob.container || rule.blob !== blob.name) {
      return false;
    }
    if (rule.snapshotTime !== undefined) {
      return blob.snapshot !== undefined && sameInstant(blob.snapshot, rule.snapshotTime);
    }
    return blob.snapshot === undefined || rule.includeSnapshots;
  });
}

/**
 * A snapshot time to seven decimals in UTC, as storage writes them: a list may write fewer decimals or
 * another offset, and two snapshots may lie within one millisecond.
 */
function snapshotKey(time: string): string {
  const fraction = /\.(\d+)/.exec(time)?.[1] ?? "";
  const seconds = new Date(time.replace(/\.\d+/, "")).toISOString().slice(0, 19);
  return `${seconds}.${fraction.padEnd(7, "0").slice(0, 7)}Z`;
}

function sameInstant(a: string, b: string): boolean {
  return snapshotKey(a) === snapshotKey(b);
}

/** The most a blob list may be: the inline lists' 32 KB limit is for the request; a list blob holds many more. */
export const MAX_BLOB_LIST_BYTES = 64 * 1024 * 1024;

/**
 * Where a job's `blobListBlobPath` points, as container and blob: `container/blob`, `$root/blob`, or the
 * full URL of a blob in the same account (an incomplete blob list's URI, passed on unchanged).
 */
export function blobListLocation(path: string, blobEndpoint: string): { container: string; blob: string } {
  let relative = path.trim();
  if (/^https?:\/\//i.test(relative)) {
    const url = new URL(relative);
    const endpoint = new URL(blobEndpoint.replace(/\/+$/, "") + "/");
    if (url.origin !== endpoint.origin || !url.pathname.startsWith(endpoint.pathname)) {
      throw new SelectionError(
        `The blob list ${url.origin}${url.pathname} is not in the job's storage account (${endpoint.origin}${endpoint.pathname}).`,
      );
    }
    try {
      relative = decodeURIComponent(url.pathname.slice(endpoint.pathname.length));
    } catch {
      // A `%` not followed by two hex digits: no blob's URL, and no crash of the drive's export.
      throw new SelectionError(`The blob list ${url.origin}${url.pathname} is not a URL-encoded blob path.`);
    }
  }
  const rule = blobPathRule(relative);
  return { container: rule.container, blob: rule.blob };
}
