/**
 * @module The data center's day, story by story: customers (ARM API), operators and copy stations
 * (`/ops/v1/`, docs/ops-api.md) move jobs and drives through every state of LIFECYCLE.md. After each
 * step the job and its drives are read back through the customer's GET, and the history through the
 * customer's history endpoint. One in-process server and one database for the whole file; time moves
 * only by the test clock.
 */

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import { forgetLocations } from "../../src/app/support/locations.js";
import { sweep } from "../../src/app/sweep.js";
import { DRIVE_STATES, JOB_STATES } from "../../src/domain/states.js";
import { startSqliteServer, TestClock, type TestServer } from "../support/server.js";
import { withDeadline } from "../support/wait.js";
import {
  armId,
  assertNames,
  type ClaimAnswer,
  DAY,
  expectedPackage,
  type HistoryRow,
  jobPath,
  mentions,
  MINUTE,
  NAMES,
  ok,
  OTHER_SUB,
  type ReceiveAnswer,
  refused,
  STORAGE,
  World,
} from "./ops-helpers.js";

const BLOB_ENDPOINT = "http://127.0.0.1:10000/devstoreaccount1";
const LEASE = 5 * MINUTE;
const OPERATOR = `operator:${NAMES.operator}`;
const STATION_A = `station:${NAMES.stationA}`;
const STATION_B = `station:${NAMES.stationB}`;
const CUSTOMER = `customer:${NAMES.customer}`;
const SWEEPER = "system:lifecycle-sweep";

const clock = new TestClock(new Date("2026-01-15T12:00:00.000Z"));
let server: TestServer;
let w: World;
let stationsRegistered = false;

before(async () => {
  server = await startSqliteServer("ops", clock);
  w = new World(server, clock);
  await w.init();
});

after(async () => {
  // Bounded: a request the service never answered fails the run here instead of stalling it.
  if (server) {
    await withDeadline(server.close(), 10_000, "closing the server");
  }
});

/** Registers both stations once (story 1 does it first, with its assertions). */
async function stations(): Promise<{ A: string; B: string }> {
  if (!stationsRegistered) {
    await w.registerStations();
    stationsRegistered = true;
  }
  return { A: w.cast.stationA, B: w.cast.stationB };
}

function moves(rows: readonly HistoryRow[], driveId?: string): string[] {
  return rows.filter((r) => r.driveId === driveId).map((r) => `${r.from ?? "∅"}→${r.to}`);
}

/** The one history row of this move (of the job when driveId is undefined). */
function row(rows: readonly HistoryRow[], from: string | null, to: string, driveId?: string): HistoryRow {
  const found = rows.filter((r) => r.driveId === driveId && r.from === from && r.to === to);
  assert.equal(
    found.length,
    1,
    `expected one history row ${driveId ?? "job"} ${from}→${to}, found ${found.length}: ${JSON.stringify(rows)}`,
  );
  return found[0]!;
}

function sorted(values: readonly string[] | undefined): string[] {
  return [...(values ?? [])].sort();
}

type Target =
  | "Creating"
  | "Canceled"
  | "Shipping"
  | "Received"
  | "Transferring"
  | "Packaging"
  | "Completed"
  | "Closed";

/** An import job with one drive `${name}-D1`, taken to `state` by the people whose move it is. */
async function jobIn(name: string, state: Target): Promise<string> {
  const serial = `${name.toUpperCase()}-D1`;
  const { A } = await stations();
  await w.createImport(name, [serial]);
  if (state === "Creating") {
    return serial;
  }
  if (state === "Canceled") {
    ok(await w.customerCall("PATCH", jobPath(name), { properties: { cancelRequested: true } }));
    return serial;
  }
  await w.ship(name, `T-${name}`);
  if (state === "Shipping") {
    return serial;
  }
  ok(await w.receive(`T-${name}`, [serial]));
  if (state === "Received") {
    return serial;
  }
  ok(await w.claim(A, serial));
  ok(await w.progress(A, serial, { bytesSucceeded: 10, bytesTotal: 100 }));
  if (state === "Transferring") {
    return serial;
  }
  ok(
    await w.finish(
      A,
      serial,
      state === "Closed" ? { state: "CompletedMoreInfo", errorCount: 1 } : { state: "Completed" },
    ),
  );
  if (state === "Packaging") {
    return serial;
  }
  ok(await w.shipBack(name, `R-${name}`));
  return serial;
}

describe("stories", () => {
  it("1. an import job from creation to Completed", async () => {
    const name = "story1";
    const [D1, D2] = ["S1-D1", "S1-D2"];
    await w.createImport(name, [D1, D2]);
    await w.expect(name, "Creating", { [D1]: "Specified", [D2]: "Specified" }, "create");

    clock.advance(MINUTE);
    const trackedAt = clock.now().getTime();
    await w.ship(name, "T-1");
    await w.expect(name, "Shipping", { [D1]: "Specified", [D2]: "Specified" }, "tracking");

    // The operator expects the package, and finds its job by carrier and tracking number.
    let queue = await w.queue();
    const expected = expectedPackage(queue, "T-1");
    assert.equal(expected.carrier, "FedEx");
    assert.equal(expected.tracking, "T-1");
    assert.equal(Date.parse(String(expected.since)), trackedAt, "since: when tracking was recorded");
    assert.equal(Date.parse(String(expected.deliveryTimeoutAt)), trackedAt + 14 * DAY);
    const packages = ok<{ value: unknown[] }>(
      await w.call("GET", "/ops/v1/packages?carrier=FedEx&tracking=T-1", w.cast.operator),
    );
    assert.equal(packages.value.length, 1, JSON.stringify(packages));
    assert.ok(mentions(packages.value, armId(name)), "the package's job, named by its ARM id");

    // The package arrives with both drives.
    clock.advance(DAY);
    const received = ok<ReceiveAnswer>(await w.receive("T-1", [D1, D2], { reason: "Unpacked at dock 2" }));
    assert.equal(received.status, "Received");
    assert.ok(mentions([received.job], armId(name)), JSON.stringify(received.job));
    assert.deepEqual(sorted(received.received), [D1, D2]);
    assert.deepEqual(received.neverReceived, []);
    assert.deepEqual(received.extra, []);
    assert.deepEqual(received.found, []);
    await w.expect(name, "Received", { [D1]: "Received", [D2]: "Received" }, "receive");
    queue = await w.queue();
    assert.ok(!mentions(queue.packagesExpected, "T-1"), "a received package is no longer expected");
    assert.ok(mentions(queue.waitingToCopy, D1) && mentions(queue.waitingToCopy, D2), "both wait to copy");

    // Two stations register (each answers with its id and name); one claims D1: it gets what it needs
    // to copy, and a lease.
    const { A, B } = await stations();
    clock.advance(MINUTE);
    const claim = ok<ClaimAnswer>(await w.claim(A, D1));
    assert.equal(claim.bitLockerKey, w.keys.get(D1), "the station gets the drive's key");
    assert.equal(claim.job.id, armId(name));
    assert.equal(claim.job.type, "Import");
    assert.equal(claim.job.storageAccountId, STORAGE);
    assert.equal(claim.job.blobEndpoint, BLOB_ENDPOINT);
    assert.equal(Date.parse(claim.leaseExpiresAt), clock.now().getTime() + LEASE, "a 5-minute lease");
    // Claiming is not copying: the drive moves with the first progress report.
    await w.expect(name, "Received", { [D1]: "Received", [D2]: "Received" }, "claim");
    queue = await w.queue();
    assert.ok(mentions(queue.copying, D1), "a claimed drive is being copied");
    assert.ok(!mentions(queue.waitingToCopy, D1), "a claimed drive no longer waits");
    assert.ok(mentions(queue.waitingToCopy, D2));

    clock.advance(MINUTE);
    const progress = ok<{ leaseExpiresAt: string }>(
      await w.progress(A, D1, {
        bytesSucceeded: 250,
        bytesTotal: 1000,
        copyStatus: "InProgress",
        filesSucceeded: 7,
      }),
    );
    assert.equal(
      Date.parse(progress.leaseExpiresAt),
      clock.now().getTime() + LEASE,
      "progress renews the lease",
    );
    let job = await w.expect(
      name,
      "Transferring",
      { [D1]: "Transferring", [D2]: "Received" },
      "first progress",
    );
    assert.equal(w.drive(job, D1).percentComplete, 25);
    assert.equal(w.drive(job, D1).bytesSucceeded, 250);
    assert.equal(w.drive(job, D1).copyStatus, "InProgress");

    clock.advance(MINUTE);
    ok(await w.progress(A, D1, { bytesSucceeded: 1000, bytesTotal: 1000, copyStatus: "InProgress" }));
    clock.advance(MINUTE);
    ok(
      await w.finish(A, D1, {
        state: "Completed",
        errorCount: 0,
        warningCount: 0,
        infoCount: 0,
        verboseLogUri: `${BLOB_ENDPOINT}/waimportexport/${D1}_verbose.xml`,
        errorLogUri: `${BLOB_ENDPOINT}/waimportexport/${D1}_error.xml`,
      }),
    );
    job = await w.expect(name, "Transferring", { [D1]: "Completed", [D2]: "Received" }, "D1 finished");
    assert.equal(w.drive(job, D1).percentComplete, 100);
    assert.equal(w.drive(job, D1).verboseLogUri, `${BLOB_ENDPOINT}/waimportexport/${D1}_verbose.xml`);
    assert.equal(w.drive(job, D1).errorLogUri, `${BLOB_ENDPOINT}/waimportexport/${D1}_error.xml`);

    // The second drive, on another station; the job's percent is weighted by bytes.
    clock.advance(MINUTE);
    ok(await w.claim(B, D2));
    clock.advance(MINUTE);
    ok(await w.progress(B, D2, { bytesSucceeded: 1500, bytesTotal: 3000 }));
    job = await w.expect(name, "Transferring", { [D1]: "Completed", [D2]: "Transferring" }, "D2 progress");
    assert.equal(w.drive(job, D2).percentComplete, 50);
    // (1000 + 1500) / (1000 + 3000) bytes; the mean of the drives' percentages would be 75.
    assert.equal(job.properties.percentComplete, 62);
    clock.advance(MINUTE);
    ok(await w.progress(B, D2, { bytesSucceeded: 3000, bytesTotal: 3000 }));
    ok(await w.finish(B, D2, { state: "Completed" }));
    job = await w.expect(name, "Packaging", { [D1]: "Completed", [D2]: "Completed" }, "D2 finished");
    assert.equal(job.properties.percentComplete, 100);
    queue = await w.queue();
    assert.ok(mentions(queue.waitingToShip, armId(name)), "a Packaging job waits to ship");
    assert.ok(!mentions(queue.copying, D1) && !mentions(queue.copying, D2), "finished drives are released");

    // Shipped back: the return package is filled, every drive leaves, the job ends without error.
    clock.advance(DAY);
    ok(await w.shipBack(name, "R-1"));
    job = await w.expect(name, "Completed", { [D1]: "ShippedBack", [D2]: "ShippedBack" }, "ship back");
    const back = job.properties.returnPackage;
    assert.ok(back, "returnPackage filled");
    assert.equal(back.carrierName, "UPS");
    assert.equal(back.trackingNumber, "R-1");
    assert.equal(back.driveCount, 2);
    assert.ok(back.shipDate, "a ship date (today when none is given)");
    assert.ok(!mentions((await w.queue()).waitingToShip, armId(name)));

    // The history tells it all, each move with who and why.
    const rows = await w.historyRows(name);
    assert.deepEqual(moves(rows), [
      "∅→Creating",
      "Creating→Shipping",
      "Shipping→Received",
      "Received→Transferring",
      "Transferring→Packaging",
      "Packaging→Completed",
    ]);
    for (const serial of [D1, D2]) {
      assert.deepEqual(moves(rows, serial), [
        "∅→Specified",
        "Specified→Received",
        "Received→Transferring",
        "Transferring→Completed",
        "Completed→ShippedBack",
      ]);
    }
    assert.equal(row(rows, "Creating", "Shipping").actor, CUSTOMER);
    assert.equal(row(rows, "Shipping", "Received").actor, OPERATOR);
    assert.equal(row(rows, "Specified", "Received", D1).actor, OPERATOR);
    assert.match(
      row(rows, "Specified", "Received", D1).reason,
      /Unpacked at dock 2/,
      "the operator's reason",
    );
    assert.equal(row(rows, "Received", "Transferring", D1).actor, STATION_A);
    assert.equal(row(rows, "Received", "Transferring").actor, STATION_A);
    assert.equal(row(rows, "Transferring", "Completed", D1).actor, STATION_A);
    assert.equal(row(rows, "Received", "Transferring", D2).actor, STATION_B);
    assert.equal(row(rows, "Transferring", "Packaging").actor, STATION_B);
    assert.equal(row(rows, "Completed", "ShippedBack", D2).actor, OPERATOR);
    assert.equal(row(rows, "Packaging", "Completed").actor, OPERATOR);

    // The operator reads the same history.
    const opsHistory = ok<{ value: HistoryRow[] }>(
      await w.call("GET", `/ops/v1/history?job=${encodeURIComponent(armId(name))}`, w.cast.operator),
    );
    assert.deepEqual(
      opsHistory.value.map((r) => [r.driveId, r.from, r.to, r.actor]),
      rows.map((r) => [r.driveId, r.from, r.to, r.actor]),
    );
  });

  const story2 = { name: "story2", D1: "S2-D1", D2: "S2-D2" };

  it("2. a drive missing from the package: NeverReceived, and the job ends Closed", async () => {
    const { name, D1, D2 } = story2;
    const { A } = await stations();
    await w.createImport(name, [D1, D2]);
    await w.ship(name, "T-2");
    await w.expect(name, "Shipping", { [D1]: "Specified", [D2]: "Specified" }, "tracking");

    clock.advance(DAY);
    const received = ok<ReceiveAnswer>(await w.receive("T-2", [D1]));
    assert.equal(received.status, "Received");
    assert.deepEqual(received.received, [D1]);
    assert.deepEqual(received.neverReceived, [D2]);
    // Every drive is accounted for, one of them Received: the job is Received.
    await w.expect(name, "Received", { [D1]: "Received", [D2]: "NeverReceived" }, "receive");
    assert.ok(!mentions((await w.queue()).waitingToCopy, D2), "nothing to copy from a missing drive");

    ok(await w.claim(A, D1));
    clock.advance(MINUTE);
    ok(await w.progress(A, D1, { bytesSucceeded: 1, bytesTotal: 2 }));
    await w.expect(name, "Transferring", { [D1]: "Transferring", [D2]: "NeverReceived" }, "progress");
    ok(await w.progress(A, D1, { bytesSucceeded: 2, bytesTotal: 2 }));
    ok(await w.finish(A, D1));
    // A NeverReceived drive counts as processed.
    await w.expect(name, "Packaging", { [D1]: "Completed", [D2]: "NeverReceived" }, "finish");

    clock.advance(DAY);
    const shipDate = clock.now().toISOString();
    ok(await w.shipBack(name, "R-2", { carrier: "DHL", shipDate }));
    const job = await w.expect(name, "Closed", { [D1]: "ShippedBack", [D2]: "NeverReceived" }, "ship back");
    assert.equal(job.properties.returnPackage?.carrierName, "DHL");
    assert.equal(job.properties.returnPackage?.trackingNumber, "R-2");
    assert.equal(job.properties.returnPackage?.driveCount, 1, "only the drive that came goes back");
    assert.equal(Date.parse(job.properties.returnPackage?.shipDate ?? ""), Date.parse(shipDate));

    const rows = await w.historyRows(name);
    assert.equal(row(rows, "Specified", "NeverReceived", D2).actor, OPERATOR);
    assert.deepEqual(moves(rows, D2), ["∅→Specified", "Specified→NeverReceived"]);
    assert.equal(row(rows, "Packaging", "Closed").actor, OPERATOR);
  });

  it("3. the missing drive turns up in another package: Received, the job re-opened, then Completed", async () => {
    const { name, D1, D2 } = story2;
    const { A } = await stations();
    await w.expect(name, "Closed", { [D1]: "ShippedBack", [D2]: "NeverReceived" }, "story 2");

    // The package it turned up in: another job's, received as usual.
    await w.createImport("story3-carrier", ["S3-D1"]);
    await w.ship("story3-carrier", "T-3");
    ok(await w.receive("T-3", ["S3-D1"]));
    await w.expect("story3-carrier", "Received", { "S3-D1": "Received" }, "receive");

    clock.advance(DAY);
    ok<{ job: unknown; drive: unknown }>(await w.found(D2, "T-3"));
    // Closed → Received: the job is re-opened (docs/decisions.md: nothing of this round copied yet).
    await w.expect(name, "Received", { [D1]: "ShippedBack", [D2]: "Received" }, "found");
    assert.ok(mentions((await w.queue()).waitingToCopy, D2));
    let rows = await w.historyRows(name);
    assert.equal(row(rows, "NeverReceived", "Received", D2).actor, OPERATOR);
    assert.equal(row(rows, "Closed", "Received").actor, OPERATOR);
    // The other job is untouched.
    await w.expect("story3-carrier", "Received", { "S3-D1": "Received" }, "found in its package");

    ok(await w.claim(A, D2));
    clock.advance(MINUTE);
    ok(await w.progress(A, D2, { bytesSucceeded: 5, bytesTotal: 10 }));
    await w.expect(name, "Transferring", { [D1]: "ShippedBack", [D2]: "Transferring" }, "progress");
    ok(await w.progress(A, D2, { bytesSucceeded: 10, bytesTotal: 10 }));
    ok(await w.finish(A, D2));
    await w.expect(name, "Packaging", { [D1]: "ShippedBack", [D2]: "Completed" }, "finish");

    clock.advance(DAY);
    ok(await w.shipBack(name, "R-3"));
    // LIFECYCLE.md: errors are a drive CompletedMoreInfo with errors, or a drive *left* NeverReceived.
    // D2 was NeverReceived once but was received and copied, so no error remains: Completed, not Closed.
    const job = await w.expect(name, "Completed", { [D1]: "ShippedBack", [D2]: "ShippedBack" }, "ship back");
    assert.equal(job.properties.returnPackage?.trackingNumber, "R-3", "the latest return package");
    rows = await w.historyRows(name);
    assert.deepEqual(moves(rows).slice(-4), [
      "Closed→Received",
      "Received→Transferring",
      "Transferring→Packaging",
      "Packaging→Completed",
    ]);
  });

  it("3b. a NeverReceived drive inside another job's package when it is received: listed as found", async () => {
    await w.createImport("story3b", ["S3B-D1", "S3B-D2"]);
    await w.ship("story3b", "T-3B");
    ok(await w.receive("T-3B", ["S3B-D1"]));
    await w.expect("story3b", "Received", { "S3B-D1": "Received", "S3B-D2": "NeverReceived" }, "receive");

    await w.createImport("story3b-carrier", ["S3C-D1"]);
    await w.ship("story3b-carrier", "T-3C");
    clock.advance(DAY);
    const received = ok<ReceiveAnswer>(await w.receive("T-3C", ["S3C-D1", "S3B-D2"]));
    assert.deepEqual(received.received, ["S3C-D1"]);
    assert.deepEqual(received.extra, [], "a drive of another job is not extra");
    assert.equal(received.found.length, 1, JSON.stringify(received.found));
    assert.equal(received.found[0]?.serial, "S3B-D2");
    assert.ok(mentions([received.found[0]?.job], armId("story3b")), JSON.stringify(received.found));
    await w.expect("story3b", "Received", { "S3B-D1": "Received", "S3B-D2": "Received" }, "found");
    await w.expect("story3b-carrier", "Received", { "S3C-D1": "Received" }, "receive");
    const rows = await w.historyRows("story3b");
    assert.equal(row(rows, "NeverReceived", "Received", "S3B-D2").actor, OPERATOR);
  });

  it("3c. a missing drive found while its job waits in Packaging sends the job back to Transferring", async () => {
    const name = "story3c";
    const [D1, D2] = ["S3D-D1", "S3D-D2"];
    const { A } = await stations();
    await w.createImport(name, [D1, D2]);
    await w.ship(name, "T-3D");
    ok(await w.receive("T-3D", [D1]));
    await w.copy(A, D1);
    await w.expect(name, "Packaging", { [D1]: "Completed", [D2]: "NeverReceived" }, "D1 copied");

    // Found in another package (story 3b's) before the job shipped back: docs/decisions.md, a late drive
    // during Packaging sends the job back to Transferring.
    ok(await w.found(D2, "T-3C"));
    await w.expect(name, "Transferring", { [D1]: "Completed", [D2]: "Received" }, "found");
    assert.ok(!mentions((await w.queue()).waitingToShip, armId(name)), "not ready to ship any more");
    await w.copy(A, D2);
    await w.expect(name, "Packaging", { [D1]: "Completed", [D2]: "Completed" }, "D2 copied");
    ok(await w.shipBack(name, "R-3D"));
    const job = await w.expect(name, "Completed", { [D1]: "ShippedBack", [D2]: "ShippedBack" }, "ship back");
    assert.equal(job.properties.returnPackage?.driveCount, 2);
    const rows = await w.historyRows(name);
    assert.equal(row(rows, "Packaging", "Transferring").actor, OPERATOR);
  });

  it("4. an extra drive: recorded on the package's job, never copied, shipped back before the job ends", async () => {
    const name = "story4";
    const [D1, EXTRA] = ["S4-D1", "X4-EXTRA"];
    const { A } = await stations();
    await w.createImport(name, [D1]);
    await w.ship(name, "T-4");
    clock.advance(DAY);
    const received = ok<ReceiveAnswer>(await w.receive("T-4", [D1, EXTRA]));
    assert.deepEqual(received.received, [D1]);
    assert.deepEqual(received.extra, [EXTRA]);
    assert.deepEqual(received.neverReceived, []);
    // Not in the customer's drive list.
    await w.expect(name, "Received", { [D1]: "Received" }, "receive");
    let queue = await w.queue();
    assert.ok(mentions(queue.extraDrives, EXTRA), "an extra drive to return");
    assert.ok(!mentions(queue.waitingToCopy, EXTRA), "an extra drive is never copied");
    refused(await w.claim(A, EXTRA), 409, "DriveNotClaimable");

    await w.copy(A, D1);
    // Its own drive is copied, but the job cannot end while it holds the extra drive.
    await w.expect(name, "Packaging", { [D1]: "Completed" }, "copy");
    queue = await w.queue();
    assert.ok(mentions(queue.waitingToShip, armId(name)));
    assert.ok(mentions(queue.extraDrives, EXTRA));

    ok(await w.shipBack(name, "R-4"));
    const job = await w.expect(name, "Completed", { [D1]: "ShippedBack" }, "ship back");
    assert.equal(
      job.properties.returnPackage?.driveCount,
      2,
      "the extra drive goes back in the same package",
    );
    assert.ok(!mentions((await w.queue()).extraDrives, EXTRA), "returned");
    const rows = await w.historyRows(name);
    assert.equal(row(rows, "Received", "ShippedBack", EXTRA).actor, OPERATOR);
  });

  it("4b. a package holding only an extra drive: the job waits in Packaging until it is shipped back", async () => {
    const name = "story4b";
    await w.createImport(name, ["S4B-D1"]);
    await w.ship(name, "T-4B");
    const received = ok<ReceiveAnswer>(await w.receive("T-4B", ["X4B-EXTRA"]));
    assert.deepEqual(received.neverReceived, ["S4B-D1"]);
    assert.deepEqual(received.extra, ["X4B-EXTRA"]);
    // docs/decisions.md: nothing of its own to copy, but the extra drive holds it (Shipping → Packaging).
    await w.expect(name, "Packaging", { "S4B-D1": "NeverReceived" }, "receive");
    ok(await w.shipBack(name, "R-4B"));
    // Its own drive was left NeverReceived: an error, so Closed.
    await w.expect(name, "Closed", { "S4B-D1": "NeverReceived" }, "ship back");
    assert.ok(!mentions((await w.queue()).extraDrives, "X4B-EXTRA"));
  });

  it("5. a package that never arrives: 14 days after tracking, drives NeverReceived and the job Closed", async () => {
    const name = "story5";
    const [D1, D2] = ["S5-D1", "S5-D2"];
    await w.createImport(name, [D1, D2]);
    clock.advance(MINUTE);
    const trackedAt = clock.now().getTime();
    await w.ship(name, "T-5");
    const expected = expectedPackage(await w.queue(), "T-5");
    assert.equal(Date.parse(String(expected.deliveryTimeoutAt)), trackedAt + 14 * DAY);

    await sweep(server.deps, new Date(trackedAt + 14 * DAY - 1));
    await w.expect(name, "Shipping", { [D1]: "Specified", [D2]: "Specified" }, "a sweep 1 ms early");

    clock.set(new Date(trackedAt + 14 * DAY));
    await sweep(server.deps, clock.now());
    await w.expect(name, "Closed", { [D1]: "NeverReceived", [D2]: "NeverReceived" }, "the sweep at 14 days");
    assert.ok(!mentions((await w.queue()).packagesExpected, "T-5"), "no longer expected");
    const rows = await w.historyRows(name);
    assert.equal(row(rows, "Shipping", "Closed").actor, SWEEPER);
    assert.equal(row(rows, "Specified", "NeverReceived", D1).actor, SWEEPER);
    assert.equal(row(rows, "Specified", "NeverReceived", D2).actor, SWEEPER);
  });

  it("5b. the late package is received as usual: its drives Received, the job re-opened", async () => {
    const name = "story5";
    clock.advance(2 * DAY);
    const received = ok<ReceiveAnswer>(await w.receive("T-5", ["S5-D1", "S5-D2"]));
    assert.equal(received.status, "Received");
    assert.deepEqual(sorted(received.received), ["S5-D1", "S5-D2"]);
    await w.expect(name, "Received", { "S5-D1": "Received", "S5-D2": "Received" }, "the late package");
    const rows = await w.historyRows(name);
    assert.equal(row(rows, "Closed", "Received").actor, OPERATOR);
    assert.equal(row(rows, "NeverReceived", "Received", "S5-D1").actor, OPERATOR);
  });

  it("6. an export job from registration to Completed", async () => {
    const name = "story6";
    const [E1, E2, E3] = ["S6-E1", "S6-E2", "S6-E3"];
    const { A, B } = await stations();
    await w.createExport(name);
    await w.expect(name, "Creating", {}, "create");
    await w.ship(name, "T-6");
    await w.expect(name, "Shipping", {}, "tracking");

    clock.advance(DAY);
    const received = ok<ReceiveAnswer>(await w.receive("T-6", [E1, E2]));
    assert.equal(received.status, "Received");
    assert.deepEqual(sorted(received.registered), [E1, E2]);
    await w.expect(name, "Received", { [E1]: "Received", [E2]: "Received" }, "receive");

    // One more drive, registered by hand, with its capacity; a capacity that is no size is refused.
    const badSize = refused(
      await w.call("POST", "/ops/v1/drives/register", w.cast.operator, {
        job: armId(name),
        drive: E3,
        capacity: "2 terabytes",
      }),
      400,
      "InvalidDriveCapacity",
    );
    assert.equal(badSize.target, "capacity");
    const registered = ok<{ drive?: { capacityBytes?: number } }>(
      await w.call("POST", "/ops/v1/drives/register", w.cast.operator, {
        job: armId(name),
        drive: E3,
        capacity: "2TB",
      }),
    );
    assert.equal(registered.drive?.capacityBytes, 2e12);
    await w.expect(name, "Received", { [E1]: "Received", [E2]: "Received", [E3]: "Received" }, "register");
    let rows = await w.historyRows(name);
    for (const serial of [E1, E2, E3]) {
      assert.equal(row(rows, null, "Received", serial).actor, OPERATOR);
    }
    // Each drive has its key, for the customer: from now on no answer but a claim may show one.
    const keys = ok<{ value: { driveId: string; bitLockerKey: string }[] }>(
      await w.customerCall("POST", `${jobPath(name)}/listBitLockerKeys`),
    ).value;
    assert.deepEqual(
      keys.map((k) => k.driveId),
      [E1, E2, E3],
    );
    for (const { driveId, bitLockerKey } of keys) {
      assert.match(bitLockerKey, /^(\d{6}-){7}\d{6}$/);
      w.keys.set(driveId, bitLockerKey);
    }

    // Filled in registration order: E2 waits while E1 is to fill.
    refused(await w.claim(B, E2), 409, "DriveNotClaimable");
    const claim = ok<ClaimAnswer>(await w.claim(A, E1));
    assert.equal(claim.job.type, "Export");
    assert.equal(claim.job.id, armId(name));
    assert.equal(claim.job.blobEndpoint, BLOB_ENDPOINT);
    assert.ok(claim.job.export, "what to export");
    assert.equal(claim.job.backupDriveManifest, false);
    assert.equal(claim.bitLockerKey, w.keys.get(E1), "the station writes the drive with the customer's key");
    assert.equal(claim.exportAfter, undefined, "the first drive");
    clock.advance(MINUTE);
    ok(await w.progress(A, E1, { bytesSucceeded: 100, bytesTotal: 400 }));
    await w.expect(
      name,
      "Transferring",
      { [E1]: "Transferring", [E2]: "Received", [E3]: "Received" },
      "progress",
    );
    ok(await w.progress(A, E1, { bytesSucceeded: 400, bytesTotal: 400 }));
    refused(await w.claim(B, E2), 409, "DriveNotClaimable");
    const list = `${BLOB_ENDPOINT}/waimportexport/${E1}_incomplete.xml`;
    refused(
      await w.finish(A, E1, { incompleteBlobListUri: "waimportexport/x.xml" }),
      400,
      "InvalidIncompleteBlobListUri",
    );
    const finished = ok<{ drive: { incompleteBlobListUri?: string } }>(
      await w.finish(A, E1, { state: "CompletedMoreInfo", infoCount: 1, incompleteBlobListUri: list }),
    );
    assert.equal(finished.drive.incompleteBlobListUri, list);
    assert.equal(
      (await w.job(name)).properties.incompleteBlobListUri,
      list,
      "the customer sees what did not fit",
    );
    const second = ok<ClaimAnswer>(await w.claim(B, E2));
    assert.deepEqual(second.exportAfter, { driveId: E1, incompleteBlobListUri: list });
    assert.equal(second.bitLockerKey, w.keys.get(E2));
    clock.advance(MINUTE);
    ok(await w.progress(B, E2, { bytesSucceeded: 10, bytesTotal: 10 }));
    ok(await w.finish(B, E2));
    assert.equal((await w.job(name)).properties.incompleteBlobListUri, undefined, "E2 took the rest");
    const third = ok<ClaimAnswer>(await w.claim(A, E3));
    assert.deepEqual(third.exportAfter, { driveId: E2 });
    assert.equal(third.drive.capacityBytes, 2e12);
    ok(await w.progress(A, E3, { bytesSucceeded: 0, bytesTotal: 0 }));
    ok(await w.finish(A, E3));
    await w.expect(
      name,
      "Packaging",
      { [E1]: "CompletedMoreInfo", [E2]: "Completed", [E3]: "Completed" },
      "copied",
    );

    ok(await w.shipBack(name, "R-6"));
    const job = await w.expect(
      name,
      "Completed",
      { [E1]: "ShippedBack", [E2]: "ShippedBack", [E3]: "ShippedBack" },
      "ship back",
    );
    assert.equal(job.properties.returnPackage?.driveCount, 3);
    rows = await w.historyRows(name);
    assert.deepEqual(moves(rows), [
      "∅→Creating",
      "Creating→Shipping",
      "Shipping→Received",
      "Received→Transferring",
      "Transferring→Packaging",
      "Packaging→Completed",
    ]);
  });

  it("7. CompletedMoreInfo: with errors the job ends Closed, with warnings only Completed", async () => {
    const { A } = await stations();
    const cases = [
      { name: "story7-errors", serial: "S7E-D1", errorCount: 2, warningCount: 1, ends: "Closed" },
      { name: "story7-warnings", serial: "S7W-D1", errorCount: 0, warningCount: 3, ends: "Completed" },
    ];
    for (const c of cases) {
      await w.createImport(c.name, [c.serial]);
      await w.ship(c.name, `T-${c.name}`);
      ok(await w.receive(`T-${c.name}`, [c.serial]));
      const errorLogUri = `${BLOB_ENDPOINT}/waimportexport/${c.serial}_error.xml`;
      await w.copy(A, c.serial, 500, {
        state: "CompletedMoreInfo",
        errorCount: c.errorCount,
        warningCount: c.warningCount,
        infoCount: 1,
        errorLogUri,
      });
      const job = await w.expect(c.name, "Packaging", { [c.serial]: "CompletedMoreInfo" }, "finish");
      assert.equal(w.drive(job, c.serial).errorLogUri, errorLogUri, "the log the customer reads");
      ok(await w.shipBack(c.name, `R-${c.name}`));
      await w.expect(c.name, c.ends, { [c.serial]: "ShippedBack" }, "ship back");
      const rows = await w.historyRows(c.name);
      assert.equal(row(rows, "Transferring", "CompletedMoreInfo", c.serial).actor, STATION_A);
      assert.equal(row(rows, "Packaging", c.ends).actor, OPERATOR);
    }
  });

  it("8. a package for a job still Creating is held, then processed once the customer records tracking", async () => {
    const name = "story8";
    const [D1, D2] = ["S8-D1", "S8-D2"];
    await w.createImport(name, [D1, D2]);
    // The customer names the package but has not said it shipped.
    ok(
      await w.customerCall("PATCH", jobPath(name), {
        properties: { deliveryPackage: { carrierName: "FedEx", trackingNumber: "8A 77 B" } },
      }),
    );
    await w.expect(name, "Creating", { [D1]: "Specified", [D2]: "Specified" }, "deliveryPackage");
    // Carrier ignoring case, tracking ignoring case and spaces.
    const packages = ok<{ value: unknown[] }>(
      await w.call("GET", "/ops/v1/packages?carrier=fedex&tracking=8a77b", w.cast.operator),
    );
    assert.equal(packages.value.length, 1, JSON.stringify(packages));
    assert.ok(mentions(packages.value, armId(name)));

    clock.advance(DAY);
    const held = ok<ReceiveAnswer>(await w.receive("8A 77 B", [D1, D2]));
    assert.equal(held.status, "Held");
    await w.expect(name, "Creating", { [D1]: "Specified", [D2]: "Specified" }, "a held package");

    clock.advance(MINUTE);
    ok(await w.recordTracking(name, "8A 77 B"));
    await w.expect(name, "Received", { [D1]: "Received", [D2]: "Received" }, "tracking recorded");
    const rows = await w.historyRows(name);
    assert.deepEqual(moves(rows), ["∅→Creating", "Creating→Shipping", "Shipping→Received"]);
    assert.equal(row(rows, "Creating", "Shipping").actor, CUSTOMER);
    row(rows, "Specified", "Received", D1);
    row(rows, "Specified", "Received", D2);
  });

  it("9. cancel only in Creating; delete only in Creating, Completed, Closed and Canceled", async () => {
    await jobIn("cancel-me", "Creating");
    ok(await w.customerCall("PATCH", jobPath("cancel-me"), { properties: { cancelRequested: true } }));
    await w.expect("cancel-me", "Canceled", { "CANCEL-ME-D1": "Specified" }, "cancel");
    const canceled = await w.historyRows("cancel-me");
    assert.equal(row(canceled, "Creating", "Canceled").actor, CUSTOMER);

    await jobIn("cancel-late", "Shipping");
    const late = refused(
      await w.customerCall("PATCH", jobPath("cancel-late"), { properties: { cancelRequested: true } }),
      409,
      "InvalidJobState",
    );
    assertNames(late.message, "Shipping");
    await w.expect("cancel-late", "Shipping", { "CANCEL-LATE-D1": "Specified" }, "a refused cancel");

    for (const state of ["Shipping", "Received", "Transferring", "Packaging"] as const) {
      const name = `keep-${state.toLowerCase()}`;
      await jobIn(name, state);
      const error = refused(await w.customerCall("DELETE", jobPath(name)), 409, "InvalidJobState");
      assertNames(error.message, state);
      assert.equal((await w.job(name)).properties.state, state, "still there");
    }
    for (const state of ["Creating", "Completed", "Closed", "Canceled"] as const) {
      const name = `drop-${state.toLowerCase()}`;
      await jobIn(name, state);
      assert.equal((await w.job(name)).properties.state, state);
      ok(await w.customerCall("DELETE", jobPath(name)));
      refused(await w.customerCall("GET", jobPath(name)), 404, "ResourceNotFound");
    }
  });

  it("10. retention: a Completed job is swept away 90 days after it completed", async () => {
    const name = "story10";
    await jobIn(name, "Completed");
    const completedAt = Date.parse(row(await w.historyRows(name), "Packaging", "Completed").at);
    await sweep(server.deps, new Date(completedAt + 90 * DAY - 1));
    assert.equal((await w.job(name)).properties.state, "Completed", "kept until 90 days have passed");
    clock.set(new Date(completedAt + 90 * DAY));
    await sweep(server.deps, clock.now());
    refused(await w.customerCall("GET", jobPath(name)), 404, "ResourceNotFound");
  });

  it("11. every refused move is refused with its named error", async () => {
    const { A } = await stations();
    const name = "story11";
    const serial = await jobIn(name, "Received");

    // Finishing a drive that is not Transferring (claimed, but no progress yet).
    ok(await w.claim(A, serial));
    const early = refused(await w.finish(A, serial), 409, "InvalidDriveTransition");
    assertNames(early.message, "Received", "Completed");
    await w.expect(name, "Received", { [serial]: "Received" }, "a refused finish");

    // The same package twice, by the same or another operator.
    refused(await w.receive(`T-${name}`, [serial]), 409, "PackageAlreadyReceived");
    refused(
      await w.receive(`T-${name}`, [serial], { token: w.cast.operator2 }),
      409,
      "PackageAlreadyReceived",
    );
    // A package nobody announced.
    refused(await w.receive("T-NOBODY", ["ZZ-1"]), 404, "PackageNotFound");
    assert.deepEqual(
      ok<{ value: unknown[] }>(
        await w.call("GET", "/ops/v1/packages?carrier=FedEx&tracking=T-NOBODY", w.cast.operator),
      ).value,
      [],
    );

    // Shipping back a job that is not Packaging.
    const notPackaging = refused(await w.shipBack(name, "R-NOPE"), 409, "InvalidJobState");
    assertNames(notPackaging.message, "Received");
    await w.expect(name, "Received", { [serial]: "Received" }, "a refused ship back");

    // Claims: an unknown serial, a drive whose package has not arrived.
    refused(await w.claim(A, "NO-SUCH-DRIVE"), 404, "DriveNotFound");
    const waiting = await jobIn("story11-shipping", "Shipping");
    refused(await w.claim(A, waiting), 409, "DriveNotClaimable");
    await w.expect("story11-shipping", "Shipping", { [waiting]: "Specified" }, "a refused claim");

    // "Found" on a drive that is not NeverReceived: Transferring → Received is no allowed move.
    ok(await w.progress(A, serial, { bytesSucceeded: 1, bytesTotal: 10 }));
    // (T-3C: a package received earlier, story 3b.)
    const notMissing = refused(await w.found(serial, "T-3C"), 409, "InvalidDriveTransition");
    assertNames(notMissing.message, "Transferring", "Received");
    const shipTransferring = refused(await w.shipBack(name, "R-NOPE"), 409, "InvalidJobState");
    assertNames(shipTransferring.message, "Transferring");

    // After finishing, the lease is gone: no more progress.
    ok(await w.finish(A, serial));
    refused(await w.progress(A, serial, { bytesSucceeded: 10, bytesTotal: 10 }), 409, "LeaseNotHeld");
    await w.expect(name, "Packaging", { [serial]: "Completed" }, "finish");
  });
});

describe("permissions", () => {
  it("a customer (or a station) on the operators' API → 403 AuthorizationFailed, nothing moves", async () => {
    const name = "perm-ops";
    const serial = await jobIn(name, "Shipping");
    const customer = w.cast.customer;
    refused(await w.call("GET", "/ops/v1/queue", customer), 403, "AuthorizationFailed");
    refused(
      await w.call("POST", "/ops/v1/packages/receive", customer, {
        carrier: "FedEx",
        tracking: `T-${name}`,
        drives: [serial],
      }),
      403,
      "AuthorizationFailed",
    );
    refused(
      await w.call("GET", `/ops/v1/packages?carrier=FedEx&tracking=T-${name}`, customer),
      403,
      "AuthorizationFailed",
    );
    refused(
      await w.call("POST", "/ops/v1/ship", customer, { job: armId(name), carrier: "UPS", tracking: "R-X" }),
      403,
      "AuthorizationFailed",
    );
    refused(await w.call("GET", "/ops/v1/queue", w.cast.stationA), 403, "AuthorizationFailed");
    refused(await w.claim(customer, serial), 403, "AuthorizationFailed");
    await w.expect(name, "Shipping", { [serial]: "Specified" }, "refused calls");
    // No token at all.
    assert.equal((await w.call("GET", "/ops/v1/queue", null)).status, 401);
  });

  it("a customer reads only its own subscriptions' history", async () => {
    const name = "perm-history";
    await jobIn(name, "Shipping");
    assert.ok(ok<{ value: HistoryRow[] }>(await w.history(name)).value.length >= 3);
    ok(await w.call("GET", `/ops/v1/history?job=${encodeURIComponent(armId(name))}`, w.cast.customer));

    refused(await w.history(name, w.cast.otherCustomer), 403, "AuthorizationFailed");
    refused(
      await w.call("GET", `/ops/v1/history?job=${encodeURIComponent(armId(name))}`, w.cast.otherCustomer),
      403,
      "AuthorizationFailed",
    );
    // The same answer whether or not the job exists.
    refused(await w.history("no-such-job", w.cast.otherCustomer), 403, "AuthorizationFailed");
    // And on its own subscription, another customer sees nothing of ours.
    refused(await w.history(name, w.cast.otherCustomer, OTHER_SUB), 404, "ResourceNotFound");
  });

  it("a station acts only on a drive it holds → 409 LeaseNotHeld", async () => {
    const { A, B } = await stations();
    const name = "perm-lease";
    const serial = await jobIn(name, "Received");
    ok(await w.claim(A, serial));
    refused(await w.progress(B, serial, { bytesSucceeded: 1, bytesTotal: 2 }), 409, "LeaseNotHeld");
    refused(await w.finish(B, serial), 409, "LeaseNotHeld");
    await w.expect(name, "Received", { [serial]: "Received" }, "another station's reports");
    refused(await w.claim(B, serial), 409, "DriveNotClaimable");
    ok(await w.progress(A, serial, { bytesSucceeded: 1, bytesTotal: 2 }));
    await w.expect(name, "Transferring", { [serial]: "Transferring" }, "the holder's report");
  });

  it("an expired lease is released by the sweep and claimable by another station", async () => {
    const { A, B } = await stations();
    const name = "perm-expiry";
    const serial = await jobIn(name, "Received");
    ok(await w.claim(A, serial));
    clock.advance(MINUTE);
    ok(await w.progress(A, serial, { bytesSucceeded: 10, bytesTotal: 100 }));
    clock.advance(3 * MINUTE);
    refused(await w.claim(B, serial), 409, "DriveNotClaimable");
    // A progress report renews the lease for 5 minutes from now.
    ok(await w.progress(A, serial, { bytesSucceeded: 20, bytesTotal: 100 }));
    clock.advance(3 * MINUTE);
    refused(await w.claim(B, serial), 409, "DriveNotClaimable");

    clock.advance(3 * MINUTE); // 6 minutes after A's last report
    await sweep(server.deps, clock.now());
    await w.expect(name, "Transferring", { [serial]: "Transferring" }, "the lease expired");
    // Released: whatever the queue still shows of the drive, no station holds it.
    const shown = (await w.queue()).copying.filter((entry) => mentions([entry], serial));
    assert.ok(!mentions(shown, NAMES.stationA), `still held by ${NAMES.stationA}: ${JSON.stringify(shown)}`);
    const claim = ok<ClaimAnswer>(await w.claim(B, serial));
    assert.equal(Date.parse(claim.leaseExpiresAt), clock.now().getTime() + LEASE);
    await w.expect(name, "Transferring", { [serial]: "Transferring" }, "claimed again");
    refused(await w.progress(A, serial, { bytesSucceeded: 30, bytesTotal: 100 }), 409, "LeaseNotHeld");
    ok(await w.progress(B, serial, { bytesSucceeded: 100, bytesTotal: 100 }));
    ok(await w.finish(B, serial));
    await w.expect(name, "Packaging", { [serial]: "Completed" }, "finished by the second station");
    const rows = await w.historyRows(name);
    assert.equal(row(rows, "Transferring", "Completed", serial).actor, STATION_B);
  });

  it("two stations claim the same drive at once: exactly one wins", async () => {
    const { A, B } = await stations();
    const serial = await jobIn("perm-race", "Received");
    const answers = await Promise.all([w.claim(A, serial), w.claim(B, serial)]);
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 409], answers.map((a) => a.text).join("\n"));
    refused(answers.find((a) => a.status === 409)!, 409, "DriveNotClaimable");
  });

  it("two operators receive the same package at once: one result, no duplicate history", async () => {
    const name = "perm-receive-race";
    const serial = await jobIn(name, "Shipping");
    const answers = await Promise.all([
      w.receive(`T-${name}`, [serial]),
      w.receive(`T-${name}`, [serial], { token: w.cast.operator2 }),
    ]);
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 409], answers.map((a) => a.text).join("\n"));
    refused(answers.find((a) => a.status === 409)!, 409, "PackageAlreadyReceived");
    await w.expect(name, "Received", { [serial]: "Received" }, "receive");
    const rows = await w.historyRows(name);
    row(rows, "Specified", "Received", serial);
    row(rows, "Shipping", "Received");
  });
});

describe("robustness", () => {
  // Runs last among the tests that use the server: if the service hangs here, nothing after it can work.
  it("operators' actions answer when no one has read the locations lately", async () => {
    // Set up while the cache is warm: a package to receive, a drive found, an export drive, a ship-back.
    const receiveMe = await jobIn("cold-receive", "Shipping");
    await w.createImport("cold-found", ["COLD-F1", "COLD-F2"]);
    await w.ship("cold-found", "T-cold-found");
    ok(await w.receive("T-cold-found", ["COLD-F1"]));
    await w.createExport("cold-export");
    await w.ship("cold-export", "T-cold-export");
    ok(await w.receive("T-cold-export", ["COLD-E1"]));
    await jobIn("cold-ship", "Packaging");

    // The service caches its locations for 5 s of real time. Emptying the cache is the state of a server
    // that answered nothing for 5 s, or whose admin just changed a location; no sleeping needed.
    const actions: [string, (signal: AbortSignal) => Promise<{ status: number; text: string }>][] = [
      ["packages/receive", (signal) => w.receive("T-cold-receive", [receiveMe], { signal })],
      [
        "drives/found",
        (signal) =>
          w.call(
            "POST",
            "/ops/v1/drives/found",
            w.cast.operator,
            { serial: "COLD-F2", carrier: "FedEx", tracking: "T-cold-receive" },
            signal,
          ),
      ],
      [
        "drives/register",
        (signal) =>
          w.call(
            "POST",
            "/ops/v1/drives/register",
            w.cast.operator,
            { job: armId("cold-export"), drive: "COLD-E2" },
            signal,
          ),
      ],
      [
        "ship",
        (signal) =>
          w.call(
            "POST",
            "/ops/v1/ship",
            w.cast.operator,
            { job: armId("cold-ship"), carrier: "UPS", tracking: "R-cold-ship" },
            signal,
          ),
      ],
    ];
    for (const [what, action] of actions) {
      forgetLocations(server.deps);
      // A bound on the wait, only so a hung service fails this test instead of the whole run.
      let answer: { status: number; text: string } | undefined;
      try {
        answer = await action(AbortSignal.timeout(5_000));
      } catch (error) {
        assert.fail(
          `POST /ops/v1/${what} got no answer within 5 s with the location cache empty (${String(error)})`,
        );
      }
      assert.equal(answer.status, 200, `${what}: ${answer.text}`);
    }
    await w.expect("cold-receive", "Received", { [receiveMe]: "Received" }, "receive");
    await w.expect("cold-found", "Received", { "COLD-F1": "Received", "COLD-F2": "Received" }, "found");
    await w.expect("cold-export", "Received", { "COLD-E1": "Received", "COLD-E2": "Received" }, "register");
    await w.expect("cold-ship", "Completed", { "COLD-SHIP-D1": "ShippedBack" }, "ship back");
  });
});

describe("coverage", () => {
  it("every job state and every drive state of LIFECYCLE.md was seen in a customer GET", () => {
    assert.deepEqual(
      JOB_STATES.filter((s) => !w.observedJobStates.has(s)),
      [],
      "job states never observed",
    );
    assert.deepEqual(
      DRIVE_STATES.filter((s) => !w.observedDriveStates.has(s)),
      [],
      "drive states never observed",
    );
  });
});
