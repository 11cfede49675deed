import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  assertJobMove,
  canMoveJob,
  DELETABLE_JOB_STATES,
  JOB_MOVES,
  throwIfJobCannotShip,
  throwIfJobNotCancelable,
  throwIfJobNotDeletable,
} from "../../src/domain/job.js";
import type { Drive } from "../../src/domain/model.js";
import { type DriveState, JOB_STATES, type JobState } from "../../src/domain/states.js";
import { newDrive } from "../support/fixtures.js";
import { job, refusal, T0 } from "./helpers.js";

// Written from the brief and LIFECYCLE.md, not read from JOB_MOVES.
const ALLOWED: ReadonlyArray<readonly [JobState, JobState]> = [
  ["Creating", "Shipping"],
  ["Creating", "Canceled"],
  ["Shipping", "Received"],
  ["Shipping", "Closed"],
  ["Shipping", "Packaging"],
  ["Received", "Transferring"],
  ["Transferring", "Packaging"],
  ["Packaging", "Completed"],
  ["Packaging", "Closed"],
  ["Packaging", "Transferring"],
  ["Closed", "Received"],
  ["Closed", "Packaging"],
];

function drive(state: DriveState = "Specified", extra = false): Drive {
  return newDrive({ jobId: 1, driveId: extra ? "EXTRA" : "WD-1", extra, state, stateChangedAt: T0 });
}

describe("job moves", () => {
  it("covers all 64 pairs", () => {
    assert.equal(JOB_STATES.length * JOB_STATES.length, 64);
  });
  for (const from of JOB_STATES) {
    for (const to of JOB_STATES) {
      const expected = ALLOWED.some(([a, b]) => a === from && b === to);
      it(`${from} → ${to} is ${expected ? "allowed" : "refused"}`, () => {
        assert.equal(canMoveJob(from, to), expected);
        assert.equal(JOB_MOVES[from].includes(to), expected);
        const error = refusal(() => assertJobMove(from, to));
        if (expected) {
          assert.equal(error, undefined);
        } else {
          assert.equal(error?.code, "InvalidJobTransition");
          assert.ok(error.message.includes(`'${from}'`), error.message);
          assert.ok(error.message.includes(`'${to}'`), error.message);
        }
      });
    }
  }

  it("refuses a state name that is not a job state, even one on Object.prototype", () => {
    assert.equal(canMoveJob("constructor" as JobState, "Shipping"), false);
  });
});

describe("cancel and delete guards", () => {
  for (const state of JOB_STATES) {
    it(`cancel in ${state} is ${state === "Creating" ? "allowed" : "refused, naming the state"}`, () => {
      const error = refusal(() => throwIfJobNotCancelable({ state }));
      if (state === "Creating") {
        assert.equal(error, undefined);
      } else {
        assert.equal(error?.code, "InvalidJobState");
        assert.ok(error.message.includes(`'${state}'`), error.message);
        assert.match(error.message, /cancel/);
      }
    });

    const deletable = ["Creating", "Completed", "Closed", "Canceled"].includes(state);
    it(`delete in ${state} is ${deletable ? "allowed" : "refused, naming the state"}`, () => {
      assert.equal(DELETABLE_JOB_STATES.includes(state), deletable);
      const error = refusal(() => throwIfJobNotDeletable({ state }));
      if (deletable) {
        assert.equal(error, undefined);
      } else {
        assert.equal(error?.code, "InvalidJobState");
        assert.ok(error.message.includes(`'${state}'`), error.message);
        assert.match(error.message, /delete/);
      }
    });
  }
});

describe("throwIfJobCannotShip", () => {
  it("allows an import job in Creating with an address, a package and a drive", () => {
    assert.equal(
      refusal(() => throwIfJobCannotShip(job(), [drive()])),
      undefined,
    );
  });

  it("allows an export job with no drives", () => {
    assert.equal(
      refusal(() => throwIfJobCannotShip(job({ type: "Export" }), [])),
      undefined,
    );
  });

  for (const state of JOB_STATES.filter((s) => s !== "Creating")) {
    it(`refuses in ${state}, naming the state`, () => {
      const error = refusal(() => throwIfJobCannotShip(job({ state }), [drive()]));
      assert.equal(error?.code, "InvalidJobState");
      assert.ok(error.message.includes(`'${state}'`), error.message);
    });
  }

  it("asks for the return address", () => {
    const error = refusal(() => throwIfJobCannotShip(job({ returnAddress: undefined }), [drive()]));
    assert.equal(error?.code, "ReturnAddressRequired");
    assert.equal(error.target, "returnAddress");
    assert.match(error.message, /Set returnAddress .* before setting state to Shipping/);
  });

  it("asks for the delivery package", () => {
    const error = refusal(() => throwIfJobCannotShip(job({ deliveryPackage: undefined }), [drive()]));
    assert.equal(error?.code, "DeliveryPackageRequired");
    assert.equal(error.target, "deliveryPackage");
    assert.match(error.message, /Set deliveryPackage .* before setting state to Shipping/);
  });

  it("checks the state before the missing fields", () => {
    const error = refusal(() =>
      throwIfJobCannotShip(
        job({ state: "Shipping", returnAddress: undefined, deliveryPackage: undefined }),
        [],
      ),
    );
    assert.equal(error?.code, "InvalidJobState");
  });

  it("asks an import job for at least one drive of its own", () => {
    for (const drives of [[], [drive("Received", true)]]) {
      const error = refusal(() => throwIfJobCannotShip(job(), drives));
      assert.equal(error?.code, "InvalidDriveList");
      assert.match(error.message, /at least one drive/);
    }
  });
});
