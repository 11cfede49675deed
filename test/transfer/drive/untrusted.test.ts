/**
 * @module A drive is untrusted input: crafted manifests (paths leaving the drive, oversized counts,
 * names blob storage refuses), symlinks, FIFOs and oversized files are refused, and nothing outside
 * the drive is read. Each crafted path points at a genuine data file moved out of the drive, so a read
 * that went through would succeed: the refusal is the only thing standing between them.
 */

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, renameSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";

import {
  HEADER_FILE,
  LIMITS,
  MANIFEST_FILE,
  MAX_BLOCKS_PER_FILE,
  openDrive,
} from "../../../src/transfer/drive/index.js";
import { editManifest, rejectsWith, sealByHand, tempFolder, twoFileDrive } from "./support.js";

/** A drive whose first file's data now lives outside it, in a sibling folder. */
async function driveWithDataOutside(label: string) {
  const drive = await twoFileDrive(label);
  const outside = tempFolder(`${label}-outside`);
  const entry = drive.entries[0]!;
  const moved = join(outside, "stolen.blk");
  renameSync(join(drive.root, entry.path), moved);
  return { drive, entry, outside, moved };
}

/** A log that keeps what it is told, to check refusals are logged. */
function recordingLog() {
  const lines: Record<string, unknown>[] = [];
  return {
    lines,
    warn: (fields: Record<string, unknown>, message: string) => lines.push({ ...fields, message }),
  };
}

describe("an untrusted drive", () => {
  it("a manifest path with '..', absolute, NUL or '\\' is refused with the manifest", async () => {
    const { drive, outside, moved } = await driveWithDataOutside("crafted-paths");
    const cases: [string, RegExp][] = [
      [`../${outside.split("/").at(-1)}/stolen.blk`, /climbs out with '\.\.'/],
      ["sneakernet-data/../sneakernet-data/0000/00000002.blk", /climbs out/],
      [moved, /absolute/],
      ["C:/stolen.blk", /absolute/],
      ["sneakernet-data/0000/00000001.blk\0.txt", /NUL/],
      ["sneakernet-data\\0000\\00000001.blk", /'\\'/],
      ["sneakernet-data//0000/00000001.blk", /empty or '\.' segment/],
    ];
    for (const [path, why] of cases) {
      await editManifest(drive, (manifest) => {
        manifest.files[0]!.path = path;
      });
      await rejectsWith(openDrive(drive.root, drive.password), "ManifestFormatInvalid", why);
    }
  });

  it("a symlink leading out of the drive, for a file or a folder, is refused and logged; one inside is followed", async () => {
    const { drive, entry, outside, moved } = await driveWithDataOutside("symlinks");
    symlinkSync(moved, join(drive.root, entry.path));
    const log = recordingLog();
    const opened = await openDrive(drive.root, drive.password, { log });
    await rejectsWith(opened.readBlock(entry, 0), "FileNameInvalid", /a symlink leads outside the drive/);
    assert.deepEqual(
      log.lines.map((line) => [line.code, line.message]),
      [["FileNameInvalid", "drive path refused"]],
    );

    // The whole data folder swapped for a link to a folder outside holding the genuine file.
    const folder = join(drive.root, dirname(entry.path));
    renameSync(folder, join(outside, "0000"));
    renameSync(moved, join(outside, "0000", entry.path.split("/").at(-1)!));
    symlinkSync(join(outside, "0000"), folder);
    await rejectsWith(opened.readBlock(entry, 0), "FileNameInvalid", /outside the drive/);

    // A symlink that stays inside the drive is only another name for a drive file.
    rmLink(folder);
    mkdirSync(join(drive.root, "elsewhere"));
    renameSync(join(outside, "0000"), join(drive.root, "elsewhere", "0000"));
    symlinkSync(join(drive.root, "elsewhere", "0000"), folder);
    assert.equal((await opened.readBlock(entry, 0)).length, 4096);
  });

  it("a FIFO or a folder where a data file should be is refused without opening it (no hang)", async () => {
    const drive = await twoFileDrive("fifo");
    const [a, b] = drive.entries;
    renameSync(join(drive.root, a!.path), join(drive.root, "a.bak"));
    execFileSync("mkfifo", [join(drive.root, a!.path)]);
    renameSync(join(drive.root, b!.path), join(drive.root, "b.bak"));
    mkdirSync(join(drive.root, b!.path));
    const opened = await openDrive(drive.root, drive.password);
    await rejectsWith(opened.openFile(a!), "FileNameInvalid", /not a regular file/);
    await rejectsWith(opened.openFile(b!), "FileNameInvalid", /not a regular file/);
  });

  it("a missing data file is FileNotFound", async () => {
    const { drive, entry } = await driveWithDataOutside("missing");
    await rejectsWith((await openDrive(drive.root, drive.password)).openFile(entry), "FileNotFound");
  });

  it("the job's manifestFile is resolved inside the drive like any other path", async () => {
    const drive = await twoFileDrive("manifest-file");
    const outside = tempFolder("manifest-file-outside");
    await rejectsWith(
      openDrive(drive.root, drive.password, { manifestFile: "../manifest.bin" }),
      "ManifestNameInvalid",
      /climbs out/,
    );
    await rejectsWith(
      openDrive(drive.root, drive.password, { manifestFile: "DriveManifest.xml" }),
      "ManifestNotFound",
    );
    renameSync(join(drive.root, MANIFEST_FILE), join(outside, "manifest.bin"));
    symlinkSync(join(outside, "manifest.bin"), join(drive.root, MANIFEST_FILE));
    await rejectsWith(openDrive(drive.root, drive.password), "ManifestNameInvalid", /outside the drive/);
  });

  it("a header that is missing, a symlink out, too large, or asks scrypt for too much is refused before any key work", async () => {
    const drive = await twoFileDrive("header");
    const outside = tempFolder("header-outside");
    const header = join(drive.root, HEADER_FILE);
    const text = readFileSync(header, "utf8");
    renameSync(header, join(outside, HEADER_FILE));
    await rejectsWith(openDrive(drive.root, drive.password), "DriveHeaderNotFound");
    symlinkSync(join(outside, HEADER_FILE), header);
    await rejectsWith(openDrive(drive.root, drive.password), "DriveHeaderInvalid", /outside the drive/);
    rmLink(header);
    writeFileSync(header, "");
    truncateSync(header, LIMITS.headerBytes + 1); // sparse: the bound must come before the read
    await rejectsWith(openDrive(drive.root, drive.password), "DriveHeaderInvalid", /more than a header's/);
    const greedy = JSON.parse(text);
    greedy.kdf.n = 2 ** 22; // 4 GiB of scrypt memory
    writeFileSync(header, JSON.stringify(greedy));
    const started = process.hrtime.bigint();
    await rejectsWith(openDrive(drive.root, drive.password), "DriveHeaderInvalid", /scrypt parameters/);
    assert.ok(process.hrtime.bigint() - started < 1_000_000_000n, "the bound is checked before scrypt runs");
    writeFileSync(header, JSON.stringify({ ...JSON.parse(text), version: 2 }));
    await rejectsWith(openDrive(drive.root, drive.password), "DriveHeaderInvalid", /version/);
  });

  it("a manifest file larger than a manifest may be is refused before it is read", async () => {
    const drive = await twoFileDrive("huge-manifest");
    truncateSync(join(drive.root, MANIFEST_FILE), LIMITS.manifestBytes + 1); // sparse: no disk, no memory
    await rejectsWith(
      openDrive(drive.root, drive.password),
      "ManifestFormatInvalid",
      /more than the .* a manifest may be/,
    );
  });

  it("oversized counts are refused before the schema walks them", async () => {
    const drive = await twoFileDrive("counts");
    const zeros = (count: number) => `[${"0,".repeat(count - 1)}0]`;
    await sealByHand(
      drive.root,
      drive.password,
      `{"format":"sneakernet-manifest","version":1,"driveId":"TESTDRIVE01","files":${zeros(LIMITS.files + 1)}}`,
    );
    await rejectsWith(openDrive(drive.root, drive.password), "ManifestFormatInvalid", /500001 files/);
    await sealByHand(
      drive.root,
      drive.password,
      `{"format":"sneakernet-manifest","version":1,"driveId":"TESTDRIVE01","files":[{"blocks":${zeros(MAX_BLOCKS_PER_FILE + 1)}}]}`,
    );
    await rejectsWith(openDrive(drive.root, drive.password), "ManifestFormatInvalid", /50001 blocks/);
  });

  it("a manifest entry that breaks the format is refused, saying where", async () => {
    const drive = await twoFileDrive("schema");
    type Edit = (file: Record<string, unknown>, files: Record<string, unknown>[]) => void;
    const cases: [Edit, RegExp][] = [
      [(f) => ((f.blocks as string[]).length = 3), /3 block hashes .*files\.0\.blocks/],
      [(f) => (f.size = 2 ** 60), /files\.0\.size/],
      [(f) => (f.blockSize = 5000), /not a block size/],
      [(f) => (f.blockSize = 1024), /not a block size/],
      [(f) => (f.container = "Photos"), /container name/],
      [(f) => (f.container = "ab"), /container name/],
      [(f) => (f.container = "a--b"), /container name/],
      [(f) => (f.blobName = "a/"), /may not end with/],
      [(f) => (f.blobName = "x".repeat(1025)), /1–1024 characters/],
      [(f) => (f.blobName = "a/".repeat(254) + "b"), /254 path segments/],
      [(f) => (f.blobName = "tab\there"), /control characters/],
      [(f) => (f.blobName = "private\ue000use"), /invalid code points/],
      [(f) => ((f.container = "$root"), (f.blobName = "a/b")), /\$root cannot hold/],
      [(f) => (f.blobType = "AppendBlob"), /files\.0\.blobType/],
      [(f) => ((f.blobType = "PageBlob"), (f.size = 4 * 4096 - 1)), /multiple of 512/],
      [(f) => (f.disposition = "replace"), /files\.0\.disposition/],
      [(f) => (f.metadata = { "bad-name": "x" }), /not an identifier/],
      // JSON.parse makes `__proto__` an own key, as a crafted manifest would; a literal would set the prototype.
      [(f) => (f.metadata = JSON.parse('{"__proto__":"x"}')), /not a metadata name/],
      [(f) => (f.metadata = { a: "x", A: "y" }), /appears twice/],
      [(f) => (f.metadata = { big: "x".repeat(8192) }), /more than blob storage's/],
      [(f) => (f.properties = { contentLength: "3" }), /files\.0\.properties/],
      [(f) => (f.md5 = "not-an-md5"), /MD5 in base64/],
      [(f) => (f.unexpected = true), /files\.0/],
      [(_, files) => files.push({ ...files[0], blobName: "copy" }), /same id or data path/],
      [(_, files) => files.push({ ...files[1], id: 9 }), /same id or data path/],
    ];
    for (const [edit, why] of cases) {
      await editManifest(drive, (manifest) => {
        edit(manifest.files[0]!, manifest.files);
      });
      await rejectsWith(openDrive(drive.root, drive.password), "ManifestFormatInvalid", why);
    }
    await editManifest(drive, (manifest) => {
      manifest.version = 2;
    });
    await rejectsWith(openDrive(drive.root, drive.password), "ManifestFormatInvalid", /version/);
  });
});

function rmLink(path: string): void {
  execFileSync("rm", [path]);
}
