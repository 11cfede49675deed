/** @module Races on PostgreSQL: two real server processes on one database, and two sweeps at once. */

import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { describe, it, type TestContext } from "node:test";

import { createJob } from "../../src/app/create-job.js";
import { recordTracking } from "../../src/app/record-tracking.js";
import type { Principal } from "../../src/app/support/principal.js";
import { sweep } from "../../src/app/sweep.js";
import { DAY_MS } from "../../src/domain/clock.js";
import { Store } from "../../src/store/store.js";
import { jobPath } from "../../src/wire/ids.js";
import { createImport, withVersion } from "../support/customer-api.js";
import { cleanupsAfterAll, freshPostgres, postgresForTest, postgresOrSkip } from "../support/db.js";
import { BITLOCKER_KEY, RETURN_ADDRESS, storageAccount } from "../support/fixtures.js";
import { openTestDeps, runCli, type ServerProcess, startTwoServers, TestClock } from "../support/server.js";

const MASTER_KEY = randomBytes(32).toString("hex");

const cleanups = cleanupsAfterAll();

/** A database that has never been migrated: the two servers starting on it migrate it together. */
async function emptyPostgres(base: string): Promise<string> {
  const db = await freshPostgres(base, "pg_race", { empty: true });
  cleanups.push(db.cleanup);
  return db.url;
}

interface Cluster {
  url: string;
  servers: [ServerProcess, ServerProcess];
  sub: string;
  token: string;
  jobPath: string;
}

let cluster: Promise<Cluster> | undefined;

/** Two `sneakernet serve` processes on one PostgreSQL database, a customer token, and one job. */
async function twoServers(t: TestContext): Promise<Cluster | undefined> {
  const base = postgresOrSkip(t);
  if (base === undefined) {
    return undefined;
  }
  cluster ??= (async () => {
    const url = await emptyPostgres(base);
    const env = { DATABASE_URL: url, SNEAKERNET_MASTER_KEY: MASTER_KEY };
    // Started at the same moment: both migrate and seed the empty database at once.
    const servers = await startTwoServers(env, cleanups);

    const sub = randomUUID();
    const created = await runCli(
      ["token", "create", "--role", "customer", "--subscription", sub, "--database-url", url],
      env,
    );
    assert.equal(created.code, 0, created.stderr);
    const token = created.stdout.trim();
    assert.match(token, /^snk_\S+$/);

    const address = { subscriptionId: sub, resourceGroup: "rg", name: "race-job" };
    await createImport(servers[0].url, token, address, ["D1"], { returnAddress: null });
    return { url, servers, sub, token, jobPath: jobPath(address) };
  })();
  return cluster;
}

interface Reply {
  status: number;
  etag: string | null;
  body: { tags?: Record<string, string>; error?: { code: string } } & Record<string, unknown>;
}

async function request(
  server: ServerProcess,
  token: string,
  method: string,
  path: string,
  options: { body?: unknown; ifMatch?: string } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (options.body !== undefined) {
    headers["content-type"] = "application/json";
  }
  if (options.ifMatch !== undefined) {
    headers["if-match"] = options.ifMatch;
  }
  const response = await fetch(`${server.url}${withVersion(path)}`, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    etag: response.headers.get("etag"),
    body: text === "" ? {} : (JSON.parse(text) as Reply["body"]),
  };
}

describe("PostgreSQL races: two server processes on one database", () => {
  it("both start on an empty database at the same moment, and seed it once", async (t) => {
    const c = await twoServers(t);
    if (!c) {
      return;
    }
    const store = await Store.open(c.url);
    try {
      const accounts = await store.db.selectFrom("storage_accounts").select("name").execute();
      assert.deepEqual(accounts, [{ name: "devstoreaccount1" }]);
      assert.equal((await store.direct.locations.list()).length, 1);
    } finally {
      await store.close();
    }
    // Each server sees the job the other created.
    for (const server of c.servers) {
      const got = await request(server, c.token, "GET", c.jobPath);
      assert.equal(got.status, 200);
    }
  });

  it("PATCH with If-Match from both servers at once: exactly one 200 and one 412, every round", async (t) => {
    const c = await twoServers(t);
    if (!c) {
      return;
    }
    const [a, b] = c.servers;
    for (let round = 0; round < 25; round++) {
      const read = await request(round % 2 === 0 ? a : b, c.token, "GET", c.jobPath);
      assert.equal(read.status, 200);
      const etag = read.etag!;
      assert.match(etag, /^"\S+"$/);
      const replies: Reply[] = await Promise.all([
        request(a, c.token, "PATCH", c.jobPath, {
          ifMatch: etag,
          body: { tags: { round: String(round), by: "a" } },
        }),
        request(b, c.token, "PATCH", c.jobPath, {
          ifMatch: etag,
          body: {
            tags: { round: String(round), by: "b" },
            properties: { logLevel: round % 2 ? "Verbose" : "Error" },
          },
        }),
      ]);
      const statuses = replies.map((r) => r.status).sort();
      assert.deepEqual(statuses, [200, 412], `round ${round}: ${JSON.stringify(replies.map((r) => r.body))}`);
      const winner = replies.find((r) => r.status === 200)!;
      const loser = replies.find((r) => r.status === 412)!;
      assert.equal(loser.body.error?.code, "PreconditionFailed");
      assert.notEqual(winner.etag, etag);
      // What is stored is the winner's write, under the winner's etag.
      const now = await request(a, c.token, "GET", c.jobPath);
      assert.equal(now.etag, winner.etag);
      assert.deepEqual(now.body.tags, winner.body.tags);
    }
  });

  it("40 PATCHes without If-Match from both servers at once all succeed, each a version of its own", async (t) => {
    const c = await twoServers(t);
    if (!c) {
      return;
    }
    const replies = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        request(c.servers[i % 2]!, c.token, "PATCH", c.jobPath, {
          body: { tags: { writer: String(i) }, properties: { logLevel: i % 3 === 0 ? "Verbose" : "Error" } },
        }),
      ),
    );
    const failures = replies
      .filter((r) => r.status !== 200)
      .map((r) => `${r.status} ${JSON.stringify(r.body)}`);
    assert.deepEqual(failures, []);
    const etags = replies.map((r) => r.etag);
    assert.equal(new Set(etags).size, 40, "every write is a version of its own");
    // The job is the last write: its etag is one of theirs, and it carries that write's tags.
    const final = await request(c.servers[1], c.token, "GET", c.jobPath);
    const last = replies.find((r) => r.etag === final.etag);
    assert.ok(last, "the stored etag is one a writer was given");
    assert.deepEqual(final.body.tags, last.body.tags);
    // Tags and log level are no state moves: the history holds creation only.
    const store = await Store.open(c.url);
    try {
      const job = await store.direct.jobs.findByName(c.sub, "rg", "race-job");
      assert.equal(`"${job?.etag}"`, final.etag);
      const history = await store.direct.history.listByJob(job!.id);
      assert.deepEqual(
        history.map((h) => [h.driveId ?? "job", h.from, h.to]),
        [
          ["job", null, "Creating"],
          ["D1", null, "Specified"],
        ],
      );
    } finally {
      await store.close();
    }
  });
});

describe("PostgreSQL races: two sweeps at once", () => {
  it("make each change exactly once, and neither fails", async (t) => {
    const db = await postgresForTest(t, "pg-race-sweep", cleanups);
    if (db === undefined) {
      return;
    }
    const now = new Date("2026-06-01T00:00:00.000Z");
    const clock = new TestClock(now);
    // Two replicas: a store each, one database.
    const [one, two] = [await openTestDeps(db.url, clock), await openTestDeps(db.url, clock)];
    cleanups.push(
      () => one.store.close(),
      () => two.store.close(),
    );
    const sub = randomUUID();
    const principal: Principal = { tokenId: "t", label: "alice", role: "customer", subscriptions: [sub] };
    const expected: string[] = [];
    for (let i = 0; i < 30; i++) {
      const address = { subscriptionId: sub, resourceGroup: "rg", name: `job-${i}` };
      clock.set(new Date(now.getTime() - 16 * DAY_MS));
      await createJob(one, {
        principal,
        address,
        input: {
          location: "West US",
          storageAccountId: storageAccount(sub, "rg"),
          jobType: "Import",
          driveList: [{ driveId: `D${i}`, bitLockerKey: BITLOCKER_KEY }],
        },
      });
      if (i % 2 === 0) {
        expected.push(`DeleteJob job-${i}`);
        continue;
      }
      clock.set(new Date(now.getTime() - 15 * DAY_MS));
      await recordTracking(one, {
        principal,
        address,
        changes: {
          returnAddress: RETURN_ADDRESS,
          deliveryPackage: { carrierName: "FedEx", trackingNumber: "TRK 1" },
        },
      });
      expected.push(`MarkNeverReceived job-${i}`);
    }
    const reports = await Promise.all([sweep(one, now), sweep(two, now)]);
    const changes = reports.flatMap((r) => r.changes.map((c) => `${c.action} ${c.job}`)).sort();
    assert.deepEqual(changes, expected.sort());
    assert.deepEqual((await sweep(two, now)).changes, []);
    const left = await one.store.direct.jobs.list({ subscriptionId: sub, limit: 100 });
    assert.equal(left.length, 15);
    for (const job of left) {
      assert.equal(job.state, "Closed");
      const rows = (await one.store.direct.history.listByJob(job.id)).filter(
        (h) => h.actor === "system:lifecycle-sweep",
      );
      assert.equal(rows.length, 2, "one drive row and one job row");
    }
  });
});
