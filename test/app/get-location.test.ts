/** @module getLocation: one data center by its short (`westus`) or display (`West US`) name, read from the store each time. */

import assert from "node:assert/strict";
import { it } from "node:test";

import { getLocation } from "../../src/app/get-location.js";
import { listLocations } from "../../src/app/list-locations.js";
import { DEFAULT_LOCATION } from "../../src/app/seed-defaults.js";
import { setLocation } from "../../src/app/set-location.js";
import { describeOnEngines } from "../support/app.js";
import { locationInput, refusal } from "../support/customer.js";

describeOnEngines("get a location", (world) => {
  it("finds the seeded West US by its short or display name, in any case or spacing", async () => {
    const w = world();
    for (const name of ["westus", "West US", "WEST US", "westUS", "West  Us"]) {
      assert.deepEqual(await getLocation(w.deps, name), DEFAULT_LOCATION, name);
    }
  });

  it("does not find a location that is not served, naming it", async () => {
    const w = world();
    for (const name of ["Mars Central", "west", ""]) {
      assert.equal(
        await refusal(getLocation(w.deps, name), new RegExp(`location '${name}'`)),
        "ResourceNotFound",
      );
    }
  });

  it("reads the store, not the list's cache: a location set a moment ago is found", async () => {
    const w = world();
    await listLocations(w.deps);
    await w.deps.store.direct.locations.upsert({
      id: "eastus",
      ...locationInput("East US"),
      alternateLocations: [],
    });
    assert.equal((await getLocation(w.deps, "East US")).recipientName, "Sneakernet East US");
    const set = await setLocation(w.deps, w.cast.admin, "centralus", locationInput("Central US"));
    assert.deepEqual(await getLocation(w.deps, "centralus"), set);
  });

  it("finds a location by its display name when its id is not that name squashed", async () => {
    const w = world();
    const set = await setLocation(w.deps, w.cast.admin, "northeu", locationInput("North Europe"));
    assert.deepEqual(await getLocation(w.deps, "North Europe"), set);
  });
});
