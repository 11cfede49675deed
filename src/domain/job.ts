/** @module The job state machine: its move table, and the guards for what customers do to a job. */

import { DomainError, errors } from "./errors.js";
import type { Drive, Job } from "./model.js";
import type { JobState } from "./states.js";

/** At most this many drives in one job ("up to ten drives" in the ARM spec). */
export const MAX_DRIVES_PER_JOB = 10;

/** States in which the customer may delete a job (LIFECYCLE.md "Deletion by the customer"). */
export const DELETABLE_JOB_STATES: readonly JobState[] = ["Creating", "Completed", "Closed", "Canceled"];

/**
 * Every move a job can make, customer moves and derived ones alike. Shipping → Closed is the delivery
 * timeout (every drive NeverReceived); Packaging → Transferring and Closed → Received happen when a
 * NeverReceived drive turns up later and is received, which re-opens the job. Shipping → Packaging and
 * Closed → Packaging happen when a package holds only an extra drive: the job has nothing of its own to
 * copy, but cannot end until the extra drive is shipped back (LIFECYCLE.md, extra drives).
 */
export const JOB_MOVES: Readonly<Record<JobState, readonly JobState[]>> = Object.freeze({
  Creating: Object.freeze(["Shipping", "Canceled"] as const),
  Shipping: Object.freeze(["Received", "Closed", "Packaging"] as const),
  Received: Object.freeze(["Transferring"] as const),
  Transferring: Object.freeze(["Packaging"] as const),
  Packaging: Object.freeze(["Completed", "Closed", "Transferring"] as const),
  Completed: Object.freeze([] as const),
  Closed: Object.freeze(["Received", "Packaging"] as const),
  Canceled: Object.freeze([] as const),
});

export function canMoveJob(from: JobState, to: JobState): boolean {
  // hasOwn: a state name read from storage must never resolve to an Object.prototype member.
  return Object.hasOwn(JOB_MOVES, from) && JOB_MOVES[from].includes(to);
}

/** Throws InvalidJobTransition naming both states unless the table allows from → to. */
export function assertJobMove(from: JobState, to: JobState): void {
  if (!canMoveJob(from, to)) {
    throw errors.invalidJobTransition(from, to);
  }
}

/** Cancel is allowed only in Creating; otherwise InvalidJobState naming the state. */
export function throwIfJobNotCancelable(job: Pick<Job, "state">): void {
  if (job.state !== "Creating") {
    throw errors.invalidJobState(job.state, "canceled");
  }
}

/** Delete is allowed only in DELETABLE_JOB_STATES; otherwise InvalidJobState naming the state. */
export function throwIfJobNotDeletable(job: Pick<Job, "state">): void {
  if (!DELETABLE_JOB_STATES.includes(job.state)) {
    throw errors.invalidJobState(job.state, "deleted");
  }
}

/**
 * Recording tracking (Creating → Shipping) needs the job in Creating, a return address
 * (ReturnAddressRequired), a delivery package (DeliveryPackageRequired), and for an import job at least
 * one drive (InvalidDriveList).
 */
export function throwIfJobCannotShip(job: Job, drives: readonly Drive[]): void {
  if (job.state !== "Creating") {
    throw errors.invalidJobState(job.state, "set to Shipping");
  }
  if (!job.returnAddress) {
    throw new DomainError(
      "ReturnAddressRequired",
      "Set returnAddress (in this request or an earlier one) before setting state to Shipping.",
      "returnAddress",
    );
  }
  if (!job.deliveryPackage) {
    throw new DomainError(
      "DeliveryPackageRequired",
      "Set deliveryPackage (carrierName and trackingNumber, in this request or an earlier one) before setting state to Shipping.",
      "deliveryPackage",
    );
  }
  // Extra drives belong to no job: they cannot stand in for the drives the customer is shipping.
  if (job.type === "Import" && !drives.some((drive) => !drive.extra)) {
    throw new DomainError(
      "InvalidDriveList",
      "An import job needs at least one drive in driveList before state can be set to Shipping. Add the drives you are shipping (driveId and bitLockerKey for each).",
      "driveList",
    );
  }
}
