/** @module The drive state machine: the allowed moves of LIFECYCLE.md and the one function that applies them. */

import { errors } from "./errors.js";
import type { Drive, Job } from "./model.js";
import { DRIVE_STATES, type DriveState } from "./states.js";

/**
 * Every allowed move of a drive, copied from "Allowed moves" in LIFECYCLE.md:
 * Specified → Received | NeverReceived; NeverReceived → Received; Received → Transferring;
 * Transferring → Completed | CompletedMoreInfo; Completed | CompletedMoreInfo → ShippedBack.
 * Extra drives (received in a package, belonging to no job) go Received → ShippedBack; that move is
 * allowed only for extra drives (see moveDrive).
 */
export const DRIVE_MOVES: Readonly<Record<DriveState, readonly DriveState[]>> = Object.freeze({
  Specified: Object.freeze(["Received", "NeverReceived"] as const),
  Received: Object.freeze(["Transferring"] as const),
  NeverReceived: Object.freeze(["Received"] as const),
  Transferring: Object.freeze(["Completed", "CompletedMoreInfo"] as const),
  Completed: Object.freeze(["ShippedBack"] as const),
  CompletedMoreInfo: Object.freeze(["ShippedBack"] as const),
  ShippedBack: Object.freeze([] as const),
});

/** The one move only an extra drive may make: it is never copied, only returned with the job. */
export const EXTRA_DRIVE_MOVES: Readonly<Partial<Record<DriveState, readonly DriveState[]>>> = Object.freeze({
  Received: Object.freeze(["ShippedBack"] as const),
});

export function canMoveDrive(from: DriveState, to: DriveState, extra = false): boolean {
  // Look-ups go through hasOwn so a state name read from storage can never hit Object.prototype.
  const base = Object.hasOwn(DRIVE_MOVES, from) ? DRIVE_MOVES[from] : [];
  if (base.includes(to)) {
    return true;
  }
  if (!extra) {
    return false;
  }
  const more = Object.hasOwn(EXTRA_DRIVE_MOVES, from) ? (EXTRA_DRIVE_MOVES[from] ?? []) : [];
  return more.includes(to);
}

/** Returns the drive in state `to` (stateChangedAt = at), or throws InvalidDriveTransition naming both states. */
export function moveDrive(drive: Drive, to: DriveState, at: string): Drive {
  if (!canMoveDrive(drive.state, to, drive.extra)) {
    throw errors.invalidDriveTransition(drive.driveId, drive.state, to);
  }
  return { ...drive, state: to, stateChangedAt: at };
}

/**
 * What the job allows on top of the drive's own table. Without these the derived job state could make
 * moves JOB_MOVES forbids (copying while the package is still expected would jump Shipping →
 * Transferring). Throws InvalidJobState or InvalidDriveTransition with the reason; checks only the
 * job's side, so call it together with moveDrive.
 */
export function throwIfDriveMoveBlocked(
  job: Pick<Job, "state">,
  drives: readonly Drive[],
  drive: Drive,
  to: DriveState,
): void {
  if (job.state === "Creating") {
    throw errors.driveMoveWhileCreating(drive.driveId);
  }
  if (job.state === "Canceled") {
    throw errors.driveMoveWhileCanceled(drive.driveId);
  }
  if (to !== "Transferring") {
    return;
  }
  if (drive.extra) {
    throw errors.extraDriveNeverCopied(drive.driveId);
  }
  const waiting = drives.filter((other) => !other.extra && other.state === "Specified").map((d) => d.driveId);
  if (waiting.length > 0) {
    throw errors.drivesStillSpecified(drive.driveId, waiting);
  }
}

/** The states in which a station may copy a drive: waiting for a station, or being copied (perhaps by one that died). */
export const COPYABLE_DRIVE_STATES: readonly DriveState[] = ["Received", "Transferring"];

/** Every other state: a drive found in one of these is not a station's to copy. */
export const NOT_COPYABLE_DRIVE_STATES: readonly DriveState[] = DRIVE_STATES.filter(
  (state) => !COPYABLE_DRIVE_STATES.includes(state),
);

/**
 * Whether the drive goes back in the job's return package: an own drive once copied, an extra drive as it
 * came (it is never copied). A NeverReceived drive is not at the data center, so it never goes back.
 */
export function shipsBack(drive: Pick<Drive, "extra" | "state">): boolean {
  return drive.extra
    ? drive.state === "Received"
    : drive.state === "Completed" || drive.state === "CompletedMoreInfo";
}

/** A drive with nothing copied yet: an extra drive, or an export drive registered on arrival, starts Received. */
export function blankDrive(
  jobId: number,
  driveId: string,
  extra: boolean,
  at: string,
  state: DriveState = "Received",
): Drive {
  return {
    jobId,
    driveId,
    extra,
    state,
    percentComplete: 0,
    bytesSucceeded: 0,
    bytesTotal: 0,
    errorCount: 0,
    warningCount: 0,
    infoCount: 0,
    stateChangedAt: at,
  };
}

/**
 * LIFECYCLE.md "one drive, one live job": a job holds a drive until it is shipped back — unless the job was
 * cancelled, when the drive never left its owner. Stations and operators find a drive by its serial, so
 * it must name one drive.
 */
export function holdsDrive(jobState: string, drive: Pick<Drive, "state">): boolean {
  return jobState !== "Canceled" && drive.state !== "ShippedBack";
}

/**
 * Refuses listing these serials (`target(i)` names each one's field) when another job holds one of them:
 * `others` are the drives with these serials in other jobs, with their job's state.
 */
export function throwIfDrivesInUse(
  serials: readonly string[],
  others: readonly { jobState: string; drive: Pick<Drive, "driveId" | "state"> }[],
  target: (index: number) => string,
): void {
  serials.forEach((serial, index) => {
    const key = serial.toUpperCase();
    if (others.some((o) => o.drive.driveId.toUpperCase() === key && holdsDrive(o.jobState, o.drive))) {
      throw errors.driveInUse(serial, target(index));
    }
  });
}
