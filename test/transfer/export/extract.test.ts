/**
 * @module extractDrive on real drives written by the drive writer: exact bytes out, the snapshot tree,
 * per-file failures (a corrupted block, unsafe names, conflicts) that leave the other files be, a resume
 * after an abort, a state file or output that no longer holds, and nothing ever written outside OUTDIR.
 */

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import {
  closeSync,
  existsSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";

import { generateRecoveryPassword } from "../../../src/transfer/drive/index.js";
import {
  extractDrive,
  type ExtractProgress,
  type ExtractReport,
  outputPathOf,
  STATE_FILE,
} from "../../../src/transfer/export/extract.js";
import {
  editManifest,
  type PlannedFile,
  rejectsWith,
  storedBlockRange,
  tempFolder,
  writeDrive,
} from "../drive/support.js";

const KIB = 1024;

/** Every file under `root`, relative with `/`, the state and partial folder left out. */
function listFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const rel = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) {
        walk(join(dir, entry.name), rel);
      } else {
        found.push(rel);
      }
    }
  };
  walk(root, "");
  return found.filter((f) => f !== STATE_FILE).sort();
}

function byName(report: ExtractReport, blobName: string, snapshot?: string) {
  const found = report.files.find((f) => f.blobName === blobName && f.snapshot === snapshot);
  assert.ok(found, `no report entry for ${blobName}`);
  return found;
}

const SNAPSHOT = "2026-12-01T10:00:00.1234567Z";

function exportFiles(): PlannedFile[] {
  return [
    { file: { container: "photos", blobName: "empty.txt" }, data: Buffer.alloc(0) },
    {
      file: { container: "photos", blobName: "big.bin" },
      data: randomBytes(5 * 4 * KIB + 123),
      blockSize: 4 * KIB,
    },
    {
      file: { container: "photos", blobName: "a/b/c/nested.jpg" },
      data: randomBytes(9000),
      blockSize: 4 * KIB,
    },
    {
      file: { container: "photos", blobName: "a/b/c/nested.jpg", snapshot: SNAPSHOT },
      data: randomBytes(777),
    },
    { file: { container: "$root", blobName: "top.txt" }, data: Buffer.from("at the root\n") },
    {
      file: {
        container: "docs",
        blobName: "x.txt",
        metadata: { owner: "ana" },
        properties: { contentType: "text/plain" },
      },
      data: Buffer.from("docs x\n"),
    },
  ];
}

describe("extractDrive", () => {
  it("writes every file's exact bytes to <container>/<blob name>, a snapshot under $snapshots beside its base blob", async () => {
    const planned = exportFiles();
    const drive = await writeDrive(tempFolder("x-drive"), planned);
    const out = join(tempFolder("x-out"), "new", "folder");
    const seen: ExtractProgress[] = [];
    const report = await extractDrive({
      drive: drive.root,
      password: drive.password,
      to: out,
      onProgress: (p) => seen.push(p),
    });
    assert.equal(report.driveId, "TESTDRIVE01");
    assert.deepEqual(
      { extracted: report.extracted, skipped: report.skipped, failed: report.failed },
      { extracted: 6, skipped: 0, failed: 0 },
    );
    assert.deepEqual(listFiles(out), [
      "$root/top.txt",
      "$snapshots/photos/2026-12-01T10-00-00.1234567Z/a/b/c/nested.jpg",
      "docs/x.txt",
      "photos/a/b/c/nested.jpg",
      "photos/big.bin",
      "photos/empty.txt",
    ]);
    for (const { file, data } of planned) {
      const entry = byName(report, file.blobName, file.snapshot);
      assert.equal(entry.outcome, "extracted");
      assert.deepEqual(readFileSync(join(out, ...entry.output!.split("/"))), data, entry.output);
    }
    const total = planned.reduce((sum, p) => sum + p.data.length, 0);
    assert.equal(report.bytes, total);
    const last = seen.at(-1)!;
    assert.deepEqual(last, {
      files: 6,
      filesTotal: 6,
      bytes: total,
      bytesTotal: total,
      skipped: 0,
      failed: 0,
    });
    assert.ok(seen.length > 6, "progress after blocks, not only files");
    assert.ok(
      seen.every((p, i) => i === 0 || p.bytes >= seen[i - 1]!.bytes),
      "bytes never go back",
    );
    assert.ok(!existsSync(join(out, ".sneakernet-partial")), "the partial folder is removed when empty");
  });

  it("a corrupted block fails its file only: the others are extracted, nothing is left at the failed path", async () => {
    const good = randomBytes(3 * 4 * KIB);
    const bad = randomBytes(3 * 4 * KIB);
    const drive = await writeDrive(tempFolder("x-corrupt"), [
      { file: { container: "photos", blobName: "good.bin" }, data: good, blockSize: 4 * KIB },
      { file: { container: "photos", blobName: "bad.bin" }, data: bad, blockSize: 4 * KIB },
    ]);
    const entry = drive.entries[1]!;
    const { start } = storedBlockRange(entry, 1);
    const fd = openSync(join(drive.root, entry.path), "r+");
    writeSync(
      fd,
      Buffer.from([0xff ^ readFileSync(join(drive.root, entry.path))[start + 40]!]),
      0,
      1,
      start + 40,
    );
    closeSync(fd);
    const out = tempFolder("x-corrupt-out");
    const report = await extractDrive({ drive: drive.root, password: drive.password, to: out });
    assert.equal(report.extracted, 1);
    assert.equal(report.failed, 1);
    const failed = byName(report, "bad.bin");
    assert.equal(failed.outcome, "failed");
    assert.equal(failed.code, "Corrupted");
    assert.match(failed.message!, /block 1/i);
    assert.deepEqual(readFileSync(join(out, "photos", "good.bin")), good);
    assert.ok(!existsSync(join(out, "photos", "bad.bin")));
    assert.deepEqual(listFiles(out), ["photos/good.bin"], "no partial file left either");
  });

  it("resumes after an abort: a second run extracts only the rest and skips what was whole", async () => {
    const planned: PlannedFile[] = Array.from({ length: 8 }, (_, i) => ({
      file: { container: "bulk", blobName: `f${i}.bin` },
      data: randomBytes(3 * 4 * KIB),
      blockSize: 4 * KIB,
    }));
    const drive = await writeDrive(tempFolder("x-resume"), planned);
    const out = tempFolder("x-resume-out");
    const controller = new AbortController();
    await assert.rejects(
      extractDrive({
        drive: drive.root,
        password: drive.password,
        to: out,
        concurrency: 1,
        signal: controller.signal,
        onProgress: (p) => {
          // Mid-way through the fourth file.
          if (p.bytes >= 3 * 3 * 4 * KIB + 4 * KIB) {
            controller.abort();
          }
        },
      }),
      { name: "AbortError" },
    );
    assert.deepEqual(
      listFiles(out),
      ["bulk/f0.bin", "bulk/f1.bin", "bulk/f2.bin"],
      "the file in hand is removed",
    );
    assert.ok(existsSync(join(out, STATE_FILE)), "what is done is recorded");
    const report = await extractDrive({ drive: drive.root, password: drive.password, to: out });
    assert.deepEqual(
      { extracted: report.extracted, skipped: report.skipped, failed: report.failed },
      { extracted: 5, skipped: 3, failed: 0 },
    );
    assert.equal(report.bytes, 5 * 3 * 4 * KIB, "only the rest is written");
    for (const [i, { data }] of planned.entries()) {
      assert.deepEqual(readFileSync(join(out, "bulk", `f${i}.bin`)), data);
    }
    const again = await extractDrive({ drive: drive.root, password: drive.password, to: out });
    assert.deepEqual({ extracted: again.extracted, skipped: again.skipped }, { extracted: 0, skipped: 8 });
  });

  it("an output changed since, or a state file edited by hand, is not trusted: wrong bytes are written again", async () => {
    const planned: PlannedFile[] = [
      { file: { container: "c1x", blobName: "one.bin" }, data: randomBytes(5000) },
      { file: { container: "c1x", blobName: "two.bin" }, data: randomBytes(5000) },
      { file: { container: "c1x", blobName: "three.bin" }, data: randomBytes(5000) },
    ];
    const drive = await writeDrive(tempFolder("x-trust"), planned);
    const out = tempFolder("x-trust-out");
    const run = () => extractDrive({ drive: drive.root, password: drive.password, to: out });
    await run();
    await sleep(30); // past the file system's timestamp granularity
    // one.bin: same size, other bytes (the state's record no longer holds).
    writeFileSync(join(out, "c1x", "one.bin"), randomBytes(5000));
    let report = await run();
    assert.equal(byName(report, "one.bin").outcome, "extracted");
    assert.equal(byName(report, "two.bin").outcome, "skipped");
    assert.deepEqual(readFileSync(join(out, "c1x", "one.bin")), planned[0]!.data);

    // two.bin changed, and the state edited to vouch for the changed file: its MAC fails, it is ignored.
    await sleep(30);
    writeFileSync(join(out, "c1x", "two.bin"), randomBytes(5000));
    const stats = statSync(join(out, "c1x", "two.bin"));
    const state = JSON.parse(readFileSync(join(out, STATE_FILE), "utf8"));
    const record = state.drives.TESTDRIVE01.files[String(drive.entries[1]!.id)];
    Object.assign(record, { mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino });
    writeFileSync(join(out, STATE_FILE), JSON.stringify(state));
    report = await run();
    assert.equal(byName(report, "two.bin").outcome, "extracted");
    assert.deepEqual(readFileSync(join(out, "c1x", "two.bin")), planned[1]!.data);
    // The others are checked by their content (the manifest's MD5) and kept: not written again.
    assert.equal(byName(report, "one.bin").outcome, "skipped");
    assert.equal(byName(report, "three.bin").outcome, "skipped");
    assert.equal(report.bytes, 5000);

    // A state file that is not JSON at all: the same, every file checked by content.
    writeFileSync(join(out, STATE_FILE), "{ not json");
    report = await run();
    assert.deepEqual({ extracted: report.extracted, skipped: report.skipped }, { extracted: 0, skipped: 3 });
    JSON.parse(readFileSync(join(out, STATE_FILE), "utf8")); // written anew
  });

  it("refuses unsafe blob names and snapshot times per file, writing nothing outside OUTDIR", async () => {
    const base = tempFolder("x-hostile");
    const root = join(base, "drive");
    mkdirSync(root);
    const good = Buffer.from("good\n");
    // The writer takes these (blob storage's rules allow them); each would climb out or split oddly.
    const drive = await writeDrive(root, [
      { file: { container: "safe", blobName: "ok.txt" }, data: good },
      { file: { container: "safe", blobName: "../../escaped.txt" }, data: Buffer.from("1") },
      { file: { container: "safe", blobName: "/abs.txt" }, data: Buffer.from("2") },
      { file: { container: "safe", blobName: "a//b.txt" }, data: Buffer.from("3") },
      { file: { container: "safe", blobName: "a/./b.txt" }, data: Buffer.from("4") },
      { file: { container: "safe", blobName: "..\\..\\win.txt" }, data: Buffer.from("5") },
      { file: { container: "safe", blobName: "snap.txt", snapshot: "../../../x" }, data: Buffer.from("6") },
      { file: { container: "safe", blobName: "x.txt" }, data: Buffer.from("7") },
    ]);
    // And one only a forged manifest can hold: a bare '..' (the writer refuses a name ending in '.').
    await editManifest(drive, (manifest) => {
      manifest.files[7]!.blobName = "sub/../../../../forged.txt";
    });
    const out = join(base, "out");
    const report = await extractDrive({ drive: root, password: drive.password, to: out });
    assert.equal(report.extracted, 1);
    assert.equal(report.failed, 7);
    for (const file of report.files.filter((f) => f.blobName !== "ok.txt")) {
      assert.equal(file.outcome, "failed");
      assert.equal(file.code, "BlobNameUnsafe", file.blobName);
      assert.equal(file.output, undefined);
    }
    assert.deepEqual(listFiles(out), ["safe/ok.txt"]);
    assert.deepEqual(readdirSync(base).sort(), ["drive", "out"], "nothing beside OUTDIR");
  });

  it("outputPathOf: NUL, backslash, empty and dot segments, absolute names and bad containers are refused", () => {
    const refused = (container: string, blobName: string, snapshot?: string) =>
      assert.throws(
        () => outputPathOf({ container, blobName, ...(snapshot ? { snapshot } : {}) }),
        { code: "BlobNameUnsafe" },
        `${container}/${blobName}`,
      );
    refused("c1x", "a\0b");
    refused("c1x", "a\\b");
    refused("c1x", "/etc/passwd");
    refused("c1x", "a/../b");
    refused("c1x", "./a");
    refused("c1x", "a/");
    refused("c1x", "..");
    refused("..", "a");
    refused("Bad_Container", "a");
    refused("c1x", "a", "2026-12-01T10:00:00Z/../..");
    refused("c1x", "a", "yesterday");
    assert.equal(outputPathOf({ container: "$root", blobName: "x" }), "$root/x");
    assert.equal(outputPathOf({ container: "$root", blobName: "x" }, "win32"), "$root/x");
    assert.equal(
      outputPathOf({ container: "c1x", blobName: "d/e", snapshot: "2026-12-01T10:00:00Z" }),
      "$snapshots/c1x/2026-12-01T10-00-00Z/d/e",
    );
  });

  it("on Windows, refuses device names, reserved characters and a trailing dot or space; elsewhere they are names", () => {
    for (const blobName of [
      "CON",
      "logs/nul.txt",
      "Com1/x",
      "lpt9.log",
      "a:b",
      "a/b?",
      'say"hi"',
      "pipe|d",
      "star*",
      "<tag>",
      "bell\u0007",
      "dir./x",
      "x ",
      "folder /x",
    ]) {
      assert.throws(
        () => outputPathOf({ container: "c1x", blobName }, "win32"),
        { code: "BlobNameUnsafe", message: /cannot be written on Windows/ },
        blobName,
      );
      assert.equal(outputPathOf({ container: "c1x", blobName }, "linux"), `c1x/${blobName}`);
    }
    for (const blobName of ["console", "nul-set/x", "com10", "lpt", "a.b/c d", "$x", "é/日本"]) {
      assert.equal(outputPathOf({ container: "c1x", blobName }, "win32"), `c1x/${blobName}`, blobName);
    }
    assert.equal(
      outputPathOf({ container: "c1x", blobName: "d/e", snapshot: "2026-12-01T10:00:00Z" }, "win32"),
      "$snapshots/c1x/2026-12-01T10-00-00Z/d/e",
    );
  });

  it("two entries on one path both fail; a blob where others need a folder fails alone", async () => {
    const drive = await writeDrive(tempFolder("x-conflict"), [
      { file: { container: "c1x", blobName: "dup.txt" }, data: Buffer.from("first") },
      { file: { container: "c1x", blobName: "other.txt" }, data: Buffer.from("second") },
      { file: { container: "c1x", blobName: "dir" }, data: Buffer.from("a file named dir") },
      { file: { container: "c1x", blobName: "dir/inside.txt" }, data: Buffer.from("inside") },
    ]);
    await editManifest(drive, (manifest) => {
      manifest.files[1]!.blobName = "dup.txt"; // only a forged manifest lists one blob twice
    });
    const out = tempFolder("x-conflict-out");
    const report = await extractDrive({ drive: drive.root, password: drive.password, to: out });
    assert.deepEqual(
      report.files.map((f) => [f.blobName, f.outcome, f.code]),
      [
        ["dup.txt", "failed", "OutputPathConflict"],
        ["dup.txt", "failed", "OutputPathConflict"],
        ["dir", "failed", "OutputPathConflict"],
        ["dir/inside.txt", "extracted", undefined],
      ],
    );
    assert.deepEqual(listFiles(out), ["c1x/dir/inside.txt"]);
  });

  it("a second blob landing on a file this run wrote (a file system that folds names) fails, the first is kept", async () => {
    // Linux does not fold case, so the fold is played by a hard link: once a.txt is written, b.txt is made
    // the same file, as `B.txt` would be `b.txt` on a case-insensitive disk.
    const drive = await writeDrive(tempFolder("x-fold"), [
      { file: { container: "c1x", blobName: "a.txt" }, data: Buffer.from("first") },
      { file: { container: "c1x", blobName: "b.txt" }, data: Buffer.from("second") },
    ]);
    const out = tempFolder("x-fold-out");
    let linked = false;
    const report = await extractDrive({
      drive: drive.root,
      password: drive.password,
      to: out,
      concurrency: 1,
      onProgress: (p) => {
        if (p.files === 1 && !linked) {
          linked = true;
          linkSync(join(out, "c1x", "a.txt"), join(out, "c1x", "b.txt"));
        }
      },
    });
    assert.ok(linked);
    assert.deepEqual(
      report.files.map((f) => [f.blobName, f.outcome, f.code]),
      [
        ["a.txt", "extracted", undefined],
        ["b.txt", "failed", "OutputPathConflict"],
      ],
    );
    assert.equal(readFileSync(join(out, "c1x", "a.txt"), "utf8"), "first");
  });

  it("does not follow a symlink in OUTDIR that points outside it", async () => {
    const base = tempFolder("x-symlink");
    const outside = join(base, "outside");
    const out = join(base, "out");
    mkdirSync(outside);
    mkdirSync(out);
    symlinkSync(outside, join(out, "photos"));
    // Even a file there with the very bytes of a blob is not taken as extracted: it is not in OUTDIR.
    writeFileSync(join(outside, "evil2.txt"), "evil");
    mkdirSync(join(base, "drive"));
    const written = await writeDrive(join(base, "drive"), [
      { file: { container: "photos", blobName: "a/evil.txt" }, data: Buffer.from("evil") },
      { file: { container: "photos", blobName: "evil2.txt" }, data: Buffer.from("evil") },
      { file: { container: "docs", blobName: "fine.txt" }, data: Buffer.from("fine") },
    ]);
    const report = await extractDrive({ drive: written.root, password: written.password, to: out });
    assert.equal(report.extracted, 1);
    assert.equal(report.failed, 2);
    for (const name of ["a/evil.txt", "evil2.txt"]) {
      const file = byName(report, name);
      assert.equal(file.code, "WriteFailed");
      assert.match(file.message!, /symlink/);
    }
    assert.deepEqual(readdirSync(outside), ["evil2.txt"], "nothing written through the symlink");
    assert.equal(readFileSync(join(out, "docs", "fine.txt"), "utf8"), "fine");
  });

  it("a wrong key, or no drive, is refused before OUTDIR is touched; an OUTDIR that cannot be written is OutputNotWritable", async () => {
    const drive = await writeDrive(tempFolder("x-refuse"), [
      { file: { container: "c1x", blobName: "a" }, data: Buffer.from("a") },
    ]);
    const out = join(tempFolder("x-refuse-out"), "never");
    await rejectsWith(
      extractDrive({ drive: drive.root, password: generateRecoveryPassword(), to: out }),
      "BitLockerKeyInvalid",
    );
    await rejectsWith(
      extractDrive({ drive: tempFolder("x-empty"), password: drive.password, to: out }),
      "DriveHeaderNotFound",
    );
    assert.ok(!existsSync(out));
    const file = join(tempFolder("x-refuse-file"), "a-file");
    writeFileSync(file, "not a folder");
    await assert.rejects(
      extractDrive({ drive: drive.root, password: drive.password, to: join(file, "out") }),
      {
        name: "ExtractError",
        code: "OutputNotWritable",
      },
    );
  });
});
