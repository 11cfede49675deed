/** @module `sneakernet job watch`: follows a job to its end; what changed between two reads, its line and a drive's bar are pure, apart from the loop. */

import { UnreachableError } from "../client/http.js";
import type { JobsApi } from "../client/jobs.js";
import type { ArmDrive, ArmJob, JobAddress } from "../client/types.js";
import type { Clock } from "../domain/clock.js";
import { FINAL_JOB_STATES } from "../domain/states.js";
import type { OutputFormat } from "./output.js";

/** What the watch reads of a drive: its id, its state and how far its copy is. */
export type WatchedDrive = Pick<ArmDrive, "driveId" | "state"> &
  Partial<Pick<ArmDrive, "percentComplete" | "bytesSucceeded">>;

/** What the watch reads of a job (an ARM job is one). */
export interface WatchedJob {
  name: string;
  properties: { state: ArmJob["properties"]["state"]; driveList?: WatchedDrive[] };
}

/** One observed change: a state (of the job, or of a drive when driveId is set) or a drive's progress. */
export interface WatchEvent {
  event: "state" | "progress";
  at: string;
  job: string;
  driveId?: string;
  from?: string | null;
  to?: string;
  percentComplete?: number;
  bytesSucceeded?: number;
}

/**
 * What changed from one read of a job to the next, stamped `at` (when the later read came back): the job's
 * state, each drive's state and each drive's progress. Without an earlier read every state is new (from
 * null) and progress is not reported, since there is nothing it moved from.
 */
export function jobChanges(before: WatchedJob | undefined, after: WatchedJob, at: Date): WatchEvent[] {
  const when = at.toISOString();
  const events: WatchEvent[] = [];
  if (before?.properties.state !== after.properties.state) {
    events.push({
      event: "state",
      at: when,
      job: after.name,
      from: before?.properties.state ?? null,
      to: after.properties.state,
    });
  }
  const drivesBefore = new Map((before?.properties.driveList ?? []).map((d) => [d.driveId, d]));
  for (const drive of after.properties.driveList ?? []) {
    const was = drivesBefore.get(drive.driveId);
    if (was?.state !== drive.state) {
      events.push({
        event: "state",
        at: when,
        job: after.name,
        driveId: drive.driveId,
        from: was?.state ?? null,
        to: drive.state,
      });
    }
    if (was !== undefined && (drive.percentComplete ?? 0) !== (was.percentComplete ?? 0)) {
      events.push({
        event: "progress",
        at: when,
        job: after.name,
        driveId: drive.driveId,
        percentComplete: drive.percentComplete ?? 0,
        ...(drive.bytesSucceeded !== undefined ? { bytesSucceeded: drive.bytesSucceeded } : {}),
      });
    }
  }
  return events;
}

export function eventLine(e: WatchEvent): string {
  const what = e.driveId !== undefined ? `${e.job} drive ${e.driveId}` : e.job;
  if (e.event === "progress") {
    return `${e.at}  ${what}: ${e.percentComplete}% (${e.bytesSucceeded ?? 0} bytes)`;
  }
  return e.from === null ? `${e.at}  ${what}: ${e.to}` : `${e.at}  ${what}: ${e.from} → ${e.to}`;
}

export function bar(drive: WatchedDrive, width = 30): string {
  const p = Math.max(0, Math.min(100, drive.percentComplete ?? 0));
  const filled = Math.round((p / 100) * width);
  return `  ${drive.driveId.padEnd(12)} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${String(p).padStart(3)}%  ${drive.state}`;
}

/**
 * Whether a server unreachable since `since` has by `now` been away too long to wait for. A long watch
 * outlives a server restart, so it waits 30 s, or five intervals when those are longer.
 */
export function awayTooLong(since: Date, now: Date, intervalSeconds: number): boolean {
  return now.getTime() - since.getTime() > Math.max(30_000, 5 * intervalSeconds * 1000);
}

/**
 * The loop's pause between reads, which `wake` (the job's event stream) ends at once. A wake-up that
 * comes while the loop is busy reading is kept, so the next pause ends at once instead of missing it.
 */
export function wakeablePause(): { pause(ms: number): Promise<void>; wake(): void } {
  let pending = false;
  let endPause: (() => void) | undefined;
  return {
    pause: (ms) =>
      new Promise<void>((resolve) => {
        if (pending) {
          pending = false;
          resolve();
          return;
        }
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          endPause = undefined;
          resolve();
        }
        endPause = done;
      }),
    wake: () => {
      if (endPause) {
        endPause();
      } else {
        pending = true;
      }
    },
  };
}

export interface WatchOptions {
  /** Seconds between reads (--interval). */
  intervalSeconds: number;
  format: OutputFormat;
  /** Progress bars redrawn in place, for a person at a terminal; without, a line per change that a log keeps. */
  bars: boolean;
  /** Stamps each change and times how long the server has been away. */
  clock: Clock;
}

/**
 * Follows the job until it reaches a final state, printing each change. Ends by throwing what a read
 * threw when it cannot go on: a refusal (a job deleted meanwhile answers ResourceNotFound, exit 1), or an
 * unreachable server before the job was ever seen or for longer than awayTooLong allows.
 */
export async function watchJob(
  api: Pick<JobsApi, "get" | "follow">,
  address: JobAddress,
  options: WatchOptions,
): Promise<void> {
  const intervalMs = options.intervalSeconds * 1000;
  // The job's event stream wakes the loop the moment a state changes; the interval still paces the
  // progress bars (progress is not a state change) and carries on alone if the stream is lost.
  const stream = new AbortController();
  const { pause, wake } = wakeablePause();
  void api.follow(address, wake, stream.signal);
  let before: ArmJob | undefined;
  let unreachableSince: Date | undefined;
  let shownBars = 0;
  try {
    for (;;) {
      let current: ArmJob;
      try {
        current = await api.get(address);
        unreachableSince = undefined;
      } catch (error) {
        if (!(error instanceof UnreachableError) || before === undefined) {
          throw error;
        }
        const now = options.clock.now();
        unreachableSince ??= now;
        if (awayTooLong(unreachableSince, now, options.intervalSeconds)) {
          throw error;
        }
        await pause(intervalMs);
        continue;
      }
      const events = jobChanges(before, current, options.clock.now());
      before = current;
      shownBars = printChanges(events, current, options, shownBars);
      if (FINAL_JOB_STATES.includes(current.properties.state)) {
        return;
      }
      await pause(intervalMs);
    }
  } finally {
    stream.abort();
  }
}

/** Prints one read's changes; answers how many bar lines are on the screen after it. */
function printChanges(
  events: readonly WatchEvent[],
  job: ArmJob,
  options: WatchOptions,
  shownBars: number,
): number {
  if (!options.bars) {
    for (const e of events) {
      console.log(options.format === "json" ? JSON.stringify(e) : eventLine(e));
    }
    return 0;
  }
  if (events.length === 0) {
    return shownBars;
  }
  // Redraw: up over the old bars, clear them, print the new lines, then the bars again below.
  if (shownBars > 0) {
    process.stdout.write(`\x1b[${shownBars}F\x1b[J`);
  }
  for (const e of events.filter((e) => e.event === "state")) {
    console.log(eventLine(e));
  }
  const drives = job.properties.driveList ?? [];
  for (const drive of drives) {
    console.log(bar(drive));
  }
  return drives.length;
}
