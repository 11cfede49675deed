/** @module Races at the data center on PostgreSQL: two API servers (two stores, two pools) on one database. */

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";

import { jobPath } from "../../src/wire/ids.js";
import { shippedImport, withVersion } from "../support/customer-api.js";
import { freshPostgres, postgresOrSkip, postgresUrl } from "../support/db.js";
import { callJson } from "../support/fixtures.js";
import { startTestServer, TestClock, type TestServer } from "../support/server.js";

const sub = randomUUID();
const address = (name: string) => ({ subscriptionId: sub, resourceGroup: "rg", name });

let a: TestServer | undefined;
let b: TestServer | undefined;
let drop: (() => Promise<void>) | undefined;
const tokens: Record<string, string> = {};

function call(server: TestServer, method: string, path: string, token: string, body?: unknown) {
  return callJson(server.url, method, path, token, body);
}

/** A job of these drives, shipped with tracking `tracking`, through server a. */
async function shippedJob(name: string, tracking: string, drives: string[]): Promise<void> {
  await shippedImport(a!.url, tokens.customer!, address(name), drives, tracking);
}

async function history(name: string) {
  const path = withVersion(`${jobPath(address(name))}/history`);
  return (await call(a!, "GET", path, tokens.customer!)).json!.value as {
    driveId?: string;
    from: string;
    to: string;
  }[];
}

describe("PostgreSQL races at the data center", () => {
  before(async () => {
    // Each test below skips (or, under SNEAKERNET_REQUIRE_ALL=1, fails) by itself without PostgreSQL.
    const base = postgresUrl();
    if (!base) {
      return;
    }
    const db = await freshPostgres(base, "pg_ops_race");
    drop = db.cleanup;
    const clock = new TestClock(new Date());
    a = await startTestServer(db.url, clock);
    b = await startTestServer(db.url, clock);
    tokens.customer = await a.token("customer", [sub]);
    tokens.op1 = await a.token("operator");
    tokens.op2 = await b.token("operator");
    tokens.st1 = await a.token("station");
    tokens.st2 = await b.token("station");
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await drop?.();
  });

  it("two operators receive the same package at once, on two servers: one result, no duplicate history", async (t) => {
    if (!postgresOrSkip(t)) {
      return;
    }
    for (let round = 0; round < 10; round++) {
      const name = `recv-${round}`;
      await shippedJob(name, `R-${round}`, [`R${round}A`, `R${round}B`]);
      const body = { carrier: "FedEx", tracking: `R-${round}`, drives: [`R${round}A`, `R${round}B`] };
      const answers = await Promise.all([
        call(a!, "POST", "/ops/v1/packages/receive", tokens.op1!, body),
        call(b!, "POST", "/ops/v1/packages/receive", tokens.op2!, body),
      ]);
      const statuses = answers.map((x) => x.status).sort();
      assert.deepEqual(statuses, [200, 409], answers.map((x) => x.text).join("\n"));
      const loser = answers.find((x) => x.status === 409)!;
      assert.equal((loser.json!.error as { code: string }).code, "PackageAlreadyReceived");
      const received = (await history(name)).filter((h) => h.to === "Received");
      assert.equal(received.length, 3, "each drive Received once, the job Received once");
    }
  });

  it("two stations claim the same drive at once, on two servers: exactly one wins, every round", async (t) => {
    if (!postgresOrSkip(t)) {
      return;
    }
    for (let round = 0; round < 10; round++) {
      const drive = `C${round}`;
      await shippedJob(`claim-${round}`, `C-${round}`, [drive]);
      const receipt = await call(a!, "POST", "/ops/v1/packages/receive", tokens.op1!, {
        carrier: "FedEx",
        tracking: `C-${round}`,
        drives: [drive],
      });
      assert.equal(receipt.status, 200, receipt.text);
      const answers = await Promise.all([
        call(a!, "POST", `/ops/v1/drives/${drive}/claim`, tokens.st1!),
        call(b!, "POST", `/ops/v1/drives/${drive}/claim`, tokens.st2!),
      ]);
      assert.deepEqual(
        answers.map((x) => x.status).sort(),
        [200, 409],
        answers.map((x) => x.text).join("\n"),
      );
      const winner = answers.findIndex((x) => x.status === 200);
      const [holder, other] = winner === 0 ? [tokens.st1!, tokens.st2!] : [tokens.st2!, tokens.st1!];
      const progress = { bytesSucceeded: 1, bytesTotal: 2 };
      assert.equal((await call(a!, "POST", `/ops/v1/drives/${drive}/progress`, other, progress)).status, 409);
      assert.equal(
        (await call(b!, "POST", `/ops/v1/drives/${drive}/progress`, holder, progress)).status,
        200,
      );
    }
  });
});
