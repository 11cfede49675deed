/** @module readHistory: every move of a job and its drives, oldest first, with when, who and why — to its customer and the data center. */

import assert from "node:assert/strict";
import { it } from "node:test";

import { deleteJob } from "../../src/app/delete-job.js";
import { readHistory } from "../../src/app/read-history.js";
import { shipBack } from "../../src/app/ship-back.js";
import { describeOnEngines } from "../support/app.js";
import { refusal } from "../support/customer.js";

const HOUR = 3_600_000;

describeOnEngines("read a job's history", (world) => {
  it("records each move of the job and its drives, oldest first, with when, who and why", async () => {
    const w = world();
    const t = (hours: number) => new Date(w.clock.now().getTime() + hours * HOUR).toISOString();
    const [t0, t1, t2, t3, t4] = [t(0), t(1), t(2), t(3), t(4)];
    const view = await w.createImport("rh-life", ["RH1-A"]);
    w.clock.advance(HOUR);
    await w.ship("rh-life", "RH1");
    w.clock.advance(HOUR);
    await w.receive("RH1", ["RH1-A"]);
    w.clock.advance(HOUR);
    await w.copy("RH1-A");
    w.clock.advance(HOUR);
    await shipBack(w.deps, {
      principal: w.cast.operator,
      job: w.address("rh-life"),
      carrier: "UPS",
      tracking: "RH1-BACK",
    });

    const history = await readHistory(w.deps, w.cast.customer, w.address("rh-life"));
    assert.deepEqual(
      history.map((h) => [h.driveId ?? "job", `${h.from ?? "∅"}→${h.to}`, h.at, h.actor, h.reason]),
      [
        ["job", "∅→Creating", t0, "customer:ada", "Job created"],
        ["RH1-A", "∅→Specified", t0, "customer:ada", "Listed at job creation"],
        ["job", "Creating→Shipping", t1, "customer:ada", "Tracking recorded: FedEx RH1"],
        ["RH1-A", "Specified→Received", t2, "operator:alice", "Package FedEx RH1 received"],
        ["job", "Shipping→Received", t2, "operator:alice", "Package FedEx RH1 received"],
        ["RH1-A", "Received→Transferring", t3, "station:bay-3", "Copy started"],
        ["job", "Received→Transferring", t3, "station:bay-3", "Copy started"],
        ["RH1-A", "Transferring→Completed", t3, "station:bay-3", "Copy completed"],
        ["job", "Transferring→Packaging", t3, "station:bay-3", "Copy completed"],
        ["RH1-A", "Completed→ShippedBack", t4, "operator:alice", "Shipped back: UPS RH1-BACK"],
        ["job", "Packaging→Completed", t4, "operator:alice", "Shipped back: UPS RH1-BACK"],
      ],
    );
    assert.ok(
      history.every(
        (h, i) =>
          h.jobId === view.job.id && h.subscriptionId === w.sub && (i === 0 || h.id > history[i - 1]!.id),
      ),
      "the job's own rows, in increasing id order",
    );
  });

  it("holds only the job's own rows, however the moves of several jobs interleave", async () => {
    const w = world();
    await w.createImport("rh-one", ["RH2-A"]);
    await w.createImport("rh-two", ["RH2-B"]);
    await w.ship("rh-two", "RH2-2");
    await w.ship("rh-one", "RH2-1");
    assert.deepEqual(await w.moves("rh-one"), ["∅→Creating", "RH2-A:∅→Specified", "Creating→Shipping"]);
    assert.deepEqual(await w.moves("rh-two"), ["∅→Creating", "RH2-B:∅→Specified", "Creating→Shipping"]);
  });

  it("is read by the customer, an operator and an admin; never by a stranger or a station; gone with the job", async () => {
    const w = world();
    await w.createImport("rh-who", ["RH3-A"]);
    const mine = await readHistory(w.deps, w.cast.customer, w.address("rh-who"));
    for (const reader of [w.cast.operator, w.cast.admin]) {
      assert.deepEqual(await readHistory(w.deps, reader, w.address("rh-who")), mine, reader.label);
    }
    for (const principal of [w.cast.stranger, w.cast.stationA]) {
      assert.equal(await refusal(readHistory(w.deps, principal, w.address("rh-who"))), "AuthorizationFailed");
    }
    await deleteJob(w.deps, { principal: w.cast.customer, address: w.address("rh-who") });
    assert.equal(
      await refusal(readHistory(w.deps, w.cast.customer, w.address("rh-who"))),
      "ResourceNotFound",
    );
  });
});
