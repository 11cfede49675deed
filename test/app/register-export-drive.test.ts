/**
 * @module registerExportDrive: an export job lists no drive at creation; the operator registers each as it
 * arrives — while its package is being received, or after the delivery timeout closed the job
 * (LIFECYCLE.md "an export package that never arrives").
 */

import assert from "node:assert/strict";
import { it } from "node:test";

import { registerExportDrive } from "../../src/app/register-export-drive.js";
import { reportProgress } from "../../src/app/report-progress.js";
import { shipBack } from "../../src/app/ship-back.js";
import type { Principal } from "../../src/app/support/principal.js";
import { sweep } from "../../src/app/sweep.js";
import { DAY_MS } from "../../src/domain/clock.js";
import { type AppWorld, describeOnEngines } from "../support/app.js";
import { claimAs, driveLines, movesSince, refused, refusedUnchanged, stored } from "../support/app-ops.js";

function register(w: AppWorld, name: string, serial: string, principal: Principal = w.cast.operator) {
  return registerExportDrive(w.deps, { principal, job: w.address(name), serial });
}

describeOnEngines("register an export drive", (world) => {
  it("registers a drive Received on a Shipping export job, which derives Received, by the operator", async () => {
    const w = world();
    await w.createExport("re-ship");
    await w.ship("re-ship", "RE1");
    const before = await stored(w, "re-ship");
    const view = await register(w, "re-ship", "RE1-A");
    assert.equal(view.job.state, "Received");
    assert.deepEqual(driveLines(view.drives), ["RE1-A Received"]);
    assert.equal(view.drives[0]!.stateChangedAt, w.clock.now().toISOString());
    const after = await stored(w, "re-ship");
    assert.deepEqual(after.job, view.job, "the view answers the job as saved");
    assert.deepEqual(movesSince(before, after), [
      ["RE1-A", null, "Received", "operator:alice", "Export drive registered on arrival"],
      ["job", "Shipping", "Received", "operator:alice", "Export drive registered on arrival"],
    ]);
  });

  it("registers more drives while the job is Received or Transferring, without moving the job", async () => {
    const w = world();
    await w.createExport("re-more");
    await w.ship("re-more", "RE2");
    await register(w, "re-more", "RE2-A");
    const received = await register(w, "re-more", "RE2-B");
    assert.equal(received.job.state, "Received");
    await claimAs(w, w.cast.stationA, "RE2-A");
    await reportProgress(w.deps, w.cast.stationA, "RE2-A", { bytesSucceeded: 1, bytesTotal: 10 });
    const transferring = await register(w, "re-more", "RE2-C");
    assert.equal(transferring.job.state, "Transferring");
    assert.deepEqual(driveLines(transferring.drives), [
      "RE2-A Transferring",
      "RE2-B Received",
      "RE2-C Received",
    ]);
    assert.deepEqual((await w.moves("re-more")).slice(-3), [
      "RE2-A:Received→Transferring",
      "Received→Transferring",
      "RE2-C:∅→Received",
    ]);
  });

  it("refuses a serial the job holds already, whatever its case, and changes nothing", async () => {
    const w = world();
    await w.createExport("re-twice");
    await w.ship("re-twice", "RE3");
    await register(w, "re-twice", "RE3-Ab");
    const error = await refusedUnchanged(w, "re-twice", "DuplicateDriveId", () =>
      register(w, "re-twice", "re3-aB"),
    );
    assert.match(error.message, /re3-aB/);
  });

  it("refuses an import job, an export job not receiving drives, an unknown job, a bad serial and non-operators", async () => {
    const w = world();
    await w.createImport("re-import", ["RE4-I"]);
    await w.ship("re-import", "RE4I");
    const imported = await refusedUnchanged(w, "re-import", "InvalidJobState", () =>
      register(w, "re-import", "RE4-X"),
    );
    assert.match(imported.message, /import job/);

    await w.createExport("re-creating");
    const creating = await refusedUnchanged(w, "re-creating", "InvalidJobState", () =>
      register(w, "re-creating", "RE4-C"),
    );
    assert.match(creating.message, /'Creating'/);

    // An export job that ended with drives of its own (copied with errors, shipped back: Closed) takes no more.
    await w.createExport("re-ended");
    await w.ship("re-ended", "RE4E");
    await register(w, "re-ended", "RE4-E");
    await w.copy("RE4-E", w.cast.stationA, { state: "CompletedMoreInfo", errorCount: 1 });
    await shipBack(w.deps, {
      principal: w.cast.operator,
      job: w.address("re-ended"),
      carrier: "UPS",
      tracking: "RE4 BACK",
    });
    assert.equal((await stored(w, "re-ended")).job.state, "Closed");
    const ended = await refusedUnchanged(w, "re-ended", "InvalidJobState", () =>
      register(w, "re-ended", "RE4-F"),
    );
    assert.match(ended.message, /'Closed'/);

    await refusedUnchanged(w, "re-ended", "ResourceNotFound", () => register(w, "re-nope", "RE4-N"));
    await w.createExport("re-roles");
    await w.ship("re-roles", "RE4R");
    await refusedUnchanged(w, "re-roles", "InvalidDriveId", () => register(w, "re-roles", "RE4 R"));
    for (const who of [w.cast.customer, w.cast.stationA]) {
      await refusedUnchanged(w, "re-roles", "AuthorizationFailed", () =>
        register(w, "re-roles", "RE4-R", who),
      );
    }
    assert.equal((await register(w, "re-roles", "RE4-R", w.cast.admin)).job.state, "Received");
  });

  it("refuses a serial another live job holds (LIFECYCLE.md 'one drive, one live job')", async () => {
    const w = world();
    await w.createImport("re-live-import", ["RE5-SHARED"]);
    await w.ship("re-live-import", "RE5I");
    await w.createExport("re-live-export");
    await w.ship("re-live-export", "RE5E");
    const before = await stored(w, "re-live-export");
    assert.equal((await refused(register(w, "re-live-export", "RE5-SHARED"))).code, "DriveInUse");
    assert.deepEqual(await stored(w, "re-live-export"), before);
  });

  it("re-opens an export job the delivery timeout closed (Closed → Received): its package arrived late", async () => {
    const w = world();
    const start = w.clock.now();
    await w.createExport("re-late");
    await w.ship("re-late", "RE6");
    w.clock.advance(15 * DAY_MS);
    await sweep(w.deps);
    assert.equal((await stored(w, "re-late")).job.state, "Closed");
    const view = await register(w, "re-late", "RE6-A");
    assert.equal(view.job.state, "Received");
    assert.deepEqual((await w.moves("re-late")).slice(-3), [
      "Shipping→Closed",
      "RE6-A:∅→Received",
      "Closed→Received",
    ]);
    w.clock.set(start);
  });
});
