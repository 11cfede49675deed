import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { DAY_MS } from "../../src/domain/clock.js";
import type { Drive, Job } from "../../src/domain/model.js";
import { type DriveState, JOB_STATES, type JobState } from "../../src/domain/states.js";
import {
  deliveryTimeoutAt,
  type DueEffect,
  dueEffects,
  TIMER_RULES,
  timerCutoffs,
  type TimerField,
  type TimerName,
  TIMERS,
} from "../../src/domain/timers.js";
import { newDrive } from "../support/fixtures.js";
import { job as makeJob, T0 as AT } from "./helpers.js";

const T0 = new Date(AT);
const plus = (ms: number): Date => new Date(T0.getTime() + ms);
const iso = (d: Date): string => d.toISOString();

const job = (state: JobState, over: Partial<Job> = {}): Job => makeJob({ state, ...over });

function drive(driveId: string, state: DriveState, extra = false): Drive {
  return newDrive({ jobId: 1, driveId, extra, state, stateChangedAt: iso(T0) });
}

const specified = [drive("A", "Specified"), drive("B", "Specified")];

describe("TIMERS", () => {
  it("are 14, 14 and 90 days", () => {
    assert.equal(TIMERS.creatingTimeoutMs, 14 * DAY_MS);
    assert.equal(TIMERS.deliveryTimeoutMs, 14 * DAY_MS);
    assert.equal(TIMERS.retentionMs, 90 * DAY_MS);
    assert.equal(TIMERS.creatingTimeoutMs, 1_209_600_000);
  });
});

describe("Creating timeout", () => {
  const j = job("Creating");
  it("is not due 1 ms before 14 days", () => {
    assert.deepEqual(dueEffects(j, specified, plus(14 * DAY_MS - 1)), []);
  });
  for (const [label, at] of [
    ["exactly at 14 days", plus(14 * DAY_MS)],
    ["1 ms after 14 days", plus(14 * DAY_MS + 1)],
    ["a year later", plus(365 * DAY_MS)],
  ] as const) {
    it(`deletes the job ${label}`, () => {
      const effects = dueEffects(j, specified, at);
      assert.equal(effects.length, 1);
      const [effect] = effects;
      assert.equal(effect?.kind, "DeleteJob");
      assert.ok(effect?.kind === "DeleteJob" && effect.timer === "CreatingTimeout");
      assert.match(effect.reason, /Creating timeout/);
      assert.match(effect.reason, /14 days/);
    });
  }
});

describe("Delivery timeout", () => {
  const j = job("Shipping", { createdAt: iso(plus(-30 * DAY_MS)), trackingRecordedAt: iso(T0) });
  it("is not due 1 ms before 14 days", () => {
    assert.deepEqual(dueEffects(j, specified, plus(14 * DAY_MS - 1)), []);
  });
  for (const [label, at] of [
    ["exactly at 14 days", plus(14 * DAY_MS)],
    ["1 ms after 14 days", plus(14 * DAY_MS + 1)],
  ] as const) {
    it(`marks Specified drives NeverReceived ${label}`, () => {
      const effects = dueEffects(j, specified, at);
      assert.equal(effects.length, 1);
      const [effect] = effects;
      assert.ok(effect?.kind === "MarkNeverReceived");
      assert.deepEqual(effect.driveIds, ["A", "B"]);
      assert.match(effect.reason, /Delivery timeout/);
      assert.match(effect.reason, /14 days after tracking was recorded/);
    });
  }

  it("lists only the drives still Specified", () => {
    const drives = [
      drive("A", "Received"),
      drive("B", "Specified"),
      drive("C", "NeverReceived"),
      drive("D", "Specified"),
      drive("X", "Received", true),
    ];
    const [effect] = dueEffects(j, drives, plus(20 * DAY_MS));
    assert.ok(effect?.kind === "MarkNeverReceived");
    assert.deepEqual(effect.driveIds, ["B", "D"]);
  });

  it("has nothing to do when no drive is Specified", () => {
    const drives = [drive("A", "Received"), drive("B", "NeverReceived")];
    assert.deepEqual(dueEffects(j, drives, plus(20 * DAY_MS)), []);
  });

  it("closes an export job whose drives were never registered (its package never arrived)", () => {
    assert.deepEqual(dueEffects({ ...j, type: "Export" }, [], plus(20 * DAY_MS)), [
      {
        kind: "CloseJob",
        reason: "Delivery timeout: package not received 14 days after tracking was recorded.",
      },
    ]);
    assert.deepEqual(dueEffects({ ...j, type: "Export" }, [], plus(14 * DAY_MS - 1)), [], "not before");
  });

  it("never starts without trackingRecordedAt (it does not fall back to createdAt)", () => {
    const noTracking = job("Shipping", { createdAt: iso(plus(-300 * DAY_MS)) });
    assert.deepEqual(dueEffects(noTracking, specified, plus(300 * DAY_MS)), []);
  });
});

describe("Retention", () => {
  for (const state of ["Completed", "Closed", "Canceled"] as const) {
    const j = job(state, { createdAt: iso(plus(-30 * DAY_MS)), stateChangedAt: iso(T0) });
    it(`${state}: not due 1 ms before 90 days`, () => {
      assert.deepEqual(dueEffects(j, [], plus(90 * DAY_MS - 1)), []);
    });
    it(`${state}: due exactly at 90 days and 1 ms after`, () => {
      for (const at of [plus(90 * DAY_MS), plus(90 * DAY_MS + 1)]) {
        const effects = dueEffects(j, [], at);
        assert.equal(effects.length, 1);
        const [effect] = effects;
        assert.ok(effect?.kind === "DeleteJob" && effect.timer === "Retention");
        assert.match(effect.reason, /Retention/);
        assert.match(effect.reason, /90 days/);
      }
    });
  }

  it("runs from stateChangedAt, not from creation", () => {
    const j = job("Completed", { createdAt: iso(plus(-400 * DAY_MS)), stateChangedAt: iso(T0) });
    assert.deepEqual(dueEffects(j, [], plus(DAY_MS)), []);
  });
});

describe("no timer elsewhere", () => {
  for (const state of ["Received", "Transferring", "Packaging"] as const) {
    it(`${state} never has a due effect`, () => {
      const j = job(state, { trackingRecordedAt: iso(T0) });
      assert.deepEqual(dueEffects(j, [drive("A", "Specified")], plus(1000 * DAY_MS)), []);
    });
  }
});

describe("a clock that goes backwards", () => {
  for (const state of JOB_STATES) {
    it(`${state}: no effect and no throw`, () => {
      const j = job(state, { trackingRecordedAt: iso(T0) });
      assert.deepEqual(dueEffects(j, specified, plus(-1)), []);
      assert.deepEqual(dueEffects(j, specified, plus(-1000 * DAY_MS)), []);
    });
  }

  it("an unreadable timestamp or an invalid now is no effect, not a throw", () => {
    assert.deepEqual(dueEffects(job("Creating", { createdAt: "not a date" }), [], plus(100 * DAY_MS)), []);
    assert.deepEqual(dueEffects(job("Creating"), [], new Date(Number.NaN)), []);
  });
});

describe("timerCutoffs", () => {
  it("gives now minus each timer length as ISO strings", () => {
    const now = new Date("2026-03-31T12:34:56.789Z");
    assert.deepEqual(timerCutoffs(now), [
      { states: ["Creating"], since: "createdAt", atOrBefore: "2026-03-17T12:34:56.789Z" },
      { states: ["Shipping"], since: "trackingRecordedAt", atOrBefore: "2026-03-17T12:34:56.789Z" },
      {
        states: ["Completed", "Closed", "Canceled"],
        since: "stateChangedAt",
        atOrBefore: "2025-12-31T12:34:56.789Z",
      },
    ]);
  });

  it("agrees with dueEffects at the boundary", () => {
    const now = plus(14 * DAY_MS);
    const cutoff = timerCutoffs(now).find((c) => c.since === "createdAt")!.atOrBefore;
    assert.equal(cutoff, iso(T0));
    assert.equal(dueEffects(job("Creating", { createdAt: cutoff }), [], now).length, 1);
  });
});

describe("TIMER_RULES (LIFECYCLE.md 'Timers, in one place')", () => {
  // Timer, the states it runs in, what it starts from, its length: written from LIFECYCLE.md's table.
  const LIFECYCLE: [TimerName, JobState[], TimerField, number][] = [
    ["CreatingTimeout", ["Creating"], "createdAt", 14 * DAY_MS],
    ["DeliveryTimeout", ["Shipping"], "trackingRecordedAt", 14 * DAY_MS],
    ["Retention", ["Completed", "Closed", "Canceled"], "stateChangedAt", 90 * DAY_MS],
  ];

  for (const [timer, states, since, lengthMs] of LIFECYCLE) {
    it(`${timer}: runs in ${states.join(", ")} from ${since}, ${lengthMs / DAY_MS} days`, () => {
      const rule = TIMER_RULES.find((r) => r.timer === timer);
      assert.deepEqual(rule && { ...rule, states: [...rule.states].sort() }, {
        timer,
        states: [...states].sort(),
        since,
        lengthMs,
      });
    });
  }

  it("has no timer besides LIFECYCLE.md's", () => {
    assert.deepEqual(TIMER_RULES.map((r) => r.timer).sort(), LIFECYCLE.map(([timer]) => timer).sort());
  });

  it("no state runs two timers, and Received, Transferring and Packaging run none", () => {
    for (const state of JOB_STATES) {
      const running = TIMER_RULES.filter((r) => r.states.includes(state)).map((r) => r.timer);
      const none = ["Received", "Transferring", "Packaging"].includes(state);
      assert.equal(running.length, none ? 0 : 1, `${state}: ${running.join(", ")}`);
    }
  });
});

describe("deliveryTimeoutAt", () => {
  const rows: [string, Pick<Job, "trackingRecordedAt">, string | undefined][] = [
    ["14 days after tracking was recorded", { trackingRecordedAt: iso(T0) }, "2026-01-15T00:00:00.000Z"],
    [
      "the same instant written without milliseconds",
      { trackingRecordedAt: "2026-01-01T00:00:00Z" },
      "2026-01-15T00:00:00.000Z",
    ],
    ["across a month's end", { trackingRecordedAt: "2026-02-20T12:30:00.000Z" }, "2026-03-06T12:30:00.000Z"],
    ["no tracking recorded: none", {}, undefined],
    ["an unreadable timestamp: none", { trackingRecordedAt: "soon" }, undefined],
  ];
  for (const [name, job, at] of rows) {
    it(`${name}: ${at ?? "undefined"}`, () => {
      assert.equal(deliveryTimeoutAt(job), at);
    });
  }

  it("is when the sweep marks the drives: due at it, not 1 ms before", () => {
    const j = job("Shipping", { trackingRecordedAt: iso(T0) });
    const at = new Date(deliveryTimeoutAt(j)!);
    assert.equal(dueEffects(j, specified, at).length, 1);
    assert.deepEqual(dueEffects(j, specified, new Date(at.getTime() - 1)), []);
  });
});

describe("Decision 'an export package that never arrives': the delivery timeout of an export job", () => {
  const exportJob = job("Shipping", { type: "Export", trackingRecordedAt: iso(T0) });
  const CLOSE: DueEffect = {
    kind: "CloseJob",
    reason: "Delivery timeout: package not received 14 days after tracking was recorded.",
  };
  const rows: [string, Drive[], Date, DueEffect[]][] = [
    [
      "no drive registered 14 days after tracking was recorded: the job closes",
      [],
      plus(14 * DAY_MS),
      [CLOSE],
    ],
    [
      "a drive of its own registered: nothing to mark, nothing to close",
      [drive("E-1", "Received")],
      plus(14 * DAY_MS),
      [],
    ],
  ];
  for (const [name, drives, now, effects] of rows) {
    it(name, () => {
      assert.deepEqual(dueEffects(exportJob, drives, now), effects);
    });
  }

  it("an import job with no drive never closes this way", () => {
    assert.deepEqual(dueEffects({ ...exportJob, type: "Import" }, [], plus(14 * DAY_MS)), []);
  });
});
