/**
 * @module The driveset CSV: rows read with their lines, each refusal naming its line (header, duplicate
 * folders or ids, a path that is no folder, overlapping drives), and an empty DriveId taken from the disk
 * serial when the folder is a disk's mount point, else refused.
 */

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";

import { deviceSerial } from "../../../src/transfer/drive/device-serial.js";
import { DatasetError } from "../../../src/transfer/prepare/dataset.js";
import { parseDriveset, resolveDriveset } from "../../../src/transfer/prepare/driveset.js";
import { TMP } from "../../support/db.js";

function folder(): string {
  const path = join(TMP, "driveset", randomUUID().slice(0, 8));
  mkdirSync(path, { recursive: true });
  after(() => rmSync(path, { recursive: true, force: true }));
  return path;
}

const refusedAt = (line: number, pattern: RegExp) => (error: Error) => {
  assert.ok(error instanceof DatasetError, String(error));
  assert.equal(error.line, line);
  assert.match(error.message, pattern);
  return true;
};

describe("parseDriveset", () => {
  it("reads Path,DriveId rows (relative paths from the CSV's folder, an empty id left to the disk)", () => {
    assert.deepEqual(parseDriveset("path,driveid\r\n/media/a,WD-A1\n\nb,\n", "ds.csv", "/base"), [
      { line: 2, path: "/media/a", driveId: "WD-A1" },
      { line: 4, path: "/base/b" },
    ]);
  });

  it("refuses with the line: another header, no row, a duplicate folder or id, a bad id, too many fields", () => {
    const parse = (text: string) => () => parseDriveset(text, "ds.csv", "/base");
    assert.throws(
      parse("DriveLetter,FormatOption\nR,Format\n"),
      refusedAt(1, /ds\.csv line 1: the header is 'DriveLetter,FormatOption', not Path,DriveId/),
    );
    assert.throws(parse("Path,DriveId\n"), /ds\.csv has a header but no row/);
    assert.throws(
      parse("Path,DriveId\n/m/a,A1\n/m/b,B1\n/m/a/,C1\n"),
      refusedAt(4, /line 4, column Path: \/m\/a is already the drive of line 2/),
    );
    assert.throws(
      parse("Path,DriveId\n/m/a,A1\n/m/b,a1\n"),
      refusedAt(3, /line 3, column DriveId: a1 is already the drive of line 2/),
    );
    assert.throws(
      parse("Path,DriveId\n/m/a,bad id!\n"),
      refusedAt(2, /line 2, column DriveId: The drive id 'bad id!' is not valid/),
    );
    assert.throws(parse("Path,DriveId\n/m/a,A1,x\n"), refusedAt(2, /line 2: 3 fields for the 2 columns/));
    assert.throws(
      parse("Path,DriveId\n,A1\n"),
      refusedAt(2, /line 2, column Path: the drive folder is empty/),
    );
  });
});

describe("resolveDriveset", () => {
  it("takes an empty DriveId from the disk's serial (spaces dropped); a plain folder must give one", async () => {
    const root = folder();
    mkdirSync(join(root, "a"));
    mkdirSync(join(root, "b"));
    writeFileSync(join(root, "file"), "x");
    const rows = parseDriveset("Path,DriveId\na,\nb,WD-B\n", "ds.csv", root);
    const serials = async (path: string) => (path.endsWith("a") ? "WD WMATV 1" : undefined);
    assert.deepEqual(
      (await resolveDriveset(rows, "ds.csv", serials)).map((d) => [d.line, d.driveId]),
      [
        [2, "WDWMATV1"],
        [3, "WD-B"],
      ],
    );
    await assert.rejects(
      resolveDriveset(rows, "ds.csv", async () => undefined),
      refusedAt(
        2,
        /line 2, column DriveId: empty, and .*a is not the mount point of a disk whose serial number lsblk can read/,
      ),
    );
    // The real lookup: a temporary folder is no disk's mount point.
    assert.equal(await deviceSerial(root), undefined);
  });

  it("refuses with the line: a path that is missing or not a folder, a drive inside another, one serial twice", async () => {
    const root = folder();
    mkdirSync(join(root, "a", "inner"), { recursive: true });
    mkdirSync(join(root, "c"));
    writeFileSync(join(root, "file"), "x");
    const resolveText = (text: string, serial?: string) =>
      resolveDriveset(parseDriveset(text, "ds.csv", root), "ds.csv", async () => serial);
    await assert.rejects(
      resolveText("Path,DriveId\na,A\nnone,B\n"),
      refusedAt(3, /line 3, column Path: .*none does not exist/),
    );
    await assert.rejects(resolveText("Path,DriveId\nfile,A\n"), refusedAt(2, /file is not a folder/));
    await assert.rejects(
      resolveText("Path,DriveId\na,A\na/inner,B\n"),
      refusedAt(3, /inner and .*a \(line 2\) overlap/),
    );
    await assert.rejects(
      resolveText("Path,DriveId\na,SAME\nc,\n", "SAME"),
      refusedAt(3, /line 3, column DriveId: SAME is already the drive of line 2/),
    );
  });
});
