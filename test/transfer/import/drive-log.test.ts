/** @module The DriveLog XML of an import: both logs written to storage, parsed back, names and statuses right. */

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { closeSync, openSync, readSync, writeSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

import { parseXML } from "@azure/core-xml";

import {
  driveLogName,
  driveLogXml,
  importDrive,
  type ImportResult,
  MemoryJournal,
  parseDriveLog,
  writeDriveLogs,
} from "../../../src/transfer/import/index.js";
import { startTestAzurite } from "../../support/azurite.js";
import { storedBlockRange } from "../drive/support.js";
import { blobBytes, clock, driveOf, keyTarget } from "./support.js";

const azurite = await startTestAzurite("import-drive-log");
const target = keyTarget(azurite);

type Node = Record<string, unknown> & { $?: Record<string, string>; _?: string };
const list = (value: unknown): Node[] =>
  (value === undefined ? [] : Array.isArray(value) ? value : [value]) as Node[];
const text = (value: unknown): string =>
  typeof value === "string" ? value : ((value as Node | undefined)?._ ?? "");

function corruptBlock(root: string, path: string, start: number): void {
  const fd = openSync(join(root, path), "r+");
  const byte = Buffer.alloc(1);
  readSync(fd, byte, 0, 1, start + 30);
  byte[0] = (byte[0] ?? 0) ^ 0x01;
  writeSync(fd, byte, 0, 1, start + 30);
  closeSync(fd);
}

describe("DriveLog", () => {
  it("names a log as the original did: waies/<job>_<drive>_<yyyyMMdd-HHmmss-fff>_<kind>.xml, in UTC", () => {
    assert.equal(
      driveLogName("myjob", "9WM35C2V", new Date("2013-09-21T03:43:07.902Z"), "error"),
      "waies/myjob_9WM35C2V_20130921-034307-902_error.xml",
    );
  });

  it("writes the error and verbose logs of a drive with a rename, a skip and a corrupted file", async () => {
    const logs = azurite.service().getContainerClient("logs-src");
    await logs.create();
    await logs.getBlockBlobClient("photo.jpg").uploadData(Buffer.from("there first"));
    await logs.getBlockBlobClient("keep.txt").uploadData(Buffer.from("kept"));
    const weird = `odd & <name> "quoted" 'single'.txt`;
    const { drive, written } = await driveOf(
      "drive-log",
      [
        {
          file: { container: "logs-src", blobName: "photo.jpg", disposition: "rename" },
          data: randomBytes(50),
        },
        {
          file: { container: "logs-src", blobName: "keep.txt", disposition: "no-overwrite" },
          data: randomBytes(60),
        },
        {
          file: {
            container: "logs-src",
            blobName: "broken.bin",
            sourcePath: "D:\\data\\broken\u0001\ud800.bin",
          },
          data: randomBytes(4 * 4096),
          blockSize: 4096,
        },
        { file: { container: "logs-src", blobName: weird }, data: randomBytes(70) },
      ],
      "LOGDRIVE1",
    );
    const broken = written.entries[2];
    assert.ok(broken);
    corruptBlock(written.root, broken.path, storedBlockRange(broken, 2).start);
    const result = await importDrive({ drive, target, journal: new MemoryJournal(), clock, concurrency: 1 });
    assert.deepEqual(result.counts, { errorCount: 1, warningCount: 2, infoCount: 0 });

    const at = new Date("2026-12-01T10:20:30.456Z");
    const uris = await writeDriveLogs({
      target,
      jobName: "myjob",
      driveId: "LOGDRIVE1",
      at,
      verbose: true,
      outcome: result,
      manifest: drive.manifest,
    });
    const base = `${azurite.endpoint()}/waimportexport/waies/myjob_LOGDRIVE1_20261201-102030-456`;
    assert.deepEqual(uris, { errorLogUri: `${base}_error.xml`, verboseLogUri: `${base}_verbose.xml` });

    const errorXml = (
      await blobBytes(azurite, "waimportexport", "waies/myjob_LOGDRIVE1_20261201-102030-456_error.xml")
    ).toString("utf8");
    const verboseXml = (
      await blobBytes(azurite, "waimportexport", "waies/myjob_LOGDRIVE1_20261201-102030-456_verbose.xml")
    ).toString("utf8");
    for (const xml of [errorXml, verboseXml]) {
      assert.match(xml, /^<\?xml version="1.0" encoding="utf-8"\?>\n<DriveLog Version="2014-11-01"/);
      assert.match(
        xml,
        /<Status>CompletedWithErrors<\/Status>\n<\/DriveLog>\n$/,
        "the drive status comes last",
      );
      // eslint-disable-next-line no-control-regex -- what XML 1.0 cannot hold must not be there
      assert.doesNotMatch(xml, /[\u0000-\u0008\u000b\u000c\u000e-\u001f]|[\ud800-\udfff](?![\udc00-\udfff])/);
    }

    const error = (await parseXML(errorXml)) as Node;
    assert.equal(error.DriveId, "LOGDRIVE1");
    assert.equal(error.Status, "CompletedWithErrors");
    const errorBlobs = list(error.Blob);
    assert.deepEqual(
      errorBlobs.map((blob) => [
        blob.BlobPath,
        blob.$?.Status,
        text(blob.ImportDisposition),
        list(blob.ImportDisposition)[0]?.$?.Status,
      ]),
      [
        ["logs-src/photo (2).jpg", "Completed", "rename", "Renamed"],
        ["logs-src/keep.txt", "Completed", "no-overwrite", "Skipped"],
        ["logs-src/broken.bin", "CompletedWithErrors", "rename", "Cancelled"],
      ],
    );
    const brokenBlob = errorBlobs[2] as Node;
    const errorBlocks = list((brokenBlob.BlockList as Node).Block);
    assert.deepEqual(
      errorBlocks.map((block) => block.$),
      [
        {
          Offset: "8192",
          Length: "4096",
          Id: result.files[2]?.blocks?.[2]?.id,
          Hash: Buffer.from(broken.blocks[2] ?? "", "base64")
            .toString("hex")
            .toUpperCase(),
          Status: "Corrupted",
        },
      ],
      "the error log keeps only the failed block",
    );
    assert.match(String(brokenBlob["sn:SourcePath"]), /^D:\\data\\broken\ufffd\ufffd\.bin$/);
    assert.match(String(brokenBlob["sn:Message"]), /Block 2/);

    const verbose = (await parseXML(verboseXml)) as Node;
    const verboseBlobs = list(verbose.Blob);
    assert.deepEqual(
      verboseBlobs.map((blob) => [blob.BlobPath, blob.$?.Status]),
      [
        ["logs-src/photo (2).jpg", "Completed"],
        ["logs-src/keep.txt", "Completed"],
        ["logs-src/broken.bin", "CompletedWithErrors"],
        [`logs-src/${weird}`, "Completed"],
      ],
    );
    assert.deepEqual(
      list(((verboseBlobs[2] as Node).BlockList as Node).Block).map((block) => block.$?.Status),
      ["Uncommitted", "Uncommitted", "Corrupted", "Cancelled"],
    );
    assert.equal(verboseBlobs[3]?.FilePath, written.entries[3]?.path);
    // With the manifest, the verbose log lists a completed blob's blocks; a skipped one sent none.
    assert.deepEqual(list((verboseBlobs[3]?.BlockList as Node).Block)[0]?.$, {
      Offset: "0",
      Length: "70",
      Hash: Buffer.from(written.entries[3]?.md5 ?? "", "base64")
        .toString("hex")
        .toUpperCase(),
      Status: "Completed",
    });
    assert.equal(verboseBlobs[1]?.BlockList, undefined);
    assert.equal(errorBlobs[0]?.BlockList, undefined, "the error log lists no block of a completed blob");

    // Our own reader gives the same rows, for the control plane's table.
    const rows = parseDriveLog(verboseXml);
    assert.equal(rows.version, "2014-11-01");
    assert.equal(rows.driveId, "LOGDRIVE1");
    assert.equal(rows.status, "CompletedWithErrors");
    assert.deepEqual(
      rows.blobs.map((row) => [row.blobPath, row.status, row.disposition, row.dispositionStatus, row.length]),
      [
        ["logs-src/photo (2).jpg", "Completed", "rename", "Renamed", 50],
        ["logs-src/keep.txt", "Completed", "no-overwrite", "Skipped", 60],
        ["logs-src/broken.bin", "CompletedWithErrors", "rename", "Cancelled", 4 * 4096],
        [`logs-src/${weird}`, "Completed", "rename", "Created", 70],
      ],
    );
    assert.deepEqual(
      rows.blobs[2]?.blocks.map((block) => [block.offset, block.status]),
      [
        [0, "Uncommitted"],
        [4096, "Uncommitted"],
        [8192, "Corrupted"],
        [12288, "Cancelled"],
      ],
    );
    assert.equal(rows.blobs[2]?.sourcePath, "D:\\data\\broken\ufffd\ufffd.bin");
    assert.equal(parseDriveLog(errorXml).blobs.length, 3);
  });

  it("writes a drive-level failure as the drive's status alone", async () => {
    const failure = {
      driveId: "BADKEY01",
      driveError: { code: "BitLockerKeyInvalid", message: "The key does not open drive 'BADKEY01'." },
    };
    const uris = await writeDriveLogs({
      target,
      container: "diagnostics",
      jobName: "job2",
      driveId: "BADKEY01",
      at: clock.now(),
      verbose: false,
      outcome: failure,
    });
    assert.equal(uris.verboseLogUri, undefined);
    assert.match(uris.errorLogUri, /\/diagnostics\/waies\/job2_BADKEY01_20261201-102030-456_error\.xml$/);
    const parsed = (await parseXML(driveLogXml(failure, "error"))) as Node;
    assert.equal(parsed.DriveId, "BADKEY01");
    assert.equal(parsed.Status, "BitLockerKeyInvalid");
    assert.equal(parsed.Blob, undefined);
  });

  it("says Completed, or CompletedWithWarnings, when nothing failed", () => {
    const base: ImportResult = {
      driveId: "D1",
      files: [],
      counts: { errorCount: 0, warningCount: 0, infoCount: 0 },
      bytesDone: 0,
      bytesTotal: 0,
      bytesUploaded: 0,
      stopped: false,
      startedAt: clock.now(),
      finishedAt: clock.now(),
      peakBlocksInFlight: 0,
      peakBufferBytes: 0,
    };
    assert.match(driveLogXml(base, "error"), /<Status>Completed<\/Status>/);
    assert.match(
      driveLogXml({ ...base, counts: { errorCount: 0, warningCount: 1, infoCount: 0 } }, "error"),
      /<Status>CompletedWithWarnings<\/Status>/,
    );
  });

  it("reads back what it writes, whatever the text holds, and refuses a document that is not XML", () => {
    const result: ImportResult = {
      driveId: "D&<2>",
      files: [
        {
          fileId: 1,
          path: "sneakernet-data/0000/00000001.blk",
          sourcePath: "a\tb\nc & 'd' \"e\" <f>",
          container: "c1",
          blobName: "x/y.txt",
          blobType: "PageBlob",
          requestedDisposition: "overwrite",
          length: 1024,
          status: "FileNotFound",
          message: "line one\nline two\r\n\u0007bell",
          blocks: [
            { index: 0, offset: 0, length: 1024, md5: "1B2M2Y8AsgTpgAmY7PhCfg==", status: "Cancelled" },
          ],
        },
      ],
      counts: { errorCount: 1, warningCount: 0, infoCount: 0 },
      bytesDone: 0,
      bytesTotal: 1024,
      bytesUploaded: 0,
      stopped: false,
      startedAt: clock.now(),
      finishedAt: clock.now(),
      peakBlocksInFlight: 0,
      peakBufferBytes: 0,
    };
    const xml = driveLogXml(result, "error");
    assert.match(
      xml,
      /<PageRangeList>\n\s*<PageRange Offset="0" Length="1024" Hash="D41D8CD98F00B204E9800998ECF8427E" Status="Cancelled"\/>/,
    );
    const parsed = parseDriveLog(xml);
    assert.deepEqual(parsed, {
      version: "2014-11-01",
      driveId: "D&<2>",
      status: "CompletedWithErrors",
      blobs: [
        {
          status: "FileNotFound",
          blobPath: "c1/x/y.txt",
          filePath: "sneakernet-data/0000/00000001.blk",
          sourcePath: "a\tb\nc & 'd' \"e\" <f>",
          length: 1024,
          disposition: "overwrite",
          dispositionStatus: "Cancelled",
          message: "line one\nline two\r\n\ufffdbell",
          blocks: [
            { offset: 0, length: 1024, hash: "D41D8CD98F00B204E9800998ECF8427E", status: "Cancelled" },
          ],
        },
      ],
    });
    assert.throws(() => parseDriveLog("<DriveLog><Blob></DriveLog>"), /closes <DriveLog>/);
    assert.throws(() => parseDriveLog("<DriveLog>&bogus;</DriveLog>"), /unknown entity/);
    assert.throws(() => parseDriveLog("<Other/>"), /not a DriveLog/);
  });
});
