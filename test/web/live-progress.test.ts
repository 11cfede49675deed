/**
 * @module The job page's bars from progress events (web/src/pages/job/live-progress.ts): each drive's newest
 * event over its loaded bar, bytes and copy status, the estimate from the newest event; a drive that moved on
 * keeps what was loaded.
 */

import assert from "node:assert/strict";
import { it } from "node:test";

import type { ArmJob, ProgressEvent } from "../../src/wire/arm.js";
import { loadPortalModule } from "./portal-modules.js";

const { withProgress } = await loadPortalModule<{
  withProgress(job: ArmJob, events: ReadonlyMap<string, ProgressEvent>): ArmJob;
}>("pages/job/live-progress.ts");

const drive = (driveId: string, state: string) => ({
  driveId,
  state,
  percentComplete: 0,
  bytesSucceeded: 0,
  copyStatus: "InProgress",
});
const job = {
  name: "photos",
  properties: {
    state: "Transferring",
    driveList: [drive("A", "Transferring"), drive("B", "Transferring"), drive("C", "Completed")],
  },
} as unknown as ArmJob;
const event = (id: number, driveId: string, percent: number, eta: string): ProgressEvent => ({
  id,
  at: "2026-01-01T00:00:00.000Z",
  driveId,
  state: "Transferring",
  percentComplete: percent,
  bytesSucceeded: percent * 10,
  bytesTotal: 1000,
  copyStatus: percent > 50 ? "Retrying" : "InProgress",
  estimatedCompletionTime: eta,
});

it("lays each drive's newest event over its bar, bytes and status; the estimate is the newest event's", () => {
  assert.equal(withProgress(job, new Map()), job, "no event: the job as loaded");
  const shown = withProgress(
    job,
    new Map([
      ["A", event(9, "A", 60, "2026-01-01T02:00:00.000Z")],
      ["B", event(7, "B", 20, "2026-01-01T01:00:00.000Z")],
      ["C", event(5, "C", 90, "2026-01-01T00:30:00.000Z")],
    ]),
  );
  assert.deepEqual(
    shown.properties.driveList?.map((d) => [d.driveId, d.percentComplete, d.bytesSucceeded, d.copyStatus]),
    [
      ["A", 60, 600, "Retrying"],
      ["B", 20, 200, "InProgress"],
      ["C", 0, 0, "InProgress"], // Completed since its event: the loaded row stands.
    ],
  );
  assert.equal(shown.properties.estimatedCompletionTime, "2026-01-01T02:00:00.000Z");
  assert.equal(job.properties.driveList?.[0]?.percentComplete, 0, "the loaded job is not changed");
});
