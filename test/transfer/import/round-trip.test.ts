/** @module Import round trips: every file of a drive lands in Azurite byte for byte, with its MD5, metadata and properties. */

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";

import { importDrive, MemoryJournal } from "../../../src/transfer/import/index.js";
import { startTestAzurite } from "../../support/azurite.js";
import { md5Base64 } from "../drive/support.js";
import { blobBytes, clock, counting, driveOf, keyTarget } from "./support.js";

const azurite = await startTestAzurite("import-round-trip");

describe("import round trip", () => {
  it("copies block blobs of every shape exactly, with Content-MD5, metadata and properties", async () => {
    const B = 4096;
    const data = {
      empty: Buffer.alloc(0),
      one: randomBytes(B),
      onePlus: randomBytes(B + 1),
      many: randomBytes(37 * B + 123),
      unicode: randomBytes(2 * B + 5),
      url: randomBytes(B + 2),
    };
    const { drive } = await driveOf("round-trip", [
      { file: { container: "photos", blobName: "empty.txt" }, data: data.empty, blockSize: B },
      { file: { container: "photos", blobName: "one/block.bin" }, data: data.one, blockSize: B },
      { file: { container: "photos", blobName: "one/block-plus.bin" }, data: data.onePlus, blockSize: B },
      {
        file: {
          container: "photos",
          blobName: "many/blocks.tar.gz",
          metadata: { origin: "camera", Shot_2: "yes" },
          properties: { contentType: "application/gzip", cacheControl: "no-cache", contentLanguage: "de" },
          sourcePath: "C:\\photos\\many\\blocks.tar.gz",
        },
        data: data.many,
        blockSize: B,
      },
      { file: { container: "docs", blobName: "héllo wörld/日本語 ✓.bin" }, data: data.unicode, blockSize: B },
      { file: { container: "docs", blobName: "100% #1 ?q=a+b&c.bin" }, data: data.url, blockSize: B },
    ]);
    const target = counting(keyTarget(azurite));
    const progress: number[] = [];
    let uploaded = 0;
    const result = await importDrive({
      drive,
      target,
      journal: new MemoryJournal(),
      clock,
      onProgress: (p) => progress.push(p.bytesDone),
      onUploaded: (bytes) => (uploaded += bytes),
    });
    assert.deepEqual(result.counts, { errorCount: 0, warningCount: 0, infoCount: 0 });
    assert.equal(result.stopped, false);
    const total = Object.values(data).reduce((sum, d) => sum + d.length, 0);
    assert.equal(result.bytesDone, total);
    assert.equal(result.bytesUploaded, total);
    assert.equal(uploaded, total);
    assert.equal(progress.at(-1), total);
    assert.ok(
      progress.every((value, at) => at === 0 || value >= (progress[at - 1] ?? 0)),
      "progress never goes back",
    );
    assert.deepEqual(
      result.files.map((f) => [f.blobName, f.status, f.dispositionStatus]),
      [
        ["empty.txt", "Completed", "Created"],
        ["one/block.bin", "Completed", "Created"],
        ["one/block-plus.bin", "Completed", "Created"],
        ["many/blocks.tar.gz", "Completed", "Created"],
        ["héllo wörld/日本語 ✓.bin", "Completed", "Created"],
        ["100% #1 ?q=a+b&c.bin", "Completed", "Created"],
      ],
    );
    // Files of at most one block go in one Put Blob; the others block by block.
    assert.equal(target.calls.get("putBlob"), 2);
    assert.equal(target.calls.get("stageBlock"), 2 + 38 + 3 + 2);

    const expect = [
      ["photos", "empty.txt", data.empty],
      ["photos", "one/block.bin", data.one],
      ["photos", "one/block-plus.bin", data.onePlus],
      ["photos", "many/blocks.tar.gz", data.many],
      ["docs", "héllo wörld/日本語 ✓.bin", data.unicode],
      ["docs", "100% #1 ?q=a+b&c.bin", data.url],
    ] as const;
    for (const [container, name, bytes] of expect) {
      assert.ok((await blobBytes(azurite, container, name)).equals(bytes), `${name} differs`);
      const props = await azurite.service().getContainerClient(container).getBlobClient(name).getProperties();
      assert.equal(
        Buffer.from(props.contentMD5 ?? []).toString("base64"),
        md5Base64(bytes),
        `${name} Content-MD5`,
      );
      assert.equal(props.blobType, "BlockBlob");
    }
    const many = await azurite
      .service()
      .getContainerClient("photos")
      .getBlobClient("many/blocks.tar.gz")
      .getProperties();
    assert.deepEqual(many.metadata, { origin: "camera", shot_2: "yes" });
    assert.equal(many.contentType, "application/gzip");
    assert.equal(many.cacheControl, "no-cache");
    assert.equal(many.contentLanguage, "de");
  });

  it("copies page blobs, 512-aligned, their Content-MD5 set at the end", async () => {
    const disk = randomBytes(16 * 4096 + 1024);
    const small = randomBytes(512);
    const { drive } = await driveOf("pages", [
      {
        file: { container: "disks", blobName: "disk.vhd", blobType: "PageBlob", metadata: { os: "linux" } },
        data: disk,
        blockSize: 4096,
      },
      {
        file: { container: "disks", blobName: "small.vhd", blobType: "PageBlob" },
        data: small,
        blockSize: 4096,
      },
      {
        file: { container: "disks", blobName: "none.vhd", blobType: "PageBlob" },
        data: Buffer.alloc(0),
        blockSize: 4096,
      },
    ]);
    const target = counting(keyTarget(azurite));
    const result = await importDrive({ drive, target, journal: new MemoryJournal(), clock });
    assert.deepEqual(result.counts, { errorCount: 0, warningCount: 0, infoCount: 0 });
    assert.equal(target.calls.get("uploadPages"), 17 + 1);
    for (const [name, bytes] of [
      ["disk.vhd", disk],
      ["small.vhd", small],
      ["none.vhd", Buffer.alloc(0)],
    ] as const) {
      const client = azurite.service().getContainerClient("disks").getBlobClient(name);
      const props = await client.getProperties();
      assert.equal(props.blobType, "PageBlob");
      assert.equal(props.contentLength, bytes.length);
      assert.equal(Buffer.from(props.contentMD5 ?? []).toString("base64"), md5Base64(bytes), name);
      if (bytes.length > 0) {
        assert.ok((await client.downloadToBuffer()).equals(bytes), `${name} differs`);
      }
    }
    const disk1 = await azurite
      .service()
      .getContainerClient("disks")
      .getBlobClient("disk.vhd")
      .getProperties();
    assert.deepEqual(disk1.metadata, { os: "linux" });
  });

  it("cuts a page blob's blocks larger than 4 MiB into Put Page calls of at most 4 MiB", async () => {
    const MiB = 1024 * 1024;
    const disk = randomBytes(8 * MiB + 4096);
    const { drive } = await driveOf("big-pages", [
      {
        file: { container: "disks", blobName: "big.vhd", blobType: "PageBlob" },
        data: disk,
        blockSize: 8 * MiB,
      },
    ]);
    const target = counting(keyTarget(azurite));
    const result = await importDrive({ drive, target, journal: new MemoryJournal(), clock });
    assert.equal(result.files[0]?.status, "Completed", result.files[0]?.message);
    assert.equal(
      target.calls.get("uploadPages"),
      3,
      "4 MiB + 4 MiB for the first block, 4 KiB for the second",
    );
    assert.ok((await blobBytes(azurite, "disks", "big.vhd")).equals(disk));
  });

  it("holds no more block buffers than the budget, however many blocks a file has", async () => {
    const B = 4096;
    const big = randomBytes(64 * B);
    const { drive } = await driveOf("budget", [
      { file: { container: "budget", blobName: "big.bin" }, data: big, blockSize: B },
      { file: { container: "budget", blobName: "other.bin" }, data: randomBytes(9 * B), blockSize: B },
    ]);
    const target = counting(keyTarget(azurite));
    // Room for 4 blocks by count, 3 by bytes: the smaller bound wins.
    const result = await importDrive({
      drive,
      target,
      journal: new MemoryJournal(),
      clock,
      concurrency: 4,
      memoryBudgetBytes: 3 * B,
    });
    assert.equal(result.counts.errorCount, 0);
    assert.ok(result.peakBufferBytes <= 3 * B, `peak ${result.peakBufferBytes}`);
    assert.ok(
      result.peakBlocksInFlight <= 3 && result.peakBlocksInFlight >= 2,
      `peak ${result.peakBlocksInFlight}`,
    );
    assert.ok(target.peakWrites <= 3 && target.peakWrites >= 2, `writes in flight ${target.peakWrites}`);
    assert.ok((await blobBytes(azurite, "budget", "big.bin")).equals(big));

    // A budget smaller than one block still moves, one block at a time.
    const { drive: again } = await driveOf("budget-small", [
      { file: { container: "budget", blobName: "tiny-budget.bin" }, data: randomBytes(5 * B), blockSize: B },
    ]);
    const one = await importDrive({
      drive: again,
      target,
      journal: new MemoryJournal(),
      clock,
      memoryBudgetBytes: 1,
    });
    assert.equal(one.counts.errorCount, 0);
    assert.equal(one.peakBlocksInFlight, 1);
  });
});
