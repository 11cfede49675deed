/** @module deleteLocation: the admin deletes a location no job names. */

import assert from "node:assert/strict";
import { it } from "node:test";

import { deleteJob } from "../../src/app/delete-job.js";
import { deleteLocation } from "../../src/app/delete-location.js";
import { getLocation } from "../../src/app/get-location.js";
import { listLocations } from "../../src/app/list-locations.js";
import { setLocation } from "../../src/app/set-location.js";
import { type AppWorld, describeOnEngines } from "../support/app.js";
import { locationInput, refusedWith } from "../support/app-ops.js";

const ids = async (w: AppWorld) => (await listLocations(w.deps)).map((l) => l.id);

describeOnEngines("delete a location", (world) => {
  it("deletes a location no job names: no longer read nor listed", async () => {
    const w = world();
    await setLocation(w.deps, w.cast.admin, "dlfree", locationInput("Free"));
    assert.ok((await ids(w)).includes("dlfree"), "the list is read (and cached) before");
    await deleteLocation(w.deps, w.cast.admin, "dlfree");
    await refusedWith("ResourceNotFound", getLocation(w.deps, "dlfree"));
    assert.ok(!(await ids(w)).includes("dlfree"), "the cached list is forgotten");
    await refusedWith("ResourceNotFound", deleteLocation(w.deps, w.cast.admin, "dlfree"));
  });

  it("refuses a location a job names, saying how many; once the job is gone it can go", async () => {
    const w = world();
    const location = await setLocation(w.deps, w.cast.admin, "dlused", locationInput("DL Used"));
    await w.createImport("dl-job", ["DL2-A"], { location: "DL Used" });
    const error = await refusedWith("InvalidLocation", deleteLocation(w.deps, w.cast.admin, "dlused"));
    assert.match(error.message, /'dlused' is used by 1 job\(s\)/);
    assert.deepEqual(await getLocation(w.deps, "dlused"), location);

    await deleteJob(w.deps, { principal: w.cast.customer, address: w.address("dl-job") });
    await deleteLocation(w.deps, w.cast.admin, "dlused");
    await refusedWith("ResourceNotFound", getLocation(w.deps, "dlused"));
  });

  it("refuses an unknown location, and anyone but an admin — deleting nothing", async () => {
    const w = world();
    const location = await setLocation(w.deps, w.cast.admin, "dlkept", locationInput("Kept"));
    await refusedWith("ResourceNotFound", deleteLocation(w.deps, w.cast.admin, "dlnowhere"));
    for (const who of [w.cast.operator, w.cast.customer, w.cast.stationA]) {
      await refusedWith("AuthorizationFailed", deleteLocation(w.deps, who, "dlkept"));
    }
    assert.deepEqual(await getLocation(w.deps, "dlkept"), location);
  });
});
