/**
 * @module The v2 dataset CSV of the original drive tool (formats.md §1.4), in its blob form or its Azure
 * Files form (one form per dataset), read into rows and then planned into the files a drive will hold, with each row's metadata and properties files (§2.1–2.2). Every refusal names the CSV line and column, in one sentence,
 * because a customer fixes a dataset by editing that line.
 */

import { lstat, readdir, readFile, stat } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";

import { blobProperties } from "../drive/manifest.js";
import { blobNameProblem, containerNameProblem, shareNameProblem, sharePathProblem } from "../drive/names.js";
import type { NewFile } from "../drive/writer.js";
import { parseMetadataXml, parsePropertiesXml, XmlFileError } from "./xml.js";

export const DATASET_COLUMNS = [
  "BasePath",
  "DstBlobPathOrPrefix",
  "BlobType",
  "Disposition",
  "MetadataFile",
  "PropertiesFile",
] as const;

/** The Azure Files form: a row's files go to a file share (`ItemType` is `file`). */
export const FILE_DATASET_COLUMNS = [
  "BasePath",
  "DstItemPathOrPrefix",
  "ItemType",
  "Disposition",
  "MetadataFile",
  "PropertiesFile",
] as const;

type Column = (typeof DATASET_COLUMNS)[number] | (typeof FILE_DATASET_COLUMNS)[number];
export type BlobType = "BlockBlob" | "PageBlob";
export type Disposition = "rename" | "no-overwrite" | "overwrite";

/** A dataset that cannot be used, with the place to fix it. */
export class DatasetError extends Error {
  override readonly name = "DatasetError";
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: string,
  ) {
    super(message);
  }
}

/** One dataset row, checked: a file or a folder, and where it goes. */
export interface DatasetRow {
  /** The CSV line the row starts on (1 = the header). */
  line: number;
  /** The source, absolute, without the trailing separator that marked a folder. */
  source: string;
  folder: boolean;
  /** `file`: the Azure Files form, `container` naming the share and `blobPath` the path in it. */
  itemType?: "file";
  container: string;
  /** A folder's prefix ("" or ending in "/"), or a file's whole blob name (or path in the share). */
  blobPath: string;
  /** Undefined when the row leaves it empty: then `.vhd`/`.vhdx` files are page blobs, others block blobs. */
  blobType?: BlobType;
  disposition: Disposition;
  /** The metadata XML (formats.md §2.1) for every blob of the row, absolute. */
  metadataFile?: string;
  /** The properties XML (formats.md §2.2) for every blob of the row, absolute. */
  propertiesFile?: string;
}

/**
 * Splits CSV text into records per RFC 4180 (quoted fields, `""` for a quote, CRLF or LF), each with the
 * line it starts on. A BOM (Excel writes one) is dropped; lines holding nothing are skipped.
 */
export function parseCsv(text: string, file: string): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  const input = text.startsWith("\uFEFF") ? text.slice(1) : text;
  let line = 1;
  let start = 1;
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let wasQuoted = false;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === "" && !wasQuoted)) {
      records.push({ line: start, fields });
    }
    fields = [];
    field = "";
    wasQuoted = false;
  };
  for (let i = 0; i < input.length; i += 1) {
    const char = input[i]!;
    if (quoted) {
      if (char === '"') {
        if (input[i + 1] === '"') {
          field += '"';
          i += 1;
        } else {
          quoted = false;
        }
      } else {
        if (char === "\n") {
          line += 1;
        }
        field += char;
      }
    } else if (char === '"') {
      if (field !== "" || wasQuoted) {
        throw new DatasetError(
          `${file} line ${line}: a quote inside an unquoted field (quote the whole field).`,
          line,
        );
      }
      quoted = true;
      wasQuoted = true;
    } else if (char === ",") {
      fields.push(field);
      field = "";
      wasQuoted = false;
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && input[i + 1] === "\n") {
        i += 1;
      }
      endRecord();
      line += 1;
      start = line;
    } else {
      if (wasQuoted) {
        throw new DatasetError(`${file} line ${line}: text after a closing quote.`, line);
      }
      field += char;
    }
  }
  if (quoted) {
    throw new DatasetError(`${file} line ${start}: a quoted field is never closed.`, start);
  }
  if (field !== "" || fields.length > 0 || wasQuoted) {
    endRecord();
  }
  return records;
}

/**
 * Reads a dataset CSV's text into checked rows. `file` names the CSV in messages; relative source paths
 * are taken from `baseFolder` (the CSV's own folder), a convenience the original, which wanted absolute
 * paths, did not offer.
 */
export function parseDataset(text: string, file: string, baseFolder: string): DatasetRow[] {
  const records = parseCsv(text, file);
  const header = records.shift();
  if (!header) {
    throw new DatasetError(`${file} is empty: it needs the header ${DATASET_COLUMNS.join(",")} and a row.`);
  }
  const columns = header.fields.map((name) => name.trim());
  const lower = columns.map((name) => name.toLowerCase());
  const has = (column: string) => lower.includes(column.toLowerCase());
  // One dataset, one form: a row cannot say whether its files are blobs or files otherwise.
  const files = has("DstItemPathOrPrefix") || has("ItemType");
  if (files && (has("DstBlobPathOrPrefix") || has("BlobType"))) {
    throw new DatasetError(
      `${file} line 1: the header mixes the blob form (DstBlobPathOrPrefix, BlobType) and the Azure Files form (DstItemPathOrPrefix, ItemType); a dataset is one or the other: split it in two.`,
      1,
    );
  }
  const form: readonly Column[] = files ? FILE_DATASET_COLUMNS : DATASET_COLUMNS;
  const destination = files ? "DstItemPathOrPrefix" : "DstBlobPathOrPrefix";
  const index = new Map<Column, number>();
  columns.forEach((name, at) => {
    const known = form.find((column) => column.toLowerCase() === name.toLowerCase());
    if (!known) {
      throw new DatasetError(
        `${file} line 1: unknown column '${name}' (the columns are ${form.join(",")}).`,
        1,
        name,
      );
    }
    if (index.has(known)) {
      throw new DatasetError(`${file} line 1: column ${known} appears twice.`, 1, known);
    }
    index.set(known, at);
  });
  const required: Column[] = files ? ["BasePath", destination, "ItemType"] : ["BasePath", destination];
  for (const column of required) {
    if (!index.has(column)) {
      throw new DatasetError(
        `${file} line 1: the header has no ${column} column (a dataset starts with the header ${form.join(",")}).`,
        1,
        column,
      );
    }
  }
  if (records.length === 0) {
    throw new DatasetError(`${file} has a header but no row: nothing to prepare.`);
  }
  return records.map(({ line, fields }) => {
    if (fields.length > columns.length) {
      throw new DatasetError(
        `${file} line ${line}: ${fields.length} fields for ${columns.length} columns (quote a field that holds a comma).`,
        line,
      );
    }
    const value = (column: Column) => {
      const at = index.get(column);
      return at === undefined ? "" : (fields[at] ?? "").trim();
    };
    const refuse = (column: Column, why: string): never => {
      throw new DatasetError(`${file} line ${line}, column ${column}: ${why}.`, line, column);
    };
    return files ? parseFileRow(line, value, refuse, baseFolder) : parseRow(line, value, refuse, baseFolder);
  });
}

/** The source of a row: absolute, and whether a trailing separator made it a folder. */
function sourceOf(
  value: (column: Column) => string,
  refuse: (column: Column, why: string) => never,
  baseFolder: string,
): { source: string; folder: boolean } {
  const base = value("BasePath");
  if (base === "") {
    refuse("BasePath", "the source path is empty");
  }
  // A trailing separator marks a folder (formats.md §1.4); `\` too, as datasets are often written on Windows.
  const folder = /[/\\]$/.test(base);
  const trimmed = base.replace(/[/\\]+$/, "");
  const source = trimmed === "" ? "/" : isAbsolute(trimmed) ? trimmed : resolve(baseFolder, trimmed);
  return { source, folder };
}

function dispositionOf(
  value: (column: Column) => string,
  refuse: (column: Column, why: string) => never,
): Disposition {
  const dispositionText = value("Disposition").toLowerCase();
  const disposition = (dispositionText === "" ? "rename" : dispositionText) as Disposition;
  if (!["rename", "no-overwrite", "overwrite"].includes(disposition)) {
    refuse("Disposition", `'${value("Disposition")}' is not rename, no-overwrite or overwrite`);
  }
  return disposition;
}

/** The metadata and properties files a row names; `None` is the original's way of saying "no file" (formats.md §1.4). */
function xmlFilesOf(value: (column: Column) => string, baseFolder: string) {
  const xmlFile = (column: "MetadataFile" | "PropertiesFile") => {
    const named = value(column);
    if (named === "" || named.toLowerCase() === "none") {
      return {};
    }
    const path = isAbsolute(named) ? named : resolve(baseFolder, named);
    return column === "MetadataFile" ? { metadataFile: path } : { propertiesFile: path };
  };
  return { ...xmlFile("MetadataFile"), ...xmlFile("PropertiesFile") };
}

/**
 * A destination cell split into its container (or share) and the path in it. A full URL
 * (`https://account.blob.core.windows.net/video/…`, or a share's) is read as the relative form.
 */
function destinationOf(
  column: Column,
  top: "container" | "share",
  value: (column: Column) => string,
  refuse: (column: Column, why: string) => never,
): { top: string; rest: string } {
  const destination = value(column).replace(/^https?:\/\/[^/]+\//i, "");
  if (destination === "") {
    refuse(column, `the destination is empty (${top}/ or ${top}/path)`);
  }
  const slash = destination.indexOf("/");
  return slash === -1
    ? { top: destination, rest: "" }
    : { top: destination.slice(0, slash), rest: destination.slice(slash + 1) };
}

/** A row of the Azure Files form: `share/` or `share/path/` for a folder, `share/path/file` for a file. */
function parseFileRow(
  line: number,
  value: (column: Column) => string,
  refuse: (column: Column, why: string) => never,
  baseFolder: string,
): DatasetRow {
  const { source, folder } = sourceOf(value, refuse, baseFolder);
  if (value("ItemType").toLowerCase() !== "file") {
    refuse("ItemType", `'${value("ItemType")}' is not file (the only item type of the Azure Files form)`);
  }
  const { top: share, rest } = destinationOf("DstItemPathOrPrefix", "share", value, refuse);
  let path = rest;
  const shareProblem = shareNameProblem(share);
  if (shareProblem !== undefined) {
    refuse("DstItemPathOrPrefix", `'${share}' is not a share name: ${shareProblem}`);
  }
  if (folder) {
    if (path !== "") {
      const problem = sharePathProblem(path.replace(/\/$/, ""));
      if (problem !== undefined) {
        refuse("DstItemPathOrPrefix", `'${path}' is not a folder path in a share: ${problem}`);
      }
      if (!path.endsWith("/")) {
        path += "/";
      }
    }
  } else {
    if (path === "" || path.endsWith("/")) {
      path += basename(source);
    }
    const problem = sharePathProblem(path);
    if (problem !== undefined) {
      refuse("DstItemPathOrPrefix", `'${path}' is not a file path in a share: ${problem}`);
    }
  }
  return {
    line,
    source,
    folder,
    itemType: "file",
    container: share,
    blobPath: path,
    disposition: dispositionOf(value, refuse),
    ...xmlFilesOf(value, baseFolder),
  };
}

function parseRow(
  line: number,
  value: (column: Column) => string,
  refuse: (column: Column, why: string) => never,
  baseFolder: string,
): DatasetRow {
  const { source, folder } = sourceOf(value, refuse, baseFolder);

  const { top: container, rest } = destinationOf("DstBlobPathOrPrefix", "container", value, refuse);
  let blobPath = rest;
  const containerProblem = containerNameProblem(container);
  if (containerProblem !== undefined) {
    refuse("DstBlobPathOrPrefix", `'${container}' is not a container name: ${containerProblem}`);
  }
  if (folder) {
    // A folder always lands under a prefix: `container/dir` is read as `container/dir/`.
    if (blobPath !== "" && !blobPath.endsWith("/")) {
      blobPath += "/";
    }
  } else {
    // A file given a prefix keeps its own name under it.
    if (blobPath === "" || blobPath.endsWith("/")) {
      blobPath += basename(source);
    }
    const problem = blobNameProblem(container, blobPath);
    if (problem !== undefined) {
      refuse("DstBlobPathOrPrefix", `'${blobPath}' is not a blob name: ${problem}`);
    }
  }

  const blobTypeText = value("BlobType").toLowerCase();
  let blobType: BlobType | undefined;
  if (blobTypeText === "block" || blobTypeText === "blockblob") {
    blobType = "BlockBlob";
  } else if (blobTypeText === "page" || blobTypeText === "pageblob") {
    blobType = "PageBlob";
  } else if (blobTypeText !== "") {
    refuse("BlobType", `'${value("BlobType")}' is not BlockBlob or PageBlob (or empty: by extension)`);
  }

  return {
    line,
    source,
    folder,
    container,
    blobPath,
    ...(blobType ? { blobType } : {}),
    disposition: dispositionOf(value, refuse),
    ...xmlFilesOf(value, baseFolder),
  };
}

/** One file to put on a drive, with the dataset line it comes from. */
export interface PlannedFile {
  line: number;
  file: NewFile & { sourcePath: string };
}

/** A blob type by the rule of formats.md §1.4: as the row says, else page blobs for virtual disks. */
function blobTypeOf(row: DatasetRow, name: string): BlobType {
  return row.blobType ?? (/\.vhdx?$/i.test(name) ? "PageBlob" : "BlockBlob");
}

/**
 * Expands the rows into files with their sizes: a folder's regular files, recursively, in name order (so
 * the same dataset always plans the same list, which resuming relies on). Symlinks are followed when they
 * lead to a regular file; a symlink to a folder is refused (it could loop, or leave the tree), as is
 * anything that is not a regular file. A missing source, a page blob whose size is not a multiple of 512,
 * and two sources for one destination are refused too, before any byte is written.
 */
export async function planDataset(rows: readonly DatasetRow[], file: string): Promise<PlannedFile[]> {
  const planned: PlannedFile[] = [];
  const destinations = new Map<string, number>();
  for (const row of rows) {
    const refuse = (column: Column, why: string): never => {
      throw new DatasetError(`${file} line ${row.line}, column ${column}: ${why}.`, row.line, column);
    };
    const info = await stat(row.source).catch(() => undefined);
    if (!info) {
      refuse("BasePath", `${row.source} does not exist`);
    }
    const metadata = row.metadataFile
      ? await readXml(row.metadataFile, parseMetadataXml, (why) => refuse("MetadataFile", why))
      : undefined;
    const properties = row.propertiesFile
      ? await readXml(row.propertiesFile, parsePropertiesXml, (why) => refuse("PropertiesFile", why))
      : undefined;
    if (properties) {
      const checked = blobProperties.safeParse(properties);
      if (!checked.success) {
        const issue = checked.error.issues[0];
        refuse(
          "PropertiesFile",
          `${row.propertiesFile} sets ${issue?.path.join(".")}: ${issue?.message ?? "invalid"}`,
        );
      }
    }
    const found: { path: string; relative: string; size: number }[] = [];
    if (row.folder) {
      if (!info!.isDirectory()) {
        refuse("BasePath", `${row.source} is not a folder (a trailing / or \\ means a folder)`);
      }
      await walk(row.source, "", found, (why) => refuse("BasePath", why));
    } else {
      if (info!.isDirectory()) {
        refuse("BasePath", `${row.source} is a folder: end it with / (or \\) to copy it recursively`);
      }
      if (!info!.isFile()) {
        refuse("BasePath", `${row.source} is not a regular file`);
      }
      found.push({ path: row.source, relative: "", size: info!.size });
    }
    const toShare = row.itemType === "file";
    const destination = toShare ? "DstItemPathOrPrefix" : "DstBlobPathOrPrefix";
    for (const { path, relative, size } of found) {
      const blobName = row.folder ? row.blobPath + relative : row.blobPath;
      if (toShare) {
        const problem = sharePathProblem(blobName);
        if (problem !== undefined) {
          refuse(
            destination,
            `${path} would be the file '${blobName}', which is not a path in a share: ${problem}`,
          );
        }
      } else {
        const problem = blobNameProblem(row.container, blobName);
        if (problem !== undefined) {
          refuse(
            destination,
            `${path} would be the blob '${blobName}', which is not a blob name: ${problem}`,
          );
        }
      }
      const blobType = toShare ? "BlockBlob" : blobTypeOf(row, blobName);
      if (blobType === "PageBlob" && size % 512 !== 0) {
        refuse("BlobType", `${path} is ${size} bytes, not a multiple of 512, so it cannot be a page blob`);
      }
      const key = `${row.container}/${blobName}`;
      // Azure Files names ignore case: `A.txt` and `a.txt` are one file on a share.
      const earlier = destinations.get(toShare ? key.toLowerCase() : key);
      if (earlier !== undefined) {
        refuse(destination, `${key} is already the destination of a file from line ${earlier}`);
      }
      destinations.set(toShare ? key.toLowerCase() : key, row.line);
      planned.push({
        line: row.line,
        file: {
          ...(toShare ? { itemType: "file" as const } : {}),
          container: row.container,
          blobName,
          blobType,
          disposition: row.disposition,
          ...(metadata ? { metadata } : {}),
          ...(properties ? { properties } : {}),
          size,
          sourcePath: path,
        },
      });
    }
  }
  return planned;
}

async function walk(
  folder: string,
  prefix: string,
  found: { path: string; relative: string; size: number }[],
  refuse: (why: string) => never,
): Promise<void> {
  const entries = await readdir(folder, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(folder, entry.name);
    const relative = prefix + entry.name;
    if (entry.isDirectory()) {
      await walk(path, `${relative}/`, found, refuse);
      continue;
    }
    const link = entry.isSymbolicLink() ? await stat(path).catch(() => undefined) : undefined;
    if (entry.isSymbolicLink() && !link) {
      refuse(`${path} is a symlink to nothing`);
    }
    const info = link ?? (await lstat(path));
    if (info.isDirectory()) {
      refuse(
        `${path} is a symlink to a folder, which is not followed (it could loop): list its target as a row of its own`,
      );
    }
    if (!info.isFile()) {
      refuse(`${path} is not a regular file (a device, socket or pipe cannot be copied)`);
    }
    found.push({ path, relative, size: info.size });
  }
}

/** The largest metadata or properties file read: blob metadata is 8 KiB, so anything near this is not one. */
const MAX_XML_BYTES = 64 * 1024;

async function readXml<T>(
  path: string,
  parse: (text: string) => T,
  refuse: (why: string) => never,
): Promise<T> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) {
    return refuse(`${path} does not exist`);
  }
  if (info.size > MAX_XML_BYTES) {
    return refuse(
      `${path} is ${info.size} bytes, more than a metadata or properties file's ${MAX_XML_BYTES}`,
    );
  }
  try {
    return parse(await readFile(path, "utf8"));
  } catch (error) {
    if (error instanceof XmlFileError) {
      return refuse(`${path} ${error.message}`);
    }
    throw error;
  }
}

/** The folder relative paths in a dataset file are taken from. */
export function datasetFolder(datasetPath: string): string {
  return dirname(resolve(datasetPath));
}
