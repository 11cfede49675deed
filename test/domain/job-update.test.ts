/** @module One use case's changes to a job: drive moves by the table, drives added, the job's state derived and recorded. */

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { blankDrive } from "../../src/domain/drive.js";
import { driveRecord, JobDraft, rederive } from "../../src/domain/job-update.js";
import type { Change, Drive, Job, StateChange } from "../../src/domain/model.js";
import type { DriveState, JobState } from "../../src/domain/states.js";
import { newDrive } from "../support/fixtures.js";
import { CHANGE, job, refusal, T0 } from "./helpers.js";

const JOB_ID = 4;
/** The change a use case settles its draft with: the job's own move is recorded with it. */
const SETTLE: Change = {
  at: "2026-01-03T00:00:00.000Z",
  actor: "ops@example.com",
  reason: "Package received",
};

const drive = (driveId: string, state: DriveState, over: Partial<Drive> = {}): Drive =>
  newDrive({ jobId: JOB_ID, driveId, state, ...over });
const jobIn = (state: JobState): Job => job({ id: JOB_ID, state });
const row = (driveId: string | undefined, from: string | null, to: string, change: Change): StateChange => ({
  jobId: JOB_ID,
  ...(driveId === undefined ? {} : { driveId }),
  from,
  to,
  ...change,
});

describe("JobDraft.move", () => {
  it("moves a drive by the drive table, sets the fields given, and records the move", () => {
    const draft = new JobDraft(jobIn("Transferring"), [drive("A", "Transferring"), drive("B", "Completed")]);
    const moved = draft.move("A", "CompletedMoreInfo", CHANGE, {
      errorCount: 2,
      copyStatus: "CompletedWithErrors",
    });
    assert.deepEqual(
      moved,
      drive("A", "CompletedMoreInfo", {
        stateChangedAt: CHANGE.at,
        errorCount: 2,
        copyStatus: "CompletedWithErrors",
      }),
    );
    assert.deepEqual(draft.drive("A"), moved);
    assert.deepEqual(draft.settle(SETTLE).history[0], row("A", "Transferring", "CompletedMoreInfo", CHANGE));
  });

  // The job in the state its one drive implies, so that settling has nothing to derive.
  const refused: [JobState, DriveState, DriveState][] = [
    ["Shipping", "Specified", "Transferring"],
    ["Completed", "ShippedBack", "Received"],
    ["Received", "Received", "ShippedBack"],
  ];
  for (const [state, from, to] of refused) {
    it(`refuses ${from} → ${to}, naming both states, and records nothing`, () => {
      const draft = new JobDraft(jobIn(state), [drive("A", from)]);
      const error = refusal(() => draft.move("A", to, CHANGE));
      assert.equal(error?.code, "InvalidDriveTransition");
      assert.ok(error.message.includes(`'${from}'`) && error.message.includes(`'${to}'`), error.message);
      assert.equal(draft.drive("A")?.state, from);
      const update = draft.settle(SETTLE);
      assert.deepEqual([update.changed, update.history], [[], []]);
    });
  }

  it("lets an extra drive go back as it came (Received → ShippedBack)", () => {
    const draft = new JobDraft(jobIn("Packaging"), [drive("X", "Received", { extra: true })]);
    assert.equal(draft.move("X", "ShippedBack", CHANGE).state, "ShippedBack");
  });

  it("a drive the job does not hold is a programming error, not a refusal", () => {
    const draft = new JobDraft(jobIn("Shipping"), [drive("A", "Specified")]);
    assert.throws(() => draft.move("Z", "Received", CHANGE), RangeError);
    assert.throws(() => draft.update("Z", { bytesTotal: 1 }), RangeError);
    assert.throws(() => draft.clear("Z", ["claimedBy"]), RangeError);
  });
});

describe("JobDraft.add", () => {
  it("adds the drive to this job, last, and records it with from: null", () => {
    const draft = new JobDraft(jobIn("Shipping"), [drive("A", "Specified")]);
    const added = draft.add(blankDrive(999, "X", true, CHANGE.at), CHANGE);
    assert.equal(added.jobId, JOB_ID);
    assert.deepEqual(
      draft.all().map((d) => d.driveId),
      ["A", "X"],
    );
    const update = draft.settle(SETTLE);
    assert.deepEqual(update.added, [added]);
    assert.deepEqual(update.changed, []);
    assert.deepEqual(update.history, [row("X", null, "Received", CHANGE)]);
  });
});

describe("JobDraft.update and JobDraft.clear", () => {
  it("update sets fields, changes no state and records nothing; the drive is saved as changed", () => {
    const draft = new JobDraft(jobIn("Transferring"), [
      drive("A", "Transferring"),
      drive("B", "Transferring"),
    ]);
    const updated = draft.update("A", { bytesSucceeded: 10, bytesTotal: 40, claimedBy: "st-1" });
    assert.deepEqual(
      updated,
      drive("A", "Transferring", { bytesSucceeded: 10, bytesTotal: 40, claimedBy: "st-1" }),
    );
    const update = draft.settle(SETTLE);
    assert.deepEqual(update.changed, [updated]);
    assert.deepEqual(update.history, []);
    assert.equal(update.job.state, "Transferring");
  });

  it("clear removes the fields, changes no state and records nothing", () => {
    const claimed = drive("A", "Transferring", { claimedBy: "st-1", leaseExpiresAt: CHANGE.at });
    const draft = new JobDraft(jobIn("Transferring"), [claimed]);
    const cleared = draft.clear("A", ["claimedBy", "leaseExpiresAt"]);
    assert.deepEqual(cleared, drive("A", "Transferring"));
    assert.ok(!("claimedBy" in cleared) && !("leaseExpiresAt" in cleared));
    const update = draft.settle(SETTLE);
    assert.deepEqual([update.changed, update.history], [[cleared], []]);
  });
});

describe("JobDraft.settle: the job's state derived from its drives, its move recorded with the settling change", () => {
  interface Step {
    move?: [string, DriveState];
    /** A drive added Received: an extra drive found in the package, or an export drive registered. */
    add?: string;
    extra?: boolean;
  }
  interface Row {
    name: string;
    job: JobState;
    drives: Drive[];
    steps: Step[];
    to: JobState;
    changed: string[];
    added: string[];
  }
  const rows: Row[] = [
    {
      name: "a package received: its drives Received or NeverReceived, an extra drive added: Shipping → Received",
      job: "Shipping",
      drives: [drive("A", "Specified"), drive("B", "Specified")],
      steps: [{ move: ["A", "Received"] }, { move: ["B", "NeverReceived"] }, { add: "X", extra: true }],
      to: "Received",
      changed: ["A", "B"],
      added: ["X"],
    },
    {
      name: "Decision 'a package that holds only an extra drive': Shipping → Packaging",
      job: "Shipping",
      drives: [drive("A", "Specified")],
      steps: [{ move: ["A", "NeverReceived"] }, { add: "X", extra: true }],
      to: "Packaging",
      changed: ["A"],
      added: ["X"],
    },
    {
      name: "the first copy starts: Received → Transferring",
      job: "Received",
      drives: [drive("A", "Received"), drive("B", "Received")],
      steps: [{ move: ["B", "Transferring"] }],
      to: "Transferring",
      changed: ["B"],
      added: [],
    },
    {
      name: "the last drive shipped back without errors: Packaging → Completed",
      job: "Packaging",
      drives: [drive("A", "Completed"), drive("B", "CompletedMoreInfo", { warningCount: 1 })],
      steps: [{ move: ["A", "ShippedBack"] }, { move: ["B", "ShippedBack"] }],
      to: "Completed",
      changed: ["A", "B"],
      added: [],
    },
    {
      name: "Decision 'nothing arrives': a late drive re-opens the job: Closed → Received",
      job: "Closed",
      drives: [drive("A", "NeverReceived")],
      steps: [{ move: ["A", "Received"] }],
      to: "Received",
      changed: ["A"],
      added: [],
    },
    {
      name: "Decision 'an export package that never arrives': a drive registered later re-opens it",
      job: "Closed",
      drives: [],
      steps: [{ add: "E-1" }],
      to: "Received",
      changed: [],
      added: ["E-1"],
    },
    {
      name: "an added drive moved in the same draft is only added",
      job: "Received",
      drives: [drive("A", "Received")],
      steps: [{ add: "E-2" }, { move: ["E-2", "Transferring"] }],
      to: "Transferring",
      changed: [],
      added: ["E-2"],
    },
    {
      name: "a move that leaves the job where it is: no job row",
      job: "Shipping",
      drives: [drive("A", "Specified"), drive("B", "Specified")],
      steps: [{ move: ["A", "Received"] }],
      to: "Shipping",
      changed: ["A"],
      added: [],
    },
  ];

  for (const r of rows) {
    it(r.name, () => {
      const original = jobIn(r.job);
      const drives = [...r.drives];
      const snapshot = structuredClone({ original, drives });
      const draft = new JobDraft(original, drives);
      const expected: StateChange[] = [];
      const states = new Map(r.drives.map((d) => [d.driveId, d.state]));
      for (const step of r.steps) {
        if (step.add !== undefined) {
          draft.add(blankDrive(0, step.add, step.extra === true, CHANGE.at), CHANGE);
          expected.push(row(step.add, null, "Received", CHANGE));
          states.set(step.add, "Received");
        } else if (step.move) {
          const [driveId, to] = step.move;
          draft.move(driveId, to, CHANGE);
          expected.push(row(driveId, states.get(driveId) ?? null, to, CHANGE));
          states.set(driveId, to);
        }
      }
      const update = draft.settle(SETTLE);

      assert.equal(update.job.state, r.to);
      if (r.to !== r.job) {
        expected.push(row(undefined, r.job, r.to, SETTLE));
        assert.equal(update.job.stateChangedAt, SETTLE.at);
      } else {
        assert.deepEqual(update.job, original);
      }
      assert.deepEqual(update.history, expected);
      assert.deepEqual(
        update.changed.map((d) => d.driveId),
        r.changed,
      );
      assert.deepEqual(
        update.added.map((d) => d.driveId),
        r.added,
      );
      assert.deepEqual(
        update.drives.map((d) => d.driveId),
        [...r.drives.map((d) => d.driveId), ...r.added],
      );
      assert.deepEqual({ original, drives }, snapshot, "the job and drives given are left untouched");
    });
  }

  it("setJob sets fields of the job it settles, beside its derived state", () => {
    const draft = new JobDraft(jobIn("Packaging"), [drive("A", "Completed")]);
    const returnPackage = {
      carrierName: "DHL",
      trackingNumber: "R-1",
      driveCount: 1,
      shipDate: "2026-01-03",
    };
    draft.setJob({ returnPackage });
    draft.move("A", "ShippedBack", CHANGE);
    const update = draft.settle(SETTLE);
    assert.deepEqual(update.job, {
      ...jobIn("Packaging"),
      returnPackage,
      state: "Completed",
      stateChangedAt: SETTLE.at,
    });
  });
});

describe("rederive", () => {
  it("unchanged: the same job, and no record", () => {
    const j = jobIn("Shipping");
    const result = rederive(j, [drive("A", "Specified")], SETTLE);
    assert.equal(result.job, j);
    assert.ok(!("record" in result));
  });

  it("changed: the moved job and its history row", () => {
    const result = rederive(jobIn("Shipping"), [drive("A", "Received")], SETTLE);
    assert.deepEqual(result, {
      job: { ...jobIn("Shipping"), state: "Received", stateChangedAt: SETTLE.at },
      record: row(undefined, "Shipping", "Received", SETTLE),
    });
  });

  it("a derived move that JOB_MOVES forbids is refused, naming both states", () => {
    const error = refusal(() => rederive(jobIn("Received"), [drive("A", "Specified")], SETTLE));
    assert.equal(error?.code, "InvalidJobTransition");
    assert.ok(error.message.includes("'Received'") && error.message.includes("'Shipping'"), error.message);
  });

  it("Creating and Canceled are the customer's: never derived", () => {
    for (const state of ["Creating", "Canceled"] as const) {
      assert.deepEqual(rederive(jobIn(state), [drive("A", "Received")], SETTLE), { job: jobIn(state) });
    }
  });
});

describe("driveRecord", () => {
  it("records the drive's job, id, the state it left and the one it is in, with the change", () => {
    assert.deepEqual(driveRecord(drive("A", "Received", { stateChangedAt: T0 }), "Specified", CHANGE), {
      jobId: JOB_ID,
      driveId: "A",
      from: "Specified",
      to: "Received",
      at: CHANGE.at,
      actor: CHANGE.actor,
      reason: CHANGE.reason,
    });
  });

  it("from: null for a drive just listed or found", () => {
    assert.equal(driveRecord(drive("A", "Specified"), null, CHANGE).from, null);
  });
});
