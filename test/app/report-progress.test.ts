/**
 * @module reportProgress: the station holding a drive's lease reports bytes copied; each report renews the
 * lease, the first one starts the copy (Received → Transferring, and so the job).
 */

import assert from "node:assert/strict";
import { it } from "node:test";

import { reportProgress } from "../../src/app/report-progress.js";
import { sweep } from "../../src/app/sweep.js";
import { LEASE_MS } from "../../src/domain/lease.js";
import { describeOnEngines } from "../support/app.js";
import {
  claimAs,
  MINUTE,
  movesSince,
  read,
  receivedImport,
  refusedUnchanged,
  stored,
} from "../support/app-ops.js";

describeOnEngines("report progress", (world) => {
  it("the first report moves the drive Received → Transferring and the job with it, by the station", async () => {
    const w = world();
    await receivedImport(w, "rp-first", ["RPG1-A", "RPG1-B"]);
    await claimAs(w, w.cast.stationA, "RPG1-A");
    const before = await stored(w, "rp-first");
    w.clock.advance(MINUTE);
    const drive = await reportProgress(w.deps, w.cast.stationA, "RPG1-A", {
      bytesSucceeded: 250,
      bytesTotal: 1000,
    });
    const now = w.clock.now();
    assert.deepEqual(
      [drive.state, drive.percentComplete, drive.bytesSucceeded, drive.bytesTotal, drive.copyStatus],
      ["Transferring", 25, 250, 1000, "InProgress"],
    );
    assert.equal(drive.leaseExpiresAt, new Date(now.getTime() + LEASE_MS).toISOString());
    assert.equal(drive.claimedBy, "station-bay-3");
    const after = await stored(w, "rp-first");
    assert.equal(after.job.state, "Transferring");
    assert.deepEqual(after.drives[0], drive, "the answer is the drive as saved");
    assert.deepEqual(movesSince(before, after), [
      ["RPG1-A", "Received", "Transferring", "station:bay-3", "Copy started"],
      ["job", "Received", "Transferring", "station:bay-3", "Copy started"],
    ]);
    // The other drive starting later moves only itself: the job is Transferring already.
    await claimAs(w, w.cast.stationB, "RPG1-B");
    await reportProgress(w.deps, w.cast.stationB, "RPG1-B", { bytesSucceeded: 0, bytesTotal: 10 });
    assert.deepEqual((await w.moves("rp-first")).slice(-1), ["RPG1-B:Received→Transferring"]);
  });

  it("later reports move nothing and leave the job's etag alone; each renews the lease; the percent is floored and stays below 100", async () => {
    const w = world();
    await receivedImport(w, "rp-later", ["RPG2-A"]);
    await claimAs(w, w.cast.stationA, "RPG2-A");
    await reportProgress(w.deps, w.cast.stationA, "RPG2-A", { bytesSucceeded: 1, bytesTotal: 3 });
    const started = await stored(w, "rp-later");
    const reports = [
      { bytesSucceeded: 2, bytesTotal: 3, copyStatus: "CopyingBlobs", percent: 66 },
      { bytesSucceeded: 999, bytesTotal: 1000, percent: 99 },
      { bytesSucceeded: 1000, bytesTotal: 1000, percent: 99 },
      { bytesSucceeded: 0, bytesTotal: 0, percent: 0 },
    ];
    for (const { percent, ...report } of reports) {
      w.clock.advance(4 * MINUTE);
      const drive = await reportProgress(w.deps, w.cast.stationA, "RPG2-A", report);
      assert.deepEqual(
        [drive.state, drive.percentComplete, drive.copyStatus],
        ["Transferring", percent, report.copyStatus ?? "InProgress"],
        JSON.stringify(report),
      );
      assert.equal(drive.leaseExpiresAt, new Date(w.clock.now().getTime() + LEASE_MS).toISOString());
      const now = await stored(w, "rp-later");
      assert.deepEqual(now.job, started.job, "the job is not written: its etag holds");
      assert.deepEqual(now.history, started.history);
      assert.deepEqual(now.drives, [drive]);
    }
    // The job's percent follows its drive's bytes (the last report: 0 of 0).
    assert.equal((await read(w, "rp-later")).percentComplete, 0);
  });

  it("refuses bytes out of range, changing nothing", async () => {
    const w = world();
    await receivedImport(w, "rp-range", ["RPG3-A"]);
    await claimAs(w, w.cast.stationA, "RPG3-A");
    for (const report of [
      { bytesSucceeded: 11, bytesTotal: 10 },
      { bytesSucceeded: -1, bytesTotal: 10 },
      { bytesSucceeded: 0, bytesTotal: -1 },
      { bytesSucceeded: Number.NaN, bytesTotal: 10 },
    ]) {
      await refusedUnchanged(w, "rp-range", "InvalidProgress", () =>
        reportProgress(w.deps, w.cast.stationA, "RPG3-A", report),
      );
    }
  });

  it("only the station holding the lease reports: another station, none, or a lease the sweep released → LeaseNotHeld", async () => {
    const w = world();
    await receivedImport(w, "rp-lease", ["RPG4-A", "RPG4-B"]);
    const half = { bytesSucceeded: 5, bytesTotal: 10 };
    const unclaimed = await refusedUnchanged(w, "rp-lease", "LeaseNotHeld", () =>
      reportProgress(w.deps, w.cast.stationA, "RPG4-B", half),
    );
    assert.match(unclaimed.message, /not claimed/);
    await claimAs(w, w.cast.stationA, "RPG4-A");
    await refusedUnchanged(w, "rp-lease", "LeaseNotHeld", () =>
      reportProgress(w.deps, w.cast.stationB, "RPG4-A", half),
    );
    // A lease run out but not yet released is still the station's: its late report is taken.
    w.clock.advance(LEASE_MS + MINUTE);
    await reportProgress(w.deps, w.cast.stationA, "RPG4-A", half);
    w.clock.advance(LEASE_MS);
    await sweep(w.deps);
    const released = await refusedUnchanged(w, "rp-lease", "LeaseNotHeld", () =>
      reportProgress(w.deps, w.cast.stationA, "RPG4-A", half),
    );
    assert.match(released.message, /not claimed/);
  });

  it("refuses a finished drive naming its state, an extra or unknown drive, and anyone but a station", async () => {
    const w = world();
    await w.createImport("rp-other", ["RPG5-A", "RPG5-B"]);
    await w.ship("rp-other", "RPG5");
    await w.receive("RPG5", ["RPG5-A", "RPG5-B", "RPG5-X"]);
    await w.copy("RPG5-A");
    const half = { bytesSucceeded: 5, bytesTotal: 10 };
    const finished = await refusedUnchanged(w, "rp-other", "LeaseNotHeld", () =>
      reportProgress(w.deps, w.cast.stationA, "RPG5-A", half),
    );
    assert.match(finished.message, /'RPG5-A' is 'Completed'/);
    await refusedUnchanged(w, "rp-other", "DriveNotClaimable", () =>
      reportProgress(w.deps, w.cast.stationA, "RPG5-X", half),
    );
    await refusedUnchanged(w, "rp-other", "DriveNotFound", () =>
      reportProgress(w.deps, w.cast.stationA, "RPG5-NOPE", half),
    );
    await claimAs(w, w.cast.stationA, "RPG5-B");
    for (const who of [w.cast.operator, w.cast.admin, w.cast.customer]) {
      await refusedUnchanged(w, "rp-other", "AuthorizationFailed", () =>
        reportProgress(w.deps, who, "RPG5-B", half),
      );
    }
  });
});
