/**
 * @module `job watch` without a server: a move's line and JSON, a drive's bar, how long an unreachable
 * server is waited for, and the loop over a scripted API (its reads, its history, each connection of its
 * event stream) and a clock the test sets.
 */

import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";

import {
  awayTooLong,
  bar,
  moveJson,
  moveLine,
  wakeablePause,
  type WatchApi,
  watchJob,
} from "../../src/cli/job-watch.js";
import { ApiError, UnreachableError } from "../../src/client/http.js";
import type { ArmJob, HistoryRow, JobAddress, StateEvent } from "../../src/client/types.js";
import type { Clock } from "../../src/domain/clock.js";
import type { JobState } from "../../src/domain/states.js";

const T0 = new Date("2001-02-03T04:05:06.000Z");
const plus = (ms: number): Date => new Date(T0.getTime() + ms);
const ADDRESS: JobAddress = { subscriptionId: "sub", resourceGroup: "rg1", name: "job1" };

/** A read of job1 in `state`: only what the watch reads, handed to it as an ArmJob as the client would. */
function read(state: JobState): ArmJob {
  return {
    id: "/subscriptions/sub/resourceGroups/rg1/providers/Microsoft.ImportExport/jobs/job1",
    name: "job1",
    type: "Microsoft.ImportExport/jobs",
    location: "westus",
    properties: { state, driveList: [{ driveId: "D1", state: "Received", percentComplete: 0 }] },
  } as unknown as ArmJob;
}

/**
 * A job's history as the event stream sends it: ids as the server gives them (shared by every job, so
 * with gaps), each move a minute after the last, long before the watch's clock (T0), so a line stamped
 * with the clock is told apart. Shipping → Received → Transferring is the run an earlier watch made
 * `Shipping → Transferring` of.
 */
const HISTORY: StateEvent[] = (
  [
    [3, undefined, null, "Creating", "customer:ada", "Created"],
    [4, "D1", null, "Specified", "customer:ada", "Created"],
    [9, undefined, "Creating", "Shipping", "customer:ada", "Tracking recorded"],
    [20, "D1", "Specified", "Received", "operator:alice", "Package received"],
    [21, undefined, "Shipping", "Received", "operator:alice", "Package received"],
    [30, "D1", "Received", "Transferring", "station:bay-1", "Claimed"],
    [31, undefined, "Received", "Transferring", "station:bay-1", "Claimed"],
    [40, "D1", "Transferring", "Completed", "station:bay-1", "Copied"],
    [41, undefined, "Transferring", "Packaging", "station:bay-1", "Copied"],
    [50, "D1", "Completed", "ShippedBack", "operator:alice", "Shipped back"],
    [51, undefined, "Packaging", "Completed", "operator:alice", "Shipped back"],
  ] as const
).map(([id, driveId, from, to, actor, reason], i) => ({
  id,
  at: new Date(Date.UTC(2000, 0, 1, 12, i)).toISOString(),
  ...(driveId !== undefined ? { driveId } : {}),
  from,
  to,
  actor,
  reason,
}));

/** A history row as `GET …/history` answers it: the move without its id. */
const row = ({ id: _id, ...move }: StateEvent): HistoryRow => move;

describe("moveLine, moveJson and bar", () => {
  it("a move is its own time, then who moved, 'from → to' or the state alone when it is the first", () => {
    assert.deepEqual(
      HISTORY.slice(0, 4).map((m) => moveLine("job1", m)),
      [
        "2000-01-01T12:00:00.000Z  job1: Creating",
        "2000-01-01T12:01:00.000Z  job1 drive D1: Specified",
        "2000-01-01T12:02:00.000Z  job1: Creating → Shipping",
        "2000-01-01T12:03:00.000Z  job1 drive D1: Specified → Received",
      ],
    );
  });

  it("as JSON: the history row with the job's name, in the order a line has always had its fields", () => {
    assert.equal(
      moveJson("job1", row(HISTORY[3]!)),
      '{"event":"state","at":"2000-01-01T12:03:00.000Z","job":"job1","driveId":"D1","from":"Specified","to":"Received","actor":"operator:alice","reason":"Package received"}',
    );
    assert.equal(
      moveJson("job1", HISTORY[0]!),
      '{"event":"state","at":"2000-01-01T12:00:00.000Z","job":"job1","from":null,"to":"Creating","actor":"customer:ada","reason":"Created"}',
    );
  });

  it("a drive's bar: thirty cells filled to its percent, which is held between 0 and 100", () => {
    assert.equal(
      bar({ driveId: "D1", state: "Transferring", percentComplete: 50 }),
      `  D1           [${"#".repeat(15)}${".".repeat(15)}]  50%  Transferring`,
    );
    assert.equal(
      bar({ driveId: "D1", state: "Received" }),
      `  D1           [${".".repeat(30)}]   0%  Received`,
    );
    assert.equal(
      bar({ driveId: "SERIAL-LONGER-THAN-12", state: "Completed", percentComplete: 130 }),
      `  SERIAL-LONGER-THAN-12 [${"#".repeat(30)}] 100%  Completed`,
    );
    assert.equal(
      bar({ driveId: "D2", state: "Transferring", percentComplete: -5 }, 10),
      `  D2           [${".".repeat(10)}]   0%  Transferring`,
    );
  });
});

describe("awayTooLong", () => {
  it("waits 30 s for a server that went away, to the millisecond", () => {
    assert.equal(awayTooLong(T0, T0, 2), false);
    assert.equal(awayTooLong(T0, plus(30_000), 2), false);
    assert.equal(awayTooLong(T0, plus(30_001), 2), true);
  });

  it("waits five intervals when those are longer than 30 s", () => {
    assert.equal(awayTooLong(T0, plus(50_000), 10), false);
    assert.equal(awayTooLong(T0, plus(50_001), 10), true);
    assert.equal(awayTooLong(T0, plus(35_000), 7), false);
    assert.equal(awayTooLong(T0, plus(35_001), 7), true);
    assert.equal(awayTooLong(T0, plus(30_001), 5.9), true);
  });
});

describe("wakeablePause", () => {
  /** Whether the pause ended within `ms` (it is not waited for beyond that). */
  const endsWithin = (pause: Promise<void>, ms: number) =>
    Promise.race([
      pause.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms)),
    ]);

  it("a wake-up ends the pause it comes in, and one that comes between pauses ends the next", async () => {
    const { pause, wake } = wakeablePause();
    const first = pause(5_000);
    wake();
    assert.equal(await endsWithin(first, 1_000), true, "woken while pausing");
    // A pause that ran its course, then a wake-up while the loop reads: the next pause must not miss it.
    assert.equal(await endsWithin(pause(1), 1_000), true);
    wake();
    assert.equal(await endsWithin(pause(5_000), 1_000), true, "woken between pauses");
    // That wake-up is spent: the pause after it runs its course.
    assert.equal(await endsWithin(pause(200), 50), false);
  });
});

describe("watchJob", () => {
  /** One connection of the event stream: given the id it resumes after, it sends moves, then ends as told. */
  type Connection = (
    after: number,
    send: (move: StateEvent) => void,
    signal: AbortSignal,
  ) => Promise<void> | void;

  /** Until the watch closes the stream: a connection that sends nothing more. */
  const open = (signal: AbortSignal) =>
    new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve()));

  /**
   * A scripted API and a clock the test moves: each read of the job (a job, or an error thrown), each
   * connection of the stream (the last one is used again if more come), and the history it answers.
   */
  function world(
    t: TestContext,
    {
      reads,
      connections = [(_after, _send, signal) => open(signal)],
      history = HISTORY.map(row),
    }: {
      reads: (() => ArmJob)[] | ((n: number) => ArmJob);
      connections?: Connection[];
      history?: HistoryRow[];
    },
  ) {
    let now = T0;
    const clock: Clock = { now: () => new Date(now) };
    const lines: string[] = [];
    t.mock.method(console, "log", (line: string) => {
      lines.push(line);
    });
    let readCount = 0;
    const resumedAfter: number[] = [];
    let lastSignal: AbortSignal | undefined;
    const api: WatchApi = {
      async get(address) {
        assert.deepEqual(address, ADDRESS);
        readCount++;
        if (typeof reads === "function") {
          return reads(readCount);
        }
        const next = reads[readCount - 1];
        assert.ok(next, `read ${readCount}: the script has ended`);
        return next();
      },
      async history(address) {
        assert.deepEqual(address, ADDRESS);
        return history;
      },
      async moves(address, after, onMove, signal) {
        assert.deepEqual(address, ADDRESS);
        lastSignal = signal;
        const connection = connections[Math.min(resumedAfter.length, connections.length - 1)]!;
        resumedAfter.push(after);
        await connection(after, onMove, signal);
      },
    };
    return {
      api,
      clock,
      lines,
      reads: () => readCount,
      resumedAfter,
      streamClosed: () => lastSignal?.aborted === true,
      setNow: (at: Date) => (now = at),
    };
  }
  const unreachable = new UnreachableError("http://127.0.0.1:1", "ECONNREFUSED");
  const options = (clock: Clock, intervalSeconds = 0.001, format: "json" | "table" = "table") =>
    ({ intervalSeconds, format, bars: false, clock }) as const;
  const lines = (moves: readonly HistoryRow[]) => moves.map((m) => moveLine("job1", m));

  it("prints the job's whole history, in order, each move with its own time, then ends with the job", async (t) => {
    // The stream sends every move after 0 (the whole history); the job is read Completed once it has.
    let sent = 0;
    const w = world(t, {
      reads: () => read(sent === HISTORY.length ? "Completed" : "Transferring"),
      connections: [
        async (after, send, signal) => {
          assert.equal(after, 0, "from the job's first move");
          for (const move of HISTORY) {
            send(move);
            sent++;
          }
          await open(signal);
        },
      ],
    });
    await watchJob(w.api, ADDRESS, options(w.clock));
    assert.deepEqual(w.lines, lines(HISTORY));
    assert.ok(w.lines.includes("2000-01-01T12:04:00.000Z  job1: Shipping → Received"), "Received is there");
    assert.ok(!w.lines.some((l) => l.startsWith(T0.toISOString())), "no line has the clock's time");
    assert.equal(w.streamClosed(), true, "the event stream is closed when the watch ends");
  });

  it("a dropped connection resumes after the last move seen: nothing printed twice, nothing lost", async (t) => {
    let sent = 0;
    const w = world(t, {
      reads: () => read(sent === HISTORY.length ? "Completed" : "Transferring"),
      connections: [
        // Three moves, then the connection drops.
        (_after, send) => {
          HISTORY.slice(0, 3).forEach(send);
          sent = 3;
        },
        // The server sends the last of those again (a proxy's replay), then goes on, then drops.
        (after, send) => {
          assert.equal(after, HISTORY[2]!.id);
          HISTORY.slice(2, 7).forEach(send);
          sent = 7;
        },
        // The server is away a while.
        () => {
          throw unreachable;
        },
        async (after, send, signal) => {
          HISTORY.filter((m) => m.id > after).forEach(send);
          sent = HISTORY.length;
          await open(signal);
        },
      ],
    });
    await watchJob(w.api, ADDRESS, options(w.clock, 0.001, "json"));
    assert.deepEqual(
      w.lines,
      HISTORY.map((m) => moveJson("job1", m)),
    );
    assert.deepEqual(w.resumedAfter, [0, HISTORY[2]!.id, HISTORY[6]!.id, HISTORY[6]!.id]);
  });

  it("--until Packaging: ends once the job is read Packaging, with every move up to it printed", async (t) => {
    const upTo = HISTORY.findIndex((m) => m.to === "Packaging" && m.driveId === undefined) + 1;
    let sent = 0;
    const w = world(t, {
      reads: () => read(sent === upTo ? "Packaging" : "Transferring"),
      history: HISTORY.slice(0, upTo).map(row),
      connections: [
        async (_after, send, signal) => {
          HISTORY.slice(0, upTo).forEach(send);
          sent = upTo;
          await open(signal);
        },
      ],
    });
    await watchJob(w.api, ADDRESS, { ...options(w.clock), until: "Packaging" });
    assert.deepEqual(w.lines, lines(HISTORY.slice(0, upTo)));
    assert.equal(w.streamClosed(), true);
  });

  it("a job read ended: the moves the stream has not brought yet come from its history, after those shown", async (t) => {
    const w = world(t, {
      reads: [() => read("Transferring"), () => read("Completed")],
      connections: [
        async (_after, send, signal) => {
          HISTORY.slice(0, 5).forEach(send);
          await open(signal);
        },
      ],
    });
    await watchJob(w.api, ADDRESS, options(w.clock));
    assert.deepEqual(w.lines, lines(HISTORY));
  });

  it("a refusal on the stream (the job deleted) ends the watch with it", async (t) => {
    const gone = new ApiError("ResourceNotFound", "The job 'job1' was not found.", 404);
    const w = world(t, {
      reads: () => read("Transferring"),
      connections: [
        (_after, send) => HISTORY.slice(0, 2).forEach(send),
        () => {
          throw gone;
        },
      ],
    });
    await assert.rejects(watchJob(w.api, ADDRESS, options(w.clock)), (e) => e === gone);
    assert.deepEqual(w.lines, lines(HISTORY.slice(0, 2)));
  });

  it("rides out a server away for 30 s of the clock's time once the job was read, then follows it to its end", async (t) => {
    const w = world(t, {
      reads: [
        () => read("Creating"),
        ...[10_000, 20_000, 30_000, 40_000].map((ms) => () => {
          w.setNow(plus(ms));
          throw unreachable;
        }),
        () => read("Canceled"),
      ],
      history: HISTORY.slice(0, 2).map(row),
    });
    await watchJob(w.api, ADDRESS, options(w.clock));
    assert.equal(w.reads(), 6);
    assert.deepEqual(w.lines, lines(HISTORY.slice(0, 2)));
    assert.equal(w.streamClosed(), true);
  });

  it("gives up with the unreachable error once the server has been away longer", async (t) => {
    const w = world(t, {
      reads: [
        () => read("Creating"),
        ...[10_000, 40_000, 40_001].map((ms) => () => {
          w.setNow(plus(ms));
          throw unreachable;
        }),
      ],
    });
    await assert.rejects(watchJob(w.api, ADDRESS, options(w.clock)), (e) => e === unreachable);
    assert.equal(w.reads(), 4);
    assert.equal(w.streamClosed(), true);
  });

  it("a server that comes back starts the next outage's 30 s afresh", async (t) => {
    const w = world(t, {
      reads: [
        () => read("Creating"),
        () => {
          throw unreachable;
        },
        () => {
          w.setNow(plus(25_000));
          return read("Creating");
        },
        () => {
          throw unreachable;
        },
        () => {
          w.setNow(plus(50_000));
          throw unreachable;
        },
        () => read("Canceled"),
      ],
    });
    await watchJob(w.api, ADDRESS, options(w.clock));
    assert.equal(w.reads(), 6);
  });

  it("does not wait for a server it has never reached, nor past a refusal", async (t) => {
    const never = world(t, {
      reads: [
        () => {
          throw unreachable;
        },
      ],
    });
    await assert.rejects(watchJob(never.api, ADDRESS, options(never.clock)), (e) => e === unreachable);
    assert.equal(never.reads(), 1);

    const gone = new ApiError("ResourceNotFound", "The job 'job1' was not found.", 404);
    const deleted = world(t, {
      reads: [
        () => read("Creating"),
        () => {
          throw gone;
        },
      ],
    });
    await assert.rejects(watchJob(deleted.api, ADDRESS, options(deleted.clock)), (e) => e === gone);
    assert.equal(deleted.reads(), 2);
  });

  it("a move on the event stream ends the pause at once", { timeout: 20_000 }, async (t) => {
    let send: ((move: StateEvent) => void) | undefined;
    const w = world(t, {
      reads: [
        () => {
          // The move that cancels the job comes on the stream while the loop pauses after this read.
          setImmediate(() => send!(HISTORY[0]!));
          return read("Creating");
        },
        () => read("Canceled"),
      ],
      connections: [
        async (_after, sendMove, signal) => {
          send = sendMove;
          await open(signal);
        },
      ],
      history: [row(HISTORY[0]!)],
    });
    const started = performance.now();
    // Five seconds between reads: only the stream can bring the second read within half of that.
    await watchJob(w.api, ADDRESS, options(w.clock, 5));
    assert.equal(w.reads(), 2);
    assert.deepEqual(w.lines, lines([HISTORY[0]!]));
    const took = performance.now() - started;
    assert.ok(took < 2_500, `the watch took ${Math.round(took)} ms`);
  });
});
