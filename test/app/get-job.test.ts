/** @module getJob: one job with its drives, its location and its derived progress, to its customer and to the data center. */

import assert from "node:assert/strict";
import { it } from "node:test";

import { claimDrive } from "../../src/app/claim-drive.js";
import { getJob } from "../../src/app/get-job.js";
import { registerStation } from "../../src/app/register-station.js";
import { reportProgress } from "../../src/app/report-progress.js";
import { DEFAULT_LOCATION } from "../../src/app/seed-defaults.js";
import { describeOnEngines } from "../support/app.js";
import { jobIn, refusal } from "../support/customer.js";

const MINUTE = 60_000;

describeOnEngines("get a job", (world) => {
  it("answers the job with its drives, its location, its byte-weighted progress and, while copying, an estimate", async () => {
    const w = world();
    await w.createImport("gj-progress", ["GJ1-A", "GJ1-B"]);
    await w.ship("gj-progress", "GJ1");
    await w.receive("GJ1", ["GJ1-A", "GJ1-B"]);
    await w.copy("GJ1-A");
    const station = w.cast.stationB;
    await registerStation(w.deps, station, station.label);
    await claimDrive(w.deps, station, "GJ1-B");
    await reportProgress(w.deps, station, "GJ1-B", { bytesSucceeded: 250, bytesTotal: 1000 });
    w.clock.advance(10 * MINUTE);

    const view = await getJob(w.deps, w.cast.customer, w.address("gj-progress"));
    assert.equal(view.job.state, "Transferring");
    assert.deepEqual(
      view.drives.map((d) => `${d.driveId} ${d.state} ${d.bytesSucceeded}/${d.bytesTotal}`),
      ["GJ1-A Completed 500/1000", "GJ1-B Transferring 250/1000"],
    );
    // A is copied (all its 1000 bytes count), B has 250 of 1000: 1250 of 2000.
    assert.equal(view.percentComplete, 62);
    // B copied 250 bytes in 10 minutes: its 750 left take 30 minutes more.
    assert.equal(view.estimatedCompletionTime, new Date(w.clock.now().getTime() + 30 * MINUTE).toISOString());
    assert.deepEqual(view.location, DEFAULT_LOCATION);

    for (const reader of [w.cast.operator, w.cast.admin]) {
      assert.deepEqual(await getJob(w.deps, reader, w.address("gj-progress")), view, reader.label);
    }
    const upper = { ...w.address("gj-progress"), subscriptionId: w.sub.toUpperCase() };
    assert.deepEqual(await getJob(w.deps, w.cast.customer, upper), view, "the subscription in any case");
  });

  it("gives no estimate outside Transferring: 0 % once received, 100 % once completed", async () => {
    const w = world();
    const received = await jobIn(w, "gj-received", "Received");
    assert.equal(received.percentComplete, 0);
    assert.equal(received.estimatedCompletionTime, undefined);
    const completed = await jobIn(w, "gj-completed", "Completed");
    assert.equal(completed.percentComplete, 100);
    assert.equal(completed.estimatedCompletionTime, undefined);
  });

  it("tells a stranger and a station nothing, whether or not the job exists; a malformed address names its part", async () => {
    const w = world();
    await w.createImport("gj-private", ["GJ2-A"]);
    for (const name of ["gj-private", "gj-nowhere"]) {
      for (const principal of [w.cast.stranger, w.cast.stationA]) {
        assert.equal(
          await refusal(getJob(w.deps, principal, w.address(name))),
          "AuthorizationFailed",
          `${principal.label} ${name}`,
        );
      }
    }
    assert.equal(await refusal(getJob(w.deps, w.cast.customer, w.address("gj-nowhere"))), "ResourceNotFound");
    const malformed: [object, string][] = [
      [{ subscriptionId: "not-a-guid" }, "InvalidSubscriptionId"],
      [{ resourceGroup: "rg/other" }, "InvalidResourceGroupName"],
      [{ name: "x" }, "InvalidJobName"],
    ];
    for (const [part, code] of malformed) {
      assert.equal(
        await refusal(getJob(w.deps, w.cast.customer, { ...w.address("gj-private"), ...part })),
        code,
      );
    }
  });
});
