/**
 * @module readWorkQueue: what the data center has to do — packages expected, drives waiting for a station
 * or being copied (by live lease), jobs waiting to ship back, extra drives, the stations. The queue spans
 * every job of the database, so each test reads the entries of its own jobs.
 */

import assert from "node:assert/strict";
import { it } from "node:test";

import { type QueueDrive, readWorkQueue } from "../../src/app/read-work-queue.js";
import { registerStation } from "../../src/app/register-station.js";
import { reportProgress } from "../../src/app/report-progress.js";
import { DAY_MS } from "../../src/domain/clock.js";
import { LEASE_MS } from "../../src/domain/lease.js";
import { type AppWorld, describeOnEngines } from "../support/app.js";
import { claimAs, MINUTE, packagedImport, receivedImport, refusedWith } from "../support/app-ops.js";

/** The queue's drive entries of jobs whose name starts with `prefix`, as sorted `serial (job) station` lines. */
function entries(list: readonly QueueDrive[], prefix: string): string[] {
  return list
    .filter((e) => e.job.name.startsWith(prefix))
    .map((e) => `${e.drive.driveId} (${e.job.name})${e.station ? ` ${e.station.name}` : ""}`)
    .sort();
}

const queue = (w: AppWorld) => readWorkQueue(w.deps, w.cast.operator);

describeOnEngines("read the work queue", (world) => {
  it("lists the packages expected — jobs in Shipping — each with its delivery timeout, 14 days after tracking", async () => {
    const w = world();
    await w.createImport("wq1-creating", ["WQ1-C"]);
    await w.createImport("wq1-shipping", ["WQ1-S"]);
    const shippedAt = w.clock.now().getTime();
    await w.ship("wq1-shipping", "WQ1S");
    await w.createExport("wq1-export");
    w.clock.advance(MINUTE);
    await w.ship("wq1-export", "WQ1E");
    await receivedImport(w, "wq1-received", ["WQ1-R"]);

    const { at, packagesExpected } = await queue(w);
    assert.equal(at, w.clock.now().toISOString());
    const mine = packagesExpected.filter((p) => p.job.name.startsWith("wq1-"));
    assert.deepEqual(
      mine.map((p) => [p.job.name, p.deliveryTimeoutAt]),
      [
        ["wq1-shipping", new Date(shippedAt + 14 * DAY_MS).toISOString()],
        ["wq1-export", new Date(shippedAt + MINUTE + 14 * DAY_MS).toISOString()],
      ],
    );
  });

  it("a drive waits to be copied until a station holds a live lease on it, and waits again once the lease ran out", async () => {
    const w = world();
    await receivedImport(w, "wq2-copy", ["WQ2-A", "WQ2-B", "WQ2-C"]);
    let q = await queue(w);
    assert.deepEqual(entries(q.waitingToCopy, "wq2-"), [
      "WQ2-A (wq2-copy)",
      "WQ2-B (wq2-copy)",
      "WQ2-C (wq2-copy)",
    ]);
    assert.deepEqual(entries(q.copying, "wq2-"), []);

    // bay-3 claims A and starts copying it (Transferring); bay-4 claims B, not started (still Received).
    await claimAs(w, w.cast.stationA, "WQ2-A");
    await reportProgress(w.deps, w.cast.stationA, "WQ2-A", { bytesSucceeded: 1, bytesTotal: 4 });
    w.clock.advance(2 * MINUTE);
    await claimAs(w, w.cast.stationB, "WQ2-B");
    q = await queue(w);
    assert.deepEqual(entries(q.waitingToCopy, "wq2-"), ["WQ2-C (wq2-copy)"]);
    assert.deepEqual(entries(q.copying, "wq2-"), ["WQ2-A (wq2-copy) bay-3", "WQ2-B (wq2-copy) bay-4"]);
    assert.equal(q.copying.find((e) => e.drive.driveId === "WQ2-A")?.drive.state, "Transferring");

    // bay-3's lease runs out at the instant it ends: A waits for a station again, mid-copy; B is still held.
    w.clock.advance(LEASE_MS - 2 * MINUTE);
    q = await queue(w);
    assert.deepEqual(entries(q.copying, "wq2-"), ["WQ2-B (wq2-copy) bay-4"]);
    assert.deepEqual(
      q.waitingToCopy
        .filter((e) => e.job.name === "wq2-copy")
        .map((e) => `${e.drive.driveId} ${e.drive.state}`)
        .sort(),
      ["WQ2-A Transferring", "WQ2-C Received"],
    );
  });

  it("lists jobs waiting to ship back (Packaging) and extra drives apart: an extra drive is never waiting to be copied", async () => {
    const w = world();
    await packagedImport(w, "wq3-packaged", ["WQ3-A"]);
    await w.createImport("wq3-extra", ["WQ3-B"]);
    await w.ship("wq3-extra", "WQ3E");
    await w.receive("WQ3E", ["WQ3-B", "WQ3-X"]);
    const q = await queue(w);
    assert.deepEqual(
      q.waitingToShip.filter((j) => j.name.startsWith("wq3-")).map((j) => `${j.name} ${j.state}`),
      ["wq3-packaged Packaging"],
    );
    assert.deepEqual(entries(q.extraDrives, "wq3-"), ["WQ3-X (wq3-extra)"]);
    assert.deepEqual(entries(q.waitingToCopy, "wq3-"), ["WQ3-B (wq3-extra)"]);
    assert.deepEqual(entries(q.copying, "wq3-"), []);
  });

  it("lists the registered stations by name, with when each was last heard from", async () => {
    const w = world();
    const early = {
      tokenId: "station-wq4-early",
      label: "wq4-early",
      role: "station" as const,
      subscriptions: [],
    };
    await registerStation(w.deps, early, "wq4-early");
    const registeredAt = w.clock.now().toISOString();
    w.clock.advance(MINUTE);
    await receivedImport(w, "wq4-seen", ["WQ4-A"]);
    await claimAs(w, early, "WQ4-A");
    const stations = (await queue(w)).stations;
    assert.deepEqual(
      stations.find((s) => s.id === "station-wq4-early"),
      { id: "station-wq4-early", name: "wq4-early", registeredAt, lastSeenAt: w.clock.now().toISOString() },
    );
    const names = stations.map((s) => s.name);
    assert.deepEqual(names, [...names].sort(), "ordered by name");
  });

  it("is for operators and admins only", async () => {
    const w = world();
    assert.ok(Array.isArray((await readWorkQueue(w.deps, w.cast.admin)).stations));
    for (const who of [w.cast.customer, w.cast.stationA]) {
      await refusedWith("AuthorizationFailed", readWorkQueue(w.deps, who));
    }
  });
});
