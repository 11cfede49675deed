/**
 * @module What LIFECYCLE.md allows a customer to do to a job, as the portal shows it (each action is enabled,
 * or disabled with its reason). The server decides; these rules only spare the user a refused request.
 * test/web/lifecycle-rules.test.ts checks them against src/domain.
 */

import type { ArmJob } from "./api";

export const JOB_STATES = [
  "Creating",
  "Shipping",
  "Received",
  "Transferring",
  "Packaging",
  "Completed",
  "Closed",
  "Canceled",
] as const;
export const DRIVE_STATES = [
  "Specified",
  "Received",
  "NeverReceived",
  "Transferring",
  "Completed",
  "CompletedMoreInfo",
  "ShippedBack",
] as const;
export const JOB_TYPES = ["Import", "Export"] as const;

/** A customer may cancel only while the job is Creating. */
export const CANCELABLE_JOB_STATES: readonly string[] = ["Creating"];
/** …and delete it while Creating, or once it has ended. */
export const DELETABLE_JOB_STATES: readonly string[] = ["Creating", "Completed", "Closed", "Canceled"];
/** The delivery timeout: a package not received 14 days after tracking was recorded. */
export const DELIVERY_TIMEOUT_DAYS = 14;
export const MAX_DRIVES_PER_JOB = 10;

/** Undefined when allowed; otherwise the message key saying why not, and its values. */
export type Refusal =
  | { key: "notInState"; allowed: readonly string[]; state: string }
  | { key: "needsReturnAddress" }
  | { key: "needsDrives" };

export function whyNotShip(job: ArmJob): Refusal | undefined {
  const p = job.properties;
  if (p.state !== "Creating") {
    return { key: "notInState", allowed: ["Creating"], state: p.state };
  }
  if (!p.returnAddress) {
    return { key: "needsReturnAddress" };
  }
  if (p.jobType === "Import" && !(p.driveList?.length ?? 0)) {
    return { key: "needsDrives" };
  }
  return undefined;
}

export function whyNotCancel(job: ArmJob): Refusal | undefined {
  const state = job.properties.state;
  return CANCELABLE_JOB_STATES.includes(state)
    ? undefined
    : { key: "notInState", allowed: CANCELABLE_JOB_STATES, state };
}

export function whyNotDelete(job: ArmJob): Refusal | undefined {
  const state = job.properties.state;
  return DELETABLE_JOB_STATES.includes(state)
    ? undefined
    : { key: "notInState", allowed: DELETABLE_JOB_STATES, state };
}

/** The steps a job goes through, for the stepper: the happy path, ending in Closed or Canceled when it did. */
export function jobPath(state: string): string[] {
  if (state === "Canceled") {
    return ["Creating", "Canceled"];
  }
  const end = state === "Closed" ? "Closed" : "Completed";
  return ["Creating", "Shipping", "Received", "Transferring", "Packaging", end];
}
