/** @module A damaged drive fails the damaged file, never the drive: every other file is still copied. */

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { appendFileSync, closeSync, openSync, readSync, rmSync, truncateSync, writeSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

import { createBlobTarget } from "../../../src/transfer/blob/index.js";
import { importDrive, type ImportProgress, MemoryJournal } from "../../../src/transfer/import/index.js";
import { startTestAzurite } from "../../support/azurite.js";
import { storedBlockRange } from "../drive/support.js";
import { blobBytes, blobExists, clock, driveOf, keyTarget } from "./support.js";

const azurite = await startTestAzurite("import-failures");
const target = keyTarget(azurite);

function flipByte(path: string, at: number): void {
  const fd = openSync(path, "r+");
  const byte = Buffer.alloc(1);
  readSync(fd, byte, 0, 1, at);
  byte[0] = (byte[0] ?? 0) ^ 0xff;
  writeSync(fd, byte, 0, 1, at);
  closeSync(fd);
}

describe("import failures", () => {
  it("fails a file with a corrupted block (Corrupted, not committed), copies the others", async () => {
    const B = 4096;
    const good = randomBytes(5 * B);
    const bad = randomBytes(6 * B);
    const small = randomBytes(100);
    const { drive, written } = await driveOf("corrupt", [
      { file: { container: "broken", blobName: "good.bin" }, data: good, blockSize: B },
      { file: { container: "broken", blobName: "bad.bin" }, data: bad, blockSize: B },
      { file: { container: "broken", blobName: "small.bin" }, data: small, blockSize: B },
    ]);
    const entry = written.entries[1];
    assert.ok(entry);
    flipByte(join(written.root, entry.path), storedBlockRange(entry, 3).start + 40);
    let last: ImportProgress | undefined;
    const result = await importDrive({
      drive,
      target,
      journal: new MemoryJournal(),
      clock,
      concurrency: 1,
      onProgress: (progress) => (last = progress),
    });
    assert.deepEqual(result.counts, { errorCount: 1, warningCount: 0, infoCount: 0 });
    assert.deepEqual(last, {
      bytesDone: good.length + small.length + 3 * B,
      bytesTotal: good.length + bad.length + small.length,
      filesDone: 3,
      filesTotal: 3,
    });
    const failed = result.files[1];
    assert.equal(failed?.status, "Corrupted");
    assert.match(failed?.message ?? "", /block 3 .*fails authentication/i);
    assert.equal(failed?.blocks?.[3]?.status, "Corrupted");
    assert.deepEqual(
      failed?.blocks?.map((b) => b.status),
      ["Uncommitted", "Uncommitted", "Uncommitted", "Corrupted", "Cancelled", "Cancelled"],
    );
    assert.equal(await blobExists(azurite, "broken", "bad.bin"), false, "a failed file is not committed");
    assert.ok((await blobBytes(azurite, "broken", "good.bin")).equals(good));
    assert.ok((await blobBytes(azurite, "broken", "small.bin")).equals(small));
    assert.equal(result.bytesDone, good.length + small.length + 3 * B);
  });

  it("fails a file whose data is missing (FileNotFound), short (FileUnexpectedEnd) or long (FileLengthMismatch)", async () => {
    const { drive, written } = await driveOf("missing", [
      { file: { container: "missing", blobName: "gone.bin" }, data: randomBytes(3 * 4096), blockSize: 4096 },
      { file: { container: "missing", blobName: "short.bin" }, data: randomBytes(4096 * 2), blockSize: 4096 },
      { file: { container: "missing", blobName: "there.bin" }, data: randomBytes(10), blockSize: 4096 },
      { file: { container: "missing", blobName: "long.bin" }, data: randomBytes(4096), blockSize: 4096 },
    ]);
    const [gone, short, , long] = written.entries;
    assert.ok(gone && short && long);
    appendFileSync(join(written.root, long.path), Buffer.alloc(1));
    rmSync(join(written.root, gone.path));
    // The short file keeps its first block only.
    truncateSync(join(written.root, short.path), storedBlockRange(short, 1).start);
    const result = await importDrive({ drive, target, journal: new MemoryJournal(), clock });
    assert.deepEqual(
      result.files.map((f) => f.status),
      ["FileNotFound", "FileUnexpectedEnd", "Completed", "FileLengthMismatch"],
    );
    assert.deepEqual(
      result.files[0]?.blocks?.map((b) => b.status),
      ["Cancelled", "Cancelled", "Cancelled"],
    );
    assert.equal(result.counts.errorCount, 3);
    assert.equal(await blobExists(azurite, "missing", "gone.bin"), false);
    assert.equal(await blobExists(azurite, "missing", "there.bin"), true);
  });

  it("fails every file with BlobRequestForbidden when storage refuses the credential, and says no secret", async () => {
    const { drive } = await driveOf("forbidden", [
      { file: { container: "forbidden", blobName: "a.bin" }, data: randomBytes(10) },
    ]);
    const sas = "sv=2024-01-01&ss=b&srt=sco&sp=rwdlac&se=2099-01-01T00:00:00Z&sig=NOTAREALSIGNATURE";
    const refused = createBlobTarget({ blobEndpoint: azurite.endpoint(), sas, retry: { maxTries: 1 } });
    const result = await importDrive({ drive, target: refused, journal: new MemoryJournal(), clock });
    assert.equal(result.files[0]?.status, "BlobRequestForbidden");
    assert.doesNotMatch(result.files[0]?.message ?? "", /NOTAREALSIGNATURE|sig=N/);
    assert.equal(result.counts.errorCount, 1);
  });
});
