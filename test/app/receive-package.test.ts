/** @module receivePackage: what a package does to the jobs it is for (LIFECYCLE.md drive states, failures, "one package, several jobs"). */

import assert from "node:assert/strict";
import { it } from "node:test";

import { cancelJob } from "../../src/app/cancel-job.js";
import { createJob } from "../../src/app/create-job.js";
import { getJob } from "../../src/app/get-job.js";
import { receivePackage } from "../../src/app/receive-package.js";
import { recordTracking } from "../../src/app/record-tracking.js";
import { sweep } from "../../src/app/sweep.js";
import { DAY_MS } from "../../src/domain/clock.js";
import { describeOnEngines } from "../support/app.js";
import { refusal } from "../support/customer.js";
import { BITLOCKER_KEY, RETURN_ADDRESS } from "../support/fixtures.js";

describeOnEngines("receive a package", (world) => {
  it("receives the listed drives present, marks the absent NeverReceived, records an unknown serial as extra", async () => {
    const w = world();
    await w.createImport("rp-one", ["RP1-A", "RP1-B"]);
    await w.ship("rp-one", "RP1");
    const result = await w.receive("RP1", ["RP1-A", "RP1-X"]);
    assert.equal(result.status, "Received");
    assert.deepEqual(
      { received: result.received, never: result.neverReceived, extra: result.extra },
      { received: ["RP1-A"], never: ["RP1-B"], extra: ["RP1-X"] },
    );
    assert.equal(result.view.job.state, "Received");
    assert.deepEqual(await w.moves("rp-one"), [
      "∅→Creating",
      "RP1-A:∅→Specified",
      "RP1-B:∅→Specified",
      "Creating→Shipping",
      "RP1-A:Specified→Received",
      "RP1-B:Specified→NeverReceived",
      "RP1-X:∅→Received",
      "Shipping→Received",
    ]);
  });

  it("applies one package to every job of the customer that shares its tracking number; an unlisted serial is the oldest job's extra drive", async () => {
    const w = world();
    await w.createImport("rp-older", ["RP2-A1", "RP2-A2"]);
    await w.createImport("rp-newer", ["RP2-B1"]);
    await w.ship("rp-older", "RP2");
    await w.ship("rp-newer", "RP2");
    const result = await w.receive("RP2", ["RP2-A1", "RP2-B1", "RP2-X"]);
    assert.equal(result.status, "Received");
    assert.deepEqual(
      result.views.map((v) => `${v.job.name} ${v.job.state}`),
      ["rp-older Received", "rp-newer Received"],
    );
    assert.deepEqual(result.received.sort(), ["RP2-A1", "RP2-B1"]);
    assert.deepEqual(result.neverReceived, ["RP2-A2"]);
    assert.deepEqual(result.extra, ["RP2-X"]);
    const older = await getJob(w.deps, w.cast.customer, w.address("rp-older"));
    assert.deepEqual(
      older.drives.map((d) => `${d.driveId} ${d.state}${d.extra ? " extra" : ""}`),
      ["RP2-A1 Received", "RP2-A2 NeverReceived", "RP2-X Received extra"],
    );
    const newer = await getJob(w.deps, w.cast.customer, w.address("rp-newer"));
    assert.deepEqual(
      newer.drives.map((d) => `${d.driveId} ${d.state}`),
      ["RP2-B1 Received"],
      "the other job's drives are not extras here",
    );
    assert.equal(await refusal(w.receive("RP2", ["RP2-A1"])), "PackageAlreadyReceived");
  });

  it("holds a package for a job still Creating, processes it for the others now, and for it once tracking is recorded — whatever number is recorded", async () => {
    const w = world();
    await w.createImport("rp-ready", ["RP3-A"]);
    await w.ship("rp-ready", "RP3");
    // The second job names the same package but its customer has not recorded tracking: it is Creating.
    await w.createImport("rp-late", ["RP3-B"], {
      deliveryPackage: { carrierName: "FedEx", trackingNumber: "RP3" },
    });
    const result = await w.receive("RP3", ["RP3-A", "RP3-B"]);
    assert.equal(result.status, "Received");
    assert.deepEqual(
      result.views.map((v) => `${v.job.name} ${v.job.state}`),
      ["rp-ready Received", "rp-late Creating"],
    );
    assert.deepEqual(result.extra, [], "a drive the held job lists is nobody's extra");
    // The customer records another number than the package's: the held package is processed anyway.
    const shipped = await w.ship("rp-late", "RP3-CORRECTED");
    assert.equal(shipped.job.state, "Received");
    assert.deepEqual(
      shipped.drives.map((d) => `${d.driveId} ${d.state}`),
      ["RP3-B Received"],
    );
    const history = await w.deps.store.direct.history.listByJob(shipped.job.id);
    const received = history.find((h) => h.driveId === "RP3-B" && h.to === "Received")!;
    assert.match(received.reason, /FedEx RP3\b/, "names the package as it came");
    assert.match(received.reason, /FedEx RP3-CORRECTED/, "and the number the customer recorded");
    assert.equal(received.actor, "operator:alice", "the operator who received it");
  });

  it("only one customer's jobs take a package: another customer's job with the same number keeps waiting", async () => {
    const w = world();
    await w.createImport("rp-mine", ["RP4-A"]);
    await w.ship("rp-mine", "RP4");
    // A stranger's job that happens to carry the same tracking number, created later.
    const theirs = { subscriptionId: w.otherSub, resourceGroup: "rg", name: "rp-theirs" };
    await createJob(w.deps, {
      principal: w.cast.stranger,
      address: theirs,
      input: {
        location: "West US",
        storageAccountId: `/subscriptions/${w.otherSub}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/devstoreaccount1`,
        jobType: "Import",
        driveList: [{ driveId: "RP4-Z", bitLockerKey: BITLOCKER_KEY }],
      },
    });
    await recordTracking(w.deps, {
      principal: w.cast.stranger,
      address: theirs,
      changes: {
        returnAddress: RETURN_ADDRESS,
        deliveryPackage: { carrierName: "FedEx", trackingNumber: "RP4" },
      },
    });
    const result = await w.receive("RP4", ["RP4-A"]);
    assert.deepEqual(
      result.views.map((v) => v.job.name),
      ["rp-mine"],
    );
    const waiting = await getJob(w.deps, w.cast.stranger, theirs);
    assert.equal(waiting.job.state, "Shipping");
    assert.equal(waiting.drives[0]!.state, "Specified");
  });

  it("receives a NeverReceived drive of another job found in the package into its own job, re-opening it", async () => {
    const w = world();
    await w.createImport("rp-lost", ["RP5-A"]);
    await w.ship("rp-lost", "RP5");
    await w.receive("RP5", []);
    assert.equal((await getJob(w.deps, w.cast.customer, w.address("rp-lost"))).job.state, "Closed");
    await w.createImport("rp-carrier", ["RP5-C"]);
    await w.ship("rp-carrier", "RP5B");
    const result = await w.receive("RP5B", ["RP5-C", "RP5-A"]);
    assert.deepEqual(
      result.found.map((f) => `${f.serial} ${f.job.name} ${f.job.state}`),
      ["RP5-A rp-lost Received"],
    );
    assert.deepEqual(result.extra, []);
  });

  it("registers an export job's serials as its drives", async () => {
    const w = world();
    await w.createExport("rp-export");
    await w.ship("rp-export", "RP6");
    const result = await w.receive("RP6", ["RP6-E1", "RP6-E2"]);
    assert.deepEqual(result.registered, ["RP6-E1", "RP6-E2"]);
    assert.equal(result.view.job.state, "Received");
  });

  it("re-opens an export job that the delivery timeout closed when its package turns up (Closed → Received)", async () => {
    const w = world();
    const start = w.clock.now();
    await w.createExport("rp-export-late");
    await w.ship("rp-export-late", "RP8");
    w.clock.advance(15 * DAY_MS);
    await sweep(w.deps);
    assert.equal((await getJob(w.deps, w.cast.customer, w.address("rp-export-late"))).job.state, "Closed");
    const result = await w.receive("RP8", ["RP8-E1"]);
    assert.equal(result.view.job.state, "Received");
    assert.deepEqual((await w.moves("rp-export-late")).slice(-3), [
      "Shipping→Closed",
      "RP8-E1:∅→Received",
      "Closed→Received",
    ]);
    w.clock.set(start);
  });

  it("refuses what it cannot take, and changes nothing", async () => {
    const w = world();
    assert.equal(await refusal(w.receive("NO-SUCH-PACKAGE", ["X"])), "PackageNotFound");
    assert.equal(
      await refusal(
        receivePackage(w.deps, { principal: w.cast.customer, carrier: "FedEx", tracking: "T", drives: [] }),
      ),
      "AuthorizationFailed",
    );
    assert.equal(await refusal(w.receive("RP7", ["bad serial"])), "InvalidDriveId");
    await w.createImport("rp-cancel", ["RP7-A"], {
      deliveryPackage: { carrierName: "FedEx", trackingNumber: "RP7" },
    });
    await cancelJob(w.deps, { principal: w.cast.customer, address: w.address("rp-cancel"), changes: {} });
    assert.equal(await refusal(w.receive("RP7", ["RP7-A"])), "InvalidJobState");
    assert.deepEqual(await w.deps.store.direct.packages.listByKey("fedex|RP7"), []);
  });
});
