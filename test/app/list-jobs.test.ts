/** @module listJobs: pages of a subscription's jobs in creation order either way, its filters, $top's bounds, and who may list. */

import assert from "node:assert/strict";
import { it } from "node:test";

import { cancelJob } from "../../src/app/cancel-job.js";
import { createJob } from "../../src/app/create-job.js";
import { getJob } from "../../src/app/get-job.js";
import { listJobs, type ListJobsRequest } from "../../src/app/list-jobs.js";
import { type AppWorld, describeOnEngines } from "../support/app.js";
import { refusal } from "../support/customer.js";
import { bitLockerKey } from "../support/fixtures.js";

/** The customer's jobs whose names start with `prefix` (each test lists its own), with more of the request. */
function list(w: AppWorld, prefix: string, more: Partial<ListJobsRequest> = {}) {
  return listJobs(w.deps, {
    principal: w.cast.customer,
    subscriptionId: w.sub,
    name: { kind: "startswith", text: prefix },
    ...more,
  });
}

async function names(page: Promise<{ views: { job: { name: string } }[] }>): Promise<string[]> {
  return (await page).views.map((v) => v.job.name);
}

describeOnEngines("list jobs", (world) => {
  it("pages through the jobs oldest first, or newest first, with a continuation only while more remain", async () => {
    const w = world();
    const ids: number[] = [];
    for (const n of [1, 2, 3, 4, 5]) {
      ids.push((await w.createExport(`lj-page-${n}`)).job.id);
    }
    const pages: string[][] = [];
    let afterId: number | undefined;
    do {
      const page = await list(w, "lj-page-", { top: 2, ...(afterId !== undefined ? { afterId } : {}) });
      pages.push(page.views.map((v) => v.job.name));
      afterId = page.nextAfterId;
    } while (afterId !== undefined);
    assert.deepEqual(pages, [["lj-page-1", "lj-page-2"], ["lj-page-3", "lj-page-4"], ["lj-page-5"]]);
    assert.equal(
      (await list(w, "lj-page-", { top: 2 })).nextAfterId,
      ids[1],
      "continues after the page's last",
    );

    const newest = await list(w, "lj-page-", { top: 2, newestFirst: true });
    assert.deepEqual(
      newest.views.map((v) => v.job.name),
      ["lj-page-5", "lj-page-4"],
    );
    assert.equal(newest.nextAfterId, ids[3]);
    assert.deepEqual(await names(list(w, "lj-page-", { top: 2, newestFirst: true, afterId: ids[3]! })), [
      "lj-page-3",
      "lj-page-2",
    ]);
    const last = await list(w, "lj-page-", { top: 2, newestFirst: true, afterId: ids[1]! });
    assert.deepEqual(
      last.views.map((v) => v.job.name),
      ["lj-page-1"],
    );
    assert.equal(last.nextAfterId, undefined);

    const whole = await list(w, "lj-page-", { top: 5 });
    assert.equal(whole.views.length, 5);
    assert.equal(whole.nextAfterId, undefined, "a page that holds exactly the rest has no continuation");
    assert.equal((await list(w, "lj-page-")).views.length, 5, "100 to a page by default");
  });

  it("filters by state, type, name (ignoring case, wildcards literal) and resource group", async () => {
    const w = world();
    await w.createImport("lj-f-imp-a", ["LJ2-A"]);
    await w.createImport("lj-f-imp-b", ["LJ2-B"]);
    await w.ship("lj-f-imp-b", "LJ2");
    await w.createExport("lj-f-exp-a");
    await w.createExport("lj-f-exp-b");
    await cancelJob(w.deps, { principal: w.cast.customer, address: w.address("lj-f-exp-b"), changes: {} });
    await w.createExport("lj-f_under");
    await w.createExport("lj-fxunder");
    await createJob(w.deps, {
      principal: w.cast.customer,
      address: { subscriptionId: w.sub, resourceGroup: "rg-two", name: "lj-f-other" },
      input: {
        location: "West US",
        storageAccountId: w.storageAccountId,
        jobType: "Import",
        driveList: [{ driveId: "LJ2-O", bitLockerKey: bitLockerKey() }],
      },
    });

    assert.deepEqual(await names(list(w, "lj-f", { states: ["Shipping"] })), ["lj-f-imp-b"]);
    assert.deepEqual(
      await names(list(w, "lj-f", { states: ["Creating", "Canceled"], jobTypes: ["Export"] })),
      ["lj-f-exp-a", "lj-f-exp-b", "lj-f_under", "lj-fxunder"],
    );
    assert.deepEqual(await names(list(w, "lj-f", { jobTypes: ["Import"], resourceGroup: "rg" })), [
      "lj-f-imp-a",
      "lj-f-imp-b",
    ]);
    assert.deepEqual(await names(list(w, "lj-f", { resourceGroup: "RG-TWO" })), ["lj-f-other"]);
    assert.deepEqual(await names(list(w, "LJ-F-EXP")), ["lj-f-exp-a", "lj-f-exp-b"]);
    assert.deepEqual(await names(list(w, "", { name: { kind: "contains", text: "F_U" } })), ["lj-f_under"]);
    assert.deepEqual(await names(list(w, "", { name: { kind: "contains", text: "f%" } })), []);
    assert.deepEqual(await names(list(w, "lj-f", { states: [] })), [], "contradictory terms match nothing");
    assert.deepEqual(await names(list(w, "lj-f", { jobTypes: [] })), []);
    assert.equal((await list(w, "lj-f")).views.length, 7, "without filters, all of them");
  });

  it("answers each job as getJob does: its drives, location and progress", async () => {
    const w = world();
    await w.createImport("lj-view", ["LJ3-A", "LJ3-B"]);
    const [listed] = (await list(w, "lj-view")).views;
    assert.deepEqual(listed, await getJob(w.deps, w.cast.customer, w.address("lj-view")));
  });

  it("takes $top from 1 to 100 only", async () => {
    const w = world();
    await w.createExport("lj-top-1");
    for (const top of [0, 101, -1, 2.5, Number.NaN]) {
      assert.equal(await refusal(list(w, "lj-top", { top }), /\$top/), "InvalidQueryParameter", String(top));
    }
    for (const top of [1, 100]) {
      assert.equal((await list(w, "lj-top", { top })).views.length, 1);
    }
  });

  it("lists a subscription to its customer and the data center, never to a stranger or a station", async () => {
    const w = world();
    await w.createExport("lj-who");
    for (const principal of [w.cast.stranger, w.cast.stationA]) {
      assert.equal(await refusal(list(w, "lj-who", { principal })), "AuthorizationFailed", principal.label);
    }
    for (const principal of [w.cast.operator, w.cast.admin]) {
      assert.deepEqual(await names(list(w, "lj-who", { principal })), ["lj-who"], principal.label);
    }
    const theirs = await listJobs(w.deps, { principal: w.cast.stranger, subscriptionId: w.otherSub });
    assert.ok(!theirs.views.some((v) => v.job.subscriptionId === w.sub), "their own list holds none of ours");
    assert.deepEqual(await names(list(w, "lj-who", { subscriptionId: w.sub.toUpperCase() })), ["lj-who"]);
    assert.equal(await refusal(list(w, "lj-who", { subscriptionId: "abc" })), "InvalidSubscriptionId");
    assert.equal(await refusal(list(w, "lj-who", { resourceGroup: "a/b" })), "InvalidResourceGroupName");
  });
});
