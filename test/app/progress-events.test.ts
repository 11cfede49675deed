/**
 * @module Progress events: a station's reports every 2 s reach the job's and the subscription's streams as
 * progress events, at most one per drive every PROGRESS_EVENT_MS (at once when the copy status changes), with
 * the drive's bytes, files, percent and the job's estimate from the measured rate; the history listing shows
 * moves only, and a long copy keeps one progress row per drive.
 */

import assert from "node:assert/strict";
import { it } from "node:test";

import { type EventSource, followEvents, type StateEvent } from "../../src/app/follow-events.js";
import { readHistory } from "../../src/app/read-history.js";
import { reportProgress } from "../../src/app/report-progress.js";
import { PROGRESS_EVENT_MS } from "../../src/domain/copy.js";
import { describeOnEngines } from "../support/app.js";
import { claimAs, read, receivedImport } from "../support/app-ops.js";

const SECOND = 1000;
const TOTAL = 2000;

/** What a stream that polls now would send next: its cursor moves past what it read. */
function poller(source: EventSource): () => Promise<StateEvent[]> {
  let cursor = source.start;
  return async () => {
    const events = await source.next(cursor);
    cursor = events.at(-1)?.id ?? cursor;
    return events;
  };
}

/** An event as a line: `at(s) drive progress percent bytes files status eta(s)`, or `at(s) drive from→to`. */
function line(e: StateEvent, t0: number): string {
  const s = (iso: string) => (Date.parse(iso) - t0) / SECOND;
  if (!e.progress) {
    return `${s(e.at)} ${e.driveId ?? "job"} ${e.from ?? "∅"}→${e.to}`;
  }
  const p = e.progress;
  const eta = p.estimatedCompletionTime === undefined ? "-" : String(s(p.estimatedCompletionTime));
  return `${s(e.at)} ${e.driveId} progress ${p.percentComplete}% ${p.bytesSucceeded}/${p.bytesTotal} files=${p.filesSucceeded ?? "-"} ${p.copyStatus} eta=${eta}`;
}

describeOnEngines("progress events", (world) => {
  it("reports every 2 s become throttled progress events on the job's and the subscription's streams; the history listing keeps the moves alone", async () => {
    const w = world();
    assert.equal(PROGRESS_EVENT_MS, 5 * SECOND, "the lines below assume a 5 s throttle");
    await receivedImport(w, "pe-run", ["PEV1-A"]);
    const job = poller(await followEvents(w.deps, w.cast.customer, { job: w.address("pe-run") }));
    const sub = poller(await followEvents(w.deps, w.cast.customer, { subscriptionId: w.sub }));
    const theirs = poller(await followEvents(w.deps, w.cast.stranger, { subscriptionId: w.otherSub }));
    await claimAs(w, w.cast.stationA, "PEV1-A");
    const t0 = w.clock.now().getTime();

    const seen: { job: string[]; sub: string[] } = { job: [], sub: [] };
    // 100 bytes a second and a file every 2 s, reported every 2 s for 20 s; both streams polled in between.
    for (let t = 0; t <= 20; t += 2) {
      await reportProgress(w.deps, w.cast.stationA, "PEV1-A", {
        bytesSucceeded: 100 * t,
        bytesTotal: TOTAL,
        filesSucceeded: t / 2,
      });
      seen.job.push(...(await job()).map((e) => line(e, t0)));
      seen.sub.push(...(await sub()).map((e) => line(e, t0)));
      w.clock.advance(2 * SECOND);
    }
    // At 22 s the copy status changes: that event does not wait for its 5 s.
    w.clock.advance(-SECOND);
    await reportProgress(w.deps, w.cast.stationA, "PEV1-A", {
      bytesSucceeded: 2100,
      bytesTotal: TOTAL + 1000,
      filesSucceeded: 11,
      copyStatus: "Retrying",
    });
    seen.job.push(...(await job()).map((e) => line(e, t0)));
    seen.sub.push(...(await sub()).map((e) => line(e, t0)));

    // The rate measured since the copy started (100 B/s) puts the end at 20 s, then at 30 s for 3000 bytes.
    const expected = [
      "0 PEV1-A Received→Transferring",
      "0 job Received→Transferring",
      "0 PEV1-A progress 0% 0/2000 files=0 InProgress eta=-",
      "6 PEV1-A progress 30% 600/2000 files=3 InProgress eta=20",
      "12 PEV1-A progress 60% 1200/2000 files=6 InProgress eta=20",
      "18 PEV1-A progress 90% 1800/2000 files=9 InProgress eta=20",
      "21 PEV1-A progress 70% 2100/3000 files=11 Retrying eta=30",
    ];
    assert.deepEqual(seen.job, expected, "the job's stream");
    assert.deepEqual(seen.sub, expected, "the subscription's stream");
    assert.deepEqual(await theirs(), [], "another subscription's stream sees nothing");
    assert.equal(
      (await read(w, "pe-run")).estimatedCompletionTime,
      new Date(t0 + 30 * SECOND).toISOString(),
      "the job's estimate: the same measured rate",
    );

    // The history listing: moves, no progress; the table keeps only the drive's newest progress row.
    const history = await readHistory(w.deps, w.cast.customer, w.address("pe-run"));
    assert.ok(history.every((h) => h.progress === undefined && h.reason !== "Progress"));
    assert.deepEqual(
      history.slice(-2).map((h) => `${h.driveId ?? "job"} ${h.from}→${h.to}`),
      ["PEV1-A Received→Transferring", "job Received→Transferring"],
    );
    const from0 = await followEvents(w.deps, w.cast.customer, { job: w.address("pe-run") });
    assert.deepEqual(
      (await from0.next(0)).filter((e) => e.progress).map((e) => line(e, t0)),
      [expected.at(-1)],
      "a stream that starts from the beginning gets the newest progress only",
    );
  });
});
