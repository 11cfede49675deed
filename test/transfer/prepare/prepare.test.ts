/**
 * @module `prepareDrive` on real folders: a dataset prepared (metadata and properties files included),
 * opened and fully verified with the key the journal kept; an interrupted prepare resumed by the same call to the same drive, no data file written
 * twice; and the refusals that come before any byte is written.
 */

import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";

import { fixedClock } from "../../../src/domain/clock.js";
import { openDrive, verifyDrive } from "../../../src/transfer/drive/index.js";
import { readJournal } from "../../../src/transfer/prepare/journal.js";
import { prepareDrive, PrepareError, type PrepareOptions } from "../../../src/transfer/prepare/prepare.js";
import { TMP } from "../../support/db.js";

const HEADER = "BasePath,DstBlobPathOrPrefix,BlobType,Disposition,MetadataFile,PropertiesFile";
const FAST = { scrypt: { n: 2 ** 14 }, blockSize: 4096 };

function folder(label: string): string {
  const path = join(TMP, "prepare", `${label}-${randomUUID().slice(0, 8)}`);
  mkdirSync(path, { recursive: true });
  after(() => rmSync(path, { recursive: true, force: true }));
  return path;
}

/** A dataset of a folder (five files, one empty, one of many blocks, a nested one) and a single file. */
function dataset(label: string) {
  const root = folder(label);
  const sources: Record<string, Buffer> = {
    "tree/a.bin": randomBytes(10_000),
    "tree/b/c.txt": Buffer.from("nested"),
    "tree/empty": Buffer.alloc(0),
    "tree/exact.bin": randomBytes(4096),
    "tree/zz.bin": randomBytes(3 * 4096 + 1),
    "single.dat": randomBytes(5000),
  };
  for (const [path, data] of Object.entries(sources)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), data);
  }
  const csv = join(root, "dataset.csv");
  writeFileSync(join(root, "meta.xml"), "<Metadata><Source>lab-7</Source></Metadata>");
  writeFileSync(
    join(root, "props.xml"),
    "<Properties><Content-Type>application/x-test</Content-Type></Properties>",
  );
  writeFileSync(
    csv,
    `${HEADER}\ntree/,photos/2024/,,overwrite\nsingle.dat,docs/one.dat,,no-overwrite,meta.xml,props.xml\n`,
  );
  const blobs: Record<string, Buffer> = {
    "photos/2024/a.bin": sources["tree/a.bin"]!,
    "photos/2024/b/c.txt": sources["tree/b/c.txt"]!,
    "photos/2024/empty": sources["tree/empty"]!,
    "photos/2024/exact.bin": sources["tree/exact.bin"]!,
    "photos/2024/zz.bin": sources["tree/zz.bin"]!,
    "docs/one.dat": sources["single.dat"]!,
  };
  const options: PrepareOptions = {
    dataset: csv,
    driveRoot: join(root, "drive"),
    driveId: "WD-TEST0001",
    journalPath: join(root, "journal.json"),
    ...FAST,
  };
  return { root, csv, blobs, options };
}

/** Every data file on the drive with its inode and mtime: a file written again changes both. */
function dataFiles(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(path);
      } else {
        const info = statSync(path);
        out.set(path, `${info.ino}:${info.mtimeMs}`);
      }
    }
  };
  walk(join(root, "sneakernet-data"));
  return out;
}

async function assertDriveHolds(
  options: PrepareOptions,
  blobs: Record<string, Buffer>,
  entry: { bitLockerKey: string; manifestHash: string; driveHeaderHash: string },
) {
  const drive = await openDrive(options.driveRoot, entry.bitLockerKey, {
    expect: {
      driveId: options.driveId,
      manifestHash: entry.manifestHash,
      driveHeaderHash: entry.driveHeaderHash,
    },
  });
  const found: Record<string, Buffer> = {};
  for (const file of drive.manifest.files) {
    const opened = await drive.openFile(file);
    const parts: Buffer[] = [];
    for (let i = 0; i < file.blocks.length; i += 1) {
      parts.push(await opened.readBlock(i));
    }
    await opened.close();
    found[`${file.container}/${file.blobName}`] = Buffer.concat(parts);
  }
  assert.deepEqual(Object.keys(found).sort(), Object.keys(blobs).sort());
  for (const [name, data] of Object.entries(blobs)) {
    assert.ok(found[name]!.equals(data), `${name} differs`);
  }
  const report = await verifyDrive(options.driveRoot, entry.bitLockerKey);
  assert.deepEqual(report.problems, []);
  return drive;
}

describe("prepareDrive", () => {
  it("prepares a dataset that opens and verifies with the journal's key, every byte as its source", async () => {
    const { options, blobs } = dataset("round");
    const entry = await prepareDrive(options);
    assert.equal(entry.driveId, "WD-TEST0001");
    assert.match(entry.bitLockerKey, /^\d{6}(-\d{6}){7}$/);
    const drive = await assertDriveHolds(options, blobs, entry);
    const one = drive.manifest.files.find((file) => file.blobName === "one.dat")!;
    assert.equal(one.disposition, "no-overwrite");
    assert.deepEqual(one.metadata, { Source: "lab-7" });
    assert.deepEqual(one.properties, { contentType: "application/x-test" });
    assert.equal(one.sourcePath, join(options.dataset, "..", "single.dat"));
    const journal = (await readJournal(options.journalPath))!;
    assert.equal(journal.drives.length, 1);
    assert.equal(journal.drives[0]!.bitLockerKey, entry.bitLockerKey);
    assert.deepEqual(journal.drives[0]!.finished, {
      manifestFile: entry.manifestFile,
      manifestHash: entry.manifestHash,
      driveHeaderHash: entry.driveHeaderHash,
    });
    assert.equal(statSync(options.journalPath).mode & 0o077, 0, "the journal holds the key: owner only");
    // Run again: everything is written, nothing is, and the same entry comes back.
    const again = await prepareDrive(options);
    assert.deepEqual(again, entry);
  });

  it("resumes an interrupted prepare with the same call: nothing written twice, the same files, a verified drive", async () => {
    const { options, blobs } = dataset("resume");
    await assert.rejects(
      prepareDrive({
        ...options,
        filesAtOnce: 1, // stopped at an exact file: one file at a time
        onProgress: (progress) => {
          if (progress.written && progress.files === 3) {
            throw new Error("interrupted");
          }
        },
      }),
      /interrupted/,
    );
    const before = dataFiles(options.driveRoot);
    assert.equal(before.size, 3);
    const journal = (await readJournal(options.journalPath))!;
    assert.equal(journal.drives[0]!.files.length, 3);
    assert.equal(journal.drives[0]!.finished, undefined);

    const seen: { skipped: number; written: string[] } = { skipped: -1, written: [] };
    const entry = await prepareDrive({
      ...options,
      onProgress: (progress) => {
        seen.skipped = progress.skipped;
        if (progress.written) {
          seen.written.push(progress.written.blobName);
        }
      },
    });
    assert.equal(seen.skipped, 3);
    // Written several at once, they finish in any order.
    assert.deepEqual(seen.written.sort(), ["2024/exact.bin", "2024/zz.bin", "one.dat"]);
    const afterward = dataFiles(options.driveRoot);
    assert.equal(afterward.size, 6);
    for (const [path, identity] of before) {
      assert.equal(afterward.get(path), identity, `${path} was written again`);
    }
    const drive = await assertDriveHolds(options, blobs, entry);
    assert.deepEqual(
      drive.manifest.files.map((file) => file.id),
      [1, 2, 3, 4, 5, 6],
    );
  });

  it("several files at once: stopped mid-run, every file finished is recorded, and the resume writes each other file once", async () => {
    const { options, blobs } = dataset("at-once");
    await assert.rejects(
      prepareDrive({
        ...options,
        onProgress: (progress) => {
          if (progress.written && progress.files === 2) {
            throw new Error("interrupted");
          }
        },
      }),
      /interrupted/,
    );
    const before = dataFiles(options.driveRoot);
    const recorded = (await readJournal(options.journalPath))!.drives[0]!.files;
    // Files already started when the run stopped finish, and are recorded: nothing on the drive is not.
    assert.ok(recorded.length >= 2, `${recorded.length} recorded`);
    assert.equal(before.size, recorded.length);
    const written: string[] = [];
    const entry = await prepareDrive({
      ...options,
      onProgress: (progress) => progress.written && written.push(progress.written.blobName),
    });
    assert.equal(written.length + recorded.length, 6);
    for (const [path, identity] of before) {
      assert.equal(dataFiles(options.driveRoot).get(path), identity, `${path} was written again`);
    }
    await assertDriveHolds(options, blobs, entry);
  });

  it("with a clock, records the journal when the run stops; a journal lagging the drive (a crash between writes) resumes to each file once", async () => {
    const { options, blobs } = dataset("lagging");
    const clock = fixedClock("2026-01-01T00:00:00Z"); // never a second later: no write between files
    let journalFilesSeen = -1;
    await assert.rejects(
      prepareDrive({
        ...options,
        clock,
        filesAtOnce: 1, // stopped at an exact file: one file at a time
        onProgress: (progress) => {
          if (progress.written) {
            journalFilesSeen = JSON.parse(readFileSync(options.journalPath, "utf8")).drives[0].files.length;
          }
          if (progress.written && progress.files === 3) {
            throw new Error("interrupted");
          }
        },
      }),
      /interrupted/,
    );
    assert.equal(journalFilesSeen, 0, "no journal write between files within the interval");
    const journal = (await readJournal(options.journalPath))!;
    assert.equal(journal.drives[0]!.files.length, 3, "written when the run stopped");
    // As a crash would leave it: the journal of before the first file, three data files on the drive.
    journal.drives[0]!.files = [];
    writeFileSync(options.journalPath, JSON.stringify(journal));
    const entry = await prepareDrive({ ...options, clock });
    assert.equal(dataFiles(options.driveRoot).size, 6, "the unrecorded files were replaced, not added to");
    const drive = await assertDriveHolds(options, blobs, entry);
    assert.deepEqual(
      drive.manifest.files.map((file) => file.id),
      [1, 2, 3, 4, 5, 6],
    );
  });

  it("refuses, writing nothing: a non-empty folder not of this journal, too little space, a bad id, a drive or journal inside the data, another dataset, another drive", async () => {
    const { options, root } = dataset("refuse");
    const nothingWritten = () => assert.equal(readdirSync(root).includes("journal.json"), false);
    mkdirSync(options.driveRoot);
    writeFileSync(join(options.driveRoot, "holiday.jpg"), "x");
    await assert.rejects(prepareDrive(options), (error: Error) => {
      assert.ok(error instanceof PrepareError);
      assert.match(error.message, /drive is not empty and is not a drive of the journal/);
      return true;
    });
    rmSync(join(options.driveRoot, "holiday.jpg"));
    mkdirSync(join(options.driveRoot, "lost+found"));
    await assert.rejects(
      prepareDrive({ ...options, freeBytes: async () => 1024 * 1024 }),
      /has 1\.0 MiB free, and this drive needs 16\.\d MiB .*use a larger drive/,
    );
    assert.deepEqual(readdirSync(options.driveRoot), ["lost+found"]);
    nothingWritten();
    await assert.rejects(prepareDrive({ ...options, driveId: "bad id!" }), PrepareError);

    await assert.rejects(
      prepareDrive({ ...options, driveRoot: join(root, "tree", "drive") }),
      /tree \(dataset line 2\) and the drive .* overlap: a drive cannot hold a copy of itself/,
    );
    await assert.rejects(
      prepareDrive({ ...options, journalPath: join(root, "tree", "j.json") }),
      /The journal .*j\.json is inside .*tree \(dataset line 2\)/,
    );
    assert.deepEqual(readdirSync(join(root, "tree")).sort(), ["a.bin", "b", "empty", "exact.bin", "zz.bin"]);
    nothingWritten();

    await prepareDrive(options);
    await assert.rejects(
      prepareDrive({ ...options, driveId: "OTHER0001", driveRoot: join(root, "drive2") }),
      /already prepares this dataset on drive WD-TEST0001: a journal holds one drive, or one --driveset/,
    );
    writeFileSync(options.dataset, `${readFileSync(options.dataset, "utf8")}single.dat,docs/two.dat\n`);
    await assert.rejects(prepareDrive(options), /was started for another dataset/);
  });
});
