/**
 * @module State-change event streams: per job and per subscription for its customer, every job for
 * operators; resumable; closed on shutdown.
 */

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";

import type { StateEvent } from "../../src/wire/common.js";
import { freshSqlite } from "../support/db.js";
import { RETURN_ADDRESS } from "../support/fixtures.js";
import { startTestServer, type TestServer } from "../support/server.js";

const V = "api-version=2021-01-01";
const sub = randomUUID();
const otherSub = randomUUID();
const jobPath = (name: string, s = sub) =>
  `/subscriptions/${s}/resourceGroups/rg/providers/Microsoft.ImportExport/jobs/${name}`;
const subscriptionEvents = (s: string = sub) =>
  `/subscriptions/${s}/providers/Microsoft.ImportExport/events?${V}`;
let server: TestServer;
let cleanup: () => void;
let customer: string;
let operator: string;
let stranger: string;

interface Event {
  id: string;
  data: StateEvent;
}

/** Opens a stream and collects events until `enough` says so, or fails after `ms` (never hangs the suite). */
async function collect(
  path: string,
  token: string,
  enough: (events: Event[]) => boolean,
  headers: Record<string, string> = {},
  ms = 5000,
): Promise<Event[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  const response = await fetch(`${server.url}${path}`, {
    headers: { authorization: `Bearer ${token}`, ...headers },
    signal: controller.signal,
  });
  if (response.status !== 200) {
    // Read the body only for a refusal: a stream's body never ends.
    assert.fail(`${response.status}: ${await response.text()}`);
  }
  assert.match(response.headers.get("content-type") ?? "", /^text\/event-stream/);
  const events: Event[] = [];
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    while (!enough(events)) {
      const { value, done } = await reader.read();
      if (done) {
        break;
      }
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const id = /^id: (.*)$/m.exec(frame)?.[1];
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        if (id && data) {
          events.push({ id, data: JSON.parse(data) as Event["data"] });
        }
      }
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}

async function api(method: string, path: string, token: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}?${V}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  assert.ok(response.status < 300, `${method} ${path}: ${response.status} ${await response.clone().text()}`);
}

async function createJob(name: string, s = sub, token = customer) {
  await api("PUT", jobPath(name, s), token, {
    location: "West US",
    properties: {
      storageAccountId: `/subscriptions/${s}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/devstoreaccount1`,
      jobType: "Import",
      returnAddress: RETURN_ADDRESS,
      driveList: [
        { driveId: `${name}-D1`, bitLockerKey: "111111-222222-333333-444444-555555-666666-777777-888888" },
      ],
    },
  });
}

describe("event streams", () => {
  before(async () => {
    const db = freshSqlite("events");
    cleanup = db.cleanup;
    server = await startTestServer(db.url);
    [customer, operator, stranger] = await Promise.all([
      server.token("customer", [sub]),
      server.token("operator"),
      server.token("customer", [otherSub]),
    ]);
  });
  after(async () => {
    await server.close();
    cleanup();
  });

  it("a customer's job stream delivers the job's state changes as they happen", async () => {
    await createJob("ev1");
    const stream = collect(`${jobPath("ev1")}/events?${V}`, customer, (e) =>
      e.some((x) => x.data.to === "Shipping"),
    );
    // The stream starts "from now": the move happens after it opened.
    await new Promise((r) => setTimeout(r, 100));
    await api("PATCH", jobPath("ev1"), customer, {
      properties: { state: "Shipping", deliveryPackage: { carrierName: "FedEx", trackingNumber: "EV-1" } },
    });
    const events = await stream;
    const shipped = events.find((e) => e.data.to === "Shipping")!;
    assert.equal(shipped.data.from, "Creating");
    assert.equal(shipped.data.job, jobPath("ev1"));
    assert.match(shipped.data.actor, /^customer:/);
    assert.ok(!events.some((e) => e.data.to === "Creating"), "nothing from before the stream opened");
  });

  it("Last-Event-ID resumes: every event after it, in order", async () => {
    const events = await collect(`${jobPath("ev1")}/events?${V}`, customer, (e) => e.length >= 3, {
      "last-event-id": "0",
    });
    assert.deepEqual(
      events.slice(0, 3).map((e) => `${e.data.driveId ?? "job"}:${e.data.from}→${e.data.to}`),
      ["job:null→Creating", "ev1-D1:null→Specified", "job:Creating→Shipping"],
    );
    const ids = events.map((e) => Number(e.id));
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
    );
    const after = await collect(
      `${jobPath("ev1")}/events?${V}`,
      customer,
      () => false,
      { "last-event-id": String(ids[2]) },
      300,
    ).catch(() => []);
    assert.deepEqual(after, [], "nothing after the last one");
  });

  it("operators follow every job; the package's receipt shows up there", async () => {
    await createJob("ev2");
    await api("PATCH", jobPath("ev2"), customer, {
      properties: { state: "Shipping", deliveryPackage: { carrierName: "FedEx", trackingNumber: "EV-2" } },
    });
    const stream = collect("/ops/v1/events", operator, (e) =>
      e.some((x) => x.data.job === jobPath("ev2") && x.data.to === "Received" && !x.data.driveId),
    );
    await new Promise((r) => setTimeout(r, 100));
    const receipt = await fetch(`${server.url}/ops/v1/packages/receive`, {
      method: "POST",
      headers: { authorization: `Bearer ${operator}`, "content-type": "application/json" },
      body: JSON.stringify({ carrier: "FedEx", tracking: "EV-2", drives: ["ev2-D1"] }),
    });
    assert.equal(receipt.status, 200);
    const events = await stream;
    assert.ok(
      events.some(
        (e) => e.data.driveId === "ev2-D1" && e.data.to === "Received" && /^operator:/.test(e.data.actor),
      ),
    );
  });

  it("a customer cannot follow another subscription's job nor every job", async () => {
    const foreign = await fetch(`${server.url}${jobPath("ev1")}/events?${V}`, {
      headers: { authorization: `Bearer ${stranger}` },
    });
    assert.equal(foreign.status, 403);
    assert.equal(((await foreign.json()) as { error: { code: string } }).error.code, "AuthorizationFailed");
    const all = await fetch(`${server.url}/ops/v1/events`, {
      headers: { authorization: `Bearer ${customer}` },
    });
    assert.equal(all.status, 403);
  });

  it("a customer's subscription stream delivers every job's changes there, and nothing of another subscription", async () => {
    const stream = collect(subscriptionEvents(), customer, (e) =>
      e.some((x) => x.data.job === jobPath("ev3") && x.data.to === "Shipping"),
    );
    await new Promise((r) => setTimeout(r, 100));
    // Another subscription's job moves first: had the stream leaked it, it would come before ev3's.
    await createJob("ev3", otherSub, stranger);
    await api("PATCH", jobPath("ev3", otherSub), stranger, {
      properties: { state: "Shipping", deliveryPackage: { carrierName: "FedEx", trackingNumber: "EV-X" } },
    });
    await createJob("ev3");
    await api("PATCH", jobPath("ev3"), customer, {
      properties: { state: "Shipping", deliveryPackage: { carrierName: "FedEx", trackingNumber: "EV-3" } },
    });
    const events = await stream;
    assert.deepEqual(
      events.map((e) => `${e.data.job}:${e.data.driveId ?? "job"}:${e.data.from}→${e.data.to}`),
      [
        `${jobPath("ev3")}:job:null→Creating`,
        `${jobPath("ev3")}:ev3-D1:null→Specified`,
        `${jobPath("ev3")}:job:Creating→Shipping`,
      ],
    );
  });

  it("the subscription stream: another subscription's customer gets 403; operators may follow any", async () => {
    for (const [path, token] of [
      [subscriptionEvents(), stranger],
      [subscriptionEvents(otherSub), customer],
    ] as const) {
      const refused = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(refused.status, 403);
      assert.equal(((await refused.json()) as { error: { code: string } }).error.code, "AuthorizationFailed");
    }
    const notGuid = await fetch(
      `${server.url}/subscriptions/not-a-guid/providers/Microsoft.ImportExport/events?${V}`,
      { headers: { authorization: `Bearer ${customer}` } },
    );
    assert.equal(notGuid.status, 400);
    assert.equal(((await notGuid.json()) as { error: { code: string } }).error.code, "InvalidSubscriptionId");
    const noVersion = await fetch(
      `${server.url}/subscriptions/${sub}/providers/Microsoft.ImportExport/events`,
      {
        headers: { authorization: `Bearer ${customer}` },
      },
    );
    assert.equal(noVersion.status, 400);
    // An operator reads another subscription's stream, from the start.
    const theirs = await collect(subscriptionEvents(otherSub), operator, (e) => e.length >= 3, {
      "last-event-id": "0",
    });
    assert.ok(theirs.every((e) => e.data.job === jobPath("ev3", otherSub)));
  });

  it("Last-Event-ID resumes the subscription stream: every event of the subscription after it, in order", async () => {
    const done = (e: Event[]) => e.some((x) => x.data.job === jobPath("ev3") && x.data.to === "Shipping");
    // The subscription in upper case names the same subscription, as in ARM.
    const all = await collect(subscriptionEvents(sub.toUpperCase()), customer, done, {
      "last-event-id": "0",
    });
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
      assert.ok(all.some((e) => e.data.job === jobPath(name) && e.data.to === "Creating" && !e.data.driveId));
    }
    assert.ok(all.some((e) => e.data.job === jobPath("ev2") && e.data.to === "Received" && !e.data.driveId));
    const middle = Math.floor(all.length / 2);
    const resumed = await collect(subscriptionEvents(), customer, done, { "last-event-id": all[middle]!.id });
    assert.deepEqual(resumed, all.slice(middle + 1));
  });

  it("closing the server ends open streams instead of waiting on them", async () => {
    const db = freshSqlite("events-close");
    const other = await startTestServer(db.url);
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
    db.cleanup();
  });
});
