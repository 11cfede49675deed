/**
 * @module Writing a drive: an interrupted write resumes from the files recorded as written, a source
 * that changes length is caught, an entry blob storage would refuse is refused before a byte is written.
 */

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";

import {
  createDrive,
  DATA_FOLDER,
  generateRecoveryPassword,
  HEADER_FILE,
  openDrive,
  resumeDrive,
  verifyDrive,
} from "../../../src/transfer/drive/index.js";
import { chunks, FAST_SCRYPT, rejectsWith, tempFolder } from "./support.js";

describe("writing a drive", () => {
  it("leaves on the drive only the files its manifest lists: one written but never recorded, a .part, are removed", async () => {
    const root = tempFolder("orphans");
    const password = generateRecoveryPassword();
    const first = await createDrive(root, { driveId: "WD-ORPHAN", password, scrypt: FAST_SCRYPT });
    await first.addFile(chunks(randomBytes(5000)), { container: "c01", blobName: "kept", size: 5000 });
    const journal = JSON.parse(JSON.stringify(first.files));
    // The crash: a second file completed under its final name, but its caller never recorded it, and a
    // third left half written; nothing more is added after the resume.
    await first.addFile(chunks(randomBytes(7000)), { container: "c01", blobName: "lost", size: 7000 });
    const folder = join(root, DATA_FOLDER, "0000");
    writeFileSync(join(folder, "00000003.blk.part"), randomBytes(3000));
    writeFileSync(join(folder, "notes.txt"), "not the writer's: left alone");

    const finished = await (await resumeDrive(root, password, journal)).finish();
    assert.deepEqual(readdirSync(folder).sort(), ["00000001.blk", "notes.txt"]);
    const drive = await openDrive(root, password, { expect: { manifestHash: finished.manifestHash } });
    assert.deepEqual(
      drive.manifest.files.map((file) => file.blobName),
      ["kept"],
    );
    assert.deepEqual((await verifyDrive(root, password)).problems, []);
  });

  it("resumes after an interruption: recorded files kept, the file in flight written again, nothing twice", async () => {
    const root = tempFolder("resume");
    const password = generateRecoveryPassword();
    const data = [randomBytes(9000), randomBytes(5000), randomBytes(12_000)];
    const first = await createDrive(root, { driveId: "WD-RESUME", password, scrypt: FAST_SCRYPT });
    await first.addFile(
      chunks(data[0]!),
      { container: "c01", blobName: "one", size: 9000 },
      { blockSize: 4096 },
    );
    await first.addFile(
      chunks(data[1]!),
      { container: "c01", blobName: "two", size: 5000 },
      { blockSize: 4096 },
    );
    const journal = JSON.parse(JSON.stringify(first.files)); // what a journal would have kept
    // The crash: the third file half written under its temporary name, no manifest yet.
    const inFlight = join(root, DATA_FOLDER, "0000", "00000003.blk.part");
    writeFileSync(inFlight, randomBytes(3000));

    const writer = await resumeDrive(root, password, journal);
    assert.equal(writer.headerHash, first.headerHash);
    const third = await writer.addFile(
      chunks(data[2]!),
      { container: "c01", blobName: "three", size: 12_000 },
      { blockSize: 4096 },
    );
    assert.equal(third.id, 3);
    const finished = await writer.finish();
    assert.equal(existsSync(inFlight), false);
    assert.deepEqual(readdirSync(dirname(inFlight)).sort(), ["00000001.blk", "00000002.blk", "00000003.blk"]);

    const drive = await openDrive(root, password, { expect: { manifestHash: finished.manifestHash } });
    assert.deepEqual(
      drive.manifest.files.map((file) => file.blobName),
      ["one", "two", "three"],
    );
    for (const [i, file] of drive.manifest.files.entries()) {
      const parts = [];
      for (let index = 0; index < file.blocks.length; index += 1) {
        parts.push(await drive.readBlock(file, index));
      }
      assert.ok(Buffer.concat(parts).equals(data[i]!));
    }
    assert.deepEqual((await verifyDrive(root, password)).problems, []);
  });

  it("refuses to resume with the wrong key, or when a recorded file is not whole on the drive", async () => {
    const root = tempFolder("resume-refused");
    const password = generateRecoveryPassword();
    const writer = await createDrive(root, { driveId: "WD-RESUME", password, scrypt: FAST_SCRYPT });
    const entry = await writer.addFile(chunks(randomBytes(5000)), {
      container: "c01",
      blobName: "x",
      size: 5000,
    });
    await rejectsWith(resumeDrive(root, generateRecoveryPassword(), [entry]), "BitLockerKeyInvalid");
    truncateSync(join(root, entry.path), 100);
    await rejectsWith(
      resumeDrive(root, password, [entry]),
      "FileLengthMismatch",
      /record and the drive disagree/,
    );
  });

  it("a source that gives more or fewer bytes than declared is SourceChanged, and leaves no data file", async () => {
    const root = tempFolder("source");
    const writer = await createDrive(root, {
      driveId: "WD-SOURCE",
      password: generateRecoveryPassword(),
      scrypt: FAST_SCRYPT,
    });
    await rejectsWith(
      writer.addFile(chunks(randomBytes(5000)), { container: "c01", blobName: "grew", size: 4999 }),
      "SourceChanged",
      /gave more bytes/,
    );
    await rejectsWith(
      writer.addFile(chunks(randomBytes(5000)), { container: "c01", blobName: "shrank", size: 5001 }),
      "SourceChanged",
      /gave fewer bytes/,
    );
    assert.deepEqual(readdirSync(join(root, DATA_FOLDER, "0000")), []);
    assert.deepEqual(writer.files, []);
    const entry = await writer.addFile(chunks(Buffer.from("ok")), {
      container: "c01",
      blobName: "ok",
      size: 2,
    });
    assert.equal(entry.blobName, "ok");
  });

  it("an entry blob storage would refuse is refused before a byte is written", async () => {
    const root = tempFolder("entry");
    const writer = await createDrive(root, {
      driveId: "WD-ENTRY",
      password: generateRecoveryPassword(),
      scrypt: FAST_SCRYPT,
    });
    const never = chunks(Buffer.alloc(512));
    const cases: [Parameters<typeof writer.addFile>[1], RegExp, number?][] = [
      [{ container: "Bad_Container", blobName: "x", size: 512 }, /container name/],
      [{ container: "c01", blobName: "dir/", size: 512 }, /may not end with/],
      [{ container: "c01", blobName: "x", size: 511, blobType: "PageBlob" }, /multiple of 512/],
      [
        { container: "c01", blobName: "x", size: 512, metadata: JSON.parse('{"__proto__":"x"}') },
        /not an identifier/,
      ],
      [{ container: "c01", blobName: "x", size: 512 }, /block size/, 3000],
      [{ container: "c01", blobName: "x", size: 50_001 * 4096 }, /50001 blocks/, 4096],
    ];
    for (const [file, why, blockSize] of cases) {
      await rejectsWith(writer.addFile(never, file, blockSize ? { blockSize } : {}), "FileEntryInvalid", why);
    }
    assert.equal(existsSync(join(root, DATA_FOLDER)), false);
  });

  it("will not start a second drive in a folder that holds one; finish can be called again after more files", async () => {
    const root = tempFolder("twice");
    const password = generateRecoveryPassword();
    const writer = await createDrive(root, { driveId: "WD-TWICE", password, scrypt: FAST_SCRYPT });
    await rejectsWith(createDrive(root, { driveId: "WD-OTHER", password }), "DriveNotEmpty");
    await writer.addFile(chunks(Buffer.from("a")), { container: "c01", blobName: "a", size: 1 });
    const before = await writer.finish();
    await writer.addFile(chunks(Buffer.from("b")), { container: "c01", blobName: "b", size: 1 });
    const after = await writer.finish();
    assert.notEqual(before.manifestHash, after.manifestHash);
    assert.equal(before.driveHeaderHash, after.driveHeaderHash);
    const drive = await openDrive(root, password, { expect: { manifestHash: after.manifestHash } });
    assert.equal(drive.manifest.files.length, 2);
  });

  it("uses scrypt's default cost unless told otherwise, and refuses a drive id the API would refuse", async () => {
    const root = tempFolder("defaults");
    const password = generateRecoveryPassword();
    const writer = await createDrive(root, { driveId: "WD-DEFAULT", password });
    await writer.finish();
    const header = JSON.parse(readFileSync(join(root, HEADER_FILE), "utf8"));
    assert.deepEqual([header.kdf.name, header.kdf.n, header.kdf.r, header.kdf.p], ["scrypt", 2 ** 15, 8, 1]);
    assert.equal((await openDrive(root, password)).manifest.files.length, 0);
    const other = join(root, "other");
    mkdirSync(other);
    await rejectsWith(
      createDrive(other, { driveId: "has space", password, scrypt: FAST_SCRYPT }),
      "DriveHeaderInvalid",
      /drive id/,
    );
    await rejectsWith(
      createDrive(other, { driveId: "OK", password, scrypt: { n: 2 ** 10 } }),
      "DriveHeaderInvalid",
      /scrypt/,
    );
  });
});
