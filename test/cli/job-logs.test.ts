/**
 * @module `sneakernet job logs` against a real server process and a real Azurite: a drive's copy log,
 * written by the real writer, printed as a table (a summary line per drive, a row per blob) and as the
 * API's JSON; a drive without a log, and a job without any, are said in one line. An export drive's log
 * has its snapshot and Last-Modified columns; `job show` of that export job names what did not fit.
 */

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import { DEV_ACCOUNT_KEY } from "../../src/serve/azurite.js";
import type { DriveLog } from "../../src/wire/arm.js";
import type { ArmJob } from "../../src/wire/arm.js";
import { startTestAzurite } from "../support/azurite.js";
import { exportBody } from "../support/customer-api.js";
import {
  EXPORT_SNAPSHOT,
  LEFT_OUT_SNAPSHOT,
  writeSampleExportLogs,
  writeSampleLogs,
} from "../support/drive-logs.js";
import { assertFits, assertOneLineError, CliWorld, tableHeaders } from "./cli-helpers.js";

const azurite = await startTestAzurite("cli-job-logs");
const w = new CliWorld();
const [COPIED, WAITING] = ["LOGS1-D1", "LOGS1-D2"];
const [FILLED, NEXT] = ["EXP1-D1", "EXP1-D2"];
let exportLogs: Awaited<ReturnType<typeof writeSampleExportLogs>>;

before(async () => {
  await w.start({ customer: "customer", operator: "operator", station: "station", admin: "admin" });
  const set = await w.cli(
    [
      "admin",
      "storage-account",
      "set",
      "devstoreaccount1",
      "--blob-endpoint",
      azurite.endpoint(),
      "--account-key",
      DEV_ACCOUNT_KEY,
    ],
    "admin",
  );
  assert.equal(set.code, 0, set.stderr);
  await w.api("POST", "/ops/v1/stations/register", "station", { name: "bay-1" });
  await w.json(
    w.importArgs("logs1", [COPIED, WAITING], {
      more: ["--return-address", w.addressFile, "--log-level", "Verbose"],
    }),
  );
  await w.json(w.importArgs("quiet1", ["QUIET1-D1"], { more: ["--return-address", w.addressFile] }));
  for (const [job, tracking] of [
    ["logs1", "T-LOGS1"],
    ["quiet1", "T-QUIET1"],
  ] as const) {
    await w.ship(job, tracking);
  }
  await w.api("POST", "/ops/v1/packages/receive", "operator", {
    carrier: "FedEx",
    tracking: "T-LOGS1",
    drives: [COPIED, WAITING],
  });
  const logs = await writeSampleLogs(azurite, "logs1", COPIED);
  const drive = `/ops/v1/drives/${COPIED}`;
  await w.api("POST", `${drive}/claim`, "station");
  await w.api("POST", `${drive}/progress`, "station", {
    bytesSucceeded: 6000,
    bytesTotal: 6000,
    copyStatus: "InProgress",
  });
  await w.api("POST", `${drive}/finish`, "station", {
    state: "CompletedMoreInfo",
    errorCount: 1,
    warningCount: 1,
    infoCount: 0,
    ...logs,
  });

  // An export job: its first drive filled (a snapshot did not fit), the second registered with its capacity.
  await w.arm("PUT", w.jobPath("exp1"), exportBody({ subscriptionId: w.sub, resourceGroup: "rg1" }));
  await w.ship("exp1", "T-EXP1");
  await w.api("POST", "/ops/v1/packages/receive", "operator", {
    carrier: "FedEx",
    tracking: "T-EXP1",
    drives: [FILLED],
  });
  await w.api("POST", "/ops/v1/drives/register", "operator", {
    job: w.jobPath("exp1"),
    drive: NEXT,
    capacity: "2TB",
  });
  exportLogs = await writeSampleExportLogs(azurite, "exp1", FILLED);
  const filled = `/ops/v1/drives/${FILLED}`;
  await w.api("POST", `${filled}/claim`, "station");
  await w.api("POST", `${filled}/progress`, "station", { bytesSucceeded: 3000, bytesTotal: 3000 });
  await w.api("POST", `${filled}/finish`, "station", {
    state: "CompletedMoreInfo",
    errorCount: 0,
    warningCount: 0,
    infoCount: 1,
    manifestUri: `${azurite.endpoint()}/waimportexport/waies/exp1_${FILLED}_manifest.xml`,
    ...exportLogs,
  });
});

after(() => w.stop());

describe("job logs", () => {
  it("the table: a summary line per drive with a log, then its blobs' status, paths, length, disposition, message", async () => {
    const out = await w.table(["job", "logs", "logs1", "-g", "rg1"], "customer", { COLUMNS: "200" });
    const lines = out.trimEnd().split("\n");
    assert.equal(
      lines[0],
      `drive ${COPIED} (CompletedMoreInfo): error log, CompletedWithErrors; 2 blobs: 1 Completed, 1 CompletedWithErrors`,
    );
    assert.deepEqual(tableHeaders(out, 1), [
      "STATUS",
      "BLOB PATH",
      "FILE PATH",
      "LENGTH",
      "DISPOSITION",
      "MESSAGE",
    ]);
    assert.match(lines[2]!, /^Completed\s+photos\/b \(2\)\.jpg\s+data\/0002\s+2000\s+rename → Renamed$/);
    assert.match(
      lines[3]!,
      /^CompletedWithErrors\s+photos\/c\.raw\s+data\/0003\s+3000\s+overwrite → Cancelled\s+Block 0 does not match its MD5 in the manifest\.$/,
    );
    // The drive not copied yet has no log: it is left out, not an error.
    assert.equal(lines.length, 4, out);
    // The table fits a narrow terminal (the summary line is whole: its counts are what it is for).
    const narrow = await w.table(["job", "logs", "logs1", "-g", "rg1"], "customer", { COLUMNS: "60" });
    assertFits(narrow.split("\n").slice(1).join("\n"), 60);
    assert.deepEqual(tableHeaders(narrow, 1), ["STATUS", "BLOB PATH", "LENGTH", "MESSAGE"]);
  });

  it("--verbose --drive: every blob; --output json is the API's answer, in a list", async () => {
    const logs = await w.json<DriveLog[]>([
      "job",
      "logs",
      "logs1",
      "-g",
      "rg1",
      "--drive",
      COPIED,
      "--verbose",
    ]);
    const api = await w.arm<DriveLog>("GET", `${w.jobPath("logs1")}/drives/${COPIED}/log?kind=verbose`);
    assert.deepEqual(logs, [api]);
    assert.deepEqual(
      api.blobs.map((b) => b.blobPath),
      ["photos/a.jpg", "photos/b (2).jpg", "photos/c.raw"],
    );
  });

  it("--drive of a drive with no log yet: one line, exit 1, the server's code", async () => {
    assertOneLineError(
      await w.cli(["job", "logs", "logs1", "-g", "rg1", "--drive", WAITING]),
      1,
      /Drive 'LOGS1-D2' has no error log yet/,
    );
    assertOneLineError(await w.cli(["job", "logs", "logs1", "-g", "rg1", "--drive", "NOPE"]), 1, /NOPE/);
  });

  it("a job with no log at all: said on stderr, exit 0; JSON an empty list", async () => {
    const result = await w.cli(["job", "logs", "quiet1", "-g", "rg1", "--verbose", "--output", "table"]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, "");
    assert.match(
      result.stderr,
      /No drive of job quiet1 has a verbose log yet \(the job's log level is Error/,
    );
    assert.deepEqual(await w.json(["job", "logs", "quiet1", "-g", "rg1"]), []);
  });
});

describe("an export job", () => {
  it("job logs: a snapshot column and a last-modified column, as the export's log has them", async () => {
    const out = await w.table(["job", "logs", "exp1", "-g", "rg1", "--verbose"], "customer", {
      COLUMNS: "240",
    });
    const lines = out.trimEnd().split("\n");
    assert.match(
      lines[0]!,
      /^drive EXP1-D1 \(CompletedMoreInfo\): verbose log, CompletedWithWarnings; 3 blobs/,
    );
    assert.deepEqual(tableHeaders(out, 1), [
      "STATUS",
      "BLOB PATH",
      "SNAPSHOT",
      "FILE PATH",
      "LENGTH",
      "LAST MODIFIED",
      "DISPOSITION",
      "MESSAGE",
    ]);
    const snapshot = EXPORT_SNAPSHOT.replace(/\./g, "\\.");
    assert.match(
      lines[2]!,
      new RegExp(
        `^Completed\\s+photos/a\\.jpg\\s+${snapshot}\\s+\\S+\\s+1000\\s+Thu, 15 Jan 2026 10:00:00 GMT$`,
      ),
    );
    // A blob read from no snapshot has an empty cell, the columns still line up.
    assert.match(lines[3]!, /^Completed\s+photos\/b\.jpg\s+\S+\s+2000\s+Thu, 15 Jan 2026 10:05:00 GMT$/);
    assert.ok(lines[4]!.includes(LEFT_OUT_SNAPSHOT), lines[4]);
    // Narrow: Last-Modified goes with the file path and the disposition; the snapshot stays.
    const narrow = await w.table(["job", "logs", "exp1", "-g", "rg1", "--verbose"], "customer", {
      COLUMNS: "100",
    });
    assertFits(narrow.split("\n").slice(1).join("\n"), 100);
    assert.deepEqual(tableHeaders(narrow, 1), ["STATUS", "BLOB PATH", "SNAPSHOT", "LENGTH", "MESSAGE"]);
  });

  it("job show: the incomplete blob list, and per drive its capacity, manifest backup and incomplete list", async () => {
    const job = await w.arm<ArmJob>("GET", w.jobPath("exp1"));
    assert.equal(job.properties.incompleteBlobListUri, exportLogs.incompleteBlobListUri);
    const out = await w.table(["job", "show", "exp1", "-g", "rg1"], "customer", { COLUMNS: "120" });
    assert.match(
      out,
      new RegExp(
        `^incomplete blob list:\\s+${exportLogs.incompleteBlobListUri!.replace(/[.?]/g, "\\$&")}$`,
        "m",
      ),
    );
    const lines = out.split("\n");
    const drives = lines.indexOf("Drives:");
    assert.deepEqual(tableHeaders(out, drives + 1), [
      "DRIVE",
      "STATE",
      "COPY STATUS",
      "PERCENT",
      "BYTES",
      "CAPACITY",
    ]);
    assert.match(lines[drives + 2]!, /^EXP1-D1\s+CompletedMoreInfo\s+\S+\s+100%\s+3000\s*$/);
    assert.match(lines[drives + 3]!, /^EXP1-D2\s+Received\s+-\s+0%\s+0\s+2000000000000$/);
    // The links are whole, each on its own line under the table: a cut URI is of no use.
    assert.ok(lines.includes(`EXP1-D1 manifest backup: ${job.properties.driveList[0]!.manifestUri}`), out);
    assert.ok(lines.includes(`EXP1-D1 incomplete blob list: ${exportLogs.incompleteBlobListUri}`), out);
    // An import job's table has no capacity column, and no such lines.
    const imported = await w.table(["job", "show", "logs1", "-g", "rg1"], "customer", { COLUMNS: "120" });
    assert.doesNotMatch(imported, /CAPACITY|incomplete blob list|manifest backup/);
  });
});
