/**
 * @module What an export leaves in the diagnostics container: the incomplete blob list read back by the
 * blob-list parser (hostile names, $root, snapshots) selects exactly what was left out, and the DriveLog
 * is well-formed and read back by the log reader.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import type { SourceBlob } from "../../../src/transfer/blob/source.js";
import type { ManifestFile } from "../../../src/transfer/drive/index.js";
import type { LeftOut } from "../../../src/transfer/export/contract.js";
import type { ExportResult } from "../../../src/transfer/export/engine.js";
import { exportLogXml, incompleteBlobListXml } from "../../../src/transfer/export/reports.js";
import { parseBlobList, selects } from "../../../src/transfer/export/selection.js";
import { parseDriveLog } from "../../../src/transfer/import/drive-log-read.js";

const SNAPSHOT = "2026-12-01T10:11:12.1234567Z";

function blob(container: string, name: string, snapshot?: string): SourceBlob {
  return {
    container,
    name,
    ...(snapshot !== undefined ? { snapshot } : {}),
    size: 1234,
    etag: '"0x8D"',
    lastModified: "2026-12-01T09:00:00.000Z",
    blobType: "BlockBlob",
    metadata: {},
    headers: {},
  };
}

const out = (b: SourceBlob, code: LeftOut["code"] = "NotEnoughSpace"): LeftOut => ({
  blob: b,
  code,
  kind: code === "NotEnoughSpace" ? "info" : "error",
  message: `left out: ${code} <&> "quoted"`,
});

/** Names a list must carry unchanged: ends with spaces, XML's specials, unicode, a leading slash. */
const HOSTILE = [
  "trailing space ",
  "  two leading spaces",
  "ends with two  ",
  "a&b<c>d\"e'f.txt",
  "日本語/ファイル.bin",
  "emoji 😀 name",
  "/leading-slash",
  "percent%20not-encoded",
  "dir/sub dir/file name",
  "&amp;literal",
];

describe("the incomplete blob list", () => {
  it("round-trips through the blob-list parser: each left-out blob and snapshot selected, nothing else", () => {
    const left: LeftOut[] = [
      ...HOSTILE.map((name) => out(blob("data", name))),
      out(blob("$root", "root-blob.txt")),
      out(blob("data", "snapped.bin", SNAPSHOT), "LeasePresent"),
    ];
    const selection = parseBlobList(incompleteBlobListXml(left));
    assert.equal(selection.prefixes.length, 0);
    assert.deepEqual(
      selection.paths.map((rule) => [rule.container, rule.blob]),
      left.map(({ blob: b }) => [b.container, b.name]),
    );
    for (const { blob: b } of left) {
      assert.ok(selects(selection, b), `${b.container}/${b.name}${b.snapshot ?? ""} is selected`);
    }
    // The base blob of a left-out snapshot, and the snapshots of a left-out base blob, are not.
    assert.equal(selects(selection, { container: "data", name: "snapped.bin" }), false);
    assert.equal(selects(selection, { container: "data", name: HOSTILE[0]!, snapshot: SNAPSHOT }), false);
    assert.equal(selects(selection, { container: "data", name: "trailing space" }), false);
    assert.equal(
      selects(selection, {
        container: "data",
        name: "snapped.bin",
        snapshot: "2026-12-01T10:11:12.1234568Z",
      }),
      false,
      "another snapshot within the same microsecond",
    );
  });

  it("is a document with no entry when nothing is left out", () => {
    assert.match(incompleteBlobListXml([]), /<BlobList>\n<\/BlobList>/);
  });
});

describe("the export's DriveLog", () => {
  const entry = (id: number, b: SourceBlob): ManifestFile => ({
    id,
    path: `data/0000/${String(id).padStart(8, "0")}.blk`,
    container: b.container,
    blobName: b.name,
    ...(b.snapshot !== undefined ? { snapshot: b.snapshot } : {}),
    blobType: "BlockBlob",
    disposition: "rename",
    metadata: {},
    properties: {},
    size: 5000,
    blockSize: 4096,
    md5: "1B2M2Y8AsgTpgAmY7PhCfg==",
    blocks: ["1B2M2Y8AsgTpgAmY7PhCfg==", "1B2M2Y8AsgTpgAmY7PhCfg=="],
  });
  const done = blob("data", HOSTILE[3]!);
  const doneSnap = blob("data", "snapped.bin", SNAPSHOT);
  const deleted = blob("data", "gone ");
  const tooBig = out(blob("data", HOSTILE[4]!));
  const result: ExportResult = {
    driveId: "EXP&01",
    files: [
      { blob: done, status: "Completed", entry: entry(1, done) },
      { blob: doneSnap, status: "Completed", entry: entry(2, doneSnap) },
      {
        blob: deleted,
        status: "BlobRequestFailed",
        message: "The blob was deleted after the export listed it.",
      },
    ],
    leftOut: [tooBig],
    unmatched: ["data/missing & gone"],
    counts: { errorCount: 1, warningCount: 1, infoCount: 1 },
    bytesDone: 10_000,
    bytesTotal: 11_234,
    stopped: false,
  };

  it("verbose: every blob, its snapshot and block list; read back by the log reader", () => {
    const log = parseDriveLog(exportLogXml(result, "verbose"));
    assert.equal(log.driveId, "EXP&01");
    assert.equal(log.status, "CompletedWithErrors");
    assert.deepEqual(
      log.blobs.map((row) => [row.status, row.blobPath]),
      [
        ["Completed", `data/${HOSTILE[3]}`],
        ["Completed", "data/snapped.bin"],
        ["BlobRequestFailed", "data/gone "],
        ["NotEnoughSpace", `data/${HOSTILE[4]}`],
        ["BlobNotFound", "data/missing & gone"],
      ],
    );
    const first = log.blobs[0]!;
    assert.equal(first.filePath, "data/0000/00000001.blk");
    assert.equal(first.length, 5000);
    assert.deepEqual(
      first.blocks.map((block) => [block.offset, block.length, block.status]),
      [
        [0, 4096, "Completed"],
        [4096, 904, "Completed"],
      ],
    );
    assert.equal(log.blobs[3]!.message, 'left out: NotEnoughSpace <&> "quoted"');
    assert.match(
      exportLogXml(result, "verbose"),
      new RegExp(`<Snapshot>${SNAPSHOT.replace(/\./g, "\\.")}</Snapshot>`),
    );
  });

  it("error: only what is not on the drive", () => {
    const log = parseDriveLog(exportLogXml(result, "error"));
    assert.deepEqual(
      log.blobs.map((row) => row.status),
      ["BlobRequestFailed", "NotEnoughSpace", "BlobNotFound"],
    );
  });

  it("a drive-level failure: its code last, its message, and what it left out", () => {
    const failed: ExportResult = {
      ...result,
      driveError: { code: "DriveNotEmpty", message: "Not a blank drive." },
      files: [],
      unmatched: [],
    };
    const log = parseDriveLog(exportLogXml(failed, "error"));
    assert.equal(log.status, "DriveNotEmpty");
    assert.equal(log.message, "Not a blank drive.");
    assert.deepEqual(
      log.blobs.map((row) => row.blobPath),
      [`data/${HOSTILE[4]}`],
    );
  });

  it("warnings and information only: CompletedWithWarnings", () => {
    const log = parseDriveLog(
      exportLogXml(
        { ...result, files: [], counts: { errorCount: 0, warningCount: 0, infoCount: 1 } },
        "error",
      ),
    );
    assert.equal(log.status, "CompletedWithWarnings");
  });
});
