/** @module followEvents: a source that starts at the newest history row and yields, after a cursor, only what its scope (a job, a subscription, everything) allows. */

import assert from "node:assert/strict";
import { it } from "node:test";

import { createJob } from "../../src/app/create-job.js";
import { type EventScope, followEvents, type StateEvent } from "../../src/app/follow-events.js";
import { readHistory } from "../../src/app/read-history.js";
import { recordTracking } from "../../src/app/record-tracking.js";
import type { Principal } from "../../src/app/support/principal.js";
import { type AppWorld, describeOnEngines } from "../support/app.js";
import { refusal } from "../support/customer.js";
import { bitLockerKey, RETURN_ADDRESS } from "../support/fixtures.js";

const line = (e: StateEvent) => `${e.jobName ?? "?"} ${e.driveId ?? "job"} ${e.from ?? "∅"}→${e.to}`;

/** The stranger creates a job of their own and ships it (4 rows in all). */
async function strangerShips(w: AppWorld, name: string, tracking: string): Promise<void> {
  const address = { subscriptionId: w.otherSub, resourceGroup: "rg", name };
  await createJob(w.deps, {
    principal: w.cast.stranger,
    address,
    input: {
      location: "West US",
      storageAccountId: w.storageAccountId.replace(w.sub, w.otherSub),
      jobType: "Import",
      driveList: [{ driveId: `${tracking}-Z`, bitLockerKey: bitLockerKey() }],
    },
  });
  await recordTracking(w.deps, {
    principal: w.cast.stranger,
    address,
    changes: {
      returnAddress: RETURN_ADDRESS,
      deliveryPackage: { carrierName: "FedEx", trackingNumber: tracking },
    },
  });
}

describeOnEngines("follow events", (world) => {
  it("follows one job: starts at the newest row, then yields that job's moves alone, in order, after the cursor", async () => {
    const w = world();
    await w.createImport("fe-a", ["FE1-A"]);
    await w.createImport("fe-b", ["FE1-B"]);
    const source = await followEvents(w.deps, w.cast.customer, { job: w.address("fe-a") });
    const newest = (await readHistory(w.deps, w.cast.customer, w.address("fe-b"))).at(-1)!;
    assert.equal(source.start, newest.id, "a stream that starts now begins after the newest row");
    assert.deepEqual(await source.next(source.start), []);

    await w.ship("fe-b", "FE1-2");
    await w.ship("fe-a", "FE1-1");
    await w.receive("FE1-1", ["FE1-A"]);
    const events = await source.next(source.start);
    assert.deepEqual(events.map(line), [
      "fe-a job Creating→Shipping",
      "fe-a FE1-A Specified→Received",
      "fe-a job Shipping→Received",
    ]);
    assert.ok(events.every((e, i) => e.id > (events[i - 1]?.id ?? source.start) && e.resourceGroup === "rg"));
    assert.deepEqual(
      (await source.next(events[0]!.id)).map(line),
      events.slice(1).map(line),
      "after the cursor",
    );
    assert.deepEqual((await source.next(source.start, 1)).map(line), [line(events[0]!)], "at most limit");
    assert.deepEqual(await source.next(events.at(-1)!.id), []);
    assert.deepEqual(
      (await source.next(0)).slice(0, 2).map(line),
      ["fe-a job ∅→Creating", "fe-a FE1-A ∅→Specified"],
      "from any cursor, the rows before the start too",
    );

    const operators = await followEvents(w.deps, w.cast.operator, { job: w.address("fe-a") });
    assert.deepEqual(
      (await operators.next(source.start)).map(line),
      events.map(line),
      "an operator follows it too",
    );
  });

  it("follows a subscription: every job of the customer's, none of another's", async () => {
    const w = world();
    const source = await followEvents(w.deps, w.cast.customer, { subscriptionId: w.sub.toUpperCase() });
    await w.createImport("fe-sub-1", ["FE2-A"]);
    await strangerShips(w, "fe-theirs", "FE2-T");
    await w.createExport("fe-sub-2");
    const events = await source.next(source.start);
    assert.deepEqual(events.map(line), [
      "fe-sub-1 job ∅→Creating",
      "fe-sub-1 FE2-A ∅→Specified",
      "fe-sub-2 job ∅→Creating",
    ]);
    const later = await followEvents(w.deps, w.cast.customer, { subscriptionId: w.sub });
    assert.equal(later.start, events.at(-1)!.id, "starts at the newest row");
    const theirs = await followEvents(w.deps, w.cast.stranger, { subscriptionId: w.otherSub });
    assert.deepEqual((await theirs.next(source.start)).map(line), [
      "fe-theirs job ∅→Creating",
      "fe-theirs FE2-T-Z ∅→Specified",
      "fe-theirs job Creating→Shipping",
    ]);
  });

  it("follows every job to an operator or admin, and refuses that scope to customers and stations", async () => {
    const w = world();
    const all: EventScope = { all: true };
    const sources = await Promise.all(
      [w.cast.operator, w.cast.admin].map((p) => followEvents(w.deps, p, all)),
    );
    await w.createExport("fe-all");
    await strangerShips(w, "fe-all-theirs", "FE3-T");
    for (const source of sources) {
      assert.deepEqual((await source.next(source.start)).map(line), [
        "fe-all job ∅→Creating",
        "fe-all-theirs job ∅→Creating",
        "fe-all-theirs FE3-T-Z ∅→Specified",
        "fe-all-theirs job Creating→Shipping",
      ]);
    }
    const later = await followEvents(w.deps, w.cast.operator, all);
    assert.equal(
      later.start,
      (await sources[0]!.next(sources[0]!.start)).at(-1)!.id,
      "starts at the newest row",
    );
    for (const principal of [w.cast.customer, w.cast.stationA]) {
      assert.equal(
        await refusal(followEvents(w.deps, principal, all), /follow every job's events/),
        "AuthorizationFailed",
      );
    }
  });

  it("refuses a stranger another's job or subscription, and names what is missing or malformed", async () => {
    const w = world();
    await w.createExport("fe-private");
    const refusals: [Principal, EventScope, string][] = [
      [w.cast.stranger, { job: w.address("fe-private") }, "AuthorizationFailed"],
      [w.cast.stranger, { job: w.address("fe-nowhere") }, "AuthorizationFailed"],
      [w.cast.stranger, { subscriptionId: w.sub }, "AuthorizationFailed"],
      [w.cast.stationA, { subscriptionId: w.sub }, "AuthorizationFailed"],
      [w.cast.customer, { job: w.address("fe-nowhere") }, "ResourceNotFound"],
      [w.cast.customer, { subscriptionId: "not-a-guid" }, "InvalidSubscriptionId"],
      [w.cast.customer, { job: { ...w.address("fe-private"), name: "?" } }, "InvalidJobName"],
    ];
    for (const [principal, scope, code] of refusals) {
      assert.equal(
        await refusal(followEvents(w.deps, principal, scope)),
        code,
        `${principal.label} ${JSON.stringify(scope)}`,
      );
    }
  });
});
