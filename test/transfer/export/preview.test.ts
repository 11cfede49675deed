/**
 * @module PreviewExport's packing: how many drives, what each holds (data and occupied bytes), a blob
 * larger than a drive and an Archive-tier one reported not exportable, the selection's duplicates and
 * entries that match nothing — the same plan a station fills drives with.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { DRIVE_RESERVE_BYTES, footprintOf, planDrive } from "../../../src/transfer/export/plan.js";
import { previewExport } from "../../../src/transfer/export/preview.js";
import { selectionFromLists } from "../../../src/transfer/export/selection.js";
import { blob, MiB } from "./support.js";

describe("previewExport", () => {
  const selection = selectionFromLists({
    blobPathPrefix: ["/data/", "/data/", "/gone/"],
    blobPath: ["data/a", "data/a", "data/missing"],
  });
  // Drives of 10 MiB: about 9 MiB of room each.
  const driveSize = 10 * MiB;
  const blobs = [
    blob("a", 4 * MiB),
    blob("b", 4 * MiB),
    blob("c", 4 * MiB),
    blob("d", 20 * MiB), // larger than any drive
    blob("e", MiB / 2),
    blob("f", 100, { accessTier: "Archive" }),
    blob("g", 3 * MiB),
  ];
  const preview = previewExport(selection, { blobs, unmatched: ["/gone/", "data/missing"] }, driveSize);

  it("counts the selection's entries, its repeats, and what matches nothing", () => {
    assert.deepEqual(preview.selection, {
      paths: 3,
      prefixes: 3,
      duplicates: 2,
      unmatched: ["/gone/", "data/missing"],
    });
  });

  it("reports a blob larger than a drive and an Archive-tier blob as not exportable, with their reasons", () => {
    assert.deepEqual(
      preview.notExportable.map((out) => [out.blob.name, out.code]),
      [
        ["d", "NotEnoughSpace"],
        ["f", "BlobArchived"],
      ],
    );
    assert.deepEqual(preview.exportable, { blobs: 5, bytes: 15.5 * MiB });
  });

  it("packs drives as a station fills them: in listing order, a smaller blob after one that did not fit", () => {
    assert.equal(preview.driveSizeBytes, driveSize);
    assert.deepEqual(
      preview.drives.map((drive) => drive.blobs.map((b) => b.name)),
      [
        ["a", "b", "e"],
        ["c", "g"],
      ],
    );
    assert.deepEqual(
      preview.drives.map((drive) => drive.bytes),
      [8.5 * MiB, 7 * MiB],
    );
    for (const drive of preview.drives) {
      const occupied = DRIVE_RESERVE_BYTES + drive.blobs.reduce((sum, b) => sum + footprintOf(b), 0);
      assert.equal(drive.occupiedBytes, occupied);
      assert.ok(drive.occupiedBytes <= driveSize);
      assert.ok(drive.occupiedBytes > drive.bytes);
    }
    // The first drive is what a station's plan for the first drive takes.
    assert.deepEqual(
      planDrive(blobs, driveSize).blobs.map((b) => b.name),
      preview.drives[0]!.blobs.map((b) => b.name),
    );
  });

  it("needs no drive for nothing exportable, and one per blob when each fills a drive", () => {
    assert.equal(previewExport(selection, { blobs: [], unmatched: [] }, driveSize).drives.length, 0);
    const full = Array.from({ length: 3 }, (_, i) => blob(`full${i}`, 8 * MiB));
    const packed = previewExport(selection, { blobs: full, unmatched: [] }, driveSize);
    assert.equal(packed.drives.length, 3);
    assert.equal(packed.notExportable.length, 0);
  });
});
