/**
 * @module What an export leaves in the diagnostics container: its DriveLog (formats.md §2.4, with the
 * export's Snapshot and LastModified), the incomplete blob list (§2.6, in the blob-list XML of §2.5 so it
 * can be the blobListBlobPath of a follow-up job), and the manifest backup (§2.7).
 */

import type { BlobTarget } from "../blob/target.js";
import type { Manifest, ManifestFile } from "../drive/index.js";
import { plainLengthOf } from "../drive/layout.js";
import {
  DEFAULT_LOG_CONTAINER,
  DRIVE_LOG_VERSION,
  type DriveLogKind,
  driveLogName,
  EXTENSION_NAMESPACE,
  hex,
  xmlText,
} from "../import/drive-log.js";
import type { LeftOut } from "./contract.js";
import type { ExportResult } from "./engine.js";

const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';

function blockListXml(entry: ManifestFile): string[] {
  const list = entry.blobType === "PageBlob" ? "PageRangeList" : "BlockList";
  const item = entry.blobType === "PageBlob" ? "PageRange" : "Block";
  if (entry.blocks.length === 0) {
    return [`    <${list}/>`];
  }
  return [
    `    <${list}>`,
    ...entry.blocks.map(
      (md5, index) =>
        `      <${item} Offset="${index * entry.blockSize}" Length="${plainLengthOf(entry.size, entry.blockSize, index)}" Hash="${hex(md5)}" Status="Completed"/>`,
    ),
    `    </${list}>`,
  ];
}

/** The drive's outcome, last in its log. */
function exportStatus(result: ExportResult): string {
  if (result.driveError) {
    return result.driveError.code;
  }
  if (result.counts.errorCount > 0 || result.stopped) {
    return "CompletedWithErrors";
  }
  return result.counts.warningCount > 0 || result.counts.infoCount > 0
    ? "CompletedWithWarnings"
    : "Completed";
}

/** The export's DriveLog: every blob (verbose) or only those not exported (error). */
export function exportLogXml(result: ExportResult, kind: DriveLogKind): string {
  const lines = [
    XML_DECLARATION,
    `<DriveLog Version="${DRIVE_LOG_VERSION}" xmlns:sn="${EXTENSION_NAMESPACE}">`,
    `  <DriveId>${xmlText(result.driveId)}</DriveId>`,
  ];
  if (result.driveError) {
    lines.push(`  <sn:Message>${xmlText(result.driveError.message)}</sn:Message>`);
  }
  const blobXml = (
    status: string,
    blob: { container: string; name: string; snapshot?: string; size: number; lastModified: string },
    entry?: ManifestFile,
    message?: string,
  ) => {
    lines.push(
      `  <Blob Status="${xmlText(status)}">`,
      `    <BlobPath>${xmlText(`${blob.container}/${blob.name}`)}</BlobPath>`,
      `    <FilePath>${xmlText(entry?.path ?? "")}</FilePath>`,
    );
    if (blob.snapshot !== undefined) {
      lines.push(`    <Snapshot>${xmlText(blob.snapshot)}</Snapshot>`);
    }
    lines.push(
      `    <Length>${entry?.size ?? blob.size}</Length>`,
      `    <LastModified>${xmlText(blob.lastModified)}</LastModified>`,
    );
    if (entry && kind === "verbose") {
      lines.push(...blockListXml(entry));
    }
    if (message !== undefined) {
      lines.push(`    <sn:Message>${xmlText(message)}</sn:Message>`);
    }
    lines.push("  </Blob>");
  };
  const leftOutListed = new Set(result.leftOut.map((out) => out.blob));
  for (const file of result.files) {
    if (file.status === "Completed") {
      if (kind === "verbose") {
        blobXml("Completed", file.blob, file.entry);
      }
    } else if (!leftOutListed.has(file.blob)) {
      // Not left out (a blob deleted mid-export, or one the run stopped before): still never silent.
      blobXml(file.status === "Stopped" ? "Failed" : file.status, file.blob, undefined, file.message);
    }
  }
  for (const out of result.leftOut) {
    blobXml(out.code, out.blob, undefined, out.message);
  }
  for (const path of result.unmatched) {
    lines.push(
      `  <Blob Status="BlobNotFound">`,
      `    <BlobPath>${xmlText(path)}</BlobPath>`,
      `    <FilePath></FilePath>`,
      `    <Length>0</Length>`,
      `    <sn:Message>No blob in the storage account matches this entry of the export's selection.</sn:Message>`,
      "  </Blob>",
    );
  }
  lines.push(`  <Status>${xmlText(exportStatus(result))}</Status>`, "</DriveLog>", "");
  return lines.join("\n");
}

/**
 * The blobs not exported, as a blob list: a base blob by its path without its snapshots (each snapshot
 * left out is its own line), so a follow-up job takes exactly what is missing.
 */
export function incompleteBlobListXml(leftOut: readonly LeftOut[]): string {
  const lines = [XML_DECLARATION, "<BlobList>"];
  for (const { blob } of leftOut) {
    const path = xmlText(`${blob.container}/${blob.name}`);
    lines.push(
      blob.snapshot === undefined
        ? `  <BlobPath IncludeSnapshots="false">${path}</BlobPath>`
        : `  <BlobPath SnapshotTime="${xmlText(blob.snapshot)}">${path}</BlobPath>`,
    );
  }
  lines.push("</BlobList>", "");
  return lines.join("\n");
}

/** The manifest in the clear, for the customer's own records (formats.md §2.7: a second copy of the MD5s). */
export function manifestBackupXml(manifest: Manifest): string {
  const lines = [
    XML_DECLARATION,
    `<DriveManifest Version="${manifest.version}" xmlns:sn="${EXTENSION_NAMESPACE}">`,
    `  <DriveId>${xmlText(manifest.driveId)}</DriveId>`,
  ];
  for (const file of manifest.files) {
    lines.push(
      "  <Blob>",
      `    <BlobPath>${xmlText(`${file.container}/${file.blobName}`)}</BlobPath>`,
      `    <FilePath>${xmlText(file.path)}</FilePath>`,
    );
    if (file.snapshot !== undefined) {
      lines.push(`    <Snapshot>${xmlText(file.snapshot)}</Snapshot>`);
    }
    lines.push(
      `    <Length>${file.size}</Length>`,
      `    <ContentMD5>${xmlText(file.md5)}</ContentMD5>`,
      ...blockListXml(file),
      "  </Blob>",
    );
  }
  lines.push("</DriveManifest>", "");
  return lines.join("\n");
}

/** A selection as a blob list: what a drive that could take nothing passes on to the next. */
export function selectionListXml(lists: { blobPaths?: string[]; blobPathPrefixes?: string[] }): string {
  return [
    XML_DECLARATION,
    "<BlobList>",
    ...(lists.blobPathPrefixes ?? []).map(
      (prefix) => `  <BlobPathPrefix>${xmlText(prefix)}</BlobPathPrefix>`,
    ),
    ...(lists.blobPaths ?? []).map((path) => `  <BlobPath>${xmlText(path)}</BlobPath>`),
    "</BlobList>",
    "",
  ].join("\n");
}

export interface WriteExportReportsOptions {
  target: BlobTarget;
  container?: string;
  jobName: string;
  driveId: string;
  at: Date;
  result: ExportResult;
  /** The job asked for a backup of each drive's manifest. */
  backupManifest: boolean;
  /**
   * What the drive was given to take, when it could take nothing at all (its blob list would not parse,
   * the account could not be listed): passed on as its incomplete blob list, so the job's next drive
   * tries the same selection rather than taking nothing, and the job names what is still to export.
   */
  passOn?: { blobListUri: string } | { blobPaths?: string[]; blobPathPrefixes?: string[] };
}

/** Writes the incomplete blob list (when something is left out) and the manifest backup (when asked). */
export async function writeExportReports(
  options: WriteExportReportsOptions,
): Promise<{ incompleteBlobListUri?: string; manifestUri?: string }> {
  const { target, jobName, driveId, at, result } = options;
  const container = options.container ?? DEFAULT_LOG_CONTAINER;
  await target.ensureContainer(container);
  const uris: { incompleteBlobListUri?: string; manifestUri?: string } = {};
  if (result.leftOut.length > 0) {
    uris.incompleteBlobListUri = await target.uploadText(
      container,
      driveLogName(jobName, driveId, at, "incomplete"),
      incompleteBlobListXml(result.leftOut),
      "application/xml; charset=utf-8",
    );
  } else if (result.driveError && options.passOn) {
    uris.incompleteBlobListUri =
      "blobListUri" in options.passOn
        ? options.passOn.blobListUri
        : await target.uploadText(
            container,
            driveLogName(jobName, driveId, at, "incomplete"),
            selectionListXml(options.passOn),
            "application/xml; charset=utf-8",
          );
  }
  if (options.backupManifest && result.manifest) {
    uris.manifestUri = await target.uploadText(
      container,
      driveLogName(jobName, driveId, at, "manifest"),
      manifestBackupXml(result.manifest),
      "application/xml; charset=utf-8",
    );
  }
  return uris;
}
