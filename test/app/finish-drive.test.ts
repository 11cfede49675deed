/**
 * @module finishDrive: the station ends a drive's copy with what it met — LIFECYCLE.md "copy outcomes",
 * row by row, through to how the job ends once shipped back — its logs, and the lease released.
 */

import assert from "node:assert/strict";
import { it } from "node:test";

import { finishDrive, type FinishReport } from "../../src/app/finish-drive.js";
import { getJob } from "../../src/app/get-job.js";
import { registerExportDrive } from "../../src/app/register-export-drive.js";
import { reportProgress } from "../../src/app/report-progress.js";
import { shipBack } from "../../src/app/ship-back.js";
import type { CopyCounts } from "../../src/domain/copy.js";
import type { JobState } from "../../src/domain/states.js";
import { type AppWorld, describeOnEngines } from "../support/app.js";
import { claimAs, movesSince, receivedImport, refusedUnchanged, stored } from "../support/app-ops.js";

const NOTHING: CopyCounts = { errorCount: 0, warningCount: 0, infoCount: 0 };

/** bay-3 claims the drive and reports half of it copied: Transferring. */
async function started(w: AppWorld, serial: string): Promise<void> {
  await claimAs(w, w.cast.stationA, serial);
  await reportProgress(w.deps, w.cast.stationA, serial, { bytesSucceeded: 50, bytesTotal: 100 });
}

const finish = (w: AppWorld, serial: string, report: Partial<FinishReport> = {}) =>
  finishDrive(w.deps, w.cast.stationA, serial, { state: "Completed", ...NOTHING, ...report });

/** LIFECYCLE.md "copy outcomes": what was met, how the drive ends, how the job can end. */
const OUTCOMES: {
  met: string;
  counts: CopyCounts;
  state: FinishReport["state"];
  copyStatus: string;
  reason: string;
  job: JobState;
}[] = [
  {
    met: "nothing",
    counts: NOTHING,
    state: "Completed",
    copyStatus: "Completed",
    reason: "Copy completed",
    job: "Completed",
  },
  {
    met: "warnings (a blob renamed, skipped or overwritten)",
    counts: { ...NOTHING, warningCount: 3 },
    state: "CompletedMoreInfo",
    copyStatus: "CompletedWithInfo",
    reason: "Copy completed with 0 error(s), 3 warning(s), 0 info",
    job: "Completed",
  },
  {
    met: "information (an export that did not fit)",
    counts: { ...NOTHING, infoCount: 1 },
    state: "CompletedMoreInfo",
    copyStatus: "CompletedWithInfo",
    reason: "Copy completed with 0 error(s), 0 warning(s), 1 info",
    job: "Completed",
  },
  {
    met: "errors (a block whose MD5 fails), with warnings",
    counts: { errorCount: 2, warningCount: 1, infoCount: 0 },
    state: "CompletedMoreInfo",
    copyStatus: "CompletedWithErrors",
    reason: "Copy completed with 2 error(s), 1 warning(s), 0 info",
    job: "Closed",
  },
];

describeOnEngines("finish a drive", (world) => {
  for (const [index, outcome] of OUTCOMES.entries()) {
    it(`met ${outcome.met}: the drive ends ${outcome.state} (${outcome.copyStatus}), the job ${outcome.job} once shipped back`, async () => {
      const w = world();
      const name = `fd-outcome-${index}`;
      const serial = `FD1-${index}`;
      await receivedImport(w, name, [serial]);
      await started(w, serial);
      const before = await stored(w, name);
      const logs = {
        verboseLogUri: `https://logs.example/${serial}/verbose.xml`,
        errorLogUri: `https://logs.example/${serial}/error.xml`,
        manifestUri: `https://logs.example/${serial}/manifest.xml`,
      };
      const { job, drive } = await finish(w, serial, { state: outcome.state, ...outcome.counts, ...logs });
      assert.equal(drive.state, outcome.state);
      assert.deepEqual(
        {
          errorCount: drive.errorCount,
          warningCount: drive.warningCount,
          infoCount: drive.infoCount,
          percentComplete: drive.percentComplete,
          copyStatus: drive.copyStatus,
        },
        { ...outcome.counts, percentComplete: 100, copyStatus: outcome.copyStatus },
      );
      assert.deepEqual(
        [drive.verboseLogUri, drive.errorLogUri, drive.manifestUri],
        [logs.verboseLogUri, logs.errorLogUri, logs.manifestUri],
      );
      assert.equal(drive.claimedBy, undefined, "the lease is released");
      assert.equal(drive.leaseExpiresAt, undefined);
      assert.equal(job.state, "Packaging");

      const after = await stored(w, name);
      assert.deepEqual(after.drives, [drive], "the answer is the drive as saved");
      assert.deepEqual(after.job, job);
      assert.deepEqual(movesSince(before, after), [
        [serial, "Transferring", outcome.state, "station:bay-3", outcome.reason],
        ["job", "Transferring", "Packaging", "station:bay-3", outcome.reason],
      ]);
      const back = await shipBack(w.deps, {
        principal: w.cast.operator,
        job: w.address(name),
        carrier: "UPS",
        tracking: `FD1 ${index}`,
      });
      assert.equal(back.job.state, outcome.job);
    });
  }

  it("the job waits in Transferring until its last drive is finished", async () => {
    const w = world();
    await receivedImport(w, "fd-two", ["FD2-A", "FD2-B"]);
    await started(w, "FD2-A");
    await started(w, "FD2-B");
    assert.equal((await finish(w, "FD2-A")).job.state, "Transferring");
    assert.equal(
      (await finish(w, "FD2-B", { state: "CompletedMoreInfo", infoCount: 1 })).job.state,
      "Packaging",
    );
    assert.deepEqual((await w.moves("fd-two")).slice(-3), [
      "FD2-A:Transferring→Completed",
      "FD2-B:Transferring→CompletedMoreInfo",
      "Transferring→Packaging",
    ]);
  });

  it("refuses a reported state the counts do not imply (InvalidCopyOutcome), changing nothing", async () => {
    const w = world();
    await receivedImport(w, "fd-mismatch", ["FD3-A"]);
    await started(w, "FD3-A");
    for (const report of [
      { state: "Completed", warningCount: 1 },
      { state: "Completed", errorCount: 1 },
      { state: "CompletedMoreInfo" },
    ] as const) {
      const error = await refusedUnchanged(w, "fd-mismatch", "InvalidCopyOutcome", () =>
        finish(w, "FD3-A", report),
      );
      assert.match(error.message, new RegExp(`not ${report.state}`));
    }
  });

  it("refuses to finish a copy never started, or finished already, naming both states", async () => {
    const w = world();
    await receivedImport(w, "fd-order", ["FD4-A"]);
    await claimAs(w, w.cast.stationA, "FD4-A");
    const early = await refusedUnchanged(w, "fd-order", "InvalidDriveTransition", () => finish(w, "FD4-A"));
    assert.match(early.message, /'FD4-A' cannot move from 'Received' to 'Completed'/);
    await reportProgress(w.deps, w.cast.stationA, "FD4-A", { bytesSucceeded: 1, bytesTotal: 2 });
    await finish(w, "FD4-A");
    const twice = await refusedUnchanged(w, "fd-order", "InvalidDriveTransition", () =>
      finish(w, "FD4-A", { state: "CompletedMoreInfo", errorCount: 1 }),
    );
    assert.match(twice.message, /from 'Completed' to 'CompletedMoreInfo'/);
  });

  it("only the station holding the lease finishes; never an extra or unknown drive; anyone but a station is refused", async () => {
    const w = world();
    await w.createImport("fd-who", ["FD5-A"]);
    await w.ship("fd-who", "FD5");
    await w.receive("FD5", ["FD5-A", "FD5-X"]);
    await started(w, "FD5-A");
    await refusedUnchanged(w, "fd-who", "LeaseNotHeld", () =>
      finishDrive(w.deps, w.cast.stationB, "FD5-A", { state: "Completed", ...NOTHING }),
    );
    for (const who of [w.cast.operator, w.cast.admin, w.cast.customer]) {
      await refusedUnchanged(w, "fd-who", "AuthorizationFailed", () =>
        finishDrive(w.deps, who, "FD5-A", { state: "Completed", ...NOTHING }),
      );
    }
    await refusedUnchanged(w, "fd-who", "DriveNotClaimable", () => finish(w, "FD5-X"));
    await refusedUnchanged(w, "fd-who", "DriveNotFound", () => finish(w, "FD5-NOPE"));
  });

  /** An export job `name` shipped, with `serials` registered in that order. */
  async function exportWith(w: AppWorld, name: string, serials: string[]): Promise<void> {
    await w.createExport(name);
    await w.ship(name, name.toUpperCase());
    for (const serial of serials) {
      await registerExportDrive(w.deps, { principal: w.cast.operator, job: w.address(name), serial });
    }
  }

  it("an export drive's incomplete blob list is kept on the drive and becomes the job's; the next drive's finish replaces or clears it", async () => {
    const w = world();
    await exportWith(w, "fd-export", ["FD6-A", "FD6-B", "FD6-C"]);
    const listA = "https://acct.blob.core.windows.net/logs/FD6-A_incomplete.xml";
    const listB = "http://127.0.0.1:10000/devstoreaccount1/logs/FD6-B_incomplete.xml";
    await started(w, "FD6-A");
    const a = await finish(w, "FD6-A", {
      state: "CompletedMoreInfo",
      infoCount: 1,
      incompleteBlobListUri: listA,
    });
    assert.equal(a.drive.incompleteBlobListUri, listA);
    assert.equal(a.job.incompleteBlobListUri, listA);
    assert.equal(
      (await getJob(w.deps, w.cast.customer, w.address("fd-export"))).job.incompleteBlobListUri,
      listA,
    );

    await started(w, "FD6-B");
    await finish(w, "FD6-B", { state: "CompletedMoreInfo", infoCount: 1, incompleteBlobListUri: listB });
    assert.equal((await stored(w, "fd-export")).job.incompleteBlobListUri, listB, "the latest drive's");

    await started(w, "FD6-C");
    const c = await finish(w, "FD6-C");
    assert.equal(c.drive.incompleteBlobListUri, undefined);
    assert.equal(c.job.incompleteBlobListUri, undefined, "everything fit: nothing is left over");
    const kept = await stored(w, "fd-export");
    assert.equal(kept.job.incompleteBlobListUri, undefined);
    assert.deepEqual(
      kept.drives.map((d) => [d.driveId, d.incompleteBlobListUri]),
      [
        ["FD6-A", listA],
        ["FD6-B", listB],
        ["FD6-C", undefined],
      ],
    );
  });

  it("refuses an incomplete blob list that is no absolute http(s) URL, or on an import drive, changing nothing", async () => {
    const w = world();
    await exportWith(w, "fd-badlist", ["FD7-A"]);
    await started(w, "FD7-A");
    for (const uri of ["logs/FD7-A.xml", "ftp://host/list.xml", "file:///tmp/list.xml", "not a url", ""]) {
      const error = await refusedUnchanged(w, "fd-badlist", "InvalidIncompleteBlobListUri", () =>
        finish(w, "FD7-A", { incompleteBlobListUri: uri }),
      );
      assert.equal(error.target, "incompleteBlobListUri");
    }
    await receivedImport(w, "fd-importlist", ["FD7-I"]);
    await started(w, "FD7-I");
    const imported = await refusedUnchanged(w, "fd-importlist", "InvalidIncompleteBlobListUri", () =>
      finish(w, "FD7-I", { incompleteBlobListUri: "https://acct.blob.core.windows.net/logs/x.xml" }),
    );
    assert.match(imported.message, /import job/);
  });
});
