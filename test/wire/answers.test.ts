/**
 * @module The wire's shapes (src/wire/) are the real answers: jobs walk their lives through the real API
 * (customer, operators, stations, admin) and every answer is parsed strictly with its wire schema — a
 * field one side adds, drops or renames fails here. Every /ops/v1/ answer is also held to the operation's
 * answer in /ops/v1/openapi.json, and every operation of that document is answered at least once.
 */

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import type { z } from "zod/v4";

import { OPS_OPERATIONS } from "../../src/api/ops/openapi.js";
import { FINAL_JOB_STATES } from "../../src/domain/states.js";
import {
  armJob,
  armJobPage,
  armLocation,
  armLocationList,
  bitLockerKeyList,
  jobDetails,
  operationList,
  putJobParameters,
} from "../../src/wire/arm.js";
import { historyList, streamEvent } from "../../src/wire/common.js";
import { errorBody } from "../../src/wire/errors.js";
import { jobId, jobPath, jobsPath, locationId, OPS_PREFIX, PROVIDER } from "../../src/wire/ids.js";
import type {
  ClaimAnswer,
  DriveAnswer,
  JobSummaryList,
  ReceiveAnswer,
  StorageAccountView,
  WhoAmI,
  WorkQueue,
} from "../../src/wire/ops.js";
import { MINUTE, NAMES, ok, RG, SUB, World } from "../api/ops-helpers.js";
import { freshSqlite } from "../support/db.js";
import { openEventStream } from "../support/event-stream.js";
import { startTestServer, TestClock, type TestServer } from "../support/server.js";
import { withDeadline } from "../support/wait.js";
import { assertOpsAnswer, assertShape } from "./wire-helpers.js";

const clock = new TestClock(new Date("2026-03-02T09:00:00.000Z"));
let db: { url: string; cleanup: () => void };
let server: TestServer;
let w: World;
let admin: string;
/** The /ops/v1/ operations answered so far (`get /queue`), each answer held to its documented shape. */
const answered = new Set<string>();

const address = (name: string) => ({ subscriptionId: SUB, resourceGroup: RG, name });

/** An /ops/v1/ call that must succeed; its answer is held to its operation's answer schema. */
async function ops<T>(
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
  status = 200,
): Promise<T> {
  const url = `${OPS_PREFIX}${path}`;
  const json = ok<T>(await w.call(method, url, token, body), status);
  const op = assertOpsAnswer(method, url, json);
  answered.add(`${op.method} ${op.path}`);
  return json;
}

/** A customer call (api-version added) that must answer `status`; its answer is held to `schema`. */
async function arm<T>(schema: z.ZodType<T>, method: string, path: string, body?: unknown, status = 200) {
  return assertShape(schema, ok(await w.customerCall(method, path, body), status), `${method} ${path}`);
}

/** The first `count` events of a stream, from its beginning (Last-Event-ID 0), each event's data parsed. */
async function events(path: string, token: string, count: number): Promise<unknown[]> {
  const stream = await openEventStream(new URL(path, server.url).toString(), token, { "last-event-id": "0" });
  const found = (await stream.collect((e) => e.length >= count, 5000)).map((e) => e.data);
  assert.ok(found.length >= count, `${path}: ${found.length} events, expected ${count}`);
  return found;
}

before(async () => {
  db = freshSqlite("wire");
  server = await startTestServer(db.url, clock);
  w = new World(server, clock);
  await w.init();
  admin = await server.token("admin");
});

after(async () => {
  await withDeadline(server.close(), 10_000, "closing the server");
  db?.cleanup();
});

describe("the customer API's answers", () => {
  it("a job created, changed, read and listed is an ArmJob; a page, its keys, its history are theirs", async () => {
    assertShape(armJob, await w.createImport("wire-1", ["WIRE-D1", "WIRE-D2"]), "PUT (create)");
    await w.createImport("wire-2", ["WIRE-E1"]);
    const path = jobPath(address("wire-1"));
    await arm(armJob, "PATCH", path, { tags: { team: "wire" } });
    const job = await arm(armJob, "GET", path);
    assert.equal(job.id, jobId(address("wire-1")));
    assert.deepEqual(job.tags, { team: "wire" });

    // What a GET answered, a PUT takes back (but for estimatedCompletionTime, which is ours alone).
    const { estimatedCompletionTime: _estimate, ...properties } = job.properties;
    assertShape(jobDetails, properties, "a GET's properties as a PUT's");
    assertShape(putJobParameters, { location: job.location, tags: job.tags, properties }, "a GET as a PUT");

    const first = await arm(armJobPage, "GET", `${jobsPath(SUB)}?$top=1`);
    assert.ok(first.nextLink, "a page of one, with more to come");
    assertShape(armJobPage, ok(await w.call("GET", first.nextLink, w.cast.customer)), "the next page");
    await arm(armJobPage, "GET", jobsPath(SUB, RG));

    // Only the owner gets keys, and only here: read without the no-key-shown check of World.call.
    const keys = await fetch(new URL(`${path}/listBitLockerKeys?api-version=2021-01-01`, server.url), {
      method: "POST",
      headers: { authorization: `Bearer ${w.cast.customer}` },
    });
    assert.equal(keys.status, 200);
    const value = assertShape(bitLockerKeyList, await keys.json(), "listBitLockerKeys").value;
    assert.deepEqual(value.map((k) => k.driveId).sort(), ["WIRE-D1", "WIRE-D2"]);

    const history = await arm(historyList, "GET", `${path}/history`);
    assert.equal(history.value[0]?.from, null, "a job's first row comes from nowhere");
  });

  it("locations and operations are theirs", async () => {
    const locations = await arm(armLocationList, "GET", `/providers/${PROVIDER}/locations`);
    assert.ok(locations.value.length > 0);
    await arm(armLocation, "GET", locationId("westus"));
    await arm(operationList, "GET", `/providers/${PROVIDER}/operations`);
  });

  it("a refusal wears the error envelope", async () => {
    const answer = await w.customerCall("PUT", jobPath(address("wire-1")), { colour: "blue" });
    assert.equal(answer.status, 400);
    const { error } = assertShape(errorBody, answer.json, "a refusal");
    assert.equal(error.code, "UnknownProperty");
    for (const [status, url, token] of [
      [404, `${jobPath(address("wire-none"))}?api-version=2021-01-01`, w.cast.customer],
      [401, `${OPS_PREFIX}/queue`, null],
      [403, `${OPS_PREFIX}/queue`, w.cast.customer],
    ] as const) {
      const refused = await w.call("GET", url, token);
      assert.equal(refused.status, status, refused.text);
      assertShape(errorBody, refused.json, `${status} for GET ${url}`);
    }
  });
});

describe("the operator, station and admin API's answers", () => {
  it("whoami, for every role", async () => {
    const { customer, operator, stationA } = w.cast;
    for (const [token, role] of [
      [customer, "customer"],
      [operator, "operator"],
      [stationA, "station"],
      [admin, "admin"],
    ] as const) {
      assert.equal((await ops<WhoAmI>("GET", "/whoami", token)).role, role);
    }
  });

  it("a package expected, received (with a drive missing and one extra), a drive found", async () => {
    const { operator } = w.cast;
    await arm(armJob, "PATCH", jobPath(address("wire-1")), {
      properties: { state: "Shipping", deliveryPackage: { carrierName: "FedEx", trackingNumber: "WIRE-T1" } },
    });
    const expected = await ops<WorkQueue>("GET", "/queue", operator);
    assert.ok(expected.packagesExpected.some((p) => p.job.name === "wire-1" && p.deliveryTimeoutAt));
    const jobs = await ops<JobSummaryList>("GET", "/packages?carrier=FedEx&tracking=WIRE-T1", operator);
    assert.deepEqual(
      jobs.value.map((j) => j.name),
      ["wire-1"],
    );

    clock.advance(MINUTE);
    const received = await ops<ReceiveAnswer>("POST", "/packages/receive", operator, {
      carrier: "FedEx",
      tracking: "WIRE-T1",
      drives: ["WIRE-D1", "WIRE-X9"],
      reason: "Unpacked at dock 1",
    });
    assert.deepEqual(
      [received.status, received.received, received.neverReceived, received.extra],
      ["Received", ["WIRE-D1"], ["WIRE-D2"], ["WIRE-X9"]],
    );
    clock.advance(MINUTE);
    const found = await ops<DriveAnswer>("POST", "/drives/found", operator, {
      serial: "WIRE-D2",
      carrier: "UPS",
      tracking: "WIRE-T1B",
    });
    assert.equal(found.drive?.state, "Received");
  });

  it("stations register, claim, report progress and finish; the queue shows each step", async () => {
    const { operator, stationA } = w.cast;
    await ops("POST", "/stations/register", stationA, { name: NAMES.stationA });
    const bays = [
      { bay: "bay-1", state: "waiting", driveId: "WIRE-D9", message: "not received yet" },
      { bay: "bay-2", state: "empty" },
    ];
    await ops("POST", "/stations/bays", stationA, { bays });
    const waiting = await ops<WorkQueue>("GET", "/queue", operator);
    assert.ok(waiting.waitingToCopy.length >= 2 && waiting.extraDrives.length >= 1);
    assert.deepEqual(waiting.stations.find((s) => s.name === NAMES.stationA)?.bays, bays);

    for (const [serial, outcome] of [
      ["WIRE-D1", { state: "Completed", errorCount: 0, warningCount: 0, infoCount: 0 }],
      [
        "WIRE-D2",
        {
          state: "CompletedMoreInfo",
          errorCount: 1,
          warningCount: 2,
          infoCount: 0,
          verboseLogUri: "https://logs.example/verbose",
          errorLogUri: "https://logs.example/error",
          manifestUri: "https://logs.example/manifest",
        },
      ],
    ] as const) {
      const claim = await ops<ClaimAnswer>("POST", `/drives/${serial}/claim`, stationA);
      assert.ok(claim.bitLockerKey, "the key goes with the claim");
      const copying = await ops<WorkQueue>("GET", "/queue", operator);
      assert.ok(
        copying.copying.some((e) => e.drive.driveId === serial && e.station?.name === NAMES.stationA),
      );
      clock.advance(MINUTE);
      await ops("POST", `/drives/${serial}/progress`, stationA, { bytesSucceeded: 400, bytesTotal: 1000 });
      clock.advance(MINUTE);
      await ops("POST", `/drives/${serial}/progress`, stationA, {
        bytesSucceeded: 800,
        bytesTotal: 1000,
        copyStatus: "InProgress",
        filesSucceeded: 8,
      });
      // Mid-copy: copy status, percentages and (with a rate known) the estimate, on both surfaces.
      await arm(armJob, "GET", jobPath(address("wire-1")));
      await ops("GET", "/packages?carrier=FedEx&tracking=WIRE-T1", operator);
      clock.advance(MINUTE);
      await ops("POST", `/drives/${serial}/finish`, stationA, outcome);
    }
    const ready = await ops<WorkQueue>("GET", "/queue", operator);
    assert.ok(ready.waitingToShip.some((j) => j.name === "wire-1"));
  });

  it("the job shipped back; its history on both surfaces", async () => {
    const { operator } = w.cast;
    const id = jobId(address("wire-1"));
    await ops("POST", "/ship", operator, { job: id, carrier: "UPS", tracking: "WIRE-R1" });
    const done = await arm(armJob, "GET", jobPath(address("wire-1")));
    assert.ok(FINAL_JOB_STATES.includes(done.properties.state), done.properties.state);
    assert.ok(done.properties.returnPackage);
    await arm(historyList, "GET", `${jobPath(address("wire-1"))}/history`);
    await ops("GET", `/history?job=${encodeURIComponent(id)}`, operator);
  });

  it("an export job: its drives registered on arrival and by hand, a claim with what to export", async () => {
    const { operator, stationA } = w.cast;
    const created = assertShape(armJob, await w.createExport("wire-exp"), "PUT (export)");
    assert.ok(created.properties.export);
    await arm(armJob, "PATCH", jobPath(address("wire-exp")), {
      properties: { state: "Shipping", deliveryPackage: { carrierName: "FedEx", trackingNumber: "WIRE-T2" } },
    });
    const received = await ops<ReceiveAnswer>("POST", "/packages/receive", operator, {
      carrier: "FedEx",
      tracking: "WIRE-T2",
      drives: ["WIRE-X1"],
    });
    assert.deepEqual(received.registered, ["WIRE-X1"]);
    await ops("POST", "/drives/register", operator, { job: jobId(address("wire-exp")), drive: "WIRE-X2" });
    const claim = await ops<ClaimAnswer>("POST", "/drives/WIRE-X1/claim", stationA);
    assert.ok(claim.job.export, "what to export");
  });

  it("admin: locations and storage accounts", async () => {
    await ops("GET", "/admin/locations", admin);
    await ops("GET", "/admin/locations/westus", admin);
    await ops("PUT", "/admin/locations/wiretest", admin, {
      name: "Wire Test",
      recipientName: "Sneakernet Wire",
      streetAddress1: "1 Schema Way",
      city: "Boydton",
      postalCode: "23917",
      countryOrRegion: "USA",
      phone: "+1 555 0100",
      additionalShippingInformation: "Dock 4",
      supportedCarriers: ["UPS"],
    });
    await ops("DELETE", "/admin/locations/wiretest", admin);

    const saved = await ops<StorageAccountView>(
      "PUT",
      `/admin/storage-accounts/wireacct?subscription=${SUB}`,
      admin,
      {
        blobEndpoint: "https://wireacct.blob.core.windows.net",
        credential: { type: "accountKey", secret: "c2VjcmV0LWtleS1mb3ItdGhlLXdpcmUtdGVzdA==" },
      },
      201,
    );
    assert.equal(saved.credential?.hint, "…dA==");
    await ops("GET", "/admin/storage-accounts", admin);
    await ops("GET", `/admin/storage-accounts/wireacct?subscription=${SUB}`, admin);
    await ops("DELETE", `/admin/storage-accounts/wireacct?subscription=${SUB}`, admin);
  });

  it("the OpenAPI document itself, and the events of every stream", async () => {
    await ops("GET", "/openapi.json", null);
    const streams = [
      `${OPS_PREFIX}/events`,
      `/subscriptions/${SUB}/providers/${PROVIDER}/events?api-version=2021-01-01`,
      `${jobPath(address("wire-1"))}/events?api-version=2021-01-01`,
    ];
    for (const path of streams) {
      const token = path.startsWith(OPS_PREFIX) ? w.cast.operator : w.cast.customer;
      for (const event of await events(path, token, 3)) {
        assertShape(streamEvent, event, `an event of ${path}`);
        if (path.startsWith(OPS_PREFIX)) {
          assertOpsAnswer("GET", path, event);
          answered.add("get /events");
        }
      }
    }
  });

  it("every operation of /ops/v1/openapi.json was answered and held to its documented answer", () => {
    const documented = OPS_OPERATIONS.map((op) => `${op.method} ${op.path}`).sort();
    assert.deepEqual([...answered].sort(), documented);
  });
});
