/** @module Large blocks sealed and opened on worker threads: the same drive, byte for byte, tampering still caught. */

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

// Two workers whatever the machine, before the pool is first used.
process.env.SNEAKERNET_CRYPTO_THREADS = "2";

const { cryptoPool } = await import("../../../src/transfer/drive/crypto-pool.js");
const { openDrive, verifyDrive } = await import("../../../src/transfer/drive/index.js");
const { md5Base64, rejectsWith, storedBlockRange, tempFolder, writeDrive } = await import("./support.js");

const BLOCK = 256 * 1024;

describe("blocks on worker threads", () => {
  it("seal and open large blocks off the main thread, with the same hashes, the short last block included", async () => {
    const big = randomBytes(3 * BLOCK + 12_345); // three full blocks and a short one
    const small = randomBytes(5000);
    const before = { ...cryptoPool.done };
    const drive = await writeDrive(tempFolder("pool-round-trip"), [
      { file: { container: "pool", blobName: "big.bin" }, data: big, blockSize: BLOCK },
      { file: { container: "pool", blobName: "small.bin" }, data: small },
    ]);
    // The full blocks went to a worker; the short last one and the small file did not need to.
    assert.ok(
      cryptoPool.done.seal - before.seal >= 3,
      `${cryptoPool.done.seal - before.seal} sealed on workers`,
    );
    const [entry, smallEntry] = drive.entries;
    assert.equal(entry!.md5, md5Base64(big));
    assert.deepEqual(
      entry!.blocks,
      [0, 1, 2, 3].map((i) => md5Base64(big.subarray(i * BLOCK, (i + 1) * BLOCK))),
    );
    assert.equal(smallEntry!.md5, md5Base64(small));

    const opened = await openDrive(drive.root, drive.password);
    const parts: Buffer[] = [];
    const file = await opened.openFile(entry!);
    for (let index = 0; index < entry!.blocks.length; index += 1) {
      parts.push(await file.readBlock(index));
    }
    await file.close();
    assert.ok(Buffer.concat(parts).equals(big));
    assert.ok(
      cryptoPool.done.open - before.open >= 3,
      `${cryptoPool.done.open - before.open} opened on workers`,
    );
    assert.deepEqual((await verifyDrive(drive.root, drive.password)).problems, []);
  });

  it("a flipped bit in a large block fails its tag on the worker, named as the main thread names it", async () => {
    const big = randomBytes(2 * BLOCK);
    const drive = await writeDrive(tempFolder("pool-tamper"), [
      { file: { container: "pool", blobName: "big.bin" }, data: big, blockSize: BLOCK },
    ]);
    const [entry] = drive.entries;
    const path = join(drive.root, entry!.path);
    const bytes = readFileSync(path);
    bytes[storedBlockRange(entry!, 1).start + 12 + 1000]! ^= 0x10;
    writeFileSync(path, bytes);
    const before = cryptoPool.done.open;
    const opened = await openDrive(drive.root, drive.password);
    assert.ok((await opened.readBlock(entry!, 0)).equals(big.subarray(0, BLOCK)));
    await rejectsWith(opened.readBlock(entry!, 1), "Corrupted", /Block 1 of .* fails authentication/);
    assert.equal(cryptoPool.done.open - before, 2);
    const { problems } = await verifyDrive(drive.root, drive.password);
    assert.deepEqual(
      problems.map((p) => [p.code, p.block]),
      [["Corrupted", 1]],
    );
  });

  it("many blocks at once over few workers all come back to their own callers", async () => {
    const files = Array.from({ length: 6 }, () => randomBytes(4 * BLOCK));
    const drive = await writeDrive(
      tempFolder("pool-many"),
      files.map((data, i) => ({
        file: { container: "pool", blobName: `f${i}.bin` },
        data,
        blockSize: BLOCK,
      })),
    );
    const opened = await openDrive(drive.root, drive.password);
    const read = await Promise.all(
      drive.entries.flatMap((entry) => entry.blocks.map((_, index) => opened.readBlock(entry, index))),
    );
    assert.ok(Buffer.concat(read).equals(Buffer.concat(files)));
  });
});
