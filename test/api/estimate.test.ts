/** @module The estimated completion time in the customer's job and the operator's summary, as stations report progress. */

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";

import { jobPath, jobsPath } from "../../src/wire/ids.js";
import { shippedImport, withVersion } from "../support/customer-api.js";
import { callJson } from "../support/fixtures.js";
import { startSqliteServer, TestClock, type TestServer } from "../support/server.js";

const MINUTE = 60_000;
const sub = randomUUID();
const address = { subscriptionId: sub, resourceGroup: "rg", name: "eta" };
const T0 = new Date("2026-03-01T09:00:00.000Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE).toISOString();

let server: TestServer;
const clock = new TestClock(T0);
let customer: string;
let operator: string;
let station: string;

async function ok(method: string, path: string, token: string, body?: unknown) {
  const answer = await callJson(server.url, method, path, token, body);
  assert.ok(answer.status < 300, `${method} ${path}: ${answer.status} ${answer.text}`);
  return answer.json!;
}

/** The estimate as the customer's GET shows it, and as the operator's job summary does. */
async function estimates(): Promise<{ arm: unknown; ops: unknown; state: unknown }> {
  const arm = (await ok("GET", withVersion(jobPath(address)), customer)) as {
    properties: Record<string, unknown>;
  };
  const ops = (await ok("GET", "/ops/v1/packages?carrier=FedEx&tracking=ETA-1", operator)) as {
    value: Record<string, unknown>[];
  };
  assert.equal(ops.value.length, 1);
  return {
    state: arm.properties.state,
    arm: arm.properties.estimatedCompletionTime,
    ops: ops.value[0]!.estimatedCompletionTime,
  };
}

const progress = (serial: string, bytesSucceeded: number, bytesTotal: number) =>
  ok("POST", `/ops/v1/drives/${serial}/progress`, station, { bytesSucceeded, bytesTotal });

describe("estimatedCompletionTime", () => {
  before(async () => {
    server = await startSqliteServer("estimate", clock);
    [customer, operator, station] = await Promise.all([
      server.token("customer", [sub]),
      server.token("operator"),
      server.token("station"),
    ]);
  });
  after(() => server?.close());

  it("appears once every drive with work has a copy rate, and goes when copying ends", async () => {
    await shippedImport(server.url, customer, address, ["ETA-A", "ETA-B"], "ETA-1");
    await ok("POST", "/ops/v1/packages/receive", operator, {
      carrier: "FedEx",
      tracking: "ETA-1",
      drives: ["ETA-A", "ETA-B"],
    });
    assert.deepEqual(await estimates(), { state: "Received", arm: undefined, ops: undefined });

    await ok("POST", "/ops/v1/stations/register", station, { name: "bay-1" });
    await ok("POST", "/ops/v1/drives/ETA-A/claim", station);
    await progress("ETA-A", 0, 1000); // T0: A starts Transferring, nothing copied yet
    assert.deepEqual(await estimates(), { state: "Transferring", arm: undefined, ops: undefined });

    clock.advance(10 * MINUTE);
    await progress("ETA-A", 500, 1000);
    // A has a rate, but B still waits for a station: no estimate.
    assert.deepEqual(await estimates(), { state: "Transferring", arm: undefined, ops: undefined });

    await ok("POST", "/ops/v1/drives/ETA-B/claim", station);
    await progress("ETA-B", 0, 2000); // T0+10: B starts
    assert.deepEqual(await estimates(), { state: "Transferring", arm: undefined, ops: undefined });

    clock.advance(10 * MINUTE);
    await progress("ETA-A", 800, 1000); // 800 in 20 minutes: 200 more in 5 → T0+25
    await progress("ETA-B", 500, 2000); // 500 in 10 minutes: 1500 more in 30 → T0+50
    assert.deepEqual(await estimates(), { state: "Transferring", arm: at(50), ops: at(50) });
    // The list shows it too.
    const list = (await ok("GET", withVersion(jobsPath(sub)), customer)) as {
      value: { properties: Record<string, unknown> }[];
    };
    assert.equal(list.value[0]!.properties.estimatedCompletionTime, at(50));

    for (const serial of ["ETA-A", "ETA-B"]) {
      await ok("POST", `/ops/v1/drives/${serial}/finish`, station, {
        state: "Completed",
        errorCount: 0,
        warningCount: 0,
        infoCount: 0,
      });
    }
    assert.deepEqual(await estimates(), { state: "Packaging", arm: undefined, ops: undefined });
  });
});
