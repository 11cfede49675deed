/**
 * @module The lifecycle sweep on both engines: the three timers of LIFECYCLE.md, the export job whose
 * package never came, expired leases, idempotence and races. Every test sweeps as of NOW (or earlier) and
 * dates its jobs before it, so what an earlier test left is swept already or not due: each report holds
 * the test's own changes alone. (The `lifecycle sweep` command is tested in test/e2e/sweep-cli.test.ts.)
 */

import assert from "node:assert/strict";
import { it } from "node:test";

import { cancelJob } from "../../src/app/cancel-job.js";
import { claimDrive } from "../../src/app/claim-drive.js";
import { reportProgress } from "../../src/app/report-progress.js";
import { shipBack } from "../../src/app/ship-back.js";
import { sweep } from "../../src/app/sweep.js";
import { DAY_MS } from "../../src/domain/clock.js";
import { LEASE_MS } from "../../src/domain/lease.js";
import { type AppWorld, describeOnEngines } from "../support/app.js";
import {
  claimAs,
  createImportAt,
  MINUTE,
  receivedImport,
  shipAt,
  stored,
  sweepSummary,
} from "../support/app-ops.js";
import { openTestDeps } from "../support/server.js";

const NOW = new Date("2026-06-01T00:00:00.000Z");
const ago = (days: number, ms = 0) => new Date(NOW.getTime() - days * DAY_MS + ms);
const ACTOR = "system:lifecycle-sweep";

const find = (w: AppWorld, name: string) => w.deps.store.direct.jobs.findByName(w.sub, "rg", name);

describeOnEngines("lifecycle sweep", (world) => {
  it("deletes a job left Creating for 14 days or more, keeps a younger one", async () => {
    const w = world();
    const old = await createImportAt(w, "s1-created-15-days-ago", ago(15));
    await createImportAt(w, "s1-created-14-days-ago", ago(14));
    await createImportAt(w, "s1-created-14-days-less-1ms", ago(14, 1));
    await createImportAt(w, "s1-created-13-days-ago", ago(13));

    const report = await sweep(w.deps, NOW);
    assert.equal(report.at, NOW.toISOString());
    assert.deepEqual(sweepSummary(report.changes), [
      "DeleteJob s1-created-14-days-ago",
      "DeleteJob s1-created-15-days-ago",
    ]);
    for (const change of report.changes) {
      assert.equal(change.subscriptionId, w.sub);
      assert.equal(change.resourceGroup, "rg");
      assert.match(change.detail, /Creating timeout/);
    }
    assert.equal(await find(w, "s1-created-15-days-ago"), undefined);
    assert.equal(await find(w, "s1-created-14-days-ago"), undefined);
    assert.ok(await find(w, "s1-created-14-days-less-1ms"));
    assert.ok(await find(w, "s1-created-13-days-ago"));
    // Deleting a job deletes its drives and history with it.
    assert.deepEqual(await w.deps.store.direct.drives.listByJob(old.id), []);
    assert.deepEqual(await w.deps.store.direct.history.listByJob(old.id), []);
  });

  it("marks a shipment's Specified drives NeverReceived after 14 days in Shipping, and the job derives Closed", async () => {
    const w = world();
    await createImportAt(w, "s2-lost-package", ago(16), ["S2-D1", "S2-D2"]);
    const shipped = await shipAt(w, "s2-lost-package", ago(15));
    assert.equal(shipped.state, "Shipping");
    await createImportAt(w, "s2-recent-package", ago(16));
    await shipAt(w, "s2-recent-package", ago(13));

    const report = await sweep(w.deps, NOW);
    assert.deepEqual(sweepSummary(report.changes), ["MarkNeverReceived s2-lost-package"]);
    assert.match(report.changes[0]!.detail, /S2-D1, S2-D2: Delivery timeout/);

    const { job, drives, history } = await stored(w, "s2-lost-package");
    assert.equal(job.state, "Closed");
    assert.equal(job.stateChangedAt, NOW.toISOString());
    assert.notEqual(job.etag, shipped.etag);
    assert.deepEqual(
      drives.map((d) => [d.driveId, d.state, d.stateChangedAt]),
      [
        ["S2-D1", "NeverReceived", NOW.toISOString()],
        ["S2-D2", "NeverReceived", NOW.toISOString()],
      ],
    );
    const bySweep = history.filter((h) => h.actor === ACTOR);
    assert.deepEqual(
      bySweep.map((h) => [h.driveId ?? "job", h.from, h.to, h.at]),
      [
        ["S2-D1", "Specified", "NeverReceived", NOW.toISOString()],
        ["S2-D2", "Specified", "NeverReceived", NOW.toISOString()],
        ["job", "Shipping", "Closed", NOW.toISOString()],
      ],
    );
    for (const h of bySweep) {
      assert.match(h.reason, /Delivery timeout/);
      assert.equal(h.subscriptionId, w.sub);
    }
    // What came before is still there: creation, drives listed, tracking recorded.
    assert.deepEqual(
      history.filter((h) => h.actor !== ACTOR).map((h) => [h.driveId ?? "job", h.from, h.to]),
      [
        ["job", null, "Creating"],
        ["S2-D1", null, "Specified"],
        ["S2-D2", null, "Specified"],
        ["job", "Creating", "Shipping"],
      ],
    );
    assert.equal((await find(w, "s2-recent-package"))?.state, "Shipping");
  });

  it("closes an export job whose package never arrived (CloseJob): by the sweep, with the delivery timeout as reason", async () => {
    const w = world();
    w.clock.set(ago(20));
    await w.createExport("s3-export-due");
    await w.createExport("s3-export-not-yet");
    const shipped = await shipAt(w, "s3-export-due", ago(14));
    await shipAt(w, "s3-export-not-yet", ago(14, 1));

    const report = await sweep(w.deps, NOW);
    assert.deepEqual(sweepSummary(report.changes), ["CloseJob s3-export-due"]);
    assert.match(report.changes[0]!.detail, /^Delivery timeout/);
    const { job, drives, history } = await stored(w, "s3-export-due");
    assert.deepEqual([job.state, job.stateChangedAt], ["Closed", NOW.toISOString()]);
    assert.notEqual(job.etag, shipped.etag);
    assert.deepEqual(drives, []);
    assert.deepEqual(
      history.slice(-1).map((h) => [h.from, h.to, h.actor, h.at, h.reason]),
      [
        [
          "Shipping",
          "Closed",
          ACTOR,
          NOW.toISOString(),
          "Delivery timeout: package not received 14 days after tracking was recorded.",
        ],
      ],
    );
    assert.equal((await find(w, "s3-export-not-yet"))?.state, "Shipping");
    assert.deepEqual((await sweep(w.deps, NOW)).changes, [], "a second sweep has nothing more to do");
  });

  it("releases leases that ran out (at NOW or before), keeping the drive's state and progress, and nothing else", async () => {
    const w = world();
    w.clock.set(new Date(NOW.getTime() - 30 * MINUTE));
    await receivedImport(w, "s4-leases", ["S4-A", "S4-B", "S4-C"]);
    // bay-3 started A long ago and went silent; bay-4 claimed B exactly one lease before NOW; C is live.
    await claimAs(w, w.cast.stationA, "S4-A");
    await reportProgress(w.deps, w.cast.stationA, "S4-A", { bytesSucceeded: 40, bytesTotal: 100 });
    w.clock.set(new Date(NOW.getTime() - LEASE_MS));
    await claimAs(w, w.cast.stationB, "S4-B");
    w.clock.set(new Date(NOW.getTime() - LEASE_MS + 1));
    await claimDrive(w.deps, w.cast.stationB, "S4-C");
    const before = await stored(w, "s4-leases");

    w.clock.set(NOW);
    const report = await sweep(w.deps);
    assert.deepEqual(sweepSummary(report.changes), ["ReleaseLease s4-leases", "ReleaseLease s4-leases"]);
    assert.deepEqual(report.changes.map((c) => c.detail).sort(), [
      `S4-A: the station's lease expired at ${new Date(NOW.getTime() - 25 * MINUTE).toISOString()}`,
      `S4-B: the station's lease expired at ${NOW.toISOString()}`,
    ]);
    const after = await stored(w, "s4-leases");
    assert.deepEqual(
      after.drives.map((d) => [
        d.driveId,
        d.state,
        d.bytesSucceeded,
        d.claimedBy ?? "-",
        d.leaseExpiresAt ?? "-",
      ]),
      [
        ["S4-A", "Transferring", 40, "-", "-"],
        ["S4-B", "Received", 0, "-", "-"],
        ["S4-C", "Received", 0, "station-bay-4", new Date(NOW.getTime() + 1).toISOString()],
      ],
    );
    assert.deepEqual(after.job, before.job, "the job is not written");
    assert.deepEqual(after.history, before.history, "a released lease is not a move");
    assert.deepEqual((await sweep(w.deps)).changes, [], "a second sweep has nothing more to do");
  });

  it("deletes Completed, Closed and Canceled jobs 90 days after they entered that state", async () => {
    const w = world();
    // Canceled: through the customer's cancel.
    const cancel = async (name: string, at: Date) => {
      w.clock.set(at);
      return (await cancelJob(w.deps, { principal: w.cast.customer, address: w.address(name), changes: {} }))
        .job;
    };
    await createImportAt(w, "s5-canceled-91-days-ago", ago(100));
    assert.equal((await cancel("s5-canceled-91-days-ago", ago(91))).state, "Canceled");
    await createImportAt(w, "s5-canceled-89-days-ago", ago(100));
    await cancel("s5-canceled-89-days-ago", ago(89));

    // Closed: the delivery-timeout path, then 90 more days.
    await createImportAt(w, "s5-closed", ago(200));
    await shipAt(w, "s5-closed", ago(199));
    const closedAt = ago(199 - 14);
    const first = await sweep(w.deps, closedAt);
    assert.deepEqual(sweepSummary(first.changes), ["MarkNeverReceived s5-closed"]);
    assert.equal((await find(w, "s5-closed"))?.stateChangedAt, closedAt.toISOString());

    // Completed: copied without error, shipped back 90 days ago, and a minute less than that.
    const complete = async (name: string, shippedBackAt: Date) => {
      w.clock.set(ago(150));
      await receivedImport(w, name, [`${name.toUpperCase()}-1`]);
      await w.copy(`${name.toUpperCase()}-1`);
      w.clock.set(shippedBackAt);
      const back = await shipBack(w.deps, {
        principal: w.cast.operator,
        job: w.address(name),
        carrier: "UPS",
        tracking: "S5 BACK",
      });
      assert.deepEqual([back.job.state, back.job.stateChangedAt], ["Completed", shippedBackAt.toISOString()]);
    };
    await complete("s5-completed", ago(90));
    await complete("s5-completed-recently", ago(90, MINUTE));

    const report = await sweep(w.deps, NOW);
    assert.deepEqual(sweepSummary(report.changes), [
      "DeleteJob s5-canceled-91-days-ago",
      "DeleteJob s5-closed",
      "DeleteJob s5-completed",
    ]);
    for (const change of report.changes) {
      assert.match(change.detail, /Retention/);
    }
    assert.equal(await find(w, "s5-closed"), undefined);
    assert.equal(await find(w, "s5-completed"), undefined);
    assert.equal(await find(w, "s5-canceled-91-days-ago"), undefined);
    assert.equal((await find(w, "s5-canceled-89-days-ago"))?.state, "Canceled");
    assert.equal((await find(w, "s5-completed-recently"))?.state, "Completed");
  });

  it("a second sweep at the same instant changes nothing", async () => {
    const w = world();
    await createImportAt(w, "s6-stale", ago(20));
    await createImportAt(w, "s6-lost", ago(30));
    await shipAt(w, "s6-lost", ago(20));
    w.clock.set(ago(20));
    await w.createExport("s6-export");
    await shipAt(w, "s6-export", ago(20));
    w.clock.set(new Date(NOW.getTime() - LEASE_MS));
    await receivedImport(w, "s6-leased", ["S6-L"]);
    await claimAs(w, w.cast.stationA, "S6-L");
    await createImportAt(w, "s6-fresh", ago(1));
    const first = await sweep(w.deps, NOW);
    assert.deepEqual(sweepSummary(first.changes), [
      "CloseJob s6-export",
      "DeleteJob s6-stale",
      "MarkNeverReceived s6-lost",
      "ReleaseLease s6-leased",
    ]);
    const after = await Promise.all(
      ["s6-lost", "s6-export", "s6-leased", "s6-fresh"].map((n) => stored(w, n)),
    );

    const second = await sweep(w.deps, NOW);
    assert.deepEqual(second.changes, []);
    // Nothing is written again: same etags, drives and history.
    assert.deepEqual(
      await Promise.all(["s6-lost", "s6-export", "s6-leased", "s6-fresh"].map((n) => stored(w, n))),
      after,
    );
  });

  it("sweeps at once on one database make each change exactly once in total", async () => {
    const w = world();
    const expected: string[] = [];
    for (let i = 0; i < 12; i++) {
      await createImportAt(w, `s7-stale-${i}`, ago(15));
      expected.push(`DeleteJob s7-stale-${i}`);
      await createImportAt(w, `s7-lost-${i}`, ago(16));
      await shipAt(w, `s7-lost-${i}`, ago(15));
      expected.push(`MarkNeverReceived s7-lost-${i}`);
    }
    await createImportAt(w, "s7-fresh", ago(1));
    // Two stores on the one database, as two replicas would have, plus a second sweep on the first store.
    const other = await openTestDeps(w.url, w.clock);
    try {
      const reports = await Promise.all([sweep(w.deps, NOW), sweep(other, NOW), sweep(w.deps, NOW)]);
      assert.deepEqual(sweepSummary(reports.flatMap((r) => r.changes)), expected.sort());
    } finally {
      await other.store.close();
    }
    assert.deepEqual((await sweep(w.deps, NOW)).changes, []);
    for (let i = 0; i < 12; i++) {
      const { job, history } = await stored(w, `s7-lost-${i}`);
      assert.equal(job.state, "Closed");
      assert.equal(history.filter((h) => h.actor === ACTOR).length, 2, "one drive row and one job row");
    }
  });

  it("closes export jobs whose package never arrived, every one of them, and reaches the others too", async () => {
    const w = world();
    // More export jobs in Shipping past the delivery timeout than a page of 500 (the sweep once read its
    // candidates page by page), written directly (quicker than through the use cases), none with a drive:
    // each job itself closes (LIFECYCLE.md)...
    const template = await createImportAt(w, "s8-template", ago(1));
    await w.deps.store.transaction(async (repos) => {
      for (let i = 0; i < 520; i++) {
        await repos.jobs.insert({
          ...template,
          name: `s8-export-${i}`,
          type: "Export",
          state: "Shipping",
          trackingRecordedAt: ago(20).toISOString(),
        });
      }
    });
    // ...and, shipped later, one import job whose drive really is overdue.
    await createImportAt(w, "s8-lost", ago(16));
    await shipAt(w, "s8-lost", ago(15));
    const report = await sweep(w.deps, NOW);
    const done = sweepSummary(report.changes);
    assert.equal(done.filter((line) => /^CloseJob s8-export-\d+$/.test(line)).length, 520);
    assert.ok(done.includes("MarkNeverReceived s8-lost"), done.slice(-3).join(", "));
    assert.equal(done.length, 521);
    assert.equal((await find(w, "s8-lost"))?.state, "Closed");
    const { job, history } = await stored(w, "s8-export-519");
    assert.equal(job.state, "Closed");
    assert.deepEqual(
      history.map((h) => `${h.from}→${h.to} ${h.actor}`),
      [`Shipping→Closed ${ACTOR}`],
    );
    assert.deepEqual((await sweep(w.deps, NOW)).changes, [], "a second sweep has nothing more to do");
  });

  it("reports a job it cannot act on and sweeps the others", async () => {
    const w = world();
    await createImportAt(w, "s9-odd", ago(20), ["S9-D1"]);
    await shipAt(w, "s9-odd", ago(15));
    await createImportAt(w, "s9-lost", ago(20));
    await shipAt(w, "s9-lost", ago(15));
    // A stored state the rules cannot reach (an operator's hand edit, a bug elsewhere): Shipping with
    // one drive already copying, so marking the other derives Shipping → Transferring, which the table forbids.
    const odd = (await find(w, "s9-odd"))!;
    await w.deps.store.transaction(async (repos) => {
      const [drive] = await repos.drives.listByJob(odd.id);
      await repos.drives.replaceAll(odd.id, [
        { drive: { ...drive!, state: "Transferring" } },
        { drive: { ...drive!, driveId: "S9-D2", state: "Specified" } },
      ]);
    });
    const report = await sweep(w.deps, NOW);
    assert.deepEqual(sweepSummary(report.changes), ["MarkNeverReceived s9-lost"]);
    assert.deepEqual(
      report.failures.map((f) => [f.job, f.subscriptionId, f.resourceGroup]),
      [["s9-odd", w.sub, "rg"]],
    );
    assert.match(report.failures[0]!.error, /^Invalid(Job|Drive)Transition: /);
    assert.equal((await find(w, "s9-odd"))?.state, "Shipping", "the failed job's transaction wrote nothing");
    assert.equal((await find(w, "s9-lost"))?.state, "Closed");
    // The odd job would be reported by every later sweep: it goes, so the tests after this one see none.
    await w.deps.store.direct.jobs.delete(odd);
  });
});
