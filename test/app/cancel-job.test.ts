/** @module cancelJob: only while Creating, to the terminal Canceled (cancelRequested: true); again when Canceled answers it unchanged. */

import assert from "node:assert/strict";
import { it } from "node:test";

import { cancelJob } from "../../src/app/cancel-job.js";
import { getJob } from "../../src/app/get-job.js";
import { readHistory } from "../../src/app/read-history.js";
import { updateJob } from "../../src/app/update-job.js";
import { JOB_STATES, type JobState } from "../../src/domain/states.js";
import { describeOnEngines } from "../support/app.js";
import { asCustomer, jobIn, refusedUnchanged } from "../support/customer.js";
import { RETURN_ADDRESS } from "../support/fixtures.js";

const cancel = asCustomer(cancelJob);

describeOnEngines("cancel a job", (world) => {
  it("moves a job in Creating to Canceled with cancelRequested, saving the edits sent with it, and records the move", async () => {
    const w = world();
    await w.createImport("cn-creating", ["CN1-A"]);
    w.clock.advance(60_000);
    const at = w.clock.now().toISOString();
    const view = await cancel(w, "cn-creating", { tags: { why: "changed plans" } });
    assert.equal(view.job.state, "Canceled");
    assert.equal(view.job.cancelRequested, true);
    assert.equal(view.job.stateChangedAt, at, "the retention timer runs from here");
    assert.deepEqual(view.job.tags, { why: "changed plans" });
    assert.deepEqual(
      view.drives.map((d) => `${d.driveId} ${d.state}`),
      ["CN1-A Specified"],
      "the drives never left",
    );
    assert.deepEqual(
      (await getJob(w.deps, w.cast.customer, w.address("cn-creating"))).job,
      view.job,
      "as stored",
    );
    const last = (await readHistory(w.deps, w.cast.customer, w.address("cn-creating"))).at(-1)!;
    assert.deepEqual(
      [last.from, last.to, last.actor, last.reason, last.at],
      ["Creating", "Canceled", "customer:ada", "Canceled by the customer", at],
    );
  });

  it("answers a cancelled job unchanged when asked again: nothing written, nothing recorded", async () => {
    const w = world();
    const canceled = await jobIn(w, "cn-again", "Canceled");
    const moves = await w.moves("cn-again");
    w.clock.advance(60_000);
    const again = await cancel(w, "cn-again");
    assert.deepEqual(again.job, canceled.job);
    assert.deepEqual(await w.moves("cn-again"), moves);
    // The stale etag of a cancelled job is still stale.
    const stale = () => cancel(w, "cn-again", {}, { ifMatch: ['"stale"'] });
    assert.equal(await refusedUnchanged(w, "cn-again", stale), "PreconditionFailed");
  });

  const pastCreating = JOB_STATES.filter((s): s is JobState => s !== "Creating" && s !== "Canceled");
  it(`refuses to cancel a job in ${pastCreating.join(", ")}, naming the state`, async () => {
    const w = world();
    for (const state of pastCreating) {
      const name = `cn-${state.toLowerCase()}`;
      await jobIn(w, name, state);
      const call = () => cancel(w, name);
      const code = await refusedUnchanged(
        w,
        name,
        call,
        new RegExp(`state '${state}'; it cannot be canceled`),
      );
      assert.equal(code, "InvalidJobState", state);
    }
  });

  it("cancels nothing when an edit sent with the request is refused", async () => {
    const w = world();
    await w.createImport("cn-bad-edit", ["CN3-A"]);
    const call = () => cancel(w, "cn-bad-edit", { returnAddress: { ...RETURN_ADDRESS, email: "nobody" } });
    assert.equal(await refusedUnchanged(w, "cn-bad-edit", call), "InvalidAddress");
    assert.equal((await getJob(w.deps, w.cast.customer, w.address("cn-bad-edit"))).job.state, "Creating");
  });

  it("lets only the customer cancel: a stranger and an operator are refused; a missing job is not found", async () => {
    const w = world();
    await w.createImport("cn-access", ["CN4-A"]);
    for (const principal of [w.cast.stranger, w.cast.operator]) {
      const call = () => cancel(w, "cn-access", {}, { principal });
      assert.equal(await refusedUnchanged(w, "cn-access", call), "AuthorizationFailed", principal.label);
    }
    assert.equal(await refusedUnchanged(w, "cn-none", () => cancel(w, "cn-none")), "ResourceNotFound");
  });

  it("cancels only the version it read (If-Match), or any with *", async () => {
    const w = world();
    const read = await w.createImport("cn-etag", ["CN5-A"]);
    await updateJob(w.deps, {
      principal: w.cast.customer,
      address: w.address("cn-etag"),
      changes: { tags: { n: "1" } },
    });
    const stale = () => cancel(w, "cn-etag", {}, { ifMatch: [read.job.etag] });
    assert.equal(await refusedUnchanged(w, "cn-etag", stale), "PreconditionFailed");
    const current = (await getJob(w.deps, w.cast.customer, w.address("cn-etag"))).job.etag;
    assert.equal((await cancel(w, "cn-etag", {}, { ifMatch: [current] })).job.state, "Canceled");
    await w.createImport("cn-etag-any", ["CN5-B"]);
    assert.equal((await cancel(w, "cn-etag-any", {}, { ifMatch: ["*"] })).job.state, "Canceled");
  });
});
