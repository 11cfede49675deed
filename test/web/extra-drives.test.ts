/**
 * @module A job's extra drives as the portal finds them in its history (web/src/pages/job/extra-drives.ts): a
 * drive the history names and the job does not list, once it has arrived; its latest state.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { loadPortalModule } from "./portal-modules.js";

interface Row {
  at: string;
  driveId?: string;
  from: string | null;
  to: string;
  actor: string;
  reason: string;
}
const { extraDrives } = await loadPortalModule<{
  extraDrives(
    job: { properties: { driveList: { driveId: string }[] } },
    history: Row[],
  ): { driveId: string; state: string; at: string }[];
}>("pages/job/extra-drives.ts");

const row = (at: string, driveId: string | undefined, from: string | null, to: string): Row => ({
  at: `2026-01-15T12:0${at}:00.000Z`,
  ...(driveId ? { driveId } : {}),
  from,
  to,
  actor: "operator:alice",
  reason: "",
});
const job = { properties: { driveList: [{ driveId: "SPARE001" }] } };

describe("extra drives from a job's history", () => {
  it("lists a drive the job does not list, with its latest state, once it has arrived", () => {
    const history = [
      row("0", undefined, null, "Creating"),
      row("0", "SPARE001", null, "Specified"),
      row("0", "GONE0001", null, "Specified"), // listed while Creating, then taken off: never arrived
      row("1", "spare001", "Specified", "Received"), // the job's own drive, typed in another case
      row("1", "STRANGER1", null, "Received"),
      row("2", "STRANGER2", null, "Received"),
      row("3", "STRANGER1", "Received", "ShippedBack"),
    ];
    assert.deepEqual(extraDrives(job, history), [
      { driveId: "STRANGER1", state: "ShippedBack", at: "2026-01-15T12:03:00.000Z" },
      { driveId: "STRANGER2", state: "Received", at: "2026-01-15T12:02:00.000Z" },
    ]);
  });

  it("finds none in a history of the job's own drives", () => {
    assert.deepEqual(extraDrives(job, [row("0", "SPARE001", null, "Specified")]), []);
  });
});
