import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  assertJobMove,
  canMoveJob,
  DELETABLE_JOB_STATES,
  JOB_MOVES,
  moveJob,
  throwIfDriveCannotBeRegistered,
  throwIfJobCannotShip,
  throwIfJobCannotShipBack,
  throwIfJobNotCancelable,
  throwIfJobNotDeletable,
} from "../../src/domain/job.js";
import type { Drive } from "../../src/domain/model.js";
import { type DriveState, JOB_STATES, type JobState } from "../../src/domain/states.js";
import { newDrive } from "../support/fixtures.js";
import { CHANGE, job, refusal, T0 } from "./helpers.js";

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

/** The job's drive WD-1, or its extra drive EXTRA, in `state`. */
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
        const before = job({ state: from });
        const refusals = [refusal(() => assertJobMove(from, to)), refusal(() => moveJob(before, to, CHANGE))];
        if (expected) {
          assert.deepEqual(refusals, [undefined, undefined]);
          // moveJob: the job in its new state since the change, and the history row of the move.
          assert.deepEqual(moveJob(before, to, CHANGE), {
            job: { ...before, state: to, stateChangedAt: CHANGE.at },
            record: { jobId: before.id, from, to, at: CHANGE.at, actor: CHANGE.actor, reason: CHANGE.reason },
          });
        } else {
          for (const error of refusals) {
            assert.equal(error?.code, "InvalidJobTransition");
            assert.ok(error.message.includes(`'${from}'`), error.message);
            assert.ok(error.message.includes(`'${to}'`), error.message);
          }
        }
        assert.deepEqual(before, job({ state: from }), "the job given is left as it was");
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

describe("throwIfJobCannotShipBack", () => {
  for (const state of JOB_STATES) {
    const allowed = state === "Packaging";
    it(`in ${state}: ${allowed ? "drives go back" : "refused, naming the job and its state"}`, () => {
      const error = refusal(() => throwIfJobCannotShipBack(job({ name: "photos", state })));
      if (allowed) {
        assert.equal(error, undefined);
        return;
      }
      assert.equal(error?.code, "InvalidJobState");
      assert.ok(error.message.includes("'photos'") && error.message.includes(`'${state}'`), error.message);
      assert.match(error.message, /once every drive is processed \(Packaging\)/);
    });
  }
});

describe("throwIfDriveCannotBeRegistered", () => {
  // Written from LIFECYCLE.md: an export job's drives are registered on arrival, while its package is being
  // received; "an export package that never arrives": Closed with no drive of its own, a drive re-opens it.
  const REGISTERS: Record<JobState, "yes" | "only without a drive of its own" | "no"> = {
    Creating: "no",
    Shipping: "yes",
    Received: "yes",
    Transferring: "yes",
    Packaging: "no",
    Completed: "no",
    Closed: "only without a drive of its own",
    Canceled: "no",
  };
  // [what the job holds, whether a drive of its own is among it]
  const DRIVE_SETS: [string, Drive[], boolean][] = [
    ["no drive", [], false],
    ["only an extra drive", [drive("Received", true)], false],
    ["a drive of its own, shipped back", [drive("ShippedBack")], true],
  ];
  for (const state of JOB_STATES) {
    for (const [held, drives, own] of DRIVE_SETS) {
      const allowed = REGISTERS[state] === "yes" || (REGISTERS[state] !== "no" && !own);
      it(`export job in ${state} with ${held}: ${allowed ? "registers" : "refused, naming the job and its state"}`, () => {
        const error = refusal(() =>
          throwIfDriveCannotBeRegistered(job({ name: "backup", state, type: "Export" }), drives),
        );
        if (allowed) {
          assert.equal(error, undefined);
          return;
        }
        assert.equal(error?.code, "InvalidJobState");
        assert.ok(error.message.includes("'backup'") && error.message.includes(`'${state}'`), error.message);
      });
    }

    it(`import job in ${state}: refused (its drives are listed by the customer)`, () => {
      const error = refusal(() => throwIfDriveCannotBeRegistered(job({ name: "photos", state }), []));
      assert.equal(error?.code, "InvalidJobState");
      assert.match(error.message, /'photos' is an import job/);
    });
  }
});
