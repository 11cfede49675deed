/** @module `sneakernet job watch`: a job's moves, each on a line with its own time, from its first until the job ends; lines and bars are pure, apart from the loop. */

import { setTimeout as sleep } from "node:timers/promises";

import { UnreachableError } from "../client/http.js";
import type { JobsApi } from "../client/jobs.js";
import type { ArmDrive, ArmJob, HistoryRow, JobAddress, StateEvent } from "../client/types.js";
import type { Clock } from "../domain/clock.js";
import { FINAL_JOB_STATES, type JobState } from "../domain/states.js";
import type { OutputFormat } from "./output.js";

/** What a drive's bar shows: its id, its state and how far its copy is. */
export type WatchedDrive = Pick<ArmDrive, "driveId" | "state"> &
  Partial<Pick<ArmDrive, "percentComplete" | "bytesSucceeded">>;

/**
 * A move of the job (no driveId) or of one of its drives, on a line: the time it happened (the history's,
 * not the watch's), who moved, and from what to what — only the state when it is the first.
 */
export function moveLine(job: string, move: HistoryRow): string {
  const what = move.driveId !== undefined ? `${job} drive ${move.driveId}` : job;
  return move.from === null
    ? `${move.at}  ${what}: ${move.to}`
    : `${move.at}  ${what}: ${move.from} → ${move.to}`;
}

/** A move as a JSON line: the history row, with the job's name and the `event` every line has had. */
export function moveJson(job: string, move: HistoryRow): string {
  return JSON.stringify({
    event: "state",
    at: move.at,
    job,
    ...(move.driveId !== undefined ? { driveId: move.driveId } : {}),
    from: move.from,
    to: move.to,
    actor: move.actor,
    reason: move.reason,
  });
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
 * The loop's pause between reads, which `wake` (a move on the event stream) ends at once. A wake-up that
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
  /** Seconds between reads of the job (--interval), and before a lost event stream is asked again. */
  intervalSeconds: number;
  format: OutputFormat;
  /** Progress bars redrawn in place, for a person at a terminal; without, only the moves, which a log keeps. */
  bars: boolean;
  /** Times how long the server has been away (a move's time is its own, never the clock's). */
  clock: Clock;
  /** Also end when the job reaches this state (a script waiting for `Packaging`); a final state ends it anyway. */
  until?: JobState;
}

/** What the watch asks of the customer API. */
export type WatchApi = Pick<JobsApi, "get" | "history" | "moves">;

/**
 * Prints the job's moves, from its first, each once, in order; then follows the job until it reaches a
 * final state. The moves come from the job's event stream, which starts with its whole history (after
 * move 0) and resumes after the last move seen when the connection is lost; the job itself is read
 * every interval (and at once after a move) to know when it has ended and, for the bars, how
 * far each drive's copy is. Ends by throwing what a read threw when it cannot go on: a refusal (a job
 * deleted meanwhile answers ResourceNotFound, exit 1), or an unreachable server before the job was ever
 * read or for longer than awayTooLong allows.
 */
export async function watchJob(api: WatchApi, address: JobAddress, options: WatchOptions): Promise<void> {
  const intervalMs = options.intervalSeconds * 1000;
  const screen = new Screen(address.name, options);
  const { pause, wake } = wakeablePause();
  const stream = new AbortController();
  // The stream's moves are the job's history rows in order: `printed` of them are on the screen; `lastId`
  // is the last event's id (a move's, or a progress event's), after which a new connection goes on.
  let printed = 0;
  let lastId = 0;
  let refused: { error: unknown } | undefined;
  const onMove = (move: StateEvent) => {
    if (stream.signal.aborted || move.id <= lastId) {
      return; // The watch has ended, or the move came again on a new connection: printed already.
    }
    lastId = move.id;
    printed++;
    screen.move(move);
    wake(); // Read the job now: it may have ended, and a drive's bar may have changed.
  };
  // A progress event is not printed, but a new connection resumes after it too: not sent again.
  const onOther = (id: number) => {
    lastId = Math.max(lastId, id);
  };
  const following = (async () => {
    while (!stream.signal.aborted) {
      try {
        await api.moves(address, lastId, onMove, stream.signal, onOther);
      } catch (error) {
        // A server away is the reads' to wait for or give up on; a refusal ends the watch.
        if (!(error instanceof UnreachableError)) {
          refused = { error };
          wake();
          return;
        }
      }
      await sleep(intervalMs, undefined, { signal: stream.signal }).catch(() => {});
    }
  })();
  let seen = false;
  let unreachableSince: Date | undefined;
  try {
    for (;;) {
      if (refused) {
        throw refused.error;
      }
      let current: ArmJob;
      try {
        current = await api.get(address);
        seen = true;
        unreachableSince = undefined;
      } catch (error) {
        if (!(error instanceof UnreachableError) || !seen) {
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
      if (FINAL_JOB_STATES.includes(current.properties.state) || current.properties.state === options.until) {
        // The move that ended it, and the drives' last ones, may not have come down the stream yet: the
        // history has them all, and its first `printed` rows are those on the screen.
        const history = await api.history(address);
        stream.abort();
        for (const move of history.slice(printed)) {
          screen.move(move);
        }
        screen.drives(current);
        return;
      }
      screen.drives(current);
      await pause(intervalMs);
    }
  } finally {
    stream.abort();
    await following;
  }
}

/**
 * Where the watch prints: a line per move (JSON, or text); on a terminal, below the lines, a bar per drive,
 * redrawn in place when a move is printed above it or a drive's copy goes on.
 */
class Screen {
  private shownBars: string[] = [];

  constructor(
    private readonly job: string,
    private readonly options: Pick<WatchOptions, "format" | "bars">,
  ) {}

  move(move: HistoryRow): void {
    if (this.options.format === "json") {
      console.log(moveJson(this.job, move));
      return;
    }
    const bars = this.shownBars;
    this.clearBars();
    console.log(moveLine(this.job, move));
    this.drawBars(bars);
  }

  drives(job: ArmJob): void {
    if (!this.options.bars) {
      return;
    }
    const bars = (job.properties.driveList ?? []).map((drive) => bar(drive));
    if (bars.join("\n") !== this.shownBars.join("\n")) {
      this.clearBars();
      this.drawBars(bars);
    }
  }

  private clearBars(): void {
    if (this.shownBars.length > 0) {
      // Up to the first bar's line, and clear from there down.
      process.stdout.write(`\x1b[${this.shownBars.length}F\x1b[J`);
      this.shownBars = [];
    }
  }

  private drawBars(bars: string[]): void {
    if (!this.options.bars) {
      return;
    }
    for (const line of bars) {
      console.log(line);
    }
    this.shownBars = bars;
  }
}
