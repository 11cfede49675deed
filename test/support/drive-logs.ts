/**
 * @module A drive's copy logs as a station writes them (the real writer, into a real Azurite): three files,
 * one copied, one renamed (a warning), one corrupted (an error), for the tests that read logs back as rows.
 */

import { StorageSharedKeyCredential } from "@azure/storage-blob";

import { DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME } from "../../src/serve/azurite.js";
import { createBlobTarget } from "../../src/transfer/blob/index.js";
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
