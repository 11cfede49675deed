/** @module listLocations: the data centers, read through a 5-second cache that a change made here forgets at once and the deps clock expires. */

import assert from "node:assert/strict";
import { it } from "node:test";

import { deleteLocation } from "../../src/app/delete-location.js";
import { getJob } from "../../src/app/get-job.js";
import { listLocations } from "../../src/app/list-locations.js";
import { DEFAULT_LOCATION } from "../../src/app/seed-defaults.js";
import { setLocation } from "../../src/app/set-location.js";
import type { Location } from "../../src/domain/model.js";
import { locationResourceId } from "../../src/domain/names.js";
import { type AppWorld, describeOnEngines } from "../support/app.js";
import { locationInput } from "../support/customer.js";

const ids = async (w: AppWorld) => (await listLocations(w.deps)).map((l) => l.id);

/** A location written straight into the store, as another replica of the service would: this one's cache is not told. */
async function setElsewhere(w: AppWorld, id: string, name: string): Promise<void> {
  const location: Location = { id, ...locationInput(name), alternateLocations: [locationResourceId(id)] };
  await w.deps.store.direct.locations.upsert(location);
}

describeOnEngines("list locations", (world) => {
  it("answers the seeded West US", async () => {
    const w = world();
    assert.deepEqual(await listLocations(w.deps), [DEFAULT_LOCATION]);
  });

  it("sees at once a location set or deleted here, in id order, and in the views of jobs", async () => {
    const w = world();
    await listLocations(w.deps);
    const set = await setLocation(w.deps, w.cast.admin, "eastus", locationInput("East US"));
    assert.deepEqual(await listLocations(w.deps), [set, DEFAULT_LOCATION]);
    await deleteLocation(w.deps, w.cast.admin, "eastus");
    assert.deepEqual(await ids(w), ["westus"]);

    await w.createExport("ll-view");
    assert.deepEqual(
      (await getJob(w.deps, w.cast.customer, w.address("ll-view"))).location,
      DEFAULT_LOCATION,
    );
    const moved = { ...DEFAULT_LOCATION, phone: "+1 555 010 0999" };
    await setLocation(w.deps, w.cast.admin, "westus", moved);
    const view = await getJob(w.deps, w.cast.customer, w.address("ll-view"));
    assert.equal(view.location?.phone, "+1 555 010 0999", "a job's view shows the new phone at once");
    await setLocation(w.deps, w.cast.admin, "westus", DEFAULT_LOCATION);
  });

  it("keeps a list read less than 5 s ago (by the deps clock), then reads what another replica changed", async () => {
    const w = world();
    await listLocations(w.deps);
    await setElsewhere(w, "southus", "South US");
    assert.ok(!(await ids(w)).includes("southus"), "still the cached list");
    w.clock.advance(4_999);
    assert.ok(!(await ids(w)).includes("southus"), "4.999 s later, still cached");
    w.clock.advance(1);
    assert.ok((await ids(w)).includes("southus"), "5 s later, read again");
  });

  it("reads again when the clock has moved back past the list's reading", async () => {
    const w = world();
    await listLocations(w.deps);
    await setElsewhere(w, "westeu", "West EU");
    w.clock.advance(-1);
    assert.ok((await ids(w)).includes("westeu"));
    w.clock.advance(1);
  });
});
