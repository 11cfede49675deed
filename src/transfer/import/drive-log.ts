/**
 * @module The copy logs of a drive (formats.md §2.4): the DriveLog XML written from an import's result
 * (or from a drive that could not be read at all), its blob name, and writing both logs to storage.
 * Every name in it is customer data: escaped, and characters XML 1.0 cannot hold replaced.
 */

import type { BlobTarget } from "../blob/target.js";
import type { Manifest, ManifestFile } from "../drive/index.js";
import { plainLengthOf } from "../drive/layout.js";
import { blockId } from "./block-id.js";
import type { BlockOutcome, FileOutcome, ImportResult } from "./outcome.js";

export const DRIVE_LOG_VERSION = "2014-11-01";
/** Our additions to the DriveLog (the customer's source path, a failure's message) live in this namespace. */
export const EXTENSION_NAMESPACE = "urn:sneakernet:drivelog:1";
export const DEFAULT_LOG_CONTAINER = "waimportexport";

export type DriveLogKind = "error" | "verbose";

/** A drive that could not be read at all: the log holds its id and the drive-level code only. */
export interface DriveFailure {
  driveId: string;
  driveError: { code: string; message: string };
}

export type DriveLogSource = ImportResult | DriveFailure;

// XML 1.0's Char production; anything else (a lone surrogate, a control character) makes a document unparsable.
// eslint-disable-next-line no-control-regex -- naming the control characters XML allows is the point
const NOT_XML_CHAR = /[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

/** Text fit for an element or an attribute value. */
export function xmlText(value: string | number): string {
  return String(value)
    .replace(NOT_XML_CHAR, "\ufffd")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/\r/g, "&#13;")
    .replace(/\t/g, "&#9;")
    .replace(/\n/g, "&#10;");
}

/** An MD5 as the manifest keeps it (base64) written as the DriveLog writes hashes: upper-case hex. */
export const hex = (md5: string) => Buffer.from(md5, "base64").toString("hex").toUpperCase();
const BLOCK_ERRORS = new Set([
  "Corrupted",
  "FileUnexpectedEnd",
  "BlobRequestFailed",
  "BlobRequestForbidden",
  "IOFailed",
  "Failed",
]);
const isBlockError = (block: BlockOutcome) => BLOCK_ERRORS.has(block.status);

/** Blob/@Status: a failure inside the blocks makes the blob CompletedWithErrors (as the samples show). */
function blobStatus(file: FileOutcome): string {
  if (file.status === "Completed") {
    return "Completed";
  }
  if (file.status === "Stopped") {
    return "Failed";
  }
  return file.blocks?.some(isBlockError) ? "CompletedWithErrors" : file.status;
}

const isWarned = (file: FileOutcome) =>
  file.status === "Completed" && (file.dispositionStatus !== "Created" || file.warning !== undefined);

/** A completed file's blocks, from its manifest entry: the verbose log lists them as the original did. */
function completedBlocks(entry: ManifestFile): BlockOutcome[] {
  // A file share item is written whole: its blocks had no ids.
  const staged = entry.itemType !== "file" && entry.blobType === "BlockBlob" && entry.blocks.length > 1;
  return entry.blocks.map((md5, index) => ({
    index,
    offset: index * entry.blockSize,
    length: plainLengthOf(entry.size, entry.blockSize, index),
    ...(staged ? { id: blockId(entry.id, index, md5) } : {}),
    md5,
    status: "Completed",
  }));
}

function blobXml(file: FileOutcome, kind: DriveLogKind, entry: ManifestFile | undefined): string {
  const failed = file.status !== "Completed";
  const lines = [
    `  <Blob Status="${xmlText(blobStatus(file))}">`,
    // A file share item keeps the element, with `share/path`, and says what it is in our namespace.
    `    <BlobPath>${xmlText(`${file.container}/${file.blobName}`)}</BlobPath>`,
    `    <FilePath>${xmlText(file.path)}</FilePath>`,
  ];
  if (file.itemType !== undefined) {
    lines.push(`    <sn:ItemType>${xmlText(file.itemType)}</sn:ItemType>`);
  }
  if (file.sourcePath !== undefined) {
    lines.push(`    <sn:SourcePath>${xmlText(file.sourcePath)}</sn:SourcePath>`);
  }
  lines.push(`    <Length>${file.length}</Length>`);
  const disposition = failed ? "Cancelled" : (file.dispositionStatus ?? "Cancelled");
  lines.push(
    `    <ImportDisposition Status="${disposition}">${xmlText(file.requestedDisposition)}</ImportDisposition>`,
  );
  // A skipped file sent no block; a completed one lists its blocks in the verbose log, when the manifest is at hand.
  const listed = kind === "verbose" && entry !== undefined && file.dispositionStatus !== "Skipped";
  const blocks = failed ? file.blocks : listed ? completedBlocks(entry) : undefined;
  if (blocks) {
    // The error log keeps only the failing blocks; when the file failed as a whole, every (cancelled) block.
    const failing = blocks.filter(isBlockError);
    const shown = kind === "verbose" || failing.length === 0 ? blocks : failing;
    const list = file.blobType === "PageBlob" ? "PageRangeList" : "BlockList";
    const item = file.blobType === "PageBlob" ? "PageRange" : "Block";
    if (shown.length === 0) {
      lines.push(`    <${list}/>`);
    } else {
      lines.push(`    <${list}>`);
      for (const block of shown) {
        const id = block.id === undefined ? "" : ` Id="${xmlText(block.id)}"`;
        lines.push(
          `      <${item} Offset="${block.offset}" Length="${block.length}"${id} Hash="${hex(block.md5)}" Status="${block.status}"/>`,
        );
      }
      lines.push(`    </${list}>`);
    }
  }
  if (file.message !== undefined) {
    lines.push(`    <sn:Message>${xmlText(file.message)}</sn:Message>`);
  }
  if (file.warning !== undefined) {
    lines.push(`    <sn:Warning>${xmlText(file.warning)}</sn:Warning>`);
  }
  lines.push("  </Blob>");
  return lines.join("\n");
}

/** DriveLog/Status: the drive's outcome, last. */
export function driveStatus(source: DriveLogSource): string {
  if ("driveError" in source) {
    return source.driveError.code;
  }
  if (source.counts.errorCount > 0 || source.stopped) {
    return "CompletedWithErrors";
  }
  return source.counts.warningCount > 0 ? "CompletedWithWarnings" : "Completed";
}

export interface DriveLogOptions {
  /** The drive's manifest: with it, the verbose log lists the blocks of completed blobs too. */
  manifest?: Manifest;
}

/** The DriveLog XML; the error log is the verbose one without what went well. */
export function driveLogXml(
  source: DriveLogSource,
  kind: DriveLogKind,
  options: DriveLogOptions = {},
): string {
  const entries = new Map((options.manifest?.files ?? []).map((entry) => [entry.id, entry]));
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<DriveLog Version="${DRIVE_LOG_VERSION}" xmlns:sn="${EXTENSION_NAMESPACE}">`,
    `  <DriveId>${xmlText(source.driveId)}</DriveId>`,
  ];
  if ("driveError" in source) {
    lines.push(`  <sn:Message>${xmlText(source.driveError.message)}</sn:Message>`);
  } else {
    for (const file of source.files) {
      if (kind === "verbose" || file.status !== "Completed" || isWarned(file)) {
        lines.push(blobXml(file, kind, entries.get(file.fileId)));
      }
    }
  }
  lines.push(`  <Status>${xmlText(driveStatus(source))}</Status>`, "</DriveLog>", "");
  return lines.join("\n");
}

const pad = (value: number, width = 2) => String(value).padStart(width, "0");

/**
 * `waies/<job>_<driveId>_<yyyyMMdd-HHmmss-fff>_<kind>.xml`, in UTC: the logs, and beside them an export's
 * manifest backup (formats.md §2.7) and incomplete blob list.
 */
export function driveLogName(
  jobName: string,
  driveId: string,
  at: Date,
  kind: DriveLogKind | "manifest" | "incomplete",
): string {
  const stamp =
    `${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}-` +
    `${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}-${pad(at.getUTCMilliseconds(), 3)}`;
  return `waies/${jobName}_${driveId}_${stamp}_${kind}.xml`;
}

export interface WriteDriveLogsOptions {
  target: BlobTarget;
  /** The job's diagnosticsPath (default `waimportexport`). */
  container?: string;
  jobName: string;
  driveId: string;
  at: Date;
  /** The job asked for the verbose log too. */
  verbose: boolean;
  /** What the logs tell: an import's result, a drive that could not be read, or a log already rendered. */
  outcome: DriveLogSource | ((kind: DriveLogKind) => string);
  /** The drive's manifest, for the verbose log's block lists of completed blobs. */
  manifest?: Manifest;
}

/** Writes the error log (always) and the verbose log (when asked); answers their URIs, without any SAS. */
export async function writeDriveLogs(
  options: WriteDriveLogsOptions,
): Promise<{ errorLogUri: string; verboseLogUri?: string }> {
  const { target, jobName, driveId, at, outcome } = options;
  const container = options.container ?? DEFAULT_LOG_CONTAINER;
  await target.ensureContainer(container);
  const put = (kind: DriveLogKind) =>
    target.uploadText(
      container,
      driveLogName(jobName, driveId, at, kind),
      typeof outcome === "function"
        ? outcome(kind)
        : driveLogXml(outcome, kind, options.manifest ? { manifest: options.manifest } : {}),
      "application/xml; charset=utf-8",
    );
  const errorLogUri = await put("error");
  if (!options.verbose) {
    return { errorLogUri };
  }
  return { errorLogUri, verboseLogUri: await put("verbose") };
}
