/** @module The drive state machine: the allowed moves of LIFECYCLE.md and the one function that applies them. */

import type { Drive } from "./model.js";
import type { DriveState } from "./states.js";

/**
 * Every allowed move of a drive, copied from "Allowed moves" in LIFECYCLE.md:
 * Specified → Received | NeverReceived; NeverReceived → Received; Received → Transferring;
 * Transferring → Completed | CompletedMoreInfo; Completed | CompletedMoreInfo → ShippedBack.
 * Extra drives (received in a package, belonging to no job) go Received → ShippedBack; that move is
 * allowed only for extra drives (see moveDrive).
 */
export const DRIVE_MOVES: Readonly<Record<DriveState, readonly DriveState[]>> = undefined as never;

export function canMoveDrive(from: DriveState, to: DriveState, extra = false): boolean {
  void from;
  void to;
  void extra;
  throw new Error("not implemented");
}

/** Returns the drive in state `to` (stateChangedAt = at), or throws InvalidDriveTransition naming both states. */
export function moveDrive(drive: Drive, to: DriveState, at: string): Drive {
  void drive;
  void to;
  void at;
  throw new Error("not implemented");
}
