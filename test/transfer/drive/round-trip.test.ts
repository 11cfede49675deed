/**
 * @module Writing a drive and reading it back: every shape of file the issue names comes back byte for
 * byte with its destination, and nothing on the drive shows a customer's name.
 */

import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "node:test";

import {
  blockSizeFor,
  HEADER_FILE,
  MANIFEST_FILE,
  MAX_BLOCKS_PER_FILE,
  openDrive,
  verifyDrive,
  type VerifyProgress,
} from "../../../src/transfer/drive/index.js";
import { md5Base64, type PlannedFile, tempFolder, writeDrive } from "./support.js";

const MiB = 1024 * 1024;

function walk(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(root, join(dir, entry.name)) : [relative(root, join(dir, entry.name))],
  );
}

describe("drive round trip", () => {
  const deep = Array.from({ length: 40 }, (_, i) => `level-${i}`).join("/");
  const planned: PlannedFile[] = [
    {
      file: {
        container: "photos",
        blobName: "été/日本語 ファイル 😀.jpg",
        sourcePath: "C:\\photos\\été\\日本語 ファイル 😀.jpg",
      },
      data: randomBytes(10_000),
      blockSize: 4096,
    },
    { file: { container: "photos", blobName: "empty.txt" }, data: Buffer.alloc(0), blockSize: 4096 },
    { file: { container: "photos", blobName: "one-block.bin" }, data: randomBytes(4096), blockSize: 4096 },
    {
      file: { container: "photos", blobName: "one-block-plus-one.bin" },
      data: randomBytes(4097),
      blockSize: 4096,
    },
    {
      file: { container: "deep-tree", blobName: `${deep}/leaf.txt` },
      data: randomBytes(100),
      blockSize: 4096,
    },
    {
      file: { container: "bulk", blobName: "many-blocks.bin" },
      data: randomBytes(300 * 4096 + 123),
      blockSize: 4096,
    },
    {
      file: {
        container: "vhds",
        blobName: "disk.vhd",
        blobType: "PageBlob",
        disposition: "overwrite",
        metadata: { Project: "Ünïcode value", _Owner: "ops" },
        properties: { contentType: "application/octet-stream", cacheControl: "no-cache" },
      },
      data: randomBytes(16 * 512),
      blockSize: 4096,
    },
    {
      file: { container: "$root", blobName: "readme 😀.md", disposition: "no-overwrite" },
      data: randomBytes(700),
    },
    // The default block size, 4 MiB: one full block and a one-byte one.
    { file: { container: "bulk", blobName: "default-blocks.bin" }, data: randomBytes(4 * MiB + 1) },
  ];

  it("gives back every file byte for byte, with its destination, through openDrive and verifyDrive", async () => {
    const drive = await writeDrive(tempFolder("round-trip"), planned);
    const opened = await openDrive(drive.root, drive.password, {
      expect: {
        driveId: "testdrive01", // serials compare ignoring case
        driveHeaderHash: drive.finished.driveHeaderHash.toLowerCase(),
        manifestHash: ` ${drive.finished.manifestHash}`,
      },
    });
    assert.deepEqual(opened.manifest.files, drive.entries);
    assert.equal(opened.manifest.files.length, planned.length);
    for (const [i, entry] of opened.manifest.files.entries()) {
      const { file, data } = planned[i]!;
      assert.equal(entry.container, file.container);
      assert.equal(entry.blobName, file.blobName);
      assert.equal(entry.blobType, file.blobType ?? "BlockBlob");
      assert.equal(entry.disposition, file.disposition ?? "rename");
      assert.deepEqual(entry.metadata, file.metadata ?? {});
      assert.deepEqual(entry.properties, file.properties ?? {});
      assert.equal(entry.size, data.length);
      assert.equal(entry.md5, md5Base64(data));
      const reader = await opened.openFile(entry);
      const parts: Buffer[] = [];
      for (let index = 0; index < entry.blocks.length; index += 1) {
        parts.push(await reader.readBlock(index));
      }
      await reader.close();
      assert.ok(Buffer.concat(parts).equals(data), `${entry.blobName} differs after the round trip`);
    }
    const byName = (name: string) => opened.manifest.files.find((entry) => entry.blobName === name)!;
    assert.equal(byName("empty.txt").blocks.length, 0);
    assert.equal(byName("one-block.bin").blocks.length, 1);
    assert.equal(byName("one-block-plus-one.bin").blocks.length, 2);
    assert.equal(byName("many-blocks.bin").blocks.length, 301);
    assert.equal(byName("default-blocks.bin").blockSize, 4 * MiB);
    assert.equal(byName("default-blocks.bin").blocks.length, 2);
    // Reading one block alone, out of order, as a station after a crash does.
    const many = byName("many-blocks.bin");
    const block = await opened.readBlock(many, 299);
    assert.ok(block.equals(planned[5]!.data.subarray(299 * 4096, 300 * 4096)));

    const seen: VerifyProgress[] = [];
    const report = await verifyDrive(drive.root, drive.password, { onProgress: (p) => seen.push(p) });
    assert.deepEqual(report.problems, []);
    const last = seen.at(-1)!;
    assert.equal(last.files, planned.length);
    assert.equal(last.bytes, last.bytesTotal);
    assert.equal(
      last.bytesTotal,
      planned.reduce((sum, { data }) => sum + data.length, 0),
    );
  });

  it("keeps customer names and the key off the drive's plain bytes, and reports the job's hashes", async () => {
    const drive = await writeDrive(tempFolder("names"), planned.slice(0, 6));
    const files = walk(drive.root).sort();
    const data = files.filter((path) => path !== HEADER_FILE && path !== MANIFEST_FILE);
    assert.equal(data.length, files.length - 2, "the header and the manifest are at the root");
    assert.equal(data.length, 6);
    for (const path of data) {
      assert.match(path, /^sneakernet-data\/[0-9]{4}\/[0-9]{8}\.blk$/);
    }
    const everything = Buffer.concat(files.map((path) => readFileSync(join(drive.root, path))));
    for (const secret of [
      "日本語",
      "many-blocks",
      "level-7",
      "photos",
      drive.password,
      drive.password.slice(0, 13),
    ]) {
      assert.equal(everything.indexOf(Buffer.from(secret)), -1, `'${secret}' is readable on the drive`);
    }
    const md5Hex = (path: string) =>
      createHash("md5")
        .update(readFileSync(join(drive.root, path)))
        .digest("hex")
        .toUpperCase();
    assert.equal(drive.finished.driveHeaderHash, md5Hex(HEADER_FILE));
    assert.equal(drive.finished.manifestHash, md5Hex(MANIFEST_FILE));
    assert.equal(drive.finished.manifestFile, MANIFEST_FILE);
    const header = JSON.parse(readFileSync(join(drive.root, HEADER_FILE), "utf8"));
    assert.deepEqual(Object.keys(header).sort(), ["driveId", "format", "kdf", "keyCheck", "version"]);
    assert.equal(header.driveId, "TESTDRIVE01");
    assert.equal(Buffer.from(header.kdf.salt, "base64").length, 32);
  });

  it("chooses the smallest power of two from 4 MiB up that needs at most 50,000 blocks", () => {
    const GiB = 1024 * MiB;
    const rows: [number, number][] = [
      [0, 4 * MiB],
      [1, 4 * MiB],
      [50_000 * 4 * MiB, 4 * MiB],
      [50_000 * 4 * MiB + 1, 8 * MiB],
      [1024 * GiB, 32 * MiB],
      [8 * 1024 * GiB, 256 * MiB],
    ];
    for (const [size, blockSize] of rows) {
      assert.equal(blockSizeFor(size), blockSize, `size ${size}`);
      assert.ok(Math.ceil(size / blockSize) <= MAX_BLOCKS_PER_FILE);
    }
  });
});
