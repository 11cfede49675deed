/**
 * @module State-change event streams: per job and per subscription for its customer, every job for
 * operators; resumable; closed on shutdown.
 */

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";

import type { ProgressEvent, StateEvent } from "../../src/wire/common.js";
import { jobPath, subscriptionEventsPath } from "../../src/wire/ids.js";
import { createImport, ship, withVersion } from "../support/customer-api.js";
import { type EventStream, openEventStream, type StreamEvent } from "../support/event-stream.js";
import { callJson } from "../support/fixtures.js";
import { startSqliteServer, type TestServer } from "../support/server.js";

const sub = randomUUID();
const otherSub = randomUUID();
const address = (name: string, s = sub) => ({ subscriptionId: s, resourceGroup: "rg", name });
const jobEvents = (name: string) => withVersion(`${jobPath(address(name))}/events`);
/** A job's ARM id as the events name it, written out here: what the API must say, not built by its code. */
const jobId = (name: string, s = sub) =>
  `/subscriptions/${s}/resourceGroups/rg/providers/Microsoft.ImportExport/jobs/${name}`;
const subscriptionEvents = (s: string = sub) => withVersion(subscriptionEventsPath(s));
let server: TestServer;
let customer: string;
let operator: string;
let stranger: string;

/** An event's data, as the wire describes it (a progress event's fields optional, so either reads as one). */
type EventData = StateEvent & Partial<ProgressEvent>;

/** Opens a stream of this server; resolves once the server has begun it. */
function open(
  path: string,
  token: string,
  headers: Record<string, string> = {},
): Promise<EventStream<EventData>> {
  return openEventStream<EventData>(`${server.url}${path}`, token, headers);
}

/** Opens a stream and collects its events until `enough` says so, or for `ms` at the most. */
async function collect(
  path: string,
  token: string,
  enough: Parameters<EventStream<EventData>["collect"]>[0],
  headers: Record<string, string> = {},
  ms?: number,
) {
  return (await open(path, token, headers)).collect(enough, ms);
}

/** An import job with one drive `${name}-D1` (another subscription's: `${name}-X1`), in Creating. */
async function createJob(name: string, s = sub, token = customer) {
  await createImport(server.url, token, address(name, s), [s === sub ? `${name}-D1` : `${name}-X1`]);
}

describe("event streams", () => {
  before(async () => {
    server = await startSqliteServer("events");
    [customer, operator, stranger] = await Promise.all([
      server.token("customer", [sub]),
      server.token("operator"),
      server.token("customer", [otherSub]),
    ]);
  });
  after(() => server?.close());

  it("a customer's job stream delivers the job's state changes as they happen", async () => {
    await createJob("ev1");
    // The stream starts "from now": the move happens once it has begun.
    const stream = await open(jobEvents("ev1"), customer);
    await ship(server.url, customer, address("ev1"), "EV-1");
    const events = await stream.collect((e) => e.some((x) => x.data.to === "Shipping"));
    const shipped = events.find((e) => e.data.to === "Shipping");
    assert.ok(shipped, JSON.stringify(events));
    assert.equal(shipped.data.from, "Creating");
    assert.equal(shipped.data.job, jobId("ev1"));
    assert.match(shipped.data.actor, /^customer:/);
    assert.ok(!events.some((e) => e.data.to === "Creating"), "nothing from before the stream opened");
  });

  it("Last-Event-ID resumes: every event after it, in order", async () => {
    const events = await collect(jobEvents("ev1"), customer, (e) => e.length >= 3, { "last-event-id": "0" });
    assert.deepEqual(
      events.slice(0, 3).map((e) => `${e.data.driveId ?? "job"}:${e.data.from}→${e.data.to}`),
      ["job:null→Creating", "ev1-D1:null→Specified", "job:Creating→Shipping"],
    );
    const ids = events.map((e) => Number(e.id));
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
    );
    // For 300 ms (the server looks for new events every 20 ms), nothing comes after the last one.
    const after = await collect(
      jobEvents("ev1"),
      customer,
      undefined,
      { "last-event-id": String(ids[2]) },
      300,
    );
    assert.deepEqual(after, [], "nothing after the last one");
  });

  it("operators follow every job; the package's receipt shows up there", async () => {
    await createJob("ev2");
    await ship(server.url, customer, address("ev2"), "EV-2");
    const stream = await open("/ops/v1/events", operator);
    const receipt = await callJson(server.url, "POST", "/ops/v1/packages/receive", operator, {
      carrier: "FedEx",
      tracking: "EV-2",
      drives: ["ev2-D1"],
    });
    assert.equal(receipt.status, 200, receipt.text);
    const events = await stream.collect((e) =>
      e.some((x) => x.data.job === jobId("ev2") && x.data.to === "Received" && !x.data.driveId),
    );
    assert.ok(
      events.some(
        (e) => e.data.driveId === "ev2-D1" && e.data.to === "Received" && /^operator:/.test(e.data.actor),
      ),
      JSON.stringify(events),
    );
  });

  it("a station's progress comes as `event: progress` on the job's and the subscription's streams, with the drive's bytes and files", async () => {
    await createJob("ev-progress");
    await ship(server.url, customer, address("ev-progress"), "EV-P");
    const station = await server.token("station");
    const post = async (path: string, token: string, body?: unknown) => {
      const answer = await callJson(server.url, "POST", path, token, body);
      assert.equal(answer.status, 200, answer.text);
    };
    await post("/ops/v1/packages/receive", operator, {
      carrier: "FedEx",
      tracking: "EV-P",
      drives: ["ev-progress-D1"],
    });
    await post("/ops/v1/stations/register", station, { name: "bay-9" });
    await post("/ops/v1/drives/ev-progress-D1/claim", station);
    const streams = await Promise.all([
      open(jobEvents("ev-progress"), customer),
      open(subscriptionEvents(), customer),
    ]);
    await post("/ops/v1/drives/ev-progress-D1/progress", station, {
      bytesSucceeded: 300,
      bytesTotal: 1000,
      filesSucceeded: 2,
    });
    for (const stream of streams) {
      const events = await stream.collect((e) => e.some((x) => x.event === "progress"));
      assert.deepEqual(
        events.map((e) => [e.event, e.data.driveId ?? "job", e.data.to ?? e.data.state]),
        [
          ["state", "ev-progress-D1", "Transferring"],
          ["state", "job", "Transferring"],
          ["progress", "ev-progress-D1", "Transferring"],
        ],
      );
      const { id, at, ...progress } = events[2]!.data;
      assert.ok(id > 0 && at);
      assert.deepEqual(progress, {
        job: jobId("ev-progress"),
        driveId: "ev-progress-D1",
        state: "Transferring",
        percentComplete: 30,
        bytesSucceeded: 300,
        bytesTotal: 1000,
        filesSucceeded: 2,
        copyStatus: "InProgress",
      });
    }
  });

  it("a customer cannot follow another subscription's job nor every job", async () => {
    const foreign = await callJson(server.url, "GET", jobEvents("ev1"), stranger);
    assert.equal(foreign.status, 403);
    assert.equal((foreign.json!.error as { code: string }).code, "AuthorizationFailed");
    const all = await callJson(server.url, "GET", "/ops/v1/events", customer);
    assert.equal(all.status, 403);
  });

  it("a customer's subscription stream delivers every job's changes there, and nothing of another subscription", async () => {
    const stream = await open(subscriptionEvents(), customer);
    // Another subscription's job moves first: had the stream leaked it, it would come before ev3's.
    await createJob("ev3", otherSub, stranger);
    await ship(server.url, stranger, address("ev3", otherSub), "EV-X");
    await createJob("ev3");
    await ship(server.url, customer, address("ev3"), "EV-3");
    const events = await stream.collect((e) =>
      e.some((x) => x.data.job === jobId("ev3") && x.data.to === "Shipping"),
    );
    assert.deepEqual(
      events.map((e) => `${e.data.job}:${e.data.driveId ?? "job"}:${e.data.from}→${e.data.to}`),
      [
        `${jobId("ev3")}:job:null→Creating`,
        `${jobId("ev3")}:ev3-D1:null→Specified`,
        `${jobId("ev3")}:job:Creating→Shipping`,
      ],
    );
  });

  it("the subscription stream: another subscription's customer gets 403; operators may follow any", async () => {
    for (const [path, token] of [
      [subscriptionEvents(), stranger],
      [subscriptionEvents(otherSub), customer],
    ] as const) {
      const refused = await callJson(server.url, "GET", path, token);
      assert.equal(refused.status, 403);
      assert.equal((refused.json!.error as { code: string }).code, "AuthorizationFailed");
    }
    const notGuid = await callJson(server.url, "GET", subscriptionEvents("not-a-guid"), customer);
    assert.equal(notGuid.status, 400);
    assert.equal((notGuid.json!.error as { code: string }).code, "InvalidSubscriptionId");
    const noVersion = await callJson(server.url, "GET", subscriptionEventsPath(sub), customer);
    assert.equal(noVersion.status, 400);
    // An operator reads another subscription's stream, from the start.
    const theirs = await collect(subscriptionEvents(otherSub), operator, (e) => e.length >= 3, {
      "last-event-id": "0",
    });
    assert.ok(theirs.length >= 3, JSON.stringify(theirs));
    assert.ok(theirs.every((e) => e.data.job === jobId("ev3", otherSub)));
  });

  it("Last-Event-ID resumes the subscription stream: every event of the subscription after it, in order", async () => {
    const done = (e: StreamEvent<EventData>[]) =>
      e.some((x) => x.data.job === jobId("ev3") && x.data.to === "Shipping");
    // The subscription in upper case names the same subscription, as in ARM.
    const all = await collect(subscriptionEvents(sub.toUpperCase()), customer, done, {
      "last-event-id": "0",
    });
    assert.ok(done(all), JSON.stringify(all));
    const ids = all.map((e) => Number(e.id));
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
    );
    assert.ok(
      all.every((e) => e.data.job?.startsWith(`/subscriptions/${sub}/`)),
      "only this subscription",
    );
    // Every job of the subscription is there, from its creation.
    for (const name of ["ev1", "ev2", "ev3"]) {
      assert.ok(all.some((e) => e.data.job === jobId(name) && e.data.to === "Creating" && !e.data.driveId));
    }
    assert.ok(all.some((e) => e.data.job === jobId("ev2") && e.data.to === "Received" && !e.data.driveId));
    const middle = Math.floor(all.length / 2);
    const resumed = await collect(subscriptionEvents(), customer, done, { "last-event-id": all[middle]!.id });
    assert.deepEqual(resumed, all.slice(middle + 1));
  });

  it("HEAD on each stream answers at once with the stream's headers, and leaves no stream polling", async () => {
    // A server of its own: every read of the history it makes is one this test caused.
    const other = await startSqliteServer("events-head");
    const history = other.deps.store.direct.history;
    const listAfter = history.listAfter.bind(history);
    let polls = 0;
    history.listAfter = (...args) => {
      polls++;
      return listAfter(...args);
    };
    try {
      const [own, ops] = await Promise.all([other.token("customer", [sub]), other.token("operator")]);
      await createImport(other.url, own, address("head1"), ["head1-D1"]);
      const streams = [
        [jobEvents("head1"), own],
        [subscriptionEvents(), own],
        ["/ops/v1/events", ops],
      ] as const;
      // Twenty at once, as the probe that found it sent: each answers, none is left behind.
      const answers = await Promise.all(
        Array.from({ length: 21 }, async (_, i) => {
          const [path, token] = streams[i % streams.length]!;
          const response = await fetch(`${other.url}${path}`, {
            method: "HEAD",
            headers: { authorization: `Bearer ${token}` },
            signal: AbortSignal.timeout(3000),
          }).catch((error: unknown) => {
            throw new Error(`HEAD ${path} got no headers within 3 s (${String(error)})`);
          });
          return { path, response, body: await response.text() };
        }),
      );
      for (const { path, response, body } of answers) {
        assert.equal(response.status, 200, path);
        assert.equal(response.headers.get("content-type"), "text/event-stream; charset=utf-8", path);
        assert.equal(response.headers.get("cache-control"), "no-cache", path);
        assert.ok(response.headers.get("x-ms-request-id"), path);
        assert.equal(body, "", path);
      }
      // A stream reads the history as it begins, then every 20 ms: none began, and none reads later.
      assert.equal(polls, 0, "no stream began for a HEAD");
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(polls, 0, "no stream polls after its HEAD was answered");
      // HEAD is refused as GET is: without a token, and on another subscription's job.
      const anonymous = await fetch(`${other.url}${jobEvents("head1")}`, { method: "HEAD" });
      assert.equal(anonymous.status, 401);
      const foreign = await fetch(`${other.url}${jobEvents("head1")}`, {
        method: "HEAD",
        headers: { authorization: `Bearer ${await other.token("customer", [otherSub])}` },
      });
      assert.equal(foreign.status, 403);
    } finally {
      await other.close();
    }
  });

  it("closing the server ends open streams instead of waiting on them", async () => {
    const other = await startSqliteServer("events-close");
    const token = await other.token("operator");
    const response = await fetch(`${other.url}/ops/v1/events`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(response.status, 200);
    const reader = response.body!.getReader();
    await reader.read(); // the retry line: the stream is open
    const started = performance.now();
    await other.close();
    assert.ok(performance.now() - started < 3000, "close did not wait for the stream");
    let done = false;
    while (!done) {
      done = (await reader.read()).done;
    }
  });
});
