/**
 * @module Every change to a written drive is caught, and caught by the check meant for it: each test
 * asserts the code and the wording of the check that should fire, so removing that check fails it even
 * where another one would still notice.
 */

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

import {
  generateRecoveryPassword,
  HEADER_FILE,
  MANIFEST_FILE,
  openDrive,
  verifyDrive,
} from "../../../src/transfer/drive/index.js";
import {
  editManifest,
  rejectsWith,
  storedBlockRange,
  tempFolder,
  twoFileDrive,
  writeDrive,
} from "./support.js";

const AUTH = /fails authentication/;

/** Changes the stored bytes of a data file in place. */
function changeData(root: string, path: string, change: (bytes: Buffer) => Buffer): void {
  const full = join(root, path);
  writeFileSync(full, change(readFileSync(full)));
}

describe("tampering with a drive", () => {
  it("a flipped bit in a block: that block fails its tag, the others still read, verify names it", async () => {
    const drive = await twoFileDrive("bit");
    const [a] = drive.entries;
    changeData(drive.root, a!.path, (bytes) => {
      bytes[storedBlockRange(a!, 1).start + 12 + 100]! ^= 0x04;
      return bytes;
    });
    const opened = await openDrive(drive.root, drive.password);
    await rejectsWith(opened.readBlock(a!, 1), "Corrupted", AUTH);
    assert.ok((await opened.readBlock(a!, 0)).equals(drive.a.subarray(0, 4096)));
    assert.ok((await opened.readBlock(a!, 2)).equals(drive.a.subarray(8192, 12288)));
    const { problems } = await verifyDrive(drive.root, drive.password);
    assert.deepEqual(
      problems.map((p) => [p.code, p.file?.blobName, p.block]),
      [["Corrupted", "a.bin", 1]],
    );
  });

  it("a flipped bit in a nonce or a tag fails the tag too", async () => {
    const drive = await twoFileDrive("nonce");
    const [a] = drive.entries;
    const { start, end } = storedBlockRange(a!, 2);
    changeData(drive.root, a!.path, (bytes) => {
      bytes[start + 3]! ^= 1; // block 2's nonce
      bytes[end - 1]! ^= 1; // block 2's tag
      return bytes;
    });
    await rejectsWith((await openDrive(drive.root, drive.password)).readBlock(a!, 2), "Corrupted", AUTH);
  });

  it("a truncated block: the file is shorter than its entry, refused before a block is read", async () => {
    const drive = await twoFileDrive("truncated");
    const [a, b] = drive.entries;
    truncateSync(join(drive.root, b!.path), storedBlockRange(b!, 3).end - 5);
    // A block cut in the middle of a file: what follows it moves up.
    changeData(drive.root, a!.path, (bytes) => {
      const { start } = storedBlockRange(a!, 1);
      return Buffer.concat([bytes.subarray(0, start + 2000), bytes.subarray(start + 2100)]);
    });
    const opened = await openDrive(drive.root, drive.password);
    await rejectsWith(opened.openFile(b!), "FileUnexpectedEnd", /needs exactly/);
    await rejectsWith(opened.openFile(a!), "FileUnexpectedEnd", /needs exactly/);
    const { problems } = await verifyDrive(drive.root, drive.password);
    assert.deepEqual(
      problems.map((p) => [p.code, p.file?.blobName, p.block]),
      [
        ["FileUnexpectedEnd", "a.bin", undefined],
        ["FileUnexpectedEnd", "b.bin", undefined],
      ],
    );
  });

  it("a data file longer than its entry is refused too", async () => {
    const drive = await twoFileDrive("longer");
    const [a] = drive.entries;
    changeData(drive.root, a!.path, (bytes) => Buffer.concat([bytes, Buffer.alloc(1)]));
    await rejectsWith((await openDrive(drive.root, drive.password)).openFile(a!), "FileLengthMismatch");
  });

  it("two blocks swapped within a file: each fails its tag (the index is authenticated)", async () => {
    const drive = await twoFileDrive("swapped");
    const [a] = drive.entries;
    changeData(drive.root, a!.path, (bytes) => {
      const first = storedBlockRange(a!, 0);
      const second = storedBlockRange(a!, 1);
      return Buffer.concat([
        bytes.subarray(second.start, second.end),
        bytes.subarray(first.start, first.end),
        bytes.subarray(second.end),
      ]);
    });
    const opened = await openDrive(drive.root, drive.password);
    await rejectsWith(opened.readBlock(a!, 0), "Corrupted", AUTH);
    await rejectsWith(opened.readBlock(a!, 1), "Corrupted", AUTH);
  });

  it("a block moved from one file to another: it fails its tag (the file is authenticated)", async () => {
    // Same size, same block count, same index: the file id is the only thing that tells the blocks apart.
    const drive = await writeDrive(tempFolder("moved"), [
      { file: { container: "photos", blobName: "one" }, data: randomBytes(3 * 4096), blockSize: 4096 },
      { file: { container: "photos", blobName: "two" }, data: randomBytes(3 * 4096), blockSize: 4096 },
    ]);
    const [one, two] = drive.entries;
    const { start, end } = storedBlockRange(two!, 1);
    const fromTwo = readFileSync(join(drive.root, two!.path)).subarray(start, end);
    changeData(drive.root, one!.path, (bytes) => {
      fromTwo.copy(bytes, start);
      return bytes;
    });
    await rejectsWith((await openDrive(drive.root, drive.password)).readBlock(one!, 1), "Corrupted", AUTH);
  });

  it("a whole data file swapped for another of the same length: every block fails its tag", async () => {
    const drive = await writeDrive(tempFolder("file-swap"), [
      { file: { container: "photos", blobName: "one" }, data: Buffer.alloc(8192, 1), blockSize: 4096 },
      { file: { container: "photos", blobName: "two" }, data: Buffer.alloc(8192, 2), blockSize: 4096 },
    ]);
    const [one, two] = drive.entries;
    writeFileSync(join(drive.root, one!.path), readFileSync(join(drive.root, two!.path)));
    const { problems } = await verifyDrive(drive.root, drive.password);
    assert.deepEqual(
      problems.map((p) => [p.code, p.file?.blobName, p.block]),
      [
        ["Corrupted", "one", 0],
        ["Corrupted", "one", 1],
      ],
    );
    for (const problem of problems) {
      assert.match(problem.message, AUTH);
    }
  });

  it("a manifest whose block MD5 disagrees with the block: refused by the MD5 check", async () => {
    const drive = await twoFileDrive("block-md5");
    await editManifest(drive, (manifest) => {
      const blocks = manifest.files[1]!.blocks as string[];
      blocks[2] = blocks[0]!;
    });
    const opened = await openDrive(drive.root, drive.password);
    await rejectsWith(
      opened.readBlock(opened.manifest.files[1]!, 2),
      "Corrupted",
      /MD5 differs from the manifest/,
    );
  });

  it("a manifest whose file MD5 disagrees with its blocks: verify reports the file", async () => {
    const drive = await twoFileDrive("file-md5");
    await editManifest(drive, (manifest) => {
      manifest.files[0]!.md5 = manifest.files[1]!.md5;
    });
    const { problems } = await verifyDrive(drive.root, drive.password);
    assert.deepEqual(
      problems.map((p) => [p.code, p.file?.blobName, p.block]),
      [["Corrupted", "a.bin", undefined]],
    );
    assert.match(problems[0]!.message, /file's MD5 differs/);
  });

  it("a changed manifest: its tag fails; against the job's manifestHash it is refused before decrypting", async () => {
    const drive = await twoFileDrive("manifest");
    const sealed = readFileSync(join(drive.root, MANIFEST_FILE));
    sealed[40]! ^= 0x10;
    writeFileSync(join(drive.root, MANIFEST_FILE), sealed);
    await rejectsWith(openDrive(drive.root, drive.password), "ManifestCorrupted", AUTH);
    await rejectsWith(
      openDrive(drive.root, drive.password, { expect: { manifestHash: drive.finished.manifestHash } }),
      "ManifestCorrupted",
      /differs from manifestHash/,
    );
    const { problems } = await verifyDrive(drive.root, drive.password);
    assert.deepEqual(
      problems.map((p) => p.code),
      ["ManifestCorrupted"],
    );
  });

  it("a manifest from another drive with the same key: it does not open here (each drive has its own salt)", async () => {
    const drive = await twoFileDrive("foreign-a");
    const other = await writeDrive(
      tempFolder("foreign-b"),
      [{ file: { container: "photos", blobName: "a.bin" }, data: Buffer.alloc(10) }],
      "TESTDRIVE01",
      drive.password,
    );
    writeFileSync(join(drive.root, MANIFEST_FILE), readFileSync(join(other.root, MANIFEST_FILE)));
    await rejectsWith(openDrive(drive.root, drive.password), "ManifestCorrupted", AUTH);
  });

  it("a wrong key: BitLockerKeyInvalid, from the header alone, before the manifest is read", async () => {
    const drive = await twoFileDrive("wrong-key");
    const wrong = generateRecoveryPassword();
    await rejectsWith(
      openDrive(drive.root, wrong),
      "BitLockerKeyInvalid",
      /does not open drive 'TESTDRIVE01'/,
    );
    rmSync(join(drive.root, MANIFEST_FILE));
    await rejectsWith(openDrive(drive.root, wrong), "BitLockerKeyInvalid");
    const { problems } = await verifyDrive(drive.root, wrong);
    assert.deepEqual(
      problems.map((p) => p.code),
      ["BitLockerKeyInvalid"],
    );
    assert.equal(problems[0]!.message.includes(wrong), false);
  });

  it("a header that is not the job's, or names another drive than its manifest or the device", async () => {
    const drive = await twoFileDrive("header");
    await rejectsWith(
      openDrive(drive.root, drive.password, { expect: { driveId: "WD-OTHER" } }),
      "ManifestDriveIdMismatch",
      /not 'WD-OTHER'/,
    );
    const path = join(drive.root, HEADER_FILE);
    writeFileSync(path, readFileSync(path, "utf8").replace("TESTDRIVE01", "TESTDRIVE02"));
    await rejectsWith(
      openDrive(drive.root, drive.password, { expect: { driveHeaderHash: drive.finished.driveHeaderHash } }),
      "DriveHeaderInvalid",
      /differs from driveHeaderHash/,
    );
    await rejectsWith(
      openDrive(drive.root, drive.password),
      "ManifestDriveIdMismatch",
      /written for drive 'TESTDRIVE01'/,
    );
  });
});
