import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  canMoveDrive,
  COPYABLE_DRIVE_STATES,
  DRIVE_MOVES,
  holdsDrive,
  moveDrive,
  NOT_COPYABLE_DRIVE_STATES,
  shipsBack,
  throwIfDriveMoveBlocked,
  throwIfDrivesInUse,
} from "../../src/domain/drive.js";
import { DomainError } from "../../src/domain/errors.js";
import type { Drive } from "../../src/domain/model.js";
import { DRIVE_STATES, type DriveState, JOB_STATES } from "../../src/domain/states.js";
import { newDrive } from "../support/fixtures.js";
import { refusal } from "./helpers.js";

// Written from LIFECYCLE.md "Allowed moves", not read from DRIVE_MOVES, so the two check each other.
const ALLOWED: ReadonlyArray<readonly [DriveState, DriveState]> = [
  ["Specified", "Received"],
  ["Specified", "NeverReceived"],
  ["NeverReceived", "Received"],
  ["Received", "Transferring"],
  ["Transferring", "Completed"],
  ["Transferring", "CompletedMoreInfo"],
  ["Completed", "ShippedBack"],
  ["CompletedMoreInfo", "ShippedBack"],
];
// Extra drives are never copied, only returned with the job.
const EXTRA_ONLY: ReadonlyArray<readonly [DriveState, DriveState]> = [["Received", "ShippedBack"]];

const AT = "2026-01-01T00:00:00.000Z";
const LATER = "2026-01-02T03:04:05.678Z";

function drive(state: DriveState, extra = false, driveId = "WD-123"): Drive {
  return newDrive({ jobId: 7, driveId, extra, state, stateChangedAt: AT });
}

function allowed(list: ReadonlyArray<readonly [DriveState, DriveState]>, from: DriveState, to: DriveState) {
  return list.some(([a, b]) => a === from && b === to);
}

function assertRefused(fn: () => unknown, from: DriveState, to: DriveState, driveId: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof DomainError);
    assert.equal(error.code, "InvalidDriveTransition");
    assert.ok(error.message.includes(`'${from}'`), error.message);
    assert.ok(error.message.includes(`'${to}'`), error.message);
    assert.ok(error.message.includes(driveId), error.message);
    return true;
  });
}

describe("drive moves (own drives)", () => {
  it("covers all 49 pairs", () => {
    assert.equal(DRIVE_STATES.length * DRIVE_STATES.length, 49);
  });
  for (const from of DRIVE_STATES) {
    for (const to of DRIVE_STATES) {
      const expected = allowed(ALLOWED, from, to);
      it(`${from} → ${to} is ${expected ? "allowed" : "refused"}`, () => {
        assert.equal(canMoveDrive(from, to), expected);
        assert.equal(canMoveDrive(from, to, false), expected);
        assert.equal(DRIVE_MOVES[from].includes(to), expected);
        if (expected) {
          const moved = moveDrive(drive(from), to, LATER);
          assert.equal(moved.state, to);
          assert.equal(moved.stateChangedAt, LATER);
        } else {
          assertRefused(() => moveDrive(drive(from), to, LATER), from, to, "WD-123");
        }
      });
    }
  }
});

describe("drive moves (extra drives)", () => {
  for (const from of DRIVE_STATES) {
    for (const to of DRIVE_STATES) {
      const expected = allowed(ALLOWED, from, to) || allowed(EXTRA_ONLY, from, to);
      it(`extra ${from} → ${to} is ${expected ? "allowed" : "refused"}`, () => {
        assert.equal(canMoveDrive(from, to, true), expected);
        if (expected) {
          assert.equal(moveDrive(drive(from, true), to, LATER).state, to);
        } else {
          assertRefused(() => moveDrive(drive(from, true, "EXTRA-1"), to, LATER), from, to, "EXTRA-1");
        }
      });
    }
  }

  it("Received → ShippedBack is refused for an own drive", () => {
    assertRefused(
      () => moveDrive(drive("Received"), "ShippedBack", LATER),
      "Received",
      "ShippedBack",
      "WD-123",
    );
  });
});

describe("moveDrive", () => {
  it("returns a new drive and leaves the original untouched", () => {
    const original = drive("Transferring");
    original.bytesSucceeded = 42;
    const snapshot = structuredClone(original);
    const moved = moveDrive(original, "CompletedMoreInfo", LATER);
    assert.notEqual(moved, original);
    assert.deepEqual(original, snapshot);
    assert.deepEqual(moved, { ...snapshot, state: "CompletedMoreInfo", stateChangedAt: LATER });
  });

  it("does not mutate on refusal either", () => {
    const original = drive("ShippedBack");
    const snapshot = structuredClone(original);
    assert.throws(() => moveDrive(original, "Received", LATER));
    assert.deepEqual(original, snapshot);
  });

  it("refuses a state name that is not a drive state, even one on Object.prototype", () => {
    assert.equal(canMoveDrive("toString" as DriveState, "Received"), false);
    assert.equal(canMoveDrive("Received", "toString" as DriveState, true), false);
  });

  it("cannot have its table changed at run time", () => {
    assert.throws(() => {
      (DRIVE_MOVES.ShippedBack as DriveState[]).push("Received");
    });
    assert.equal(canMoveDrive("ShippedBack", "Received"), false);
  });
});

describe("throwIfDriveMoveBlocked", () => {
  const code = (fn: () => void): string | undefined => refusal(fn)?.code;

  it("refuses any drive move while the job is Creating or Canceled", () => {
    for (const state of ["Creating", "Canceled"] as const) {
      const d = drive("Specified");
      assert.equal(
        code(() => throwIfDriveMoveBlocked({ state }, [d], d, "Received")),
        "InvalidJobState",
      );
    }
  });

  it("refuses copying while another own drive is still Specified, naming it", () => {
    const a = drive("Received", false, "A");
    const b = drive("Specified", false, "B");
    assert.throws(
      () => throwIfDriveMoveBlocked({ state: "Shipping" }, [a, b], a, "Transferring"),
      (error: unknown) =>
        error instanceof DomainError && error.code === "InvalidJobState" && /'B'/.test(error.message),
    );
    // Receiving the rest of the package is fine.
    assert.equal(
      code(() => throwIfDriveMoveBlocked({ state: "Shipping" }, [a, b], b, "Received")),
      undefined,
    );
    assert.equal(
      code(() => throwIfDriveMoveBlocked({ state: "Shipping" }, [a, b], b, "NeverReceived")),
      undefined,
    );
  });

  it("allows copying once every own drive is accounted for", () => {
    const a = drive("Received", false, "A");
    const b = drive("NeverReceived", false, "B");
    assert.equal(
      code(() => throwIfDriveMoveBlocked({ state: "Received" }, [a, b], a, "Transferring")),
      undefined,
    );
  });

  it("never lets an extra drive be copied", () => {
    const a = drive("Received", false, "A");
    const x = drive("Received", true, "X");
    assert.equal(
      code(() => throwIfDriveMoveBlocked({ state: "Received" }, [a, x], x, "Transferring")),
      "InvalidDriveTransition",
    );
    assert.equal(
      code(() => throwIfDriveMoveBlocked({ state: "Packaging" }, [a, x], x, "ShippedBack")),
      undefined,
    );
  });

  it("lets a late drive re-open a Closed job", () => {
    const a = drive("NeverReceived", false, "A");
    assert.equal(
      code(() => throwIfDriveMoveBlocked({ state: "Closed" }, [a], a, "Received")),
      undefined,
    );
  });
});

describe("shipsBack: what goes back in the job's return package", () => {
  // An own drive once copied; an extra drive as it came (never copied); a NeverReceived drive is not here.
  const OWN_BACK: readonly DriveState[] = ["Completed", "CompletedMoreInfo"];
  const EXTRA_BACK: readonly DriveState[] = ["Received"];
  for (const state of DRIVE_STATES) {
    for (const extra of [false, true]) {
      const back = (extra ? EXTRA_BACK : OWN_BACK).includes(state);
      it(`${extra ? "an extra" : "an own"} drive ${state}: ${back ? "goes back" : "stays"}`, () => {
        assert.equal(shipsBack({ state, extra }), back);
        if (back) {
          // What goes back can make the move that ships it.
          assert.ok(canMoveDrive(state, "ShippedBack", extra));
        }
      });
    }
  }
});

describe("COPYABLE_DRIVE_STATES and NOT_COPYABLE_DRIVE_STATES", () => {
  it("a station copies a drive Received (waiting) or Transferring (perhaps by a station that died)", () => {
    assert.deepEqual([...COPYABLE_DRIVE_STATES].sort(), ["Received", "Transferring"]);
  });

  it("together are every drive state, each once", () => {
    const both = [...COPYABLE_DRIVE_STATES, ...NOT_COPYABLE_DRIVE_STATES];
    assert.deepEqual([...both].sort(), [...DRIVE_STATES].sort());
    assert.equal(new Set(both).size, both.length);
  });
});

describe("holdsDrive: LIFECYCLE.md 'one drive, one live job'", () => {
  // A job holds its drive until it is shipped back, unless the job was cancelled (the drive never left).
  for (const jobState of JOB_STATES) {
    for (const state of DRIVE_STATES) {
      const held = jobState !== "Canceled" && state !== "ShippedBack";
      it(`a drive ${state} of a job ${jobState}: ${held ? "held" : "free to list again"}`, () => {
        assert.equal(holdsDrive(jobState, { state }), held);
      });
    }
  }

  it("refuses a serial another job holds, ignoring case, naming the row and not the other job", () => {
    const others = [
      { jobState: "Shipping", drive: { driveId: "WD-HELD", state: "Specified" as const } },
      { jobState: "Completed", drive: { driveId: "WD-BACK", state: "ShippedBack" as const } },
      { jobState: "Canceled", drive: { driveId: "WD-CANCELED", state: "Specified" as const } },
    ];
    const target = (i: number) => `properties.driveList[${i}].driveId`;
    throwIfDrivesInUse(["WD-BACK", "wd-canceled", "WD-NEW"], others, target);
    const error = refusal(() => throwIfDrivesInUse(["WD-NEW", "wd-held"], others, target));
    assert.equal(error?.code, "DriveInUse");
    assert.equal(error?.target, "properties.driveList[1].driveId");
    assert.doesNotMatch(error?.message ?? "", /Shipping|job '/);
  });
});
