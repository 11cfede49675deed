/**
 * @module Resuming an import: a stopped run goes on where it stopped (nothing sent twice, no second
 * rename), and a journal that says more or less than storage holds is corrected by what storage shows.
 */

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";

import {
  blockId,
  importDrive,
  type ImportJournal,
  MemoryJournal,
} from "../../../src/transfer/import/index.js";
import { startTestAzurite } from "../../support/azurite.js";
import { md5Base64 } from "../drive/support.js";
import { blobBytes, blobNames, clock, counting, driveOf, keyTarget } from "./support.js";

const azurite = await startTestAzurite("import-resume");
const B = 4096;

/** A journal that also counts forgetBlocks calls. */
class SpyJournal extends MemoryJournal implements ImportJournal {
  forgotten = 0;
  override forgetBlocks(fileId: number): void {
    this.forgotten += 1;
    super.forgetBlocks(fileId);
  }
}

describe("import resume", () => {
  it("stops at the signal, then resumes: every file exact, no block sent twice, no second rename", async () => {
    const existing = randomBytes(50);
    const container = azurite.service().getContainerClient("resume");
    await container.create();
    await container.getBlockBlobClient("big.bin").uploadData(existing);
    const big = randomBytes(24 * B + 7);
    const other = randomBytes(10 * B);
    const small = randomBytes(33);
    const { drive } = await driveOf("resume", [
      { file: { container: "resume", blobName: "big.bin", disposition: "rename" }, data: big, blockSize: B },
      { file: { container: "resume", blobName: "other.bin" }, data: other, blockSize: B },
      { file: { container: "resume", blobName: "small.bin" }, data: small, blockSize: B },
    ]);
    const target = counting(keyTarget(azurite));
    const journal = new MemoryJournal();
    const stop = new AbortController();
    const first = await importDrive({
      drive,
      target,
      journal,
      clock,
      concurrency: 2,
      signal: stop.signal,
      onProgress: (p) => {
        if (p.bytesDone >= 6 * B) {
          stop.abort();
        }
      },
    });
    assert.equal(first.stopped, true);
    assert.equal(first.files[0]?.status, "Stopped");
    assert.equal(first.files[0]?.blobName, "big (2).bin");
    const staged = journal.blocksDone(drive.manifest.files[0]?.id ?? 0).size;
    assert.ok(staged >= 1 && staged < 25, `${staged} blocks staged before the stop`);
    const doneBefore = first.bytesDone;
    assert.ok(doneBefore < first.bytesTotal);

    const progress: number[] = [];
    const second = await importDrive({
      drive,
      target,
      journal,
      clock,
      onProgress: (p) => progress.push(p.bytesDone),
    });
    assert.equal(second.stopped, false);
    assert.deepEqual(second.counts, { errorCount: 0, warningCount: 1, infoCount: 0 });
    assert.ok((progress[0] ?? 0) >= doneBefore, "the resumed run starts from the work already done");
    assert.equal(second.bytesUploaded + first.bytesUploaded, big.length + other.length + small.length);
    assert.deepEqual(await blobNames(azurite, "resume"), [
      "big (2).bin",
      "big.bin",
      "other.bin",
      "small.bin",
    ]);
    assert.ok((await blobBytes(azurite, "resume", "big (2).bin")).equals(big));
    assert.ok((await blobBytes(azurite, "resume", "big.bin")).equals(existing));
    assert.ok((await blobBytes(azurite, "resume", "other.bin")).equals(other));
    assert.ok((await blobBytes(azurite, "resume", "small.bin")).equals(small));
    assert.equal(new Set(target.sent).size, target.sent.length, "no block or blob sent twice");
    assert.equal(target.calls.get("stageBlock"), 25 + 10);
  });

  it("sends again a blob the journal says committed but storage lost", async () => {
    const data = randomBytes(3 * B);
    const { drive } = await driveOf("lost-blob", [
      { file: { container: "lost", blobName: "a.bin" }, data, blockSize: B },
    ]);
    const journal = new SpyJournal();
    await importDrive({ drive, target: keyTarget(azurite), journal, clock });
    await azurite.service().getContainerClient("lost").getBlobClient("a.bin").delete();
    const target = counting(keyTarget(azurite));
    const again = await importDrive({ drive, target, journal, clock });
    assert.equal(again.files[0]?.status, "Completed");
    assert.equal(again.files[0]?.dispositionStatus, "Created");
    assert.equal(target.calls.get("stageBlock"), 3);
    assert.ok(journal.forgotten >= 1);
    assert.ok((await blobBytes(azurite, "lost", "a.bin")).equals(data));
  });

  it("restages blocks the journal says staged when the uncommitted list does not have them", async () => {
    const data = randomBytes(4 * B + 10);
    const { drive } = await driveOf("lost-blocks", [
      { file: { container: "lostblocks", blobName: "b.bin" }, data, blockSize: B },
    ]);
    const file = drive.manifest.files[0];
    assert.ok(file);
    // As if another storage location had held them: recorded, but this one has none.
    const journal = new SpyJournal();
    journal.decide(file.id, { blobName: "b.bin", status: "Created" });
    [0, 1, 2].forEach((index) => journal.blockDone(file.id, index));
    // Block 3 really is staged (with its own id and MD5): it is not sent again.
    const target = counting(keyTarget(azurite));
    await keyTarget(azurite).ensureContainer("lostblocks");
    const block3 = data.subarray(3 * B, 4 * B);
    await keyTarget(azurite).stageBlock(
      "lostblocks",
      "b.bin",
      blockId(file.id, 3, md5Base64(block3)),
      block3,
      md5Base64(block3),
    );
    const result = await importDrive({ drive, target, journal, clock });
    assert.equal(result.files[0]?.status, "Completed");
    assert.equal(journal.forgotten, 1);
    assert.equal(target.calls.get("stageBlock"), 4, "blocks 0, 1, 2 and 4; not 3");
    assert.ok((await blobBytes(azurite, "lostblocks", "b.bin")).equals(data));
  });

  it("does not resend a blob committed whose commit the journal lost", async () => {
    const data = randomBytes(2 * B + 1);
    const small = randomBytes(7);
    const { drive } = await driveOf("lost-commit", [
      { file: { container: "lostcommit", blobName: "c.bin", disposition: "rename" }, data, blockSize: B },
      {
        file: { container: "lostcommit", blobName: "d.bin", disposition: "rename" },
        data: small,
        blockSize: B,
      },
    ]);
    const full = new MemoryJournal();
    await importDrive({ drive, target: keyTarget(azurite), journal: full, clock });
    // The decisions were journaled, the commits were not.
    const partial = new MemoryJournal();
    for (const file of drive.manifest.files) {
      const recorded = full.file(file.id);
      assert.ok(recorded);
      partial.decide(file.id, { blobName: recorded.blobName, status: recorded.status });
    }
    const target = counting(keyTarget(azurite));
    const result = await importDrive({ drive, target, journal: partial, clock });
    assert.deepEqual(
      result.files.map((f) => [f.blobName, f.status]),
      [
        ["c.bin", "Completed"],
        ["d.bin", "Completed"],
      ],
    );
    assert.equal(target.sent.length, 0, "nothing sent again");
    assert.equal(result.bytesUploaded, 0);
    assert.equal(result.bytesDone, data.length + small.length);
    assert.ok(drive.manifest.files.every((file) => partial.file(file.id)?.committed === true));
    assert.deepEqual(await blobNames(azurite, "lostcommit"), ["c.bin", "d.bin"]);
  });

  it("trusts pages recorded written only after reading them back", async () => {
    const disk = randomBytes(8 * B);
    const { drive } = await driveOf("pages-resume", [
      {
        file: { container: "pagesresume", blobName: "disk.vhd", blobType: "PageBlob" },
        data: disk,
        blockSize: B,
      },
    ]);
    const file = drive.manifest.files[0];
    assert.ok(file);
    const raw = keyTarget(azurite);
    await raw.ensureContainer("pagesresume");
    await raw.createPageBlob("pagesresume", "disk.vhd", disk.length);
    // Blocks 0 and 1 are written right; 2 and 3 are recorded but hold zeros (a write lost in a crash).
    for (const index of [0, 1]) {
      const block = disk.subarray(index * B, (index + 1) * B);
      await raw.uploadPages("pagesresume", "disk.vhd", index * B, block, md5Base64(block));
    }
    const journal = new SpyJournal();
    journal.decide(file.id, { blobName: "disk.vhd", status: "Created" });
    [0, 1, 2, 3].forEach((index) => journal.blockDone(file.id, index));
    const target = counting(raw);
    const result = await importDrive({ drive, target, journal, clock });
    assert.equal(result.files[0]?.status, "Completed");
    assert.equal(target.calls.get("readRange"), 4);
    assert.equal(target.calls.get("uploadPages"), 6, "blocks 2 to 7");
    assert.equal(target.calls.get("createPageBlob"), undefined, "the blob is kept");
    assert.ok((await blobBytes(azurite, "pagesresume", "disk.vhd")).equals(disk));
  });
});
