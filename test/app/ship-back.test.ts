/**
 * @module shipBack: once every drive is processed (Packaging) the operator ships the job's drives back —
 * copied drives and extra drives, not NeverReceived ones — and the job ends Completed or Closed.
 */

import assert from "node:assert/strict";
import { it } from "node:test";

import { shipBack } from "../../src/app/ship-back.js";
import type { Principal } from "../../src/app/support/principal.js";
import { type AppWorld, describeOnEngines } from "../support/app.js";
import {
  driveLines,
  movesSince,
  packagedImport,
  receivedImport,
  refusedUnchanged,
  stored,
} from "../support/app-ops.js";

function ship(
  w: AppWorld,
  name: string,
  more: { shipDate?: string; carrier?: string; tracking?: string; principal?: Principal } = {},
) {
  const { principal = w.cast.operator, carrier = "UPS", tracking = "1Z RETURN", shipDate } = more;
  return shipBack(w.deps, {
    principal,
    job: w.address(name),
    carrier,
    tracking,
    ...(shipDate !== undefined ? { shipDate } : {}),
  });
}

describeOnEngines("ship drives back", (world) => {
  it("ships copied and extra drives back, not NeverReceived ones; the return package counts them; a NeverReceived drive closes the job", async () => {
    const w = world();
    await w.createImport("sb-mixed", ["SB1-A", "SB1-B", "SB1-C"]);
    await w.ship("sb-mixed", "SB1");
    await w.receive("SB1", ["SB1-A", "SB1-B", "SB1-X"]);
    await w.copy("SB1-A");
    await w.copy("SB1-B", w.cast.stationB, { state: "CompletedMoreInfo", warningCount: 2 });
    const before = await stored(w, "sb-mixed");
    assert.equal(before.job.state, "Packaging");

    const view = await ship(w, "sb-mixed", { tracking: "SB1 BACK" });
    assert.equal(view.job.state, "Closed");
    assert.deepEqual(driveLines(view.drives), [
      "SB1-A ShippedBack",
      "SB1-B ShippedBack",
      "SB1-C NeverReceived",
      "SB1-X ShippedBack extra",
    ]);
    const now = w.clock.now().toISOString();
    assert.deepEqual(view.job.returnPackage, {
      carrierName: "UPS",
      trackingNumber: "SB1 BACK",
      driveCount: 3,
      shipDate: now,
    });
    const after = await stored(w, "sb-mixed");
    assert.deepEqual(after.job, view.job, "the view answers the job as saved");
    const by = ["operator:alice", "Shipped back: UPS SB1 BACK"];
    assert.deepEqual(movesSince(before, after), [
      ["SB1-A", "Completed", "ShippedBack", ...by],
      ["SB1-B", "CompletedMoreInfo", "ShippedBack", ...by],
      ["SB1-X", "Received", "ShippedBack", ...by],
      ["job", "Packaging", "Closed", ...by],
    ]);
    assert.ok(after.history.slice(before.history.length).every((h) => h.at === now));
  });

  it("a job whose drives were all copied without error ends Completed, with the ship date given", async () => {
    const w = world();
    await packagedImport(w, "sb-clean", ["SB2-A", "SB2-B"]);
    const view = await ship(w, "sb-clean", { shipDate: "2026-02-01" });
    assert.equal(view.job.state, "Completed");
    assert.deepEqual(driveLines(view.drives), ["SB2-A ShippedBack", "SB2-B ShippedBack"]);
    assert.equal(view.job.returnPackage?.shipDate, "2026-02-01");
    assert.equal(view.job.returnPackage?.driveCount, 2);
    assert.equal(view.percentComplete, 100);
  });

  it("a drive copied with errors closes the job once shipped back", async () => {
    const w = world();
    await receivedImport(w, "sb-errors", ["SB3-A", "SB3-B"]);
    await w.copy("SB3-A");
    await w.copy("SB3-B", w.cast.stationA, { state: "CompletedMoreInfo", errorCount: 1 });
    const view = await ship(w, "sb-errors");
    assert.equal(view.job.state, "Closed");
    assert.deepEqual(driveLines(view.drives), ["SB3-A ShippedBack", "SB3-B ShippedBack"]);
  });

  it("a package that held only an extra drive: the job goes Shipping → Packaging, and Closed once the extra drive is back", async () => {
    const w = world();
    await w.createImport("sb-only-extra", ["SB4-A"]);
    await w.ship("sb-only-extra", "SB4");
    const received = await w.receive("SB4", ["SB4-X"]);
    assert.equal(received.view.job.state, "Packaging");
    const view = await ship(w, "sb-only-extra");
    assert.equal(view.job.state, "Closed");
    assert.deepEqual(driveLines(view.drives), ["SB4-A NeverReceived", "SB4-X ShippedBack extra"]);
    assert.equal(view.job.returnPackage?.driveCount, 1);
    assert.deepEqual(await w.moves("sb-only-extra"), [
      "∅→Creating",
      "SB4-A:∅→Specified",
      "Creating→Shipping",
      "SB4-A:Specified→NeverReceived",
      "SB4-X:∅→Received",
      "Shipping→Packaging",
      "SB4-X:Received→ShippedBack",
      "Packaging→Closed",
    ]);
  });

  it("ships back only from Packaging, naming the job's state; once back, not twice", async () => {
    const w = world();
    await w.createImport("sb-early", ["SB5-A"]);
    const creating = await refusedUnchanged(w, "sb-early", "InvalidJobState", () => ship(w, "sb-early"));
    assert.match(creating.message, /'sb-early' is in state 'Creating'/);
    await w.ship("sb-early", "SB5");
    await refusedUnchanged(w, "sb-early", "InvalidJobState", () => ship(w, "sb-early"));
    await w.receive("SB5", ["SB5-A"]);
    const received = await refusedUnchanged(w, "sb-early", "InvalidJobState", () => ship(w, "sb-early"));
    assert.match(received.message, /'Received'/);
    await w.copy("SB5-A");
    await ship(w, "sb-early");
    const completed = await refusedUnchanged(w, "sb-early", "InvalidJobState", () => ship(w, "sb-early"));
    assert.match(completed.message, /'Completed'/);
  });

  it("refuses a bad ship date, carrier or tracking number, an unknown job and callers who are not operators — changing nothing", async () => {
    const w = world();
    await packagedImport(w, "sb-refused", ["SB6-A"]);
    for (const shipDate of ["tomorrow", "2026-13-45", "2026-02-01garbage", ""]) {
      const error = await refusedUnchanged(w, "sb-refused", "InvalidShipDate", () =>
        ship(w, "sb-refused", { shipDate }),
      );
      assert.match(error.message, /ISO-8601/);
    }
    await refusedUnchanged(w, "sb-refused", "InvalidCarrier", () => ship(w, "sb-refused", { carrier: "" }));
    await refusedUnchanged(w, "sb-refused", "InvalidTrackingNumber", () =>
      ship(w, "sb-refused", { tracking: "1Z/RETURN" }),
    );
    await refusedUnchanged(w, "sb-refused", "ResourceNotFound", () => ship(w, "sb-nope"));
    for (const principal of [w.cast.customer, w.cast.stationA]) {
      await refusedUnchanged(w, "sb-refused", "AuthorizationFailed", () =>
        ship(w, "sb-refused", { principal }),
      );
    }
    assert.equal((await ship(w, "sb-refused", { principal: w.cast.admin })).job.state, "Completed");
  });
});
