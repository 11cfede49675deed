/** @module What the domain tests share: a job as the store holds it, a recorded change, and a refusal caught. */

import assert from "node:assert/strict";

import { DomainError } from "../../src/domain/errors.js";
import type { Change, Job } from "../../src/domain/model.js";
import { newJob, RETURN_ADDRESS } from "../support/fixtures.js";

/** The instant the domain tests' jobs and drives were made. */
export const T0 = "2026-01-01T00:00:00.000Z";

export const SUBSCRIPTION = "00000000-0000-0000-0000-000000000001";

/**
 * An import job in Creating as the store holds it, ready to ship (a return address, a return carrier and a
 * delivery package); `over` sets anything else, `undefined` removing a field.
 */
export function job(over: Partial<Job> = {}): Job {
  return newJob({
    returnAddress: { ...RETURN_ADDRESS },
    returnShipping: { carrierName: "FedEx", carrierAccountNumber: "12345" },
    deliveryPackage: { carrierName: "FedEx", trackingNumber: "123456" },
    ...over,
  });
}

/** Who did something, when and why, as a use case hands it to the domain. */
export const CHANGE: Change = { at: "2026-01-02T03:04:05.678Z", actor: "ops@example.com", reason: "test" };

/** The refusal `fn` throws (it must be a DomainError), or undefined when it accepts. */
export function refusal(fn: () => unknown): DomainError | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    assert.ok(error instanceof DomainError, `expected a DomainError, got ${String(error)}`);
    return error;
  }
}
