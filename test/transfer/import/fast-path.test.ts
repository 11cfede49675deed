/** @module The small-file fast path: one conditional Put Blob per new file, read back in batches, never overwriting anyone's blob. */

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";

import type { BlobTarget } from "../../../src/transfer/blob/index.js";
import { importDrive, MemoryJournal } from "../../../src/transfer/import/index.js";
import { startTestAzurite } from "../../support/azurite.js";
import { md5Base64 } from "../drive/support.js";
import { blobBytes, blobNames, clock, counting, driveOf, keyTarget } from "./support.js";

const azurite = await startTestAzurite("import-fast-path");
const target = keyTarget(azurite);

async function putExisting(container: string, name: string, data: Buffer, md5?: string): Promise<void> {
  const client = azurite.service().getContainerClient(container);
  await client.createIfNotExists();
  await client.getBlockBlobClient(name).uploadData(data, {
    ...(md5 ? { blobHTTPHeaders: { blobContentMD5: new Uint8Array(Buffer.from(md5, "base64")) } } : {}),
  });
}

describe("small files met for the first time", () => {
  it("go in one Put Blob each, with no look first, and are read back by listing, a batch at a time", async () => {
    const data = Array.from({ length: 300 }, (_, i) => randomBytes(500 + i));
    const { drive } = await driveOf(
      "fast-many",
      data.map((bytes, i) => ({
        file: { container: "fast", blobName: `set/${String(i).padStart(3, "0")}.bin` },
        data: bytes,
      })),
    );
    const sent = counting(target);
    const journal = new MemoryJournal();
    const result = await importDrive({ drive, target: sent, journal, clock });
    assert.deepEqual(result.counts, { errorCount: 0, warningCount: 0, infoCount: 0 });
    assert.equal(sent.calls.get("putBlob"), 300);
    // No Get Blob Properties at all: neither before the upload (If-None-Match does the looking) nor
    // after it (List Blobs reads back length, type and Content-MD5 of a whole batch).
    assert.equal(sent.calls.get("properties") ?? 0, 0);
    const lists = sent.calls.get("list") ?? 0;
    // A batch is read back every 250 ms, and a batch straddling folders of names takes a narrower listing
    // or two: how many depends on the machine's pace, but always far fewer than one request per file.
    assert.ok(lists >= 2 && lists <= 60, `${lists} listings for 300 files`);
    for (const [i, bytes] of data.entries()) {
      const name = `set/${String(i).padStart(3, "0")}.bin`;
      assert.ok((await blobBytes(azurite, "fast", name)).equals(bytes), name);
      assert.equal(result.files[i]?.dispositionStatus, "Created");
      const recorded = journal.file(result.files[i]!.fileId);
      assert.equal(recorded?.committed, true);
    }
    const props = await azurite
      .service()
      .getContainerClient("fast")
      .getBlobClient("set/007.bin")
      .getProperties();
    assert.equal(Buffer.from(props.contentMD5!).toString("base64"), md5Base64(data[7]!));
    assert.equal(result.bytesDone, result.bytesTotal);
  });

  it("go the ordinary way when the name is taken: renamed, skipped or overwritten, anyone's blob kept", async () => {
    const theirs = randomBytes(64);
    for (const name of ["r.txt", "s.txt", "o.txt"]) {
      await putExisting("taken", name, theirs);
    }
    const [r, s, o] = [randomBytes(10), randomBytes(20), randomBytes(30)];
    const { drive } = await driveOf("fast-taken", [
      { file: { container: "taken", blobName: "r.txt", disposition: "rename" }, data: r },
      { file: { container: "taken", blobName: "s.txt", disposition: "no-overwrite" }, data: s },
      { file: { container: "taken", blobName: "o.txt", disposition: "overwrite" }, data: o },
    ]);
    const result = await importDrive({ drive, target, journal: new MemoryJournal(), clock });
    assert.deepEqual(
      result.files.map((f) => [f.blobName, f.dispositionStatus, f.status]),
      [
        ["r (2).txt", "Renamed", "Completed"],
        ["s.txt", "Skipped", "Completed"],
        ["o.txt", "Overwritten", "Completed"],
      ],
    );
    assert.ok((await blobBytes(azurite, "taken", "r.txt")).equals(theirs));
    assert.ok((await blobBytes(azurite, "taken", "r (2).txt")).equals(r));
    assert.ok((await blobBytes(azurite, "taken", "s.txt")).equals(theirs));
    assert.ok((await blobBytes(azurite, "taken", "o.txt")).equals(o));
  });

  it("never lets a rename take the name a new file of the drive goes to", async () => {
    const theirs = randomBytes(64);
    await putExisting("race", "a.txt", theirs);
    const renamed = randomBytes(40);
    const named = randomBytes(50);
    // The first file is renamed away from a.txt; the second is called what that rename would pick first.
    const { drive } = await driveOf("fast-race", [
      { file: { container: "race", blobName: "a.txt", disposition: "rename" }, data: renamed },
      { file: { container: "race", blobName: "a (2).txt", disposition: "rename" }, data: named },
    ]);
    const result = await importDrive({ drive, target, journal: new MemoryJournal(), clock });
    assert.deepEqual(result.counts.errorCount, 0);
    const [first, second] = result.files;
    assert.notEqual(first?.blobName, second?.blobName);
    assert.ok((await blobBytes(azurite, "race", "a.txt")).equals(theirs));
    assert.ok((await blobBytes(azurite, "race", first!.blobName)).equals(renamed));
    assert.ok((await blobBytes(azurite, "race", second!.blobName)).equals(named));
    assert.equal((await blobNames(azurite, "race")).length, 3);
  });
});

describe("a provisional decision found on resume", () => {
  const planned = (data: Buffer) => [{ file: { container: "resume", blobName: "p.bin" }, data }];

  it("takes a blob that is exactly the file for its own, sending nothing", async () => {
    const data = randomBytes(700);
    const { drive } = await driveOf("prov-ours", planned(data));
    const file = drive.manifest.files[0]!;
    await putExisting("resume", "p.bin", data, file.md5);
    const journal = new MemoryJournal();
    journal.decide(file.id, { blobName: "p.bin", status: "Created", provisional: true });
    const sent = counting(target);
    const result = await importDrive({ drive, target: sent, journal, clock });
    assert.equal(result.files[0]?.dispositionStatus, "Created");
    assert.equal(sent.calls.get("putBlob") ?? 0, 0);
    assert.equal(journal.file(file.id)?.provisional, undefined);
    assert.equal(journal.file(file.id)?.committed, true);
  });

  it("decides again when the blob there is anyone else's: renamed, theirs kept", async () => {
    const theirs = randomBytes(100);
    await azurite.service().getContainerClient("resume").deleteBlob("p.bin");
    await putExisting("resume", "p.bin", theirs);
    const data = randomBytes(700);
    const { drive } = await driveOf("prov-theirs", planned(data));
    const file = drive.manifest.files[0]!;
    const journal = new MemoryJournal();
    journal.decide(file.id, { blobName: "p.bin", status: "Created", provisional: true });
    const result = await importDrive({ drive, target, journal, clock });
    assert.deepEqual(
      [result.files[0]?.blobName, result.files[0]?.dispositionStatus],
      ["p (2).bin", "Renamed"],
    );
    assert.ok((await blobBytes(azurite, "resume", "p.bin")).equals(theirs));
    assert.ok((await blobBytes(azurite, "resume", "p (2).bin")).equals(data));
  });

  it("creates the blob when nothing is there", async () => {
    const data = randomBytes(700);
    const { drive } = await driveOf("prov-none", [
      { file: { container: "resume", blobName: "none.bin" }, data },
    ]);
    const file = drive.manifest.files[0]!;
    const journal = new MemoryJournal();
    journal.decide(file.id, { blobName: "none.bin", status: "Created", provisional: true });
    const result = await importDrive({ drive, target, journal, clock });
    assert.equal(result.files[0]?.dispositionStatus, "Created");
    assert.ok((await blobBytes(azurite, "resume", "none.bin")).equals(data));
  });
});

describe("the batch read-back", () => {
  /** The real target, with one injected fault in its listings. */
  function listingFault(fault: "wrong-md5" | "fails"): BlobTarget {
    return {
      ...target,
      async list(container, prefix, max) {
        if (fault === "fails") {
          throw new Error("injected: List Blobs failed");
        }
        const listing = await target.list(container, prefix, max);
        const wrong = listing.blobs.get("bad.bin");
        if (wrong) {
          listing.blobs.set("bad.bin", { ...wrong, contentMD5: md5Base64(Buffer.from("not it")) });
        }
        return listing;
      },
    };
  }

  it("fails the file whose listed Content-MD5 is not the manifest's, and only that one", async () => {
    const { drive } = await driveOf("readback-md5", [
      { file: { container: "readback", blobName: "good.bin" }, data: randomBytes(300) },
      { file: { container: "readback", blobName: "bad.bin" }, data: randomBytes(300) },
    ]);
    const result = await importDrive({
      drive,
      target: listingFault("wrong-md5"),
      journal: new MemoryJournal(),
      clock,
    });
    assert.equal(result.files[0]?.status, "Completed");
    assert.equal(result.files[1]?.status, "Failed");
    assert.match(result.files[1]?.message ?? "", /After the commit, readback\/bad\.bin is 300 bytes/);
    assert.equal(result.counts.errorCount, 1);
  });

  it("asks for each blob on its own when the listing fails", async () => {
    const { drive } = await driveOf("readback-fails", [
      { file: { container: "readback2", blobName: "x.bin" }, data: randomBytes(300) },
      { file: { container: "readback2", blobName: "y.bin" }, data: randomBytes(300) },
    ]);
    const sent = counting(listingFault("fails"));
    const result = await importDrive({ drive, target: sent, journal: new MemoryJournal(), clock });
    assert.equal(result.counts.errorCount, 0);
    assert.equal(sent.calls.get("properties"), 2);
  });
});
