/** @module deleteJob: allowed in Creating, Completed, Closed and Canceled (LIFECYCLE.md "Deletion by the customer"), refused otherwise naming the state. */

import assert from "node:assert/strict";
import { it } from "node:test";

import { deleteJob } from "../../src/app/delete-job.js";
import { getJob } from "../../src/app/get-job.js";
import type { Principal } from "../../src/app/support/principal.js";
import { updateJob } from "../../src/app/update-job.js";
import type { JobState } from "../../src/domain/states.js";
import { type AppWorld, describeOnEngines } from "../support/app.js";
import { jobIn, refusal, refusedUnchanged } from "../support/customer.js";

function remove(w: AppWorld, name: string, more: { principal?: Principal; ifMatch?: string[] } = {}) {
  return deleteJob(w.deps, { principal: w.cast.customer, address: w.address(name), ...more });
}

/** Asserts that nothing of the job with this id is left: not the job, its drives, their keys, nor its history. */
async function assertGone(w: AppWorld, name: string, id: number): Promise<void> {
  const repos = w.deps.store.direct;
  assert.equal(await refusal(getJob(w.deps, w.cast.customer, w.address(name))), "ResourceNotFound");
  assert.equal(await repos.jobs.findById(id), undefined);
  assert.deepEqual(await repos.drives.listByJob(id), []);
  assert.deepEqual(await repos.drives.encryptedKeys(id), []);
  assert.deepEqual(await repos.history.listByJob(id), []);
}

describeOnEngines("delete a job", (world) => {
  for (const state of ["Creating", "Completed", "Closed", "Canceled"] as const) {
    it(`deletes a job in ${state} with its drives, their keys and its history; the name is free again`, async () => {
      const w = world();
      const name = `dj-${state.toLowerCase()}`;
      const view = await jobIn(w, name, state);
      await remove(w, name);
      await assertGone(w, name, view.job.id);
      const again = await w.createImport(name, [`DJ-${state.toUpperCase()}-NEW`]);
      assert.notEqual(again.job.id, view.job.id);
      assert.deepEqual(await w.moves(name), ["∅→Creating", `DJ-${state.toUpperCase()}-NEW:∅→Specified`]);
    });
  }

  it("refuses to delete a job in Shipping, Received, Transferring or Packaging, naming the state", async () => {
    const w = world();
    const live: JobState[] = ["Shipping", "Received", "Transferring", "Packaging"];
    for (const state of live) {
      const name = `dj-${state.toLowerCase()}`;
      await jobIn(w, name, state);
      const message = new RegExp(`state '${state}'; it cannot be deleted`);
      assert.equal(await refusedUnchanged(w, name, () => remove(w, name), message), "InvalidJobState", state);
    }
  });

  it("lets only the customer delete: a stranger and an operator are refused; a missing or deleted job is not found", async () => {
    const w = world();
    const view = await w.createImport("dj-access", ["DJ1-A"]);
    for (const principal of [w.cast.stranger, w.cast.operator]) {
      const call = () => remove(w, "dj-access", { principal });
      assert.equal(await refusedUnchanged(w, "dj-access", call), "AuthorizationFailed", principal.label);
    }
    await remove(w, "dj-access");
    await assertGone(w, "dj-access", view.job.id);
    assert.equal(await refusedUnchanged(w, "dj-access", () => remove(w, "dj-access")), "ResourceNotFound");
  });

  it("deletes only the version it read (If-Match), or any with *", async () => {
    const w = world();
    const read = await w.createImport("dj-etag", ["DJ2-A"]);
    const edited = await updateJob(w.deps, {
      principal: w.cast.customer,
      address: w.address("dj-etag"),
      changes: { tags: { kept: "yes" } },
    });
    const stale = () => remove(w, "dj-etag", { ifMatch: [read.job.etag] });
    assert.equal(await refusedUnchanged(w, "dj-etag", stale), "PreconditionFailed");
    await remove(w, "dj-etag", { ifMatch: [edited.job.etag] });
    await assertGone(w, "dj-etag", read.job.id);
    const any = await w.createImport("dj-etag-any", ["DJ2-B"]);
    await remove(w, "dj-etag-any", { ifMatch: ["*"] });
    await assertGone(w, "dj-etag-any", any.job.id);
  });
});
