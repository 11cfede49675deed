/** @module The job state machine: its move table, and the guards for what customers do to a job. */

import type { Drive, Job } from "./model.js";
import type { JobState } from "./states.js";

/** At most this many drives in one job ("up to ten drives" in the ARM spec). */
export const MAX_DRIVES_PER_JOB = 10;

/** States in which the customer may delete a job (LIFECYCLE.md "Deletion by the customer"). */
export const DELETABLE_JOB_STATES: readonly JobState[] = ["Creating", "Completed", "Closed", "Canceled"];

/** Every move a job can make, customer moves and derived ones alike. */
export const JOB_MOVES: Readonly<Record<JobState, readonly JobState[]>> = undefined as never;

export function canMoveJob(from: JobState, to: JobState): boolean {
  void from;
  void to;
  throw new Error("not implemented");
}

/** Throws InvalidJobTransition naming both states unless the table allows from → to. */
export function assertJobMove(from: JobState, to: JobState): void {
  void from;
  void to;
  throw new Error("not implemented");
}

/** Cancel is allowed only in Creating; otherwise InvalidJobState naming the state. */
export function throwIfJobNotCancelable(job: Pick<Job, "state">): void {
  void job;
  throw new Error("not implemented");
}

/** Delete is allowed only in DELETABLE_JOB_STATES; otherwise InvalidJobState naming the state. */
export function throwIfJobNotDeletable(job: Pick<Job, "state">): void {
  void job;
  throw new Error("not implemented");
}

/**
 * Recording tracking (Creating → Shipping) needs the job in Creating, a return address
 * (ReturnAddressRequired), a delivery package (DeliveryPackageRequired), and for an import job at least
 * one drive (InvalidDriveList).
 */
export function throwIfJobCannotShip(job: Job, drives: readonly Drive[]): void {
  void job;
  void drives;
  throw new Error("not implemented");
}
