/** @module findPackage: the operator looks a package up by carrier and tracking number, as typed on the label. */

import assert from "node:assert/strict";
import { it } from "node:test";

import { findPackage } from "../../src/app/find-package.js";
import { describeOnEngines } from "../support/app.js";
import { driveLines, refusedWith } from "../support/app-ops.js";

describeOnEngines("find a package", (world) => {
  it("finds every job shipped under the package, oldest first: carrier in any case, tracking in any case and spacing", async () => {
    const w = world();
    await w.createImport("fp-older", ["FP1-A", "FP1-B"]);
    await w.ship("fp-older", "FP1 77");
    await w.createImport("fp-newer", ["FP1-C"]);
    await w.ship("fp-newer", "fp177");
    // Another package, and the same number with another carrier (named at creation, so still Creating).
    await w.createImport("fp-elsewhere", ["FP1-D"]);
    await w.ship("fp-elsewhere", "FP1 78");
    await w.createImport("fp-ups", ["FP1-E"], {
      deliveryPackage: { carrierName: "UPS", trackingNumber: "FP177" },
    });

    const found = await findPackage(w.deps, w.cast.operator, " fedEX ", "f p 1 7 7");
    assert.deepEqual(
      found.map((v) => `${v.job.name} ${v.job.state}`),
      ["fp-older Shipping", "fp-newer Shipping"],
    );
    assert.deepEqual(driveLines(found[0]!.drives), ["FP1-A Specified", "FP1-B Specified"]);
    assert.equal(found[0]!.location?.name, "West US");
    assert.deepEqual(found[0]!.job.deliveryPackage, { carrierName: "FedEx", trackingNumber: "FP1 77" });

    const ups = await findPackage(w.deps, w.cast.operator, "ups", "fp177");
    assert.deepEqual(
      ups.map((v) => `${v.job.name} ${v.job.state}`),
      ["fp-ups Creating"],
    );
  });

  it("finds a package after it was received, with what it did to the job", async () => {
    const w = world();
    await w.createImport("fp-received", ["FP2-A", "FP2-B"]);
    await w.ship("fp-received", "FP2");
    await w.receive("FP2", ["FP2-A"]);
    const [view, ...more] = await findPackage(w.deps, w.cast.operator, "FedEx", "FP2");
    assert.deepEqual(more, []);
    assert.equal(view!.job.state, "Received");
    assert.deepEqual(driveLines(view!.drives), ["FP2-A Received", "FP2-B NeverReceived"]);
  });

  it("answers no job for a package nobody expects", async () => {
    const w = world();
    assert.deepEqual(await findPackage(w.deps, w.cast.operator, "FedEx", "NOBODY 1"), []);
  });

  it("is for operators and admins only, and refuses a malformed carrier or tracking number", async () => {
    const w = world();
    await w.createImport("fp-roles", ["FP3-A"]);
    await w.ship("fp-roles", "FP3");
    const byAdmin = await findPackage(w.deps, w.cast.admin, "FedEx", "FP3");
    assert.deepEqual(
      byAdmin.map((v) => v.job.name),
      ["fp-roles"],
    );
    for (const who of [w.cast.customer, w.cast.stationA]) {
      await refusedWith("AuthorizationFailed", findPackage(w.deps, who, "FedEx", "FP3"));
    }
    await refusedWith("InvalidCarrier", findPackage(w.deps, w.cast.operator, " ", "FP3"));
    await refusedWith("InvalidTrackingNumber", findPackage(w.deps, w.cast.operator, "FedEx", "FP#3"));
    await refusedWith("InvalidTrackingNumber", findPackage(w.deps, w.cast.operator, "FedEx", "   "));
  });
});
