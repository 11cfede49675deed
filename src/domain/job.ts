/** @module The job state machine: its move table, the one function that moves a job, and the guards on what people do to a job. */

import { errors } from "./errors.js";
import type { Change, Drive, Job, StateChange } from "./model.js";
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

/**
 * Returns the job in state `to` (stateChangedAt = when) with the history row that records the move, or
 * throws InvalidJobTransition naming both states. The one place a job's state is assigned.
 */
export function moveJob(job: Job, to: JobState, change: Change): { job: Job; record: StateChange } {
  assertJobMove(job.state, to);
  return {
    job: { ...job, state: to, stateChangedAt: change.at },
    record: { jobId: job.id, from: job.state, to, ...change },
  };
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
    throw errors.returnAddressRequired();
  }
  if (!job.deliveryPackage) {
    throw errors.deliveryPackageRequired();
  }
  // Extra drives belong to no job: they cannot stand in for the drives the customer is shipping.
  if (job.type === "Import" && !drives.some((drive) => !drive.extra)) {
    throw errors.importShipsWithoutDrives();
  }
}

/** Drives go back once every drive is processed: the job must be Packaging. */
export function throwIfJobCannotShipBack(job: Pick<Job, "name" | "state">): void {
  if (job.state !== "Packaging") {
    throw errors.notReadyToShipBack(job.name, job.state);
  }
}

/**
 * An export job's drives are registered as they arrive, while its package is being received; or when it
 * turns up after the delivery timeout closed the job with no drive (which re-opens it, LIFECYCLE.md "an
 * export package that never arrives"). A job that ended with drives of its own takes no more.
 */
export function throwIfDriveCannotBeRegistered(
  job: Pick<Job, "name" | "state" | "type">,
  drives: readonly Drive[],
): void {
  if (job.type !== "Export") {
    throw errors.notAnExportJob(job.name);
  }
  const neverArrived = job.state === "Closed" && !drives.some((drive) => !drive.extra);
  if (!["Shipping", "Received", "Transferring"].includes(job.state) && !neverArrived) {
    throw errors.registrationClosed(job.name, job.state);
  }
}
