/** @module The estimated completion time: known only for a Transferring job whose every working drive has a rate. */

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { estimatedCompletion } from "../../src/domain/estimate.js";
import type { Drive } from "../../src/domain/model.js";
import { DRIVE_STATES, type DriveState, JOB_STATES } from "../../src/domain/states.js";
import { newDrive } from "../support/fixtures.js";

const START = "2026-01-01T00:00:00.000Z";
const MINUTE = 60_000;
/** Ten minutes after START. */
const NOW = new Date(Date.parse(START) + 10 * MINUTE);
const at = (minutesAfterStart: number) =>
  new Date(Date.parse(START) + minutesAfterStart * MINUTE).toISOString();

/** A drive that entered Transferring at START and has copied `done` of `total` bytes. */
function copying(done: number, total: number, over: Partial<Drive> = {}): Drive {
  return newDrive({
    state: "Transferring",
    bytesSucceeded: done,
    bytesTotal: total,
    stateChangedAt: START,
    ...over,
  });
}

function drive(state: DriveState, over: Partial<Drive> = {}): Drive {
  return newDrive({ state, stateChangedAt: START, ...over });
}

describe("estimatedCompletion", () => {
  it("one drive: now plus its remaining bytes at its rate so far", () => {
    // Half in ten minutes: the other half in ten more.
    assert.equal(estimatedCompletion("Transferring", [copying(500, 1000)], NOW), at(20));
    // A quarter in ten minutes: thirty more.
    assert.equal(estimatedCompletion("Transferring", [copying(250, 1000)], NOW), at(40));
  });

  it("several drives: the latest of their estimates", () => {
    const fast = copying(900, 1000);
    const slow = copying(100, 1000, { driveId: "WD-2" });
    assert.equal(estimatedCompletion("Transferring", [fast, slow], NOW), at(100));
    assert.equal(estimatedCompletion("Transferring", [slow, fast], NOW), at(100));
  });

  it("each drive's rate runs from when it entered Transferring", () => {
    const early = copying(500, 1000); // 500 bytes in 10 minutes → 10 more
    const late = copying(500, 1000, { driveId: "WD-2", stateChangedAt: at(8) }); // 500 in 2 → 2 more
    assert.equal(estimatedCompletion("Transferring", [early, late], NOW), at(20));
    assert.equal(estimatedCompletion("Transferring", [late], NOW), at(12));
  });

  it("a drive at its last byte (copied, not yet finished) estimates now", () => {
    assert.equal(estimatedCompletion("Transferring", [copying(1000, 1000)], NOW), NOW.toISOString());
    // More copied than the size said: nothing left, not a time in the past.
    assert.equal(estimatedCompletion("Transferring", [copying(1200, 1000)], NOW), NOW.toISOString());
  });

  it("drives with no work left are ignored: processed, NeverReceived, and extra drives", () => {
    for (const state of ["Completed", "CompletedMoreInfo", "ShippedBack", "NeverReceived"] as const) {
      assert.equal(
        estimatedCompletion("Transferring", [drive(state, { driveId: "WD-0" }), copying(500, 1000)], NOW),
        at(20),
        state,
      );
    }
    // An extra drive is never copied, whatever state it is in.
    assert.equal(
      estimatedCompletion(
        "Transferring",
        [drive("Received", { driveId: "X", extra: true }), copying(500, 1000)],
        NOW,
      ),
      at(20),
    );
  });

  it("unknown in every job state but Transferring", () => {
    for (const state of JOB_STATES.filter((s) => s !== "Transferring")) {
      assert.equal(estimatedCompletion(state, [copying(500, 1000)], NOW), undefined, state);
    }
  });

  it("unknown while a drive still waits for a station (Received), or is in no copying state", () => {
    assert.equal(
      estimatedCompletion("Transferring", [copying(500, 1000), drive("Received", { driveId: "WD-2" })], NOW),
      undefined,
    );
    assert.equal(estimatedCompletion("Transferring", [drive("Specified")], NOW), undefined);
    for (const state of DRIVE_STATES.filter((s) => s !== "Transferring")) {
      assert.equal(estimatedCompletion("Transferring", [drive(state)], NOW), undefined, state);
    }
  });

  it("unknown with no drive left to copy", () => {
    assert.equal(estimatedCompletion("Transferring", [], NOW), undefined);
    assert.equal(estimatedCompletion("Transferring", [drive("Completed")], NOW), undefined);
  });

  it("unknown until a transferring drive has copied something of a known size", () => {
    assert.equal(estimatedCompletion("Transferring", [copying(0, 1000)], NOW), undefined);
    assert.equal(estimatedCompletion("Transferring", [copying(0, 0)], NOW), undefined);
    assert.equal(estimatedCompletion("Transferring", [copying(500, 0)], NOW), undefined);
    assert.equal(estimatedCompletion("Transferring", [copying(-5, 1000)], NOW), undefined);
    assert.equal(estimatedCompletion("Transferring", [copying(Number.NaN, 1000)], NOW), undefined);
    assert.equal(
      estimatedCompletion("Transferring", [copying(500, Number.POSITIVE_INFINITY)], NOW),
      undefined,
    );
    // One drive without a rate makes the whole job's unknown.
    assert.equal(
      estimatedCompletion("Transferring", [copying(500, 1000), copying(0, 1000, { driveId: "WD-2" })], NOW),
      undefined,
    );
  });

  it("the smallest amounts that count: one byte copied, one millisecond elapsed", () => {
    assert.equal(estimatedCompletion("Transferring", [copying(1, 2)], NOW), at(20));
    const oneMs = new Date(Date.parse(START) + 1);
    assert.equal(
      estimatedCompletion("Transferring", [copying(1, 3)], oneMs),
      new Date(Date.parse(START) + 3).toISOString(),
    );
  });

  it("unknown with no time elapsed since the drive entered Transferring, or a time in the future", () => {
    // The first progress report is also the move to Transferring: no rate yet.
    assert.equal(
      estimatedCompletion("Transferring", [copying(500, 1000, { stateChangedAt: NOW.toISOString() })], NOW),
      undefined,
    );
    assert.equal(
      estimatedCompletion("Transferring", [copying(500, 1000, { stateChangedAt: at(11) })], NOW),
      undefined,
    );
    assert.equal(
      estimatedCompletion("Transferring", [copying(500, 1000, { stateChangedAt: "not a time" })], NOW),
      undefined,
    );
  });

  it("unknown when the estimate lies beyond what a date can hold", () => {
    // One byte in ten minutes, a petabyte to go: some 19 billion years.
    assert.equal(estimatedCompletion("Transferring", [copying(1, 1e15)], NOW), undefined);
  });

  it("rounds up to the millisecond, so the estimate is never early", () => {
    // 3 bytes in 10 minutes, 1 to go: 200,000 ms exactly; 7 of 10 → 257,142.857… ms → 257,143.
    assert.equal(
      estimatedCompletion("Transferring", [copying(3, 4)], NOW),
      new Date(NOW.getTime() + 200_000).toISOString(),
    );
    assert.equal(
      estimatedCompletion("Transferring", [copying(7, 10)], NOW),
      new Date(NOW.getTime() + 257_143).toISOString(),
    );
  });
});
