/** @module setLocation: the admin creates or replaces a data center that accepts packages. */

import assert from "node:assert/strict";
import { it } from "node:test";

import { getLocation } from "../../src/app/get-location.js";
import { listLocations } from "../../src/app/list-locations.js";
import { setLocation } from "../../src/app/set-location.js";
import { locationResourceId } from "../../src/domain/names.js";
import { type AppWorld, describeOnEngines } from "../support/app.js";
import { locationInput, refusedWith } from "../support/app-ops.js";

const names = async (w: AppWorld) => (await listLocations(w.deps)).map((l) => l.name);

describeOnEngines("set a location", (world) => {
  it("creates a location, trimmed, its alternate locations its own id; read by id or display name, listed, and taking jobs", async () => {
    const w = world();
    assert.ok(!(await names(w)).includes("East US 2"), "the list is read (and cached) before");
    const location = await setLocation(w.deps, w.cast.admin, "eastus2", {
      ...locationInput("  East US 2 "),
      city: " Boston  ",
      stateOrProvince: "MA",
    });
    const expected = {
      ...locationInput("East US 2"),
      id: "eastus2",
      stateOrProvince: "MA",
      alternateLocations: [locationResourceId("eastus2")],
    };
    assert.deepEqual(location, expected);
    assert.deepEqual(await getLocation(w.deps, "eastus2"), expected);
    assert.deepEqual(await getLocation(w.deps, "East US 2"), expected);
    assert.ok((await names(w)).includes("East US 2"), "the cached list is forgotten");

    const view = await w.createImport("sl-there", ["SL1-A"], { location: "East US 2" });
    assert.equal(view.job.location, "eastus2");
    assert.equal(view.location?.recipientName, "Sneakernet East");
  });

  it("replaces a location whole: fields left out are gone, alternate locations as given", async () => {
    const w = world();
    await setLocation(w.deps, w.cast.admin, "slreplace", {
      ...locationInput("Replace Me"),
      streetAddress2: "Dock 4",
      additionalShippingInformation: "Ring twice.",
    });
    const replaced = await setLocation(w.deps, w.cast.admin, "slreplace", {
      ...locationInput("Replaced"),
      supportedCarriers: ["DHL"],
      alternateLocations: [locationResourceId("westus")],
    });
    assert.deepEqual(replaced, {
      ...locationInput("Replaced"),
      id: "slreplace",
      supportedCarriers: ["DHL"],
      alternateLocations: [locationResourceId("westus")],
    });
    assert.deepEqual(await getLocation(w.deps, "slreplace"), replaced);
    const listed = await names(w);
    assert.ok(listed.includes("Replaced") && !listed.includes("Replace Me"), listed.join(", "));
  });

  it("a location is found by the display name it is listed under", async () => {
    const w = world();
    await setLocation(w.deps, w.cast.admin, "slharbor", locationInput("Harbor"));
    assert.ok((await names(w)).includes("Harbor"));
    assert.equal((await getLocation(w.deps, "Harbor")).id, "slharbor");
    const view = await w.createImport("sl-harbor", ["SL3-A"], { location: "Harbor" });
    assert.equal(view.job.location, "slharbor");
  });

  it("refuses a bad id, no carrier, a bad carrier, a missing or too long field, and anyone but an admin — changing nothing", async () => {
    const w = world();
    const kept = await setLocation(w.deps, w.cast.admin, "slkept", locationInput("Kept"));
    const set = (id: string, input = locationInput("Changed"), who = w.cast.admin) =>
      setLocation(w.deps, who, id, input);
    for (const id of ["East-US", "e", "EASTUS", "a".repeat(33)]) {
      await refusedWith("InvalidLocation", set(id));
    }
    await refusedWith(
      "InvalidCarrier",
      set("slkept", { ...locationInput("Changed"), supportedCarriers: [] }),
    );
    await refusedWith(
      "InvalidCarrier",
      set("slkept", { ...locationInput("Changed"), supportedCarriers: ["UPS", " "] }),
    );
    for (const input of [
      locationInput("  "),
      locationInput("n".repeat(65)),
      { ...locationInput("Changed"), postalCode: "9".repeat(33) },
      { ...locationInput("Changed"), phone: "" },
      { ...locationInput("Changed"), streetAddress2: " " },
    ]) {
      const error = await refusedWith("InvalidAddress", set("slkept", input));
      assert.match(error.message, /is required, at most \d+ characters/);
    }
    for (const who of [w.cast.operator, w.cast.customer, w.cast.stationA]) {
      await refusedWith("AuthorizationFailed", set("slkept", locationInput("Changed"), who));
    }
    assert.deepEqual(await getLocation(w.deps, "slkept"), kept);
    assert.ok(!(await names(w)).includes("Changed"));
  });
});
