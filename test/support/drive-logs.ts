/**
 * @module A drive's copy logs as a station writes them (the real writer, into a real Azurite): three files,
 * one copied, one renamed (a warning), one corrupted (an error), for the tests that read logs back as rows;
 * and an export drive's (two blobs on the drive, one from a snapshot; a snapshot that did not fit).
 */

import { StorageSharedKeyCredential } from "@azure/storage-blob";

import { DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME } from "../../src/serve/azurite.js";
import { createBlobTarget } from "../../src/transfer/blob/index.js";
import type { SourceBlob } from "../../src/transfer/blob/source.js";
import type { ManifestFile } from "../../src/transfer/drive/index.js";
import type { ExportResult } from "../../src/transfer/export/engine.js";
import { exportLogXml, writeExportReports } from "../../src/transfer/export/reports.js";
import { type ImportResult, writeDriveLogs } from "../../src/transfer/import/index.js";
import type { TestAzurite } from "./azurite.js";

const MD5 = Buffer.alloc(16, 1).toString("base64");

/** The outcome of a drive whose copy went: photos/a.jpg created, photos/b.jpg renamed, photos/c.raw corrupted. */
export function sampleOutcome(driveId: string): ImportResult {
  const at = new Date("2026-01-15T12:00:00.000Z");
  return {
    driveId,
    files: [
      {
        fileId: 1,
        path: "data/0001",
        sourcePath: "D:\\photos\\a.jpg",
        container: "photos",
        blobName: "a.jpg",
        blobType: "BlockBlob",
        requestedDisposition: "rename",
        dispositionStatus: "Created",
        length: 1000,
        status: "Completed",
      },
      {
        fileId: 2,
        path: "data/0002",
        container: "photos",
        blobName: "b (2).jpg",
        blobType: "BlockBlob",
        requestedDisposition: "rename",
        dispositionStatus: "Renamed",
        length: 2000,
        status: "Completed",
      },
      {
        fileId: 3,
        path: "data/0003",
        container: "photos",
        blobName: "c.raw",
        blobType: "BlockBlob",
        requestedDisposition: "overwrite",
        length: 3000,
        status: "Corrupted",
        message: "Block 0 does not match its MD5 in the manifest.",
        blocks: [{ index: 0, offset: 0, length: 3000, md5: MD5, status: "Corrupted" }],
      },
    ],
    counts: { errorCount: 1, warningCount: 1, infoCount: 0 },
    bytesDone: 3000,
    bytesTotal: 6000,
    bytesUploaded: 3000,
    stopped: false,
    startedAt: at,
    finishedAt: at,
    peakBlocksInFlight: 1,
    peakBufferBytes: 0,
  };
}

/** Writes the drive's error and verbose logs into the development account; answers their URIs. */
export function writeSampleLogs(
  azurite: TestAzurite,
  jobName: string,
  driveId: string,
  options: { container?: string } = {},
): Promise<{ errorLogUri: string; verboseLogUri?: string }> {
  return writeDriveLogs({
    target: createBlobTarget({
      blobEndpoint: azurite.endpoint(),
      credential: new StorageSharedKeyCredential(DEV_ACCOUNT_NAME, DEV_ACCOUNT_KEY),
    }),
    ...(options.container !== undefined ? { container: options.container } : {}),
    jobName,
    driveId,
    at: new Date("2026-01-15T12:00:00.000Z"),
    verbose: true,
    outcome: sampleOutcome(driveId),
  });
}

/** A blob as an export's listing shows it. */
function sourceBlob(name: string, size: number, lastModified: string, snapshot?: string): SourceBlob {
  return {
    container: "photos",
    name,
    ...(snapshot === undefined ? {} : { snapshot }),
    size,
    etag: `"0x${size}"`,
    lastModified,
    blobType: "BlockBlob",
    metadata: {},
    headers: {},
  };
}

/** Its entry in the drive's manifest: one block of its whole size. */
function manifestEntry(id: number, blob: SourceBlob): ManifestFile {
  return {
    id,
    path: `sneakernet-data/0000/0000000${id}.blk`,
    container: blob.container,
    blobName: blob.name,
    ...(blob.snapshot === undefined ? {} : { snapshot: blob.snapshot }),
    blobType: "BlockBlob",
    disposition: "overwrite",
    metadata: {},
    properties: {},
    size: blob.size,
    blockSize: 4 * 1024 * 1024,
    md5: MD5,
    blocks: [MD5],
  };
}

export const EXPORT_SNAPSHOT = "2026-01-15T11:00:00.1234567Z";
export const LEFT_OUT_SNAPSHOT = "2026-01-15T11:30:00.7654321Z";

/**
 * An export drive's outcome: photos/a.jpg (read from its snapshot, as it was leased) and photos/b.jpg on
 * the drive; a snapshot of photos/c.raw left out, the drive full (NotEnoughSpace, info).
 */
export function sampleExportResult(driveId: string): ExportResult {
  const a = sourceBlob("a.jpg", 1000, "Thu, 15 Jan 2026 10:00:00 GMT", EXPORT_SNAPSHOT);
  const b = sourceBlob("b.jpg", 2000, "Thu, 15 Jan 2026 10:05:00 GMT");
  const c = sourceBlob("c.raw", 3000, "Thu, 15 Jan 2026 10:10:00 GMT", LEFT_OUT_SNAPSHOT);
  return {
    driveId,
    files: [
      { blob: a, status: "Completed", entry: manifestEntry(1, a) },
      { blob: b, status: "Completed", entry: manifestEntry(2, b) },
    ],
    leftOut: [
      { blob: c, code: "NotEnoughSpace", kind: "info", message: "The drive has no room left for this blob." },
    ],
    unmatched: [],
    counts: { errorCount: 0, warningCount: 0, infoCount: 1 },
    bytesDone: 3000,
    bytesTotal: 3000,
    stopped: false,
  };
}

/**
 * Writes an export drive's error and verbose logs and its incomplete blob list, as the station does, into
 * the development account; answers their URIs.
 */
export async function writeSampleExportLogs(
  azurite: TestAzurite,
  jobName: string,
  driveId: string,
): Promise<{ errorLogUri: string; verboseLogUri?: string; incompleteBlobListUri?: string }> {
  const target = createBlobTarget({
    blobEndpoint: azurite.endpoint(),
    credential: new StorageSharedKeyCredential(DEV_ACCOUNT_NAME, DEV_ACCOUNT_KEY),
  });
  const at = new Date("2026-01-15T12:00:00.000Z");
  const result = sampleExportResult(driveId);
  const logs = await writeDriveLogs({
    target,
    jobName,
    driveId,
    at,
    verbose: true,
    outcome: (kind) => exportLogXml(result, kind),
  });
  const reports = await writeExportReports({ target, jobName, driveId, at, result, backupManifest: false });
  return { ...logs, ...reports };
}
