/**
 * @module `sneakernet ops …` against a real server process, and an operator's day run from the CLI alone
 * (the copy through the stations API, as a station would): create → ship → receive → copy → ship back
 * → Completed → retention sweep → gone. Each verb's JSON is compared with what the API returns.
 */

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import type { JobSummary, OpsDrive, WorkQueue as Queue } from "../../src/wire/ops.js";
import { runCli } from "../support/server.js";
import { assertFits, assertOneLineError, CliWorld, tableHeaders } from "./cli-helpers.js";

const DAY = 24 * 60 * 60 * 1000;
const w = new CliWorld();

/** `job create` of an import job of these serials, with a return address and return shipping. */
function createImport(name: string, serials: string[]): Promise<unknown> {
  return w.createImport(name, serials, { returnShipping: true });
}

/** The package's job as the operator API shows it (what receive, found and ship answer with). */
async function packageJob(tracking: string): Promise<JobSummary> {
  const found = await w.api<{ value: JobSummary[] }>(
    "GET",
    `/ops/v1/packages?carrier=FedEx&tracking=${tracking}`,
    "alice",
  );
  assert.equal(found.value.length, 1);
  return found.value[0]!;
}

/** A whole copy of one drive by the station, through the stations API. */
async function copy(serial: string): Promise<void> {
  await w.api("POST", `/ops/v1/drives/${serial}/claim`, "station");
  await w.api("POST", `/ops/v1/drives/${serial}/progress`, "station", {
    bytesSucceeded: 400,
    bytesTotal: 1000,
    copyStatus: "InProgress",
  });
  await w.api("POST", `/ops/v1/drives/${serial}/progress`, "station", {
    bytesSucceeded: 1000,
    bytesTotal: 1000,
  });
  await w.api("POST", `/ops/v1/drives/${serial}/finish`, "station", {
    state: "Completed",
    errorCount: 0,
    warningCount: 0,
    infoCount: 0,
  });
}

before(async () => {
  await w.start({ customer: "customer", alice: "operator", station: "station" });
  await w.api("POST", "/ops/v1/stations/register", "station", { name: "bay-3" });
});

after(() => w.stop());

describe("ops drive found, drive register, refusals", () => {
  it("a drive missing from its package turns up in another: found → Received, its job re-derived", async () => {
    await Promise.all([createImport("miss-1", ["M1", "M2"]), createImport("other-1", ["O1"])]);
    await Promise.all([w.ship("miss-1", "MISS1"), w.ship("other-1", "OTHER1")]);
    const received = await w.json<{ status: string; received: string[]; neverReceived: string[] }>(
      ["ops", "package", "receive", "--carrier", "FedEx", "--tracking", "MISS1", "--drive", "M1"],
      "alice",
    );
    assert.deepEqual(
      [received.status, received.received, received.neverReceived],
      ["Received", ["M1"], ["M2"]],
    );

    const found = await w.json<{ job: JobSummary; drive: OpsDrive }>(
      ["ops", "drive", "found", "M2", "--carrier", "FedEx", "--tracking", "OTHER1"],
      "alice",
    );
    assert.deepEqual(found.job, await packageJob("MISS1"));
    assert.equal(found.drive.driveId, "M2");
    assert.equal(found.drive.state, "Received");
    assert.deepEqual(
      found.job.drives.map((d) => `${d.driveId} ${d.state}`),
      ["M1 Received", "M2 Received"],
    );
    const customer = await w.arm<{ properties: { driveList: OpsDrive[] } }>("GET", w.jobPath("miss-1"));
    assert.equal(customer.properties.driveList.find((d) => d.driveId === "M2")?.state, "Received");
  });

  it("an export job's drive is registered as it arrives; the table says so", async () => {
    await w.json([
      "job",
      "create",
      "export-1",
      "-g",
      "rg1",
      "--location",
      "westus",
      "--type",
      "Export",
      "--storage-account",
      "devstoreaccount1",
      "--blob-prefix",
      "/",
      "--return-address",
      w.addressFile,
    ]);
    await w.ship("export-1", "EXP1");
    const table = await w.table(
      ["ops", "drive", "register", "--job", w.jobPath("export-1"), "--drive", "WD-0001"],
      "alice",
    );
    assert.match(table, /^drive:\s+WD-0001 Received$/m);
    assert.match(table, new RegExp(`^job:\\s+${w.jobPath("export-1")}$`, "m"));
    const json = await w.json<{ job: JobSummary; drive: OpsDrive }>(
      ["ops", "drive", "register", "--job", w.jobPath("export-1"), "--drive", "WD-0002"],
      "alice",
    );
    assert.deepEqual(json.job, await packageJob("EXP1"));
    assert.deepEqual(
      json.job.drives.map((d) => `${d.driveId} ${d.state}`),
      ["WD-0001 Received", "WD-0002 Received"],
    );

    // With its capacity: the drive's line says it, the JSON has it in bytes.
    const sized = await w.table(
      [
        "ops",
        "drive",
        "register",
        "--job",
        w.jobPath("export-1"),
        "--drive",
        "WD-0003",
        "--capacity",
        "1.5TB",
      ],
      "alice",
    );
    assert.match(sized, /^capacity:\s+1\.5 TB$/m);
    assert.match(sized, /WD-0003 Received \(1\.5 TB\)/);
    const binary = await w.json<{ drive: OpsDrive }>(
      [
        "ops",
        "drive",
        "register",
        "--job",
        w.jobPath("export-1"),
        "--drive",
        "WD-0004",
        "--capacity",
        "512MiB",
      ],
      "alice",
    );
    assert.equal(binary.drive.capacityBytes, 512 * 2 ** 20);
    assert.equal(json.drive.capacityBytes, undefined, "none recorded, none shown");
  });

  it("a capacity that is no size is a usage error on one line (exit 2), and registers nothing", async () => {
    for (const capacity of ["8XB", "0", "2PB"]) {
      const result = await w.cli(
        [
          "ops",
          "drive",
          "register",
          "--job",
          w.jobPath("export-1"),
          "--drive",
          "WD-0009",
          "--capacity",
          capacity,
        ],
        "alice",
      );
      assertOneLineError(result, 2, new RegExp(`--capacity.*'${capacity}' is invalid.*8TB`));
    }
    const job = await packageJob("EXP1");
    assert.ok(!job.drives.some((d) => d.driveId === "WD-0009"));
  });

  it("refusals come back with the server's code on one line, exit 1", async () => {
    const [notPackaging, unknownPackage, notExport, customer] = await Promise.all([
      w.cli(["ops", "ship", "--job", w.jobPath("miss-1"), "--carrier", "UPS", "--tracking", "R1"], "alice"),
      w.cli(
        ["ops", "package", "receive", "--carrier", "FedEx", "--tracking", "NOPE", "--drive", "X"],
        "alice",
      ),
      w.cli(["ops", "drive", "register", "--job", w.jobPath("miss-1"), "--drive", "X1"], "alice"),
      w.cli(["ops", "history", "--job", w.jobPath("miss-1"), "--output", "table"], "station"),
    ]);
    assertOneLineError(notPackaging, 1, /^error: InvalidJobState: .*Packaging/);
    assertOneLineError(unknownPackage, 1, /^error: PackageNotFound: /);
    assertOneLineError(notExport, 1, /^error: InvalidJobState: .*import job/);
    assertOneLineError(customer, 1, /^error: AuthorizationFailed: /);
  });
});

describe("an operator's day, from the CLI alone", () => {
  const id = () => w.jobPath("day-1");

  it("create → ship → receive → copy → ship back → Completed → retention → swept away", async () => {
    await createImport("day-1", ["DAY-D1", "DAY-D2"]);
    // The customer follows the job all day; the watch ends by itself when the job does.
    const watching = w.spawn([
      "job",
      "watch",
      "day-1",
      "-g",
      "rg1",
      "--interval",
      "0.2",
      "--output",
      "table",
    ]);
    await watching.waitFor(/day-1: Creating\n/);
    await w.ship("day-1", "781234567890");

    // Morning: what is expected, and whose package this is.
    const [find, findTable, queue, queueTable] = await Promise.all([
      w.json<JobSummary[]>(
        ["ops", "package", "find", "--carrier", "fedex", "--tracking", "7812 3456 7890"],
        "alice",
      ),
      w.table(["ops", "package", "find", "--carrier", "FedEx", "--tracking", "781234567890"], "alice"),
      w.json<Queue>(["ops", "queue"], "alice"),
      w.table(["ops", "queue"], "alice"),
    ]);
    assert.deepEqual(find, [await packageJob("781234567890")]);
    assert.deepEqual(tableHeaders(findTable), ["JOB", "TYPE", "STATE", "DRIVES", "SINCE"]);
    assert.match(
      findTable,
      /^rg1\/day-1\s+Import\s+Shipping\s+DAY-D1 Specified, DAY-D2 Specified\s+\d{4}-\d\d-\d\d \d\d:\d\d$/m,
    );
    const { at: _at, ...queueNow } = await w.api<Queue>("GET", "/ops/v1/queue", "alice");
    const { at: _at2, ...queueShown } = queue;
    assert.deepEqual(queueShown, queueNow);
    assert.ok(queue.packagesExpected.some((p) => p.job.id === id()));
    const sections = [
      "Packages expected:",
      "Waiting to copy:",
      "Copying:",
      "Waiting to ship:",
      "Extra drives:",
    ];
    for (const section of sections) {
      assert.ok(queueTable.split("\n").includes(section), `${section} in\n${queueTable}`);
    }
    const expected = queueTable.split("\n").indexOf("Packages expected:");
    assert.deepEqual(tableHeaders(queueTable, expected + 1), ["JOB", "PACKAGE", "SINCE", "TIMEOUT AT"]);
    assert.match(queueTable, /^rg1\/day-1\s+FedEx 781234567890\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+\d{4}-/m);

    // The package arrives, with a drive nobody listed.
    const received = await w.json<{
      status: string;
      job: JobSummary;
      received: string[];
      neverReceived: string[];
      extra: string[];
      found: unknown[];
      registered: string[];
    }>(
      [
        "ops",
        "package",
        "receive",
        "--carrier",
        "FedEx",
        "--tracking",
        "781234567890",
        "--drive",
        "DAY-D1",
        "--drive",
        "DAY-D2",
        "--drive",
        "STRAY-9",
        "--reason",
        "morning delivery",
      ],
      "alice",
    );
    assert.equal(received.status, "Received");
    assert.deepEqual(received.received.sort(), ["DAY-D1", "DAY-D2"]);
    assert.deepEqual([received.neverReceived, received.extra, received.found], [[], ["STRAY-9"], []]);
    assert.deepEqual(received.job, await packageJob("781234567890"));

    // The queue fits a terminal of 80 columns, or 120: a job is group/name there, its ARM id in JSON.
    const [narrow, wide] = await Promise.all([
      w.table(["ops", "queue"], "alice", { COLUMNS: "80" }),
      w.table(["ops", "queue"], "alice", { COLUMNS: "120" }),
    ]);
    assertFits(narrow, 80);
    assertFits(wide, 120);
    for (const waiting of [narrow, wide]) {
      const lines = waiting.split("\n");
      const toCopy = lines.slice(lines.indexOf("Waiting to copy:"), lines.indexOf("Copying:")).join("\n");
      assert.deepEqual(tableHeaders(toCopy, 1), ["DRIVE", "JOB", "STATE", "SINCE"]);
      assert.match(toCopy, /^DAY-D1\s+rg1\/day-1\s+Received\s+\d{4}-\d\d-\d\d \d\d:\d\d$/m);
      const extra = lines.slice(lines.indexOf("Extra drives:")).join("\n");
      assert.match(extra, /^STRAY-9\s+rg1\/day-1\s+Received\s+\d{4}-/m);
    }

    // The station copies both drives.
    await copy("DAY-D1");
    await copy("DAY-D2");
    const ready = await w.json<Queue>(["ops", "queue"], "alice");
    assert.ok(
      ready.waitingToShip.some((j) => j.id === id()),
      JSON.stringify(ready.waitingToShip),
    );

    // Evening: the drives go back, the extra one with them.
    const shipped = await w.json<{ job: JobSummary }>(
      [
        "ops",
        "ship",
        "--job",
        id(),
        "--carrier",
        "UPS",
        "--tracking",
        "1Z999AA10123456784",
        "--ship-date",
        "2026-03-01",
      ],
      "alice",
    );
    assert.equal(shipped.job.state, "Completed");
    assert.deepEqual(shipped.job, await packageJob("781234567890"));
    assert.equal(shipped.job.returnPackage?.trackingNumber, "1Z999AA10123456784");
    assert.deepEqual(
      shipped.job.extraDrives.map((d) => `${d.driveId} ${d.state}`),
      ["STRAY-9 ShippedBack"],
    );

    // The customer sees it Completed; the watch has ended by itself.
    const [show, history, historyTable] = await Promise.all([
      w.table(["job", "show", "day-1", "-g", "rg1"]),
      w.json<unknown[]>(["ops", "history", "--job", id()], "alice"),
      w.table(["ops", "history", "--job", id()], "alice"),
    ]);
    assert.match(show, /^state:\s+Completed$/m);
    assert.match(show, /^return package:\s+UPS 1Z999AA10123456784, 3 drive\(s\), shipped 2026-03-01/m);
    assert.match(show, /^DAY-D1\s+ShippedBack\s+Completed\s+100%\s+1000$/m);
    assert.deepEqual(
      history,
      (await w.api<{ value: unknown[] }>("GET", `/ops/v1/history?job=${id()}`, "alice")).value,
    );
    assert.deepEqual(tableHeaders(historyTable), ["AT", "DRIVE", "FROM", "TO", "ACTOR", "REASON"]);
    assert.match(historyTable, /STRAY-9\s+-\s+Received\s+operator:alice\s+Extra drive/);
    assert.match(historyTable, /\(job\)\s+Packaging\s+Completed\s+operator:alice/);

    const watched = await watching.done;
    assert.equal(watched.code, 0, watched.stderr);
    assert.match(watched.stdout, /^\S+ {2}day-1: Creating\n/);
    assert.match(watched.stdout, /day-1: Creating → Shipping\n/);
    assert.match(watched.stdout, /day-1: \w+ → Completed\n/);
    assert.match(watched.stdout, /day-1 drive DAY-D2: \w+ → ShippedBack\n/);

    // 91 days on, retention has run out: the sweep deletes the job, and the customer finds nothing.
    const later = new Date(Date.now() + 91 * DAY).toISOString();
    const swept = await runCli([
      "lifecycle",
      "sweep",
      "--now",
      later,
      "--data-dir",
      w.dataDir,
      "--output",
      "json",
    ]);
    assert.equal(swept.code, 0, swept.stderr);
    const report = JSON.parse(swept.stdout) as { changes: { action: string; job: string }[] };
    assert.ok(
      report.changes.some((c) => c.action === "DeleteJob" && c.job === "day-1"),
      JSON.stringify(report.changes),
    );
    const gone = await w.cli(["job", "show", "day-1", "-g", "rg1"]);
    assertOneLineError(gone, 1, /^error: ResourceNotFound: /);
  });
});
