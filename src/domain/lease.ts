/**
 * @module A station's copy lease on a drive: how long it lasts, when it counts as held, and who may act
 * on the drive. Evaluated against an explicit "now", so no timer fires: an expired lease is simply not held.
 */

import { errors } from "./errors.js";
import type { Drive } from "./model.js";

/** How long a station's claim on a drive lasts without a progress report. */
export const LEASE_MS = 5 * 60 * 1000;

/** When a lease taken or renewed at `now` runs out. */
export function leaseUntil(now: Date): string {
  return new Date(now.getTime() + LEASE_MS).toISOString();
}

/** Whether some station holds the drive's lease at `at` (ISO: timestamps compare as text). */
export function isLeaseLive(drive: Pick<Drive, "claimedBy" | "leaseExpiresAt">, at: string): boolean {
  return drive.claimedBy !== undefined && (drive.leaseExpiresAt ?? "") > at;
}

/** Whether the lease ran out at or before `at` (the sweep releases it, so another station may claim). */
export function isLeaseExpired(drive: Pick<Drive, "leaseExpiresAt">, at: string): boolean {
  return drive.leaseExpiresAt !== undefined && drive.leaseExpiresAt <= at;
}

/**
 * A station may claim a drive nobody holds, one whose lease ran out (its station died), or one it holds
 * itself (a restart); a live lease of another station refuses it with DriveNotClaimable.
 */
export function throwIfLeasedToOther(drive: Drive, station: string, at: string): void {
  if (isLeaseLive(drive, at) && drive.claimedBy !== station) {
    throw errors.driveLeasedToOther(drive.driveId, drive.leaseExpiresAt ?? "");
  }
}

/** A station may report on a drive only while it holds the drive's lease (an expired one it still holds counts). */
export function throwIfLeaseNotHeld(drive: Drive, station: string): void {
  if (drive.claimedBy !== station) {
    throw drive.claimedBy ? errors.leaseHeldByOther(drive.driveId) : errors.driveNotClaimed(drive.driveId);
  }
}
