/**
 * @module The portal's copy of the customer rules (web/src/lifecycle.ts, which may import nothing from src/)
 * agrees with the domain's, state by state: the portal never enables what the server refuses, nor the reverse.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { pathToFileURL } from "node:url";

import { DAY_MS } from "../../src/domain/clock.js";
import {
  DELETABLE_JOB_STATES,
  MAX_DRIVES_PER_JOB,
  throwIfJobCannotShip,
  throwIfJobNotCancelable,
  throwIfJobNotDeletable,
} from "../../src/domain/job.js";
import type { Drive, Job } from "../../src/domain/model.js";
import { DRIVE_STATES, JOB_STATES, JOB_TYPES } from "../../src/domain/states.js";
import { TIMERS } from "../../src/domain/timers.js";
import { ROOT } from "../support/db.js";
import { newDrive, RETURN_ADDRESS } from "../support/fixtures.js";

type ArmJob = { properties: Record<string, unknown> };
interface WebRules {
  JOB_STATES: readonly string[];
  DRIVE_STATES: readonly string[];
  JOB_TYPES: readonly string[];
  DELETABLE_JOB_STATES: readonly string[];
  MAX_DRIVES_PER_JOB: number;
  DELIVERY_TIMEOUT_DAYS: number;
  whyNotShip(job: ArmJob): unknown;
  whyNotCancel(job: ArmJob): unknown;
  whyNotDelete(job: ArmJob): unknown;
}

// Loaded by path: the type checker of this (Node) project does not follow it into the browser's code.
const web = (await import(pathToFileURL(join(ROOT, "web/src/lifecycle.ts")).href)) as WebRules;

function allowed(rule: () => void): boolean {
  try {
    rule();
    return true;
  } catch {
    return false;
  }
}

describe("the portal's lifecycle rules match the domain's", () => {
  it("has the same states, types and limits", () => {
    assert.deepEqual(web.JOB_STATES, JOB_STATES);
    assert.deepEqual(web.DRIVE_STATES, DRIVE_STATES);
    assert.deepEqual(web.JOB_TYPES, JOB_TYPES);
    assert.deepEqual(web.DELETABLE_JOB_STATES, DELETABLE_JOB_STATES);
    assert.equal(web.MAX_DRIVES_PER_JOB, MAX_DRIVES_PER_JOB);
    assert.equal(web.DELIVERY_TIMEOUT_DAYS * DAY_MS, TIMERS.deliveryTimeoutMs);
  });

  it("enables cancel and delete in exactly the states the domain allows", () => {
    for (const state of JOB_STATES) {
      const job = { properties: { state } };
      assert.equal(
        web.whyNotCancel(job) === undefined,
        allowed(() => throwIfJobNotCancelable({ state })),
        state,
      );
      assert.equal(
        web.whyNotDelete(job) === undefined,
        allowed(() => throwIfJobNotDeletable({ state })),
        state,
      );
    }
  });

  it("enables recording tracking exactly when the domain would accept it (state, return address, drives)", () => {
    for (const state of JOB_STATES) {
      for (const type of JOB_TYPES) {
        for (const withAddress of [true, false]) {
          for (const driveCount of [0, 1]) {
            const drives: Drive[] = Array.from({ length: driveCount }, () =>
              newDrive({ state: "Specified" }),
            );
            const job = {
              state,
              type,
              returnAddress: withAddress ? RETURN_ADDRESS : undefined,
              deliveryPackage: { carrierName: "FedEx", trackingNumber: "1" },
            } as unknown as Job;
            const armJob = {
              properties: {
                state,
                jobType: type,
                ...(withAddress ? { returnAddress: RETURN_ADDRESS } : {}),
                driveList: drives.map((d) => ({ driveId: d.driveId, state: d.state })),
              },
            };
            assert.equal(
              web.whyNotShip(armJob) === undefined,
              allowed(() => throwIfJobCannotShip(job, drives)),
              `${state} ${type} address=${withAddress} drives=${driveCount}`,
            );
          }
        }
      }
    }
  });
});
