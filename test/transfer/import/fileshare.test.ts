/**
 * @module Import into a file share: a drive prepared from an Azure Files form dataset, imported into a
 * share root with files already there (rename to the first free ` (n)`, no-overwrite, overwrite), every
 * byte as its source; a run cut short mid-file resumes on its decisions; a hostile manifest is refused;
 * the copy log names the files. No blob storage is touched (the blob target refuses every call).
 */

import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";

import type { BlobTarget } from "../../../src/transfer/blob/target.js";
import { openDrive } from "../../../src/transfer/drive/index.js";
import { createFileShareTarget, type FileShareTarget } from "../../../src/transfer/fileshare/target.js";
import { driveLogXml, importDrive, MemoryJournal } from "../../../src/transfer/import/index.js";
import { prepareDrive } from "../../../src/transfer/prepare/prepare.js";
import { TMP } from "../../support/db.js";
import { editManifest, rejectsWith, tempFolder, writeDrive } from "../drive/support.js";
import { clock } from "./support.js";

const HEADER = "BasePath,DstItemPathOrPrefix,ItemType,Disposition,MetadataFile,PropertiesFile";

function folder(label: string): string {
  const path = join(TMP, "import-fileshare", `${label}-${randomUUID().slice(0, 8)}`);
  mkdirSync(path, { recursive: true });
  after(() => rmSync(path, { recursive: true, force: true }));
  return path;
}

/** A blob target that fails the test if the engine sends a file share item to blob storage. */
const noBlobs = new Proxy({} as BlobTarget, {
  get: (_, name) => {
    if (name === "endpoint") {
      return "http://nowhere";
    }
    return () => Promise.reject(new Error(`blob storage was asked ${String(name)}`));
  },
});

/** Every file under `dir`, relative, `/`-separated. */
function filesUnder(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? filesUnder(join(dir, entry.name), `${prefix}${entry.name}/`)
      : [`${prefix}${entry.name}`],
  );
}

/** A dataset in the Azure Files form, prepared onto a drive; the sources and the drive. */
async function preparedDrive(label: string) {
  const root = folder(label);
  const sources: Record<string, Buffer> = {
    "tree/big.bin": randomBytes(5 * 4096 + 123),
    "tree/sub/small.txt": Buffer.from("small"),
    "tree/empty": Buffer.alloc(0),
    "x.txt": randomBytes(3000),
    "keep.txt": Buffer.from("from the drive"),
    "over.txt": Buffer.from("the drive's version, which replaces"),
  };
  for (const [path, data] of Object.entries(sources)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), data);
  }
  writeFileSync(join(root, "meta.xml"), "<Metadata><Project>Apollo</Project></Metadata>");
  writeFileSync(
    join(root, "dataset.csv"),
    [
      HEADER,
      "tree/,media/2024/,file",
      "x.txt,docs/x.txt,File,rename",
      "keep.txt,docs/keep.txt,file,no-overwrite",
      "over.txt,docs/over.txt,file,overwrite,meta.xml",
      "",
    ].join("\n"),
  );
  const options = {
    dataset: join(root, "dataset.csv"),
    driveRoot: join(root, "drive"),
    driveId: "WD-SHARE0001",
    journalPath: join(root, "journal.json"),
    scrypt: { n: 2 ** 14 },
    blockSize: 4096,
  };
  const entry = await prepareDrive(options);
  const drive = await openDrive(options.driveRoot, entry.bitLockerKey);
  return { sources, drive };
}

/** A share root with files already where the drive's go. */
function shareRoot(label: string) {
  const root = folder(label);
  const there: Record<string, string> = {
    "docs/x.txt": "already here",
    "docs/x (2).txt": "taken too",
    "docs/keep.txt": "must stay",
    "docs/over.txt": "old",
  };
  for (const [path, text] of Object.entries(there)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe("import into a file share", () => {
  it("lands every file in the share root, byte for byte, with the dispositions and logs of blobs", async () => {
    const { sources, drive } = await preparedDrive("land");
    assert.ok(drive.manifest.files.every((file) => file.itemType === "file"));
    const root = shareRoot("land-root");
    const shares = createFileShareTarget({ root });
    const journal = new MemoryJournal();
    const result = await importDrive({ drive, target: noBlobs, shares, journal, clock, concurrency: 2 });

    const byName = new Map(result.files.map((file) => [`${file.container}/${file.blobName}`, file]));
    const expect = (name: string, disposition: string) => {
      const outcome = byName.get(name);
      assert.ok(outcome, `${name} in ${[...byName.keys()].join(", ")}`);
      assert.equal(outcome.status, "Completed", `${name}: ${outcome.message}`);
      assert.equal(outcome.dispositionStatus, disposition, name);
      assert.equal(outcome.itemType, "file");
    };
    expect("media/2024/big.bin", "Created");
    expect("media/2024/sub/small.txt", "Created");
    expect("media/2024/empty", "Created");
    expect("docs/x (3).txt", "Renamed");
    expect("docs/keep.txt", "Skipped");
    expect("docs/over.txt", "Overwritten");
    assert.match(byName.get("docs/over.txt")!.warning ?? "", /Metadata and properties are not kept/);

    const read = (path: string) => readFileSync(join(root, path));
    assert.ok(read("media/2024/big.bin").equals(sources["tree/big.bin"]!));
    assert.ok(read("media/2024/sub/small.txt").equals(sources["tree/sub/small.txt"]!));
    assert.equal(read("media/2024/empty").length, 0);
    assert.ok(read("docs/x (3).txt").equals(sources["x.txt"]!));
    assert.equal(read("docs/x.txt").toString(), "already here");
    assert.equal(read("docs/x (2).txt").toString(), "taken too");
    assert.equal(read("docs/keep.txt").toString(), "must stay");
    assert.ok(read("docs/over.txt").equals(sources["over.txt"]!));
    assert.deepEqual(filesUnder(root).sort(), [
      "docs/keep.txt",
      "docs/over.txt",
      "docs/x (2).txt",
      "docs/x (3).txt",
      "docs/x.txt",
      "media/2024/big.bin",
      "media/2024/empty",
      "media/2024/sub/small.txt",
    ]);
    // Three files warned (renamed, skipped, overwritten and its metadata lost); no error.
    assert.deepEqual(result.counts, { errorCount: 0, warningCount: 3, infoCount: 0 });
    assert.equal(result.bytesDone, result.bytesTotal);

    const log = driveLogXml(result, "error", { manifest: drive.manifest });
    assert.match(log, /<BlobPath>docs\/x \(3\)\.txt<\/BlobPath>/);
    assert.match(log, /<sn:ItemType>file<\/sn:ItemType>/);
    assert.match(log, /<sn:Warning>Metadata and properties are not kept/);
    assert.match(log, /<Status>CompletedWithWarnings<\/Status>/);
    const verbose = driveLogXml(result, "verbose", { manifest: drive.manifest });
    assert.ok(!/ Id="/.test(verbose), "a file share item's blocks have no block ids");

    // Run again on the same journal: every file is there with its MD5, nothing is written again.
    const before = statSync(join(root, "media/2024/big.bin"));
    const again = await importDrive({ drive, target: noBlobs, shares, journal, clock });
    assert.deepEqual(
      again.files.map((file) => [file.blobName, file.status, file.dispositionStatus]),
      result.files.map((file) => [file.blobName, file.status, file.dispositionStatus]),
    );
    const later = statSync(join(root, "media/2024/big.bin"));
    assert.equal(later.ino, before.ino);
    assert.equal(later.mtimeMs, before.mtimeMs);
  });

  it("resumes a file cut short on the name decided for it, leaving no temporary file", async () => {
    const { sources, drive } = await preparedDrive("resume");
    const root = shareRoot("resume-root");
    const real = createFileShareTarget({ root });
    // The first run dies inside the renamed file's write, after some of its bytes reached the share.
    const dying: FileShareTarget = {
      ...real,
      write: (share, path, parts, options) =>
        path.startsWith("x ")
          ? real.write(
              share,
              path,
              (async function* () {
                for await (const part of parts) {
                  yield part.subarray(0, 100);
                  throw new Error("the station died");
                }
              })(),
              options,
            )
          : real.write(share, path, parts, options),
    };
    const journal = new MemoryJournal();
    const first = await importDrive({ drive, target: noBlobs, shares: dying, journal, clock });
    const cut = first.files.find((file) => file.sourcePath?.endsWith("x.txt"))!;
    assert.equal(cut.status, "Failed");
    assert.match(cut.message ?? "", /the station died/);
    assert.equal(cut.blobName, "x (3).txt");
    assert.deepEqual(readdirSync(join(root, "docs")).sort(), ["keep.txt", "over.txt", "x (2).txt", "x.txt"]);

    const second = await importDrive({ drive, target: noBlobs, shares: real, journal, clock });
    assert.deepEqual(second.counts.errorCount, 0);
    const resumed = second.files.find((file) => file.sourcePath?.endsWith("x.txt"))!;
    assert.equal(resumed.blobName, "x (3).txt", "the name decided before the crash, not a new rename");
    assert.ok(readFileSync(join(root, "docs", "x (3).txt")).equals(sources["x.txt"]!));
    assert.ok(!filesUnder(root).some((name) => name.includes(".part")), filesUnder(root).join(", "));
    assert.equal(journal.file(resumed.fileId)?.committed, true);
  });

  it("waits for a share root out of reach (not mounted) as for storage down: nothing failed, nothing made; then lands it all", async () => {
    const { sources, drive } = await preparedDrive("unmounted");
    const root = join(folder("unmounted-root"), "mnt", "share");
    const shares = createFileShareTarget({ root });
    const journal = new MemoryJournal();
    const first = await importDrive({ drive, target: noBlobs, shares, journal, clock, concurrency: 2 });
    assert.match(first.storageDown ?? "", /The file share root is not there: is the share mounted\?/);
    assert.deepEqual(first.counts, { errorCount: 0, warningCount: 0, infoCount: 0 });
    assert.ok(
      first.files.every((file) => file.status !== "Failed"),
      JSON.stringify(first.files.map((f) => f.status)),
    );
    assert.ok(!existsSync(root), "the root was not made in the mount point's place");

    mkdirSync(root, { recursive: true });
    const second = await importDrive({ drive, target: noBlobs, shares, journal, clock, concurrency: 2 });
    assert.equal(second.storageDown, undefined);
    assert.equal(second.counts.errorCount, 0);
    assert.ok(readFileSync(join(root, "media/2024/big.bin")).equals(sources["tree/big.bin"]!));
  });

  it("fails each file share item, with a message, when the station has no share root", async () => {
    const { drive } = await preparedDrive("no-root");
    const result = await importDrive({ drive, target: noBlobs, journal: new MemoryJournal(), clock });
    assert.equal(result.counts.errorCount, drive.manifest.files.length);
    assert.match(result.files[0]!.message ?? "", /no file share root \(station run --file-shares\)/);
  });

  it("refuses a manifest whose file share item leaves its share, before anything is opened", async () => {
    const written = await writeDrive(tempFolder("hostile"), [
      { file: { itemType: "file", container: "docs", blobName: "a.txt" }, data: randomBytes(10) },
    ]);
    for (const [change, why] of [
      ["../../etc/passwd", /blobName/],
      ["a/../../b", /blobName/],
      ["/abs", /blobName/],
    ] as const) {
      await editManifest(written, (manifest) => {
        manifest.files[0]!.blobName = change;
      });
      await rejectsWith(openDrive(written.root, written.password), "ManifestFormatInvalid", why);
    }
    await editManifest(written, (manifest) => {
      manifest.files[0]!.container = "..";
    });
    await rejectsWith(openDrive(written.root, written.password), "ManifestFormatInvalid", /container/);
    // As a blob, `a/../b` is a legal name (blob storage keeps it as it is): the item type decides the rule.
    await editManifest(written, (manifest) => {
      delete manifest.files[0]!.itemType;
      manifest.files[0]!.blobName = "a/../b";
    });
    const blob = await openDrive(written.root, written.password);
    assert.equal(blob.manifest.files[0]!.itemType, undefined);
  });
});
