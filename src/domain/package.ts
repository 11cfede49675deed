/** @module Packages: how a carrier's tracking number is matched, and what receiving one decides. */

/** Carrier case-insensitive, tracking number without case or spaces: how operators type them differs. */
export function packageKey(carrierName: string, trackingNumber: string): string {
  return `${carrierName.trim().toLowerCase()}|${trackingNumber.replace(/\s+/g, "").toUpperCase()}`;
}

/** How long a station's claim on a drive lasts without a progress report. */
export const LEASE_MS = 5 * 60 * 1000;
