/**
 * @module receiveFoundDrive: a drive marked NeverReceived turns up in another package; the operator
 * receives it into its own job (LIFECYCLE.md failure table), which re-opens the job if it had closed.
 */

import assert from "node:assert/strict";
import { it } from "node:test";

import { receiveFoundDrive } from "../../src/app/receive-found-drive.js";
import { shipBack } from "../../src/app/ship-back.js";
import type { Principal } from "../../src/app/support/principal.js";
import { type AppWorld, describeOnEngines } from "../support/app.js";
import { driveLines, movesSince, read, refusedUnchanged, stored } from "../support/app-ops.js";

describeOnEngines("receive a found drive", (world) => {
  const found = (w: AppWorld, serial: string, principal: Principal = w.cast.operator) =>
    receiveFoundDrive(w.deps, { principal, serial, carrier: "UPS", tracking: "1Z 999" });

  it("moves the NeverReceived drive to Received and re-opens its Closed job (Closed → Received)", async () => {
    const w = world();
    await w.createImport("rf-closed", ["RF1-A"]);
    await w.ship("rf-closed", "RF1");
    await w.receive("RF1", []);
    const before = await stored(w, "rf-closed");
    assert.equal(before.job.state, "Closed");

    const view = await found(w, "RF1-A");
    assert.equal(view.job.state, "Received");
    assert.notEqual(view.job.etag, before.job.etag);
    assert.deepEqual(driveLines(view.drives), ["RF1-A Received"]);
    assert.equal(view.location?.name, "West US");
    const after = await stored(w, "rf-closed");
    assert.deepEqual(after.job, view.job, "the view answers the job as saved");
    assert.deepEqual(movesSince(before, after), [
      ["RF1-A", "NeverReceived", "Received", "operator:alice", "Found in package UPS 1Z 999"],
      ["job", "Closed", "Received", "operator:alice", "Found in package UPS 1Z 999"],
    ]);
  });

  it("a drive found once its job was copied re-opens Packaging to Transferring; copied too, the job ends Completed", async () => {
    const w = world();
    await w.createImport("rf-packaging", ["RF2-A", "RF2-B"]);
    await w.ship("rf-packaging", "RF2");
    await w.receive("RF2", ["RF2-A"]);
    await w.copy("RF2-A");
    assert.equal((await read(w, "rf-packaging")).job.state, "Packaging");

    const view = await found(w, "RF2-B");
    assert.equal(view.job.state, "Transferring");
    assert.deepEqual(driveLines(view.drives), ["RF2-A Completed", "RF2-B Received"]);
    assert.deepEqual((await w.moves("rf-packaging")).slice(-2), [
      "RF2-B:NeverReceived→Received",
      "Packaging→Transferring",
    ]);
    // The late drive is copied like any other; with none left NeverReceived, the job has no error.
    await w.copy("RF2-B");
    const back = await shipBack(w.deps, {
      principal: w.cast.operator,
      job: w.address("rf-packaging"),
      carrier: "UPS",
      tracking: "RF2 BACK",
    });
    assert.equal(back.job.state, "Completed");
  });

  it("leaves the job where it is when its drives already imply it (a Received job stays Received)", async () => {
    const w = world();
    await w.createImport("rf-open", ["RF3-A", "RF3-B"]);
    await w.ship("rf-open", "RF3");
    await w.receive("RF3", ["RF3-A"]);
    const view = await found(w, "RF3-B");
    assert.equal(view.job.state, "Received");
    assert.deepEqual(driveLines(view.drives), ["RF3-A Received", "RF3-B Received"]);
    assert.equal((await w.moves("rf-open")).at(-1), "RF3-B:NeverReceived→Received", "no job move");
  });

  it("finds the drive whatever the case the serial is typed in, as receiving a package does", async () => {
    const w = world();
    await w.createImport("rf-case", ["RF5-A"]);
    await w.ship("rf-case", "RF5");
    await w.receive("RF5", []);
    const view = await found(w, "rf5-a");
    assert.deepEqual(driveLines(view.drives), ["RF5-A Received"]);
  });

  it("refuses a drive in another state naming it, an unknown serial, and callers who are not operators — changing nothing", async () => {
    const w = world();
    await w.createImport("rf-refused", ["RF4-A", "RF4-B", "RF4-C"]);
    await w.ship("rf-refused", "RF4");
    await w.receive("RF4", ["RF4-A", "RF4-X"]);
    await w.createImport("rf-specified", ["RF4-S"]);
    await w.ship("rf-specified", "RF4S");

    const received = await refusedUnchanged(w, "rf-refused", "InvalidDriveTransition", () =>
      found(w, "RF4-A"),
    );
    assert.match(received.message, /'RF4-A' is 'Received'/);
    const specified = await refusedUnchanged(w, "rf-specified", "InvalidDriveTransition", () =>
      found(w, "RF4-S"),
    );
    assert.match(specified.message, /from 'Specified' to 'Received'/);
    // An extra drive is not one of a job's own: nothing was lost, nothing to find.
    await refusedUnchanged(w, "rf-refused", "InvalidDriveTransition", () => found(w, "RF4-X"));
    const unknown = await refusedUnchanged(w, "rf-refused", "DriveNotFound", () => found(w, "RF4-NOPE"));
    assert.match(unknown.message, /RF4-NOPE/);
    await refusedUnchanged(w, "rf-refused", "InvalidDriveId", () => found(w, "RF4 B"));
    const request = { principal: w.cast.operator, serial: "RF4-B", carrier: "UPS", tracking: "1Z 999" };
    await refusedUnchanged(w, "rf-refused", "InvalidCarrier", () =>
      receiveFoundDrive(w.deps, { ...request, carrier: "" }),
    );
    await refusedUnchanged(w, "rf-refused", "InvalidTrackingNumber", () =>
      receiveFoundDrive(w.deps, { ...request, tracking: "1Z/999" }),
    );
    for (const who of [w.cast.customer, w.cast.stationA]) {
      await refusedUnchanged(w, "rf-refused", "AuthorizationFailed", () => found(w, "RF4-B", who));
    }
    // The admin may do what an operator does.
    assert.equal((await found(w, "RF4-B", w.cast.admin)).job.state, "Received");
  });
});
