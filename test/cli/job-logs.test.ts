/**
 * @module `sneakernet job logs` against a real server process and a real Azurite: a drive's copy log,
 * written by the real writer, printed as a table (a summary line per drive, a row per blob) and as the
 * API's JSON; a drive without a log, and a job without any, are said in one line.
 */

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import { DEV_ACCOUNT_KEY } from "../../src/serve/azurite.js";
import type { DriveLog } from "../../src/wire/arm.js";
import { startTestAzurite } from "../support/azurite.js";
import { writeSampleLogs } from "../support/drive-logs.js";
import { assertFits, assertOneLineError, CliWorld, tableHeaders } from "./cli-helpers.js";

const azurite = await startTestAzurite("cli-job-logs");
const w = new CliWorld();
const [COPIED, WAITING] = ["LOGS1-D1", "LOGS1-D2"];

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
