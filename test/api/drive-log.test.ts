/**
 * @module `GET {job}/drives/{driveId}/log`: a drive's copy log, written by the real writer into a real
 * Azurite, read back by the control plane with the registered credential and answered as rows; a log
 * outside the job's diagnostics container is never read; no log yet, a drive unknown, a storage account
 * that refuses are each a clear ARM error.
 */

import assert from "node:assert/strict";
import { after, describe, it } from "node:test";

import { registerEmbeddedAccount } from "../../src/app/seed-defaults.js";
import { DEV_ACCOUNT_KEY } from "../../src/serve/azurite.js";
import { type DriveLog, driveLog } from "../../src/wire/arm.js";
import { startTestAzurite } from "../support/azurite.js";
import { importBody } from "../support/customer-api.js";
import { freshSqlite } from "../support/db.js";
import {
  EXPORT_SNAPSHOT,
  LEFT_OUT_SNAPSHOT,
  writeSampleExportLogs,
  writeSampleLogs,
} from "../support/drive-logs.js";
import { driveList } from "../support/fixtures.js";
import { startTestServer, TestClock } from "../support/server.js";
import { type ArmJob, jobPath, ok, refused, RG, SUB, World } from "./ops-helpers.js";

const azurite = await startTestAzurite("api-drive-log");
const db = freshSqlite("api-drive-log");
const clock = new TestClock();
const server = await startTestServer(db.url, clock);
after(async () => {
  await server.close();
  db.cleanup();
});
const world = new World(server, clock);
await world.init();
await world.registerStations();
await registerEmbeddedAccount(server.deps, azurite.endpoint(), DEV_ACCOUNT_KEY);

const JOB = "logs-1";
const [COPIED, OUTSIDE, ELSEWHERE, WAITING] = ["LOG-A1", "LOG-B2", "LOG-C3", "LOG-D4"] as const;
const logPath = (driveId: string, query = "") =>
  `${jobPath(JOB)}/drives/${encodeURIComponent(driveId)}/log${query}`;

// One job, verbose logs, four drives: one copied with its logs where the station writes them, one whose
// logs lie in another container of the same account, one whose log names another host, one not copied.
ok<ArmJob>(
  await world.customerCall(
    "PUT",
    jobPath(JOB),
    importBody({ subscriptionId: SUB, resourceGroup: RG }, driveList([COPIED, OUTSIDE, ELSEWHERE, WAITING]), {
      properties: { logLevel: "Verbose" },
    }),
  ),
  201,
);
await world.ship(JOB, "T-LOGS-1");
ok(await world.receive("T-LOGS-1", [COPIED, OUTSIDE, ELSEWHERE, WAITING]));
const logs = await writeSampleLogs(azurite, JOB, COPIED);
const outside = await writeSampleLogs(azurite, JOB, OUTSIDE, { container: "photos" });
const moreInfo = { state: "CompletedMoreInfo" as const, errorCount: 1, warningCount: 1 };
await world.copy(world.cast.stationA, COPIED, 6000, { ...moreInfo, ...logs });
await world.copy(world.cast.stationA, OUTSIDE, 6000, { ...moreInfo, ...outside });
await world.copy(world.cast.stationA, ELSEWHERE, 6000, {
  ...moreInfo,
  errorLogUri: `http://169.254.169.254/devstoreaccount1/waimportexport/waies/${JOB}_${ELSEWHERE}_error.xml`,
});

// An export job whose one drive was filled: its logs name each blob's snapshot and Last-Modified.
const EXPORT_JOB = "logs-export-1";
const EXPORTED = "LOG-E5";
await world.createExport(EXPORT_JOB);
await world.ship(EXPORT_JOB, "T-LOGS-2");
ok(await world.receive("T-LOGS-2", [EXPORTED]));
const exportLogs = await writeSampleExportLogs(azurite, EXPORT_JOB, EXPORTED);
await world.copy(world.cast.stationA, EXPORTED, 3000, {
  state: "CompletedMoreInfo",
  infoCount: 1,
  ...exportLogs,
});

/** A GET with the api-version, without World's assertion that nothing answers 5xx (a refusal of storage is a 502). */
async function get(path: string, token = world.cast.customer) {
  const url = new URL(path, server.url);
  url.searchParams.set("api-version", "2021-01-01");
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  return { status: response.status, text, json: JSON.parse(text) as unknown };
}

describe("a drive's log as rows", () => {
  it("the error log: the renamed and the corrupted file, with the drive's outcome", async () => {
    const answer = await world.customerCall<DriveLog>("GET", logPath(COPIED));
    const log = driveLog.parse(ok<DriveLog>(answer));
    assert.equal(log.driveId, COPIED);
    assert.equal(log.kind, "error");
    assert.equal(log.logUri, logs.errorLogUri);
    assert.equal(log.driveState, "CompletedMoreInfo");
    assert.equal(log.status, "CompletedWithErrors");
    assert.deepEqual(
      log.blobs.map((b) => [b.status, b.blobPath, b.filePath, b.length, b.disposition, b.dispositionStatus]),
      [
        ["Completed", "photos/b (2).jpg", "data/0002", 2000, "rename", "Renamed"],
        ["CompletedWithErrors", "photos/c.raw", "data/0003", 3000, "overwrite", "Cancelled"],
      ],
    );
    assert.equal(log.blobs[1]?.message, "Block 0 does not match its MD5 in the manifest.");
    assert.deepEqual(log.blobs[1]?.blocks, [
      { offset: 0, length: 3000, hash: "01010101010101010101010101010101", status: "Corrupted" },
    ]);
  });

  it("the verbose log: every file, its source path too; a drive id in another case finds the drive", async () => {
    const answer = await world.customerCall<DriveLog>("GET", logPath(COPIED.toLowerCase(), "?kind=verbose"));
    const log = driveLog.parse(ok<DriveLog>(answer));
    assert.equal(log.kind, "verbose");
    assert.equal(log.logUri, logs.verboseLogUri);
    assert.deepEqual(
      log.blobs.map((b) => b.blobPath),
      ["photos/a.jpg", "photos/b (2).jpg", "photos/c.raw"],
    );
    assert.equal(log.blobs[0]?.sourcePath, "D:\\photos\\a.jpg");
  });

  it("an export drive's log: each blob's snapshot (when read from one) and Last-Modified", async () => {
    const path = `${jobPath(EXPORT_JOB)}/drives/${EXPORTED}/log?kind=verbose`;
    const log = driveLog.parse(ok<DriveLog>(await world.customerCall<DriveLog>("GET", path)));
    assert.equal(log.logUri, exportLogs.verboseLogUri);
    assert.deepEqual(
      log.blobs.map((b) => [b.status, b.blobPath, b.snapshot, b.lastModified]),
      [
        ["Completed", "photos/a.jpg", EXPORT_SNAPSHOT, "Thu, 15 Jan 2026 10:00:00 GMT"],
        ["Completed", "photos/b.jpg", undefined, "Thu, 15 Jan 2026 10:05:00 GMT"],
        ["NotEnoughSpace", "photos/c.raw", LEFT_OUT_SNAPSHOT, "Thu, 15 Jan 2026 10:10:00 GMT"],
      ],
    );
    // An import's rows carry neither.
    const imported = ok<DriveLog>(await world.customerCall<DriveLog>("GET", logPath(COPIED)));
    assert.ok(imported.blobs.every((b) => b.snapshot === undefined && b.lastModified === undefined));
  });

  it("an operator reads it too; a customer of another subscription does not", async () => {
    ok(await world.customerCall("GET", logPath(COPIED), undefined, world.cast.operator));
    refused(
      await world.customerCall("GET", logPath(COPIED), undefined, world.cast.otherCustomer),
      403,
      "AuthorizationFailed",
    );
  });
});

describe("refusals", () => {
  it("a drive the job does not list: 404 ResourceNotFound", async () => {
    const error = refused(await world.customerCall("GET", logPath("NOPE-9")), 404, "ResourceNotFound");
    assert.match(error.message, /drive 'NOPE-9'/);
    // A drive id that cannot be one is refused as such, before anything is looked up.
    refused(await world.customerCall("GET", logPath("a b")), 400, "InvalidDriveId");
  });

  it("a drive not copied yet: 404 DriveLogNotAvailable, saying when it will have one", async () => {
    const error = refused(await world.customerCall("GET", logPath(WAITING)), 404, "DriveLogNotAvailable");
    assert.match(error.message, /no error log yet/);
  });

  it("a kind that is not error or verbose: 400 InvalidQueryParameter at kind", async () => {
    const error = refused(
      await world.customerCall("GET", logPath(COPIED, "?kind=debug")),
      400,
      "InvalidQueryParameter",
    );
    assert.equal(error.target, "kind");
  });

  it("a log in another container of the account, or on another host: not read, 404 DriveLogNotAvailable", async () => {
    for (const driveId of [OUTSIDE, ELSEWHERE]) {
      const error = refused(await world.customerCall("GET", logPath(driveId)), 404, "DriveLogNotAvailable");
      assert.match(error.message, /outside the job's diagnostics container 'waimportexport'/);
    }
    // The blob in the other container is there and is a log: it is the place that is refused.
    const blob = azurite
      .service()
      .getContainerClient("photos")
      .getBlobClient(outside.errorLogUri.split("/photos/")[1]!);
    assert.ok(await blob.exists());
  });

  it("a storage account that refuses the credential: 502 DriveLogUnreadable, no key in the answer", async () => {
    const wrongKey = Buffer.alloc(64, 9).toString("base64");
    await registerEmbeddedAccount(server.deps, azurite.endpoint(), wrongKey);
    try {
      const answer = await get(logPath(COPIED));
      assert.equal(answer.status, 502, answer.text);
      const error = (answer.json as { error: { code: string; message: string } }).error;
      assert.equal(error.code, "DriveLogUnreadable");
      assert.match(error.message, /refused the registered credential/);
      assert.ok(!answer.text.includes(wrongKey) && !answer.text.includes(DEV_ACCOUNT_KEY));
    } finally {
      await registerEmbeddedAccount(server.deps, azurite.endpoint(), DEV_ACCOUNT_KEY);
    }
  });

  it("a log blob deleted from the account: 502 DriveLogUnreadable naming the missing blob", async () => {
    const name = logs.verboseLogUri!.split("/waimportexport/")[1]!;
    await azurite.service().getContainerClient("waimportexport").getBlobClient(name).delete();
    const answer = await get(logPath(COPIED, "?kind=verbose"));
    assert.equal(answer.status, 502, answer.text);
    const error = (answer.json as { error: { code: string; message: string } }).error;
    assert.equal(error.code, "DriveLogUnreadable");
    assert.match(error.message, /has no such blob/);
  });
});
