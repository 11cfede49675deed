/**
 * @module `sneakernet drive extract` and `drive show` on export drives, end to end on the built CLI:
 * drives written as a station writes them (createDrive/addFile/finish), the key by hand or from the job,
 * progress and summary, a resume, per-file failures, and the one-line refusals with their exit codes.
 */

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";

import { EXIT } from "../../src/cli/output.js";
import { generateRecoveryPassword } from "../../src/transfer/drive/index.js";
import { runCli, startCli } from "../support/server.js";
import { tempFolder, writeDrive, type WrittenDrive } from "../transfer/drive/support.js";
import { assertOneLineError, CliWorld } from "./cli-helpers.js";

const SNAPSHOT = "2026-12-01T10:00:00.1234567Z";

/** An export drive as the station fills one: a blob, its snapshot, a nested name, a $root blob, an empty one. */
async function exportDrive(label: string, driveId = "WD-EXPORT01") {
  const data = {
    base: randomBytes(20_000),
    snap: randomBytes(5_000),
    nested: randomBytes(9_000),
    top: Buffer.from("root blob\n"),
  };
  const drive = await writeDrive(
    tempFolder(label),
    [
      { file: { container: "photos", blobName: "2026/a.jpg" }, data: data.base, blockSize: 4096 },
      { file: { container: "photos", blobName: "2026/a.jpg", snapshot: SNAPSHOT }, data: data.snap },
      { file: { container: "docs", blobName: "x/y/z.txt" }, data: data.nested, blockSize: 4096 },
      { file: { container: "$root", blobName: "top.txt" }, data: data.top },
      { file: { container: "docs", blobName: "empty" }, data: Buffer.alloc(0) },
    ],
    driveId,
  );
  return { drive, data };
}

const extract = (drive: WrittenDrive, out: string, ...more: string[]) => [
  "drive",
  "extract",
  drive.root,
  "--to",
  out,
  ...more,
];

describe("drive extract with --key", () => {
  it("writes every blob, prints progress and a summary; a second run skips them all; --output json reports each file", async () => {
    const { drive, data } = await exportDrive("cli-x");
    const out = join(tempFolder("cli-x-out"), "export1");
    const first = await runCli(extract(drive, out, "--key", drive.password, "--output", "table"));
    assert.equal(first.code, EXIT.ok, first.stderr);
    assert.match(first.stderr, /^Extracting 5\/5 files, 0\.0\/0\.0 MB/m);
    assert.match(
      first.stdout,
      /^Drive WD-EXPORT01: 5 file\(s\) extracted \(34010 bytes\), 0 skipped as already extracted, 0 failed; into .*export1\.$/m,
    );
    assert.deepEqual(readFileSync(join(out, "photos", "2026", "a.jpg")), data.base);
    assert.deepEqual(
      readFileSync(join(out, "$snapshots", "photos", "2026-12-01T10-00-00.1234567Z", "2026", "a.jpg")),
      data.snap,
    );
    assert.deepEqual(readFileSync(join(out, "docs", "x", "y", "z.txt")), data.nested);
    assert.deepEqual(readFileSync(join(out, "$root", "top.txt")), data.top);
    assert.equal(readFileSync(join(out, "docs", "empty")).length, 0);

    const again = await runCli(extract(drive, out, "--key", drive.password, "--output", "json"));
    assert.equal(again.code, EXIT.ok, again.stderr);
    assert.match(
      again.stderr,
      /^Resuming: 5 file\(s\) already extracted whole, per \.sneakernet-extract\.json\.$/m,
    );
    const report = JSON.parse(again.stdout) as {
      driveId: string;
      extracted: number;
      skipped: number;
      failed: number;
      files: { blobName: string; snapshot?: string; output: string; outcome: string }[];
    };
    assert.deepEqual(
      {
        driveId: report.driveId,
        extracted: report.extracted,
        skipped: report.skipped,
        failed: report.failed,
      },
      { driveId: "WD-EXPORT01", extracted: 0, skipped: 5, failed: 0 },
    );
    assert.deepEqual(
      report.files.map((f) => [f.output, f.outcome]),
      [
        ["photos/2026/a.jpg", "skipped"],
        ["$snapshots/photos/2026-12-01T10-00-00.1234567Z/2026/a.jpg", "skipped"],
        ["docs/x/y/z.txt", "skipped"],
        ["$root/top.txt", "skipped"],
        ["docs/empty", "skipped"],
      ],
    );
  });

  it("a corrupted file fails alone: the others are written, its error is named on stderr, exit 1", async () => {
    const { drive, data } = await exportDrive("cli-x-bad");
    const entry = drive.entries[2]!; // docs/x/y/z.txt
    const path = join(drive.root, entry.path);
    const bytes = readFileSync(path);
    bytes[5000]! ^= 1; // inside block 1
    writeFileSync(path, bytes);
    const out = tempFolder("cli-x-bad-out");
    const result = await runCli(extract(drive, out, "--key", drive.password, "--output", "table"));
    assert.equal(result.code, EXIT.refused, result.stderr);
    assert.match(result.stdout, /4 file\(s\) extracted .*, 0 skipped as already extracted, 1 failed;/);
    assert.match(
      result.stderr,
      /^error: Corrupted: 'docs\/x\/y\/z\.txt': Block 1 of .*fails authentication/m,
    );
    assert.ok(!existsSync(join(out, "docs", "x", "y", "z.txt")));
    assert.deepEqual(readFileSync(join(out, "photos", "2026", "a.jpg")), data.base);
  });

  it("refuses with one line: a wrong key, no drive in DIR, an OUTDIR that cannot be written (exit 1); no key given (exit 2)", async () => {
    const { drive } = await exportDrive("cli-x-refuse");
    const base = tempFolder("cli-x-refuse-out");
    const out = join(base, "out");
    assertOneLineError(
      await runCli(extract(drive, out, "--key", generateRecoveryPassword())),
      EXIT.refused,
      /^error: BitLockerKeyInvalid: The key does not open drive 'WD-EXPORT01'/,
    );
    assert.ok(!existsSync(out), "nothing written");
    const empty = tempFolder("cli-x-nodrive");
    assertOneLineError(
      await runCli(["drive", "extract", empty, "--to", out, "--key", drive.password]),
      EXIT.refused,
      /^error: DriveHeaderNotFound: no Sneakernet drive in .*cli-x-nodrive.*: The drive's path 'sneakernet-drive\.json' cannot be read/,
    );
    const file = join(base, "a-file");
    writeFileSync(file, "x");
    assertOneLineError(
      await runCli(extract(drive, join(file, "out"), "--key", drive.password)),
      EXIT.refused,
      /^error: OutputNotWritable: The output folder .*a-file\/out.* cannot be written/,
    );
    assertOneLineError(
      await runCli(extract(drive, out)),
      EXIT.usage,
      /^error: give --key \(the drive's recovery password\) or --job/,
    );
    assertOneLineError(await runCli(extract(drive, out, "--key", "12345")), EXIT.usage, /^error: --key: /);
    assertOneLineError(
      await runCli(extract(drive, out, "--job", "export1")),
      EXIT.usage,
      /^error: --job needs -g/,
    );
    assert.ok(!existsSync(out));
  });
});

describe("drive extract after Ctrl-C", () => {
  it("stops between blocks with one line, exit 1, no partial file; the same command extracts only the rest", async () => {
    const files = Array.from({ length: 60 }, (_, i) => ({
      file: { container: "bulk", blobName: `f${String(i).padStart(2, "0")}.bin` },
      data: randomBytes(512 * 1024),
      blockSize: 4096,
    }));
    const drive = await writeDrive(tempFolder("cli-x-int"), files, "WD-EXPORT04");
    const out = tempFolder("cli-x-int-out");
    const running = startCli(extract(drive, out, "--key", drive.password, "--output", "table"));
    const done = () => (existsSync(join(out, "bulk")) ? readdirSync(join(out, "bulk")).length : 0);
    while (done() < 2) {
      await sleep(10);
    }
    running.kill("SIGINT");
    const stopped = await running.done;
    assert.equal(stopped.code, EXIT.refused, stopped.stderr);
    assert.match(
      stopped.stderr.trim().split("\n").at(-1)!,
      /^error: interrupted: what was extracted whole is recorded; run the same command again to resume\.$/,
    );
    assert.equal(stopped.stdout, "");
    const kept = readdirSync(join(out, "bulk")).sort();
    assert.ok(kept.length >= 2 && kept.length < 60, `${kept.length} files before the stop`);
    assert.ok(!existsSync(join(out, ".sneakernet-partial")), "no partial file left");

    const resumed = await runCli(extract(drive, out, "--key", drive.password, "--output", "json"));
    assert.equal(resumed.code, EXIT.ok, resumed.stderr);
    const report = JSON.parse(resumed.stdout) as { extracted: number; skipped: number };
    assert.deepEqual(report, { ...report, extracted: 60 - kept.length, skipped: kept.length });
    for (const { file, data } of files) {
      assert.deepEqual(readFileSync(join(out, "bulk", file.blobName)), data);
    }
  });
});

describe("drive show on an export drive", () => {
  it("lists the snapshot time beside its blob, in the table and in JSON, and verifies", async () => {
    const { drive } = await exportDrive("cli-x-show");
    const table = await runCli(["drive", "show", drive.root, "--key", drive.password, "--output", "table"], {
      COLUMNS: "160",
    });
    assert.equal(table.code, EXIT.ok, table.stderr);
    assert.match(table.stdout, /^CONTAINER +BLOBNAME +SNAPSHOT +SIZE +BLOBTYPE/m);
    assert.match(table.stdout, /^photos +2026\/a\.jpg +2026-12-01T10:00:00\.1234567Z +5000 +BlockBlob/m);
    assert.match(table.stdout, /^photos +2026\/a\.jpg +20000 +BlockBlob/m);
    assert.match(table.stdout, /^Verified:/m);
    const json = await runCli(["drive", "show", drive.root, "--key", drive.password, "--output", "json"]);
    assert.equal(json.code, EXIT.ok, json.stderr);
    const files = (JSON.parse(json.stdout) as { files: { blobName: string; snapshot?: string }[] }).files;
    assert.deepEqual(
      files.map((f) => f.snapshot ?? null),
      [null, SNAPSHOT, null, null, null],
    );
  });
});

describe("drive extract --job", () => {
  const w = new CliWorld();
  before(() => w.start({ customer: "customer" }));
  after(() => w.stop());

  it("asks the job for the drive's key by the drive's id; a job without this drive is one line, exit 1", async () => {
    const { drive, data } = await exportDrive("cli-x-job", "WD-EXPORT02");
    // The job's key list (listBitLockerKeys) is the same for import and export jobs; an import job is
    // the one whose keys a customer can set here (an export drive's key is the station's to record).
    const created = await w.cli([
      "job",
      "create",
      "keyed",
      "-g",
      "rg1",
      "--location",
      "westus",
      "--type",
      "Import",
      "--storage-account",
      "devstoreaccount1",
      "--drive",
      `WD-EXPORT02=${drive.password}`,
    ]);
    assert.equal(created.code, EXIT.ok, created.stderr);
    const out = tempFolder("cli-x-job-out");
    const result = await w.cli(extract(drive, out, "--job", "keyed", "-g", "rg1", "--output", "table"));
    assert.equal(result.code, EXIT.ok, result.stderr);
    assert.match(result.stdout, /5 file\(s\) extracted/);
    assert.deepEqual(readFileSync(join(out, "photos", "2026", "a.jpg")), data.base);

    const other = await exportDrive("cli-x-job-other", "WD-EXPORT03");
    const missing = join(tempFolder("cli-x-job-missing"), "out");
    assertOneLineError(
      await w.cli(extract(other.drive, missing, "--job", "keyed", "-g", "rg1")),
      EXIT.refused,
      /^error: job keyed has no key for drive WD-EXPORT03 \(it has WD-EXPORT02\)/,
    );
    assert.ok(!existsSync(missing));
    mkdirSync(missing);
    assert.deepEqual(readdirSync(missing), []);
  });
});
