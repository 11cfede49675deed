/** @module recordTracking: Creating → Shipping with what it needs, a retry, and a package the data center held meanwhile (the job's side). */

import assert from "node:assert/strict";
import { it } from "node:test";

import { getJob } from "../../src/app/get-job.js";
import { readHistory } from "../../src/app/read-history.js";
import { recordTracking } from "../../src/app/record-tracking.js";
import { updateJob } from "../../src/app/update-job.js";
import type { JobChanges } from "../../src/domain/job-edits.js";
import { describeOnEngines } from "../support/app.js";
import { asCustomer, jobIn, refusal, refusedUnchanged, trackingOf } from "../support/customer.js";
import { RETURN_ADDRESS } from "../support/fixtures.js";

const fedEx = (trackingNumber: string) => ({ carrierName: "FedEx", trackingNumber });

const track = asCustomer(recordTracking);

describeOnEngines("record tracking", (world) => {
  it("moves the job Creating → Shipping with the package and return address it carries, noting when", async () => {
    const w = world();
    await w.createImport("rt-ship", ["RT1-A"]);
    w.clock.advance(3_600_000);
    const at = w.clock.now().toISOString();
    const view = await track(w, "rt-ship", { returnAddress: RETURN_ADDRESS, deliveryPackage: fedEx("RT1") });
    assert.equal(view.job.state, "Shipping");
    assert.equal(view.job.trackingRecordedAt, at);
    assert.equal(view.job.stateChangedAt, at);
    assert.deepEqual(view.job.deliveryPackage, fedEx("RT1"));
    assert.deepEqual(view.job.returnAddress, RETURN_ADDRESS);
    assert.deepEqual(
      view.drives.map((d) => `${d.driveId} ${d.state}`),
      ["RT1-A Specified"],
    );
    assert.deepEqual(
      (await getJob(w.deps, w.cast.customer, w.address("rt-ship"))).job,
      view.job,
      "as stored",
    );
    const last = (await readHistory(w.deps, w.cast.customer, w.address("rt-ship"))).at(-1)!;
    assert.deepEqual(
      [last.driveId, last.from, last.to, last.actor, last.reason, last.at],
      [undefined, "Creating", "Shipping", "customer:ada", "Tracking recorded: FedEx RT1", at],
    );
  });

  it("ships with what earlier edits set, an export job without any drive too", async () => {
    const w = world();
    await w.createExport("rt-export");
    await updateJob(w.deps, {
      principal: w.cast.customer,
      address: w.address("rt-export"),
      changes: { returnAddress: RETURN_ADDRESS, deliveryPackage: fedEx("RT2") },
    });
    const view = await track(w, "rt-export", {});
    assert.equal(view.job.state, "Shipping");
    assert.deepEqual(view.drives, []);
    assert.deepEqual(await w.moves("rt-export"), ["∅→Creating", "Creating→Shipping"]);
  });

  it("refuses to ship without a return address, a delivery package or (import) a drive, keeping nothing of the request", async () => {
    const w = world();
    await w.createImport("rt-missing", ["RT3-A"]);
    const refusals: [JobChanges, string][] = [
      [{ deliveryPackage: fedEx("RT3") }, "ReturnAddressRequired"],
      [{ returnAddress: RETURN_ADDRESS }, "DeliveryPackageRequired"],
      [{ returnAddress: RETURN_ADDRESS, deliveryPackage: fedEx("RT3"), driveList: [] }, "InvalidDriveList"],
      [
        { returnAddress: RETURN_ADDRESS, deliveryPackage: { carrierName: "Pony", trackingNumber: "RT3" } },
        "InvalidCarrier",
      ],
    ];
    for (const [changes, code] of refusals) {
      assert.equal(await refusedUnchanged(w, "rt-missing", () => track(w, "rt-missing", changes)), code);
    }
    const shipped = await track(w, "rt-missing", {
      returnAddress: RETURN_ADDRESS,
      deliveryPackage: fedEx("RT3"),
    });
    assert.equal(shipped.job.state, "Shipping");
  });

  it("takes the same request again on a job past Shipping as a retry (nothing moves), refuses another number, and refuses a cancelled job naming its state", async () => {
    const w = world();
    await jobIn(w, "rt-received", "Received");
    const moves = await w.moves("rt-received");
    const again = await w.ship("rt-received", trackingOf("rt-received"));
    assert.equal(again.job.state, "Received");
    assert.deepEqual(await w.moves("rt-received"), moves, "nothing recorded again");
    assert.equal(
      await refusedUnchanged(w, "rt-received", () => w.ship("rt-received", "RT-OTHER"), /Received/),
      "PropertyChangeNotAllowed",
    );
    await jobIn(w, "rt-canceled", "Canceled");
    assert.equal(
      await refusedUnchanged(w, "rt-canceled", () => track(w, "rt-canceled", {}), /state 'Canceled'/),
      "InvalidJobState",
    );
  });

  it("accepts shipping twice as a retry: nothing recorded again, the first time kept, a correction saved", async () => {
    const w = world();
    const first = await jobIn(w, "rt-twice", "Shipping");
    const moves = await w.moves("rt-twice");
    w.clock.advance(86_400_000);
    const again = await w.ship("rt-twice", trackingOf("rt-twice"));
    assert.equal(again.job.state, "Shipping");
    const corrected = await w.ship("rt-twice", "RT5-FIXED");
    assert.deepEqual(corrected.job.deliveryPackage, fedEx("RT5-FIXED"));
    assert.equal(corrected.job.trackingRecordedAt, first.job.trackingRecordedAt);
    assert.equal(corrected.job.stateChangedAt, first.job.stateChangedAt);
    assert.deepEqual(await w.moves("rt-twice"), moves);
    // What Shipping no longer allows is refused in a retry as in any edit.
    assert.equal(
      await refusedUnchanged(w, "rt-twice", () => track(w, "rt-twice", { diagnosticsPath: "elsewhere" })),
      "PropertyChangeNotAllowed",
    );
  });

  it("processes a package held while the job was Creating: its drive moves are the receiving operator's", async () => {
    const w = world();
    await w.createImport("rt-held", ["RT6-A", "RT6-B"], { deliveryPackage: fedEx("RT6") });
    const held = await w.receive("RT6", ["RT6-A"]);
    assert.equal(held.status, "Held");
    assert.equal((await getJob(w.deps, w.cast.customer, w.address("rt-held"))).job.state, "Creating");
    w.clock.advance(60_000);
    const view = await track(w, "rt-held", { returnAddress: RETURN_ADDRESS });
    assert.equal(view.job.state, "Received");
    assert.equal(view.job.trackingRecordedAt, w.clock.now().toISOString(), "tracking is recorded as well");
    assert.deepEqual(
      view.drives.map((d) => `${d.driveId} ${d.state}`),
      ["RT6-A Received", "RT6-B NeverReceived"],
    );
    const history = await readHistory(w.deps, w.cast.customer, w.address("rt-held"));
    assert.deepEqual(
      history.slice(3).map((h) => `${h.driveId ?? "job"} ${h.from}→${h.to} ${h.actor}`),
      [
        "job Creating→Shipping customer:ada",
        "RT6-A Specified→Received operator:alice",
        "RT6-B Specified→NeverReceived operator:alice",
        "job Shipping→Received operator:alice",
      ],
    );
    const [record] = await w.deps.store.direct.packages.listByJob(view.job.id);
    assert.equal(record?.status, "Received");
    assert.equal(await refusal(w.receive("RT6", ["RT6-A"])), "PackageAlreadyReceived", "processed once");
  });

  it("accepts the same request again after it processed a held package (a retry whose answer was lost)", async () => {
    const w = world();
    await w.createImport("rt-retry", ["RT10-A"], { deliveryPackage: fedEx("RT10") });
    await w.receive("RT10", ["RT10-A"]);
    const changes = { returnAddress: RETURN_ADDRESS, deliveryPackage: fedEx("RT10") };
    await track(w, "rt-retry", changes);
    const moves = await w.moves("rt-retry");
    assert.equal((await track(w, "rt-retry", changes)).job.state, "Received");
    assert.deepEqual(await w.moves("rt-retry"), moves);
  });

  it("takes from a held package only what the job lists or nobody does: another Creating job's drive is not its extra", async () => {
    const w = world();
    await w.createImport("rt-first", ["RT7-A"], { deliveryPackage: fedEx("RT7") });
    await w.createImport("rt-second", ["RT7-B"], { deliveryPackage: fedEx("RT7") });
    await w.receive("RT7", ["RT7-A", "RT7-B", "RT7-X"]);
    const first = await track(w, "rt-first", { returnAddress: RETURN_ADDRESS });
    assert.deepEqual(
      first.drives.map((d) => `${d.driveId} ${d.state}${d.extra ? " extra" : ""}`),
      ["RT7-A Received", "RT7-X Received extra"],
    );
    const second = await track(w, "rt-second", { returnAddress: RETURN_ADDRESS });
    assert.deepEqual(
      second.drives.map((d) => `${d.driveId} ${d.state}${d.extra ? " extra" : ""}`),
      ["RT7-B Received"],
    );
  });

  it("lets only the customer ship: a stranger and an operator are refused; a missing job is not found", async () => {
    const w = world();
    await w.createImport("rt-access", ["RT8-A"]);
    const changes = { returnAddress: RETURN_ADDRESS, deliveryPackage: fedEx("RT8") };
    for (const principal of [w.cast.stranger, w.cast.operator]) {
      const call = () => track(w, "rt-access", changes, { principal });
      assert.equal(await refusedUnchanged(w, "rt-access", call), "AuthorizationFailed", principal.label);
    }
    assert.equal(
      await refusedUnchanged(w, "rt-nothing", () => track(w, "rt-nothing", changes)),
      "ResourceNotFound",
    );
  });

  it("ships only the version it read (If-Match)", async () => {
    const w = world();
    const read = await w.createImport("rt-etag", ["RT9-A"]);
    await updateJob(w.deps, {
      principal: w.cast.customer,
      address: w.address("rt-etag"),
      changes: { tags: { by: "other" } },
    });
    const changes = { returnAddress: RETURN_ADDRESS, deliveryPackage: fedEx("RT9") };
    const stale = () => track(w, "rt-etag", changes, { ifMatch: [read.job.etag] });
    assert.equal(await refusedUnchanged(w, "rt-etag", stale), "PreconditionFailed");
    const current = (await getJob(w.deps, w.cast.customer, w.address("rt-etag"))).job.etag;
    assert.equal((await track(w, "rt-etag", changes, { ifMatch: [current] })).job.state, "Shipping");
  });
});
