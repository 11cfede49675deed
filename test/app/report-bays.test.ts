/** @module reportBays: a station says what its bays hold; the work queue shows it with the heartbeat; bad reports change nothing. */

import assert from "node:assert/strict";
import { it } from "node:test";

import { readWorkQueue } from "../../src/app/read-work-queue.js";
import { registerStation } from "../../src/app/register-station.js";
import { reportBays } from "../../src/app/report-bays.js";
import type { Principal } from "../../src/app/support/principal.js";
import type { BayReport } from "../../src/domain/station.js";
import { type AppWorld, describeOnEngines } from "../support/app.js";
import { MINUTE, refusedWith } from "../support/app-ops.js";

const station = (label: string): Principal => ({
  tokenId: `station-${label}`,
  label,
  role: "station",
  subscriptions: [],
});

const listed = async (w: AppWorld, id: string) =>
  (await readWorkQueue(w.deps, w.cast.operator)).stations.find((s) => s.id === id);

const BAYS: BayReport[] = [
  { bay: "bay-1", state: "waiting", driveId: "WD-1", message: "Drive 'WD-1' is 'Specified'." },
  { bay: "bay-2", state: "empty" },
];

describeOnEngines("report a station's bays", (world) => {
  it("replaces what the bays hold and is a heartbeat", async () => {
    const w = world();
    const bay = station("rb1");
    await registerStation(w.deps, bay, "rb1");
    assert.equal((await listed(w, bay.tokenId))?.bays, undefined, "nothing reported yet");
    w.clock.advance(2 * MINUTE);
    await reportBays(w.deps, bay, BAYS);
    const seen = await listed(w, bay.tokenId);
    assert.deepEqual(seen?.bays, BAYS);
    assert.equal(seen?.lastSeenAt, w.clock.now().toISOString());
    await reportBays(w.deps, bay, [{ bay: "bay-1", state: "copying", driveId: "WD-1" }]);
    assert.deepEqual((await listed(w, bay.tokenId))?.bays, [
      { bay: "bay-1", state: "copying", driveId: "WD-1" },
    ]);
  });

  it("refuses a bay named twice, a station that never registered, and anyone but a station — changing nothing", async () => {
    const w = world();
    const bay = station("rb2");
    await registerStation(w.deps, bay, "rb2");
    await reportBays(w.deps, bay, BAYS);
    await refusedWith("InvalidBayReport", reportBays(w.deps, bay, [BAYS[1]!, BAYS[1]!]));
    await refusedWith("StationNotRegistered", reportBays(w.deps, station("never"), BAYS));
    await refusedWith("AuthorizationFailed", reportBays(w.deps, w.cast.operator, BAYS));
    assert.deepEqual((await listed(w, bay.tokenId))?.bays, BAYS);
  });
});
