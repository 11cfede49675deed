/**
 * @module A job's extra drives, as its history tells them: drives that came in its package but belong to no job
 * (LIFECYCLE.md, extra drives). The ARM job leaves them out of its driveList, as the spec's clients expect; the
 * history, an extension of ours, records each one, so the customer sees every drive the return package counts.
 */

import type { ArmJob, HistoryEntry } from "../../api";

export interface ExtraDrive {
  driveId: string;
  /** Its latest state (Received, then ShippedBack), and since when. */
  state: string;
  at: string;
}

/**
 * The drives the history names that the job does not list, in the order they arrived. A drive taken off the list
 * while the job was Creating is named too, but it was only ever Specified: an extra drive starts Received.
 */
export function extraDrives(job: ArmJob, history: readonly HistoryEntry[]): ExtraDrive[] {
  const listed = new Set((job.properties.driveList ?? []).map((d) => d.driveId.toUpperCase()));
  const extras = new Map<string, ExtraDrive & { arrived: boolean }>();
  for (const entry of history) {
    if (!entry.driveId || listed.has(entry.driveId.toUpperCase())) {
      continue;
    }
    const key = entry.driveId.toUpperCase();
    const arrived = (extras.get(key)?.arrived ?? false) || entry.to !== "Specified";
    extras.set(key, { driveId: entry.driveId, state: entry.to, at: entry.at, arrived });
  }
  return [...extras.values()]
    .filter((d) => d.arrived)
    .map(({ driveId, state, at }) => ({ driveId, state, at }));
}
