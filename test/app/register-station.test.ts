/** @module registerStation: a copy station is its token; registering names it (again: renames it) and is its first heartbeat. */

import assert from "node:assert/strict";
import { it } from "node:test";

import { readWorkQueue } from "../../src/app/read-work-queue.js";
import { registerStation } from "../../src/app/register-station.js";
import type { Principal } from "../../src/app/support/principal.js";
import { type AppWorld, describeOnEngines } from "../support/app.js";
import { MINUTE, refusedWith } from "../support/app-ops.js";

const station = (label: string): Principal => ({
  tokenId: `station-${label}`,
  label,
  role: "station",
  subscriptions: [],
});

const stations = async (w: AppWorld) => (await readWorkQueue(w.deps, w.cast.operator)).stations;

describeOnEngines("register a station", (world) => {
  it("registers the station under its token with the name given (trimmed), first seen now", async () => {
    const w = world();
    const bay = station("rs1");
    assert.deepEqual(await registerStation(w.deps, bay, "  bay-7.north_1  "), {
      id: "station-rs1",
      name: "bay-7.north_1",
    });
    const at = w.clock.now().toISOString();
    assert.deepEqual(
      (await stations(w)).filter((s) => s.id === "station-rs1"),
      [{ id: "station-rs1", name: "bay-7.north_1", registeredAt: at, lastSeenAt: at }],
    );
  });

  it("registering again renames the station and is a heartbeat; it stays one station, registered when it first was", async () => {
    const w = world();
    const bay = station("rs2");
    await registerStation(w.deps, bay, "rs2-old");
    const first = w.clock.now().toISOString();
    w.clock.advance(3 * MINUTE);
    assert.deepEqual(await registerStation(w.deps, bay, "rs2-new"), { id: "station-rs2", name: "rs2-new" });
    assert.deepEqual(
      (await stations(w)).filter((s) => s.id === "station-rs2"),
      [{ id: "station-rs2", name: "rs2-new", registeredAt: first, lastSeenAt: w.clock.now().toISOString() }],
    );
  });

  it("refuses a name that is not 1–64 letters, digits, '.', '_' or '-', and anyone but a station — registering nothing", async () => {
    const w = world();
    const before = await stations(w);
    for (const name of ["", "   ", "bay 3", "bay/3", "b".repeat(65)]) {
      await refusedWith("InvalidStationName", registerStation(w.deps, station("rs3"), name));
    }
    for (const who of [w.cast.customer, w.cast.operator, w.cast.admin]) {
      const error = await refusedWith("AuthorizationFailed", registerStation(w.deps, who, "rs3"));
      assert.match(error.message, /station/);
    }
    assert.deepEqual(await stations(w), before);
    assert.equal((await registerStation(w.deps, station("rs3"), "b".repeat(64))).name.length, 64);
  });
});
