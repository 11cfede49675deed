/** @module Import dispositions against blobs already there: rename to the first free ` (n)`, skip, overwrite. */

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";

import { importDrive, MemoryJournal, renamed } from "../../../src/transfer/import/index.js";
import { startTestAzurite } from "../../support/azurite.js";
import { blobBytes, blobNames, clock, driveOf, keyTarget } from "./support.js";

const azurite = await startTestAzurite("import-dispositions");
const target = keyTarget(azurite);

async function putExisting(container: string, name: string, data: Buffer): Promise<void> {
  const client = azurite.service().getContainerClient(container);
  await client.createIfNotExists();
  await client.getBlockBlobClient(name).uploadData(data);
}

describe("rename rule", () => {
  it("puts ` (n)` before the last dot of the last segment only", () => {
    assert.equal(renamed("Seattle.jpg", 2), "Seattle (2).jpg");
    assert.equal(renamed("a/b.tar.gz", 2), "a/b.tar (2).gz");
    assert.equal(renamed("a.b/c", 3), "a.b/c (3)");
    assert.equal(renamed("v1.0/readme", 2), "v1.0/readme (2)");
    assert.equal(renamed("dir/.env", 2), "dir/.env (2)");
    assert.equal(renamed("BlobNameWithoutDot", 4), "BlobNameWithoutDot (4)");
  });
});

describe("import dispositions", () => {
  it("renames to x (2).txt, then to x (3).txt on a later import of another file of that name", async () => {
    const original = randomBytes(100);
    await putExisting("rename", "dir/x.txt", original);
    const first = randomBytes(5000);
    const { drive } = await driveOf("rename-1", [
      {
        file: { container: "rename", blobName: "dir/x.txt", disposition: "rename" },
        data: first,
        blockSize: 4096,
      },
    ]);
    const one = await importDrive({ drive, target, journal: new MemoryJournal(), clock });
    assert.deepEqual(one.counts, { errorCount: 0, warningCount: 1, infoCount: 0 });
    assert.equal(one.files[0]?.blobName, "dir/x (2).txt");
    assert.equal(one.files[0]?.dispositionStatus, "Renamed");

    const second = randomBytes(300);
    const { drive: drive2 } = await driveOf("rename-2", [
      {
        file: { container: "rename", blobName: "dir/x.txt", disposition: "rename" },
        data: second,
        blockSize: 4096,
      },
    ]);
    const two = await importDrive({ drive: drive2, target, journal: new MemoryJournal(), clock });
    assert.equal(two.files[0]?.blobName, "dir/x (3).txt");
    assert.deepEqual(await blobNames(azurite, "rename"), ["dir/x (2).txt", "dir/x (3).txt", "dir/x.txt"]);
    assert.ok((await blobBytes(azurite, "rename", "dir/x.txt")).equals(original));
    assert.ok((await blobBytes(azurite, "rename", "dir/x (2).txt")).equals(first));
    assert.ok((await blobBytes(azurite, "rename", "dir/x (3).txt")).equals(second));
  });

  it("gives two files of one drive with one name two names, in manifest order", async () => {
    const a = randomBytes(10);
    const b = randomBytes(20);
    const { drive } = await driveOf("rename-same", [
      { file: { container: "twins", blobName: "same.bin" }, data: a },
      { file: { container: "twins", blobName: "same.bin" }, data: b },
    ]);
    const result = await importDrive({ drive, target, journal: new MemoryJournal(), clock });
    assert.deepEqual(
      result.files.map((f) => [f.blobName, f.dispositionStatus]),
      [
        ["same.bin", "Created"],
        ["same (2).bin", "Renamed"],
      ],
    );
    assert.ok((await blobBytes(azurite, "twins", "same.bin")).equals(a));
    assert.ok((await blobBytes(azurite, "twins", "same (2).bin")).equals(b));
  });

  it("skips a no-overwrite file whose blob exists, and replaces an overwrite one: both warnings", async () => {
    const kept = randomBytes(64);
    const replaced = randomBytes(64);
    await putExisting("disp", "keep.bin", kept);
    await putExisting("disp", "replace.bin", replaced);
    const newKeep = randomBytes(9000);
    const newReplace = randomBytes(9000);
    const fresh = randomBytes(10);
    const { drive } = await driveOf("disp", [
      {
        file: { container: "disp", blobName: "keep.bin", disposition: "no-overwrite" },
        data: newKeep,
        blockSize: 4096,
      },
      {
        file: { container: "disp", blobName: "replace.bin", disposition: "overwrite" },
        data: newReplace,
        blockSize: 4096,
      },
      { file: { container: "disp", blobName: "fresh.bin", disposition: "overwrite" }, data: fresh },
    ]);
    const result = await importDrive({ drive, target, journal: new MemoryJournal(), clock });
    assert.deepEqual(result.counts, { errorCount: 0, warningCount: 2, infoCount: 0 });
    assert.deepEqual(
      result.files.map((f) => [f.blobName, f.status, f.dispositionStatus]),
      [
        ["keep.bin", "Completed", "Skipped"],
        ["replace.bin", "Completed", "Overwritten"],
        ["fresh.bin", "Completed", "Created"],
      ],
    );
    assert.ok((await blobBytes(azurite, "disp", "keep.bin")).equals(kept), "a skipped blob stays as it was");
    assert.ok((await blobBytes(azurite, "disp", "replace.bin")).equals(newReplace));
    assert.equal(result.bytesDone, result.bytesTotal, "a skipped file's bytes count as done");
    assert.equal(result.bytesUploaded, newReplace.length + fresh.length);
  });

  it("overwrites a page blob with a block blob of many blocks (the old one removed first)", async () => {
    const container = azurite.service().getContainerClient("retype");
    await container.create();
    await container.getPageBlobClient("disk.img").create(4096);
    const data = randomBytes(3 * 4096);
    const { drive } = await driveOf("retype", [
      {
        file: { container: "retype", blobName: "disk.img", disposition: "overwrite" },
        data,
        blockSize: 4096,
      },
    ]);
    const result = await importDrive({ drive, target, journal: new MemoryJournal(), clock });
    assert.equal(result.files[0]?.status, "Completed", result.files[0]?.message);
    assert.equal(result.files[0]?.dispositionStatus, "Overwritten");
    const props = await container.getBlobClient("disk.img").getProperties();
    assert.equal(props.blobType, "BlockBlob");
    assert.ok((await blobBytes(azurite, "retype", "disk.img")).equals(data));
  });

  it("fails with RenameFailed when no renamed name is a valid blob name", async () => {
    const long = `${"n".repeat(1020)}.txt`;
    await putExisting("longname", long, Buffer.from("x"));
    const { drive } = await driveOf("rename-long", [
      { file: { container: "longname", blobName: long, disposition: "rename" }, data: randomBytes(5) },
    ]);
    const result = await importDrive({ drive, target, journal: new MemoryJournal(), clock });
    assert.equal(result.files[0]?.status, "RenameFailed");
    assert.equal(result.counts.errorCount, 1);
    assert.deepEqual(await blobNames(azurite, "longname"), [long]);
  });
});
