/**
 * @module `job watch` without a server: the changes between two reads of a job, their lines and bars, how
 * long an unreachable server is waited for, and the loop over a scripted API and a clock the test sets.
 */

import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";

import {
  awayTooLong,
  bar,
  eventLine,
  jobChanges,
  wakeablePause,
  type WatchedDrive,
  type WatchEvent,
  watchJob,
} from "../../src/cli/job-watch.js";
import { ApiError, UnreachableError } from "../../src/client/http.js";
import type { ArmJob, JobAddress } from "../../src/client/types.js";
import { type Clock, fixedClock } from "../../src/domain/clock.js";
import type { JobState } from "../../src/domain/states.js";

const T0 = new Date("2001-02-03T04:05:06.000Z");
const plus = (ms: number): Date => new Date(T0.getTime() + ms);
const ADDRESS: JobAddress = { subscriptionId: "sub", resourceGroup: "rg1", name: "job1" };

/**
 * A read of job1 in `state` with these drives: only what the watch reads, so the rest of an ARM job is left
 * out (the loop below is handed it as an ArmJob, as the API client would).
 */
function read(state: JobState, drives: WatchedDrive[] = []): ArmJob {
  return {
    id: "/subscriptions/sub/resourceGroups/rg1/providers/Microsoft.ImportExport/jobs/job1",
    name: "job1",
    type: "Microsoft.ImportExport/jobs",
    location: "westus",
    properties: { state, driveList: drives },
  } as unknown as ArmJob;
}

describe("jobChanges", () => {
  it("the first read: the job's state and every drive's, each from null, and no progress", () => {
    const events = jobChanges(
      undefined,
      read("Transferring", [
        { driveId: "D1", state: "Transferring", percentComplete: 40, bytesSucceeded: 400 },
        { driveId: "D2", state: "Received" },
      ]),
      fixedClock(T0).now(),
    );
    const at = T0.toISOString();
    assert.deepEqual(events, [
      { event: "state", at, job: "job1", from: null, to: "Transferring" },
      { event: "state", at, job: "job1", driveId: "D1", from: null, to: "Transferring" },
      { event: "state", at, job: "job1", driveId: "D2", from: null, to: "Received" },
    ]);
  });

  it("a later read: exactly the state moves and the progress that changed, stamped with the clock's time", () => {
    const before = read("Transferring", [
      { driveId: "D1", state: "Transferring", percentComplete: 10, bytesSucceeded: 100 },
      { driveId: "D2", state: "Transferring", percentComplete: 90 },
      { driveId: "D3", state: "Received" },
    ]);
    const after = read("Transferring", [
      { driveId: "D1", state: "Transferring", percentComplete: 35, bytesSucceeded: 350 },
      { driveId: "D2", state: "Completed", percentComplete: 100 },
      { driveId: "D3", state: "Received", percentComplete: 0 },
    ]);
    const at = plus(60_000).toISOString();
    assert.deepEqual(jobChanges(before, after, fixedClock(at).now()), [
      { event: "progress", at, job: "job1", driveId: "D1", percentComplete: 35, bytesSucceeded: 350 },
      { event: "state", at, job: "job1", driveId: "D2", from: "Transferring", to: "Completed" },
      { event: "progress", at, job: "job1", driveId: "D2", percentComplete: 100 },
    ]);
  });

  it("the job's own move comes first; a drive that appears is new, without progress", () => {
    const before = read("Received", [{ driveId: "D1", state: "Received" }]);
    const after = read("Transferring", [
      { driveId: "D1", state: "Received" },
      { driveId: "X9", state: "Received", percentComplete: 20 },
    ]);
    const at = T0.toISOString();
    assert.deepEqual(jobChanges(before, after, T0), [
      { event: "state", at, job: "job1", from: "Received", to: "Transferring" },
      { event: "state", at, job: "job1", driveId: "X9", from: null, to: "Received" },
    ]);
  });

  it("the same read twice is no change", () => {
    const job = read("Transferring", [
      { driveId: "D1", state: "Transferring", percentComplete: 50, bytesSucceeded: 5 },
    ]);
    assert.deepEqual(jobChanges(job, structuredClone(job), T0), []);
  });

  it("keeps the field order a JSON line has always had", () => {
    const [progress] = jobChanges(
      read("Transferring", [{ driveId: "D1", state: "Transferring", percentComplete: 1 }]),
      read("Transferring", [
        { driveId: "D1", state: "Transferring", percentComplete: 2, bytesSucceeded: 20 },
      ]),
      T0,
    );
    assert.equal(
      JSON.stringify(progress),
      `{"event":"progress","at":"${T0.toISOString()}","job":"job1","driveId":"D1","percentComplete":2,"bytesSucceeded":20}`,
    );
  });
});

describe("eventLine and bar", () => {
  const at = T0.toISOString();

  it("a state is 'from → to', or the state alone when first seen; progress is percent and bytes", () => {
    const lines = (
      [
        { event: "state", at, job: "job1", from: null, to: "Creating" },
        { event: "state", at, job: "job1", driveId: "D1", from: "Received", to: "Transferring" },
        { event: "progress", at, job: "job1", driveId: "D1", percentComplete: 35, bytesSucceeded: 350 },
        { event: "progress", at, job: "job1", driveId: "D1", percentComplete: 40 },
      ] satisfies WatchEvent[]
    ).map(eventLine);
    assert.deepEqual(lines, [
      `${at}  job1: Creating`,
      `${at}  job1 drive D1: Received → Transferring`,
      `${at}  job1 drive D1: 35% (350 bytes)`,
      `${at}  job1 drive D1: 40% (0 bytes)`,
    ]);
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
  /** A clock the test moves, and each read of a scripted API: a job, or an error thrown. */
  function world(t: TestContext, script: (() => ArmJob)[]) {
    let now = T0;
    const clock: Clock = { now: () => new Date(now) };
    const lines: string[] = [];
    t.mock.method(console, "log", (line: string) => {
      lines.push(line);
    });
    let stream: { onChange: () => void; signal: AbortSignal } | undefined;
    let reads = 0;
    const api = {
      follow(_address: JobAddress, onChange: () => void, signal: AbortSignal): Promise<void> {
        stream = { onChange, signal };
        return new Promise((resolve) => signal.addEventListener("abort", () => resolve()));
      },
      async get(address: JobAddress): Promise<ArmJob> {
        assert.deepEqual(address, ADDRESS);
        const next = script[reads++];
        assert.ok(next, `read ${reads}: the script has ended`);
        return next();
      },
    };
    return {
      api,
      clock,
      lines,
      reads: () => reads,
      stream: () => stream!,
      setNow: (at: Date) => (now = at),
    };
  }
  const unreachable = new UnreachableError("http://127.0.0.1:1", "ECONNREFUSED");
  const options = (clock: Clock, intervalSeconds = 0.001) =>
    ({ intervalSeconds, format: "json", bars: false, clock }) as const;

  it("rides out a server away for 30 s of the clock's time once the job was seen, then follows it to its end", async (t) => {
    const w = world(t, [
      () => read("Creating"),
      ...[10_000, 20_000, 30_000, 40_000].map((ms) => () => {
        w.setNow(plus(ms));
        throw unreachable;
      }),
      () => read("Canceled"),
    ]);
    await watchJob(w.api, ADDRESS, options(w.clock));
    assert.equal(w.reads(), 6);
    assert.deepEqual(
      w.lines.map((l) => JSON.parse(l) as unknown),
      [
        { event: "state", at: T0.toISOString(), job: "job1", from: null, to: "Creating" },
        { event: "state", at: plus(40_000).toISOString(), job: "job1", from: "Creating", to: "Canceled" },
      ],
    );
    assert.equal(w.stream().signal.aborted, true, "the event stream is closed when the watch ends");
  });

  it("gives up with the unreachable error once the server has been away longer", async (t) => {
    const w = world(t, [
      () => read("Creating"),
      ...[10_000, 40_000, 40_001].map((ms) => () => {
        w.setNow(plus(ms));
        throw unreachable;
      }),
    ]);
    await assert.rejects(watchJob(w.api, ADDRESS, options(w.clock)), (e) => e === unreachable);
    assert.equal(w.reads(), 4);
    assert.equal(w.stream().signal.aborted, true);
  });

  it("a server that comes back starts the next outage's 30 s afresh", async (t) => {
    const w = world(t, [
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
    ]);
    await watchJob(w.api, ADDRESS, options(w.clock));
    assert.equal(w.reads(), 6);
  });

  it("does not wait for a server it has never reached, nor past a refusal", async (t) => {
    const never = world(t, [
      () => {
        throw unreachable;
      },
    ]);
    await assert.rejects(watchJob(never.api, ADDRESS, options(never.clock)), (e) => e === unreachable);
    assert.equal(never.reads(), 1);

    const gone = new ApiError("ResourceNotFound", "The job 'job1' was not found.", 404);
    const deleted = world(t, [
      () => read("Creating"),
      () => {
        throw gone;
      },
    ]);
    await assert.rejects(watchJob(deleted.api, ADDRESS, options(deleted.clock)), (e) => e === gone);
    assert.equal(deleted.reads(), 2);
  });

  it(
    "a change on the job's event stream ends the pause at once, also one announced during a read",
    { timeout: 20_000 },
    async (t) => {
      const w = world(t, [
        () => {
          // Announced while the loop is reading: kept for the pause that follows.
          w.stream().onChange();
          return read("Creating");
        },
        () => {
          // Announced while the loop is pausing: after this read it only prints and pauses, all before
          // the event loop's next turn, which is when this runs.
          setImmediate(() => w.stream().onChange());
          return read("Creating");
        },
        () => read("Canceled"),
      ]);
      const started = performance.now();
      // Five seconds between reads: only the stream can bring both later reads within half of that. (A
      // missed wake-up fails the assertion after the pause rather than leaving a watch pausing at exit.)
      await watchJob(w.api, ADDRESS, options(w.clock, 5));
      assert.equal(w.reads(), 3);
      const took = performance.now() - started;
      assert.ok(took < 2_500, `the watch took ${Math.round(took)} ms`);
    },
  );
});
