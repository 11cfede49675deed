/** @module An export's DriveLog read back as rows: each blob's snapshot and Last-Modified come through. */

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { exportLogXml } from "../../../src/transfer/export/reports.js";
import { parseDriveLog } from "../../../src/transfer/import/index.js";
import { EXPORT_SNAPSHOT, LEFT_OUT_SNAPSHOT, sampleExportResult } from "../../support/drive-logs.js";

describe("an export's DriveLog as rows", () => {
  it("the verbose log: every blob with its Last-Modified, a snapshot where it was read from one", () => {
    const log = parseDriveLog(exportLogXml(sampleExportResult("EXP-1"), "verbose"));
    assert.equal(log.driveId, "EXP-1");
    assert.equal(log.status, "CompletedWithWarnings");
    assert.deepEqual(
      log.blobs.map((b) => [b.status, b.blobPath, b.snapshot, b.length, b.lastModified]),
      [
        ["Completed", "photos/a.jpg", EXPORT_SNAPSHOT, 1000, "Thu, 15 Jan 2026 10:00:00 GMT"],
        ["Completed", "photos/b.jpg", undefined, 2000, "Thu, 15 Jan 2026 10:05:00 GMT"],
        ["NotEnoughSpace", "photos/c.raw", LEFT_OUT_SNAPSHOT, 3000, "Thu, 15 Jan 2026 10:10:00 GMT"],
      ],
    );
    // A blob without a snapshot has no key for it, not an empty one.
    assert.equal("snapshot" in log.blobs[1]!, false);
    assert.equal(log.blobs[0]?.filePath, "sneakernet-data/0000/00000001.blk");
    assert.equal(log.blobs[0]?.blocks.length, 1);
    assert.equal(log.blobs[2]?.message, "The drive has no room left for this blob.");
  });

  it("the error log: only what was not exported, its snapshot kept", () => {
    const log = parseDriveLog(exportLogXml(sampleExportResult("EXP-1"), "error"));
    assert.deepEqual(log.blobs, [
      {
        status: "NotEnoughSpace",
        blobPath: "photos/c.raw",
        filePath: "",
        snapshot: LEFT_OUT_SNAPSHOT,
        length: 3000,
        lastModified: "Thu, 15 Jan 2026 10:10:00 GMT",
        message: "The drive has no room left for this blob.",
        blocks: [],
      },
    ]);
  });

  it("an import's log has neither", () => {
    const xml = [
      '<DriveLog Version="2014-11-01"><DriveId>D1</DriveId>',
      '<Blob Status="Completed"><BlobPath>c/x</BlobPath><FilePath>f</FilePath><Length>1</Length></Blob>',
      "<Status>Completed</Status></DriveLog>",
    ].join("");
    const [row] = parseDriveLog(xml).blobs;
    assert.equal("snapshot" in row!, false);
    assert.equal("lastModified" in row!, false);
  });
});
