/**
 * @module `prepareDriveSet` on real folders: a dataset spread over two drives that both verify and
 * together hold the dataset's plan; an interrupted set resumed by the same call, nothing written twice;
 * and the refusals that come before any byte is written (no room on the set, journals of another kind).
 */

import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";

import { openDrive, verifyDrive } from "../../../src/transfer/drive/index.js";
import { datasetFolder, parseDataset, planDataset } from "../../../src/transfer/prepare/dataset.js";
import { readJournal } from "../../../src/transfer/prepare/journal.js";
import { MARGIN_BYTES, prepareDrive, PrepareError } from "../../../src/transfer/prepare/prepare.js";
import { prepareDriveSet, type PrepareSetOptions } from "../../../src/transfer/prepare/prepare-set.js";
import { TMP } from "../../support/db.js";

const HEADER = "BasePath,DstBlobPathOrPrefix,BlobType,Disposition,MetadataFile,PropertiesFile";
const FAST = { scrypt: { n: 2 ** 14 }, blockSize: 4096 };
const MIB = 1024 * 1024;

function folder(label: string): string {
  const path = join(TMP, "prepare-set", `${label}-${randomUUID().slice(0, 8)}`);
  mkdirSync(path, { recursive: true });
  after(() => rmSync(path, { recursive: true, force: true }));
  return path;
}

/** A dataset of six files (one empty, one nested, one of many blocks) and a driveset of two empty folders. */
function setup(label: string, sources?: Record<string, Buffer>) {
  const root = folder(label);
  const files = sources ?? {
    "tree/a.bin": randomBytes(10_000),
    "tree/b/c.txt": Buffer.from("nested"),
    "tree/empty": Buffer.alloc(0),
    "tree/exact.bin": randomBytes(4096),
    "tree/zz.bin": randomBytes(3 * 4096 + 1),
    "single.dat": randomBytes(5000),
  };
  for (const [path, data] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), data);
  }
  const csv = join(root, "dataset.csv");
  writeFileSync(
    csv,
    sources ? `${HEADER}\ntree/,big/\n` : `${HEADER}\ntree/,photos/2024/\nsingle.dat,docs/one.dat\n`,
  );
  mkdirSync(join(root, "disk1"));
  mkdirSync(join(root, "disk2"));
  const driveset = join(root, "driveset.csv");
  writeFileSync(driveset, "Path,DriveId\ndisk1,WD-SET0001\ndisk2,WD-SET0002\n");
  const options: PrepareSetOptions = {
    dataset: csv,
    driveset,
    journalPath: join(root, "journal.json"),
    // The same room on both drives, whatever the disk under the test folder has.
    freeBytes: async () => 64 * MIB,
    ...FAST,
  };
  const drives = [join(root, "disk1"), join(root, "disk2")];
  return { root, csv, options, drives };
}

/** Every data file on a drive with its inode and mtime: a file written again changes both. */
function dataFiles(root: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of readdirSync(join(root, "sneakernet-data"), { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      const info = statSync(path);
      out.set(path, `${info.ino}:${info.mtimeMs}`);
    }
  }
  return out;
}

/** The dataset's plan as `destination size md5` lines, sorted. */
async function plan(csv: string): Promise<string[]> {
  const planned = await planDataset(parseDataset(readFileSync(csv, "utf8"), csv, datasetFolder(csv)), csv);
  return planned
    .map(({ file }) => {
      const md5 = createHash("md5").update(readFileSync(file.sourcePath)).digest("base64");
      return `${file.container}/${file.blobName} ${file.size} ${md5}`;
    })
    .sort();
}

/** Both drives opened with their entries and fully verified; their files as `destination size md5` lines. */
async function holdings(
  drives: string[],
  entries: { driveId: string; bitLockerKey: string; manifestHash: string; driveHeaderHash: string }[],
): Promise<string[][]> {
  const out: string[][] = [];
  for (const [i, root] of drives.entries()) {
    const entry = entries[i]!;
    const drive = await openDrive(root, entry.bitLockerKey, {
      expect: {
        driveId: entry.driveId,
        manifestHash: entry.manifestHash,
        driveHeaderHash: entry.driveHeaderHash,
      },
    });
    assert.deepEqual((await verifyDrive(root, entry.bitLockerKey)).problems, []);
    out.push(drive.manifest.files.map((f) => `${f.container}/${f.blobName} ${f.size} ${f.md5}`));
  }
  return out;
}

describe("prepareDriveSet", () => {
  it("spreads a dataset over two drives: each file on exactly one, both verify, together the dataset's plan", async () => {
    const { options, drives, csv } = setup("two");
    const entries = await prepareDriveSet(options);
    assert.deepEqual(
      entries.map((e) => e.driveId),
      ["WD-SET0001", "WD-SET0002"],
    );
    const [one, two] = await holdings(drives, entries);
    assert.ok(one!.length > 0 && two!.length > 0, `both drives hold files: ${one!.length}, ${two!.length}`);
    assert.deepEqual([...one!, ...two!].sort(), await plan(csv));
    const journal = (await readJournal(options.journalPath))!;
    assert.deepEqual(journal.driveset, { path: options.driveset });
    assert.deepEqual(
      journal.drives.map((d) => d.assigned?.length),
      [one!.length, two!.length],
    );
    assert.deepEqual(
      journal.drives.map((d) => ({ driveId: d.driveId, bitLockerKey: d.bitLockerKey, ...d.finished })),
      entries,
    );
    // Run again: everything is written, nothing is, and the same entries come back.
    const before = drives.map(dataFiles);
    assert.deepEqual(await prepareDriveSet(options), entries);
    assert.deepEqual(drives.map(dataFiles), before);
  });

  it("resumes an interrupted set with the same call: the finished drive untouched, nothing written twice", async () => {
    const { options, drives, csv } = setup("resume");
    await assert.rejects(
      prepareDriveSet({
        ...options,
        filesAtOnce: 1, // stopped at an exact file: one file at a time
        onProgress: (progress) => {
          if (progress.written && progress.files === 4) {
            throw new Error("interrupted");
          }
        },
      }),
      /interrupted/,
    );
    const stopped = (await readJournal(options.journalPath))!;
    const [first, second] = stopped.drives;
    assert.ok(first!.finished, "the first drive was finished before the second was started");
    assert.equal(second!.finished, undefined);
    assert.equal(first!.files.length + second!.files.length, 4);
    const before = drives.map(dataFiles);
    assert.deepEqual(
      before.map((files) => files.size),
      [first!.files.length, second!.files.length],
    );

    // The free space changed meanwhile: the spread stays as recorded.
    let skipped = -1;
    const entries = await prepareDriveSet({
      ...options,
      freeBytes: async (root) => (root.endsWith("disk1") ? 20 * MIB : 900 * MIB),
      onProgress: (progress) => {
        skipped = skipped < 0 ? progress.skipped : skipped;
      },
    });
    assert.equal(skipped, 4);
    const afterward = drives.map(dataFiles);
    for (const [i, files] of before.entries()) {
      for (const [path, identity] of files) {
        assert.equal(afterward[i]!.get(path), identity, `${path} was written again`);
      }
    }
    const resumed = (await readJournal(options.journalPath))!;
    assert.deepEqual(
      resumed.drives.map((d) => d.assigned),
      stopped.drives.map((d) => d.assigned),
    );
    assert.deepEqual(
      afterward.map((files) => files.size),
      resumed.drives.map((d) => d.assigned!.length),
    );
    assert.deepEqual(entries[0], {
      driveId: first!.driveId,
      bitLockerKey: first!.bitLockerKey,
      ...first!.finished,
    });
    const [one, two] = await holdings(drives, entries);
    assert.deepEqual([...one!, ...two!].sort(), await plan(csv));
  });

  it("refuses a set without room for the dataset, saying how much is missing; a file larger than any drive's room; writing nothing", async () => {
    const short = setup("short");
    await assert.rejects(
      prepareDriveSet({ ...short.options, freeBytes: async () => MARGIN_BYTES + 10_000 }),
      (error: Error) => {
        assert.ok(error instanceof PrepareError);
        assert.match(error.message, /the drives have 32\.0 MiB free: \d+\.\d KiB is missing; add a drive/);
        return true;
      },
    );
    const big = setup("big", { "tree/huge.bin": randomBytes(50_000), "tree/small": randomBytes(10) });
    await assert.rejects(
      prepareDriveSet({ ...big.options, freeBytes: async () => MARGIN_BYTES + 30_000 }),
      /huge\.bin \(dataset line 2\) takes 49\.\d KiB on a drive, more than any drive of the set has left/,
    );
    for (const s of [short, big]) {
      assert.deepEqual(readdirSync(s.root).includes("journal.json"), false);
      for (const drive of s.drives) {
        assert.deepEqual(readdirSync(drive), []);
      }
    }
  });

  it("refuses a non-empty drive not of the journal, swapped rows, and a journal of another kind or of other drives", async () => {
    const s = setup("kinds");
    writeFileSync(join(s.drives[1]!, "holiday.jpg"), "x");
    await assert.rejects(prepareDriveSet(s.options), /disk2 is not empty and is not a drive of the journal/);
    assert.deepEqual(readdirSync(s.drives[0]!), []);
    rmSync(join(s.drives[1]!, "holiday.jpg"));

    await prepareDriveSet(s.options);
    await assert.rejects(
      prepareDrive({ ...s.options, driveRoot: s.drives[0]!, driveId: "WD-SET0001" }),
      /was started with --driveset .*driveset\.csv: resume it with that --driveset, not --drive/,
    );
    writeFileSync(s.options.driveset, "Path,DriveId\ndisk2,WD-SET0001\ndisk1,WD-SET0002\n");
    await assert.rejects(
      prepareDriveSet(s.options),
      /disk2 \(driveset line 2\) holds drive WD-SET0002, not drive WD-SET0001: check the driveset's rows/,
    );
    writeFileSync(s.options.driveset, "Path,DriveId\ndisk1,WD-SET0001\ndisk2,WD-SET0003\n");
    await assert.rejects(
      prepareDriveSet(s.options),
      /prepares the drives WD-SET0001, WD-SET0002, and the driveset lists WD-SET0001, WD-SET0003/,
    );

    const single = setup("single");
    await prepareDrive({ ...single.options, driveRoot: single.drives[0]!, driveId: "WD-ONE0001" });
    await assert.rejects(
      prepareDriveSet(single.options),
      /was started for one drive \(--drive .*disk1\): resume it with --drive, or use a new journal/,
    );
  });
});
