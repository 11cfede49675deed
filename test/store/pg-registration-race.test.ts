/**
 * @module Races on PostgreSQL over what may be registered once: two real server processes on one database,
 * many requests at once — a storage account registered from both, a drive serial listed by many jobs.
 */

import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { describe, it, type TestContext } from "node:test";

import { createToken } from "../../src/app/create-token.js";
import { Store } from "../../src/store/store.js";
import { jobId, jobPath } from "../../src/wire/ids.js";
import { createExport, importBody, ship, withVersion } from "../support/customer-api.js";
import { cleanupsAfterAll, freshPostgres, postgresOrSkip } from "../support/db.js";
import { callJson, driveList, type JsonAnswer } from "../support/fixtures.js";
import { openTestDeps, type ServerProcess, startTwoServers, TEST_MASTER_KEY } from "../support/server.js";

const cleanups = cleanupsAfterAll();

interface Cluster {
  url: string;
  servers: [ServerProcess, ServerProcess];
  sub: string;
  tokens: { admin: string; customer: string; operator: string };
}

let cluster: Promise<Cluster> | undefined;

/** Two `sneakernet serve` processes on one PostgreSQL database, and a token of each role the tests use. */
async function twoServers(t: TestContext): Promise<Cluster | undefined> {
  const base = postgresOrSkip(t);
  if (base === undefined) {
    return undefined;
  }
  cluster ??= (async () => {
    const db = await freshPostgres(base, "pg_reg_race");
    cleanups.push(db.cleanup);
    const env = { DATABASE_URL: db.url, SNEAKERNET_MASTER_KEY: TEST_MASTER_KEY.toString("hex") };
    const servers = await startTwoServers(env, cleanups);
    // Tokens are rows of the shared database: made here, they work on both servers.
    const deps = await openTestDeps(db.url);
    const sub = randomUUID();
    try {
      const token = async (role: "admin" | "customer" | "operator", subscriptions: string[] = []) =>
        (await createToken(deps, { role, subscriptions })).token;
      return {
        url: db.url,
        servers,
        sub,
        tokens: {
          admin: await token("admin"),
          customer: await token("customer", [sub]),
          operator: await token("operator"),
        },
      };
    } finally {
      await deps.store.close();
    }
  })();
  return cluster;
}

/** Every answer's status (and error code), sorted: what a race came to, in one comparable line. */
function outcome(answers: readonly JsonAnswer[]): string[] {
  return answers
    .map((a) => `${a.status}${a.status >= 400 ? ` ${(a.json?.error as { code?: string })?.code}` : ""}`)
    .sort();
}

describe("PostgreSQL races on registration: two server processes on one database", () => {
  it("one storage account registered from both servers at once: one 201, one 200, one registration", async (t) => {
    const c = await twoServers(t);
    if (!c) {
      return;
    }
    const [a, b] = c.servers;
    // Twenty accounts at once, each from both servers: half shared, half the subscription's own (each kind
    // has its own unique index).
    const names = Array.from({ length: 20 }, (_, i) => `race${i}${randomBytes(3).toString("hex")}`);
    const path = (name: string, i: number) =>
      `/ops/v1/admin/storage-accounts/${name}${i % 2 === 0 ? "" : `?subscription=${c.sub}`}`;
    const rounds = await Promise.all(
      names.map((name, i) =>
        Promise.all(
          [a, b].map((server, s) =>
            callJson(server.url, "PUT", path(name, i), c.tokens.admin, {
              blobEndpoint: `https://${name}-${s === 0 ? "a" : "b"}.blob.example.com`,
            }),
          ),
        ),
      ),
    );
    const store = await Store.open(c.url, { migrate: false });
    try {
      for (const [i, answers] of rounds.entries()) {
        const name = names[i]!;
        assert.deepEqual(
          outcome(answers),
          ["200", "201"],
          `${name}: ${answers.map((x) => x.text).join("\n")}`,
        );
        const rows = await store.db
          .selectFrom("storage_accounts")
          .selectAll()
          .where("name", "=", name)
          .execute();
        assert.equal(rows.length, 1, `${name}: one registration`);
        // The replacement came after the creation: what is stored is what the 200 answered.
        const replaced = answers.find((x) => x.status === 200)!;
        assert.equal(rows[0]!.blob_endpoint, (replaced.json as { blobEndpoint: string }).blobEndpoint);
        assert.equal(rows[0]!.subscription_id, i % 2 === 0 ? null : c.sub);
      }
    } finally {
      await store.close();
    }
  });

  it("twelve jobs created at once from both servers, each listing one drive: one 201, eleven 409 DriveInUse — every round", async (t) => {
    const c = await twoServers(t);
    if (!c) {
      return;
    }
    for (let round = 0; round < 5; round++) {
      const serial = `RACE-${round}-${randomBytes(3).toString("hex").toUpperCase()}`;
      const answers: JsonAnswer[] = await Promise.all(
        Array.from({ length: 12 }, (_, i) => {
          const address = { subscriptionId: c.sub, resourceGroup: "rg", name: `race-${round}-${i}` };
          // The serial as each customer typed it: the rule ignores case, and so must the lock.
          const typed = i % 3 === 0 ? serial.toLowerCase() : serial;
          return callJson(
            c.servers[i % 2]!.url,
            "PUT",
            withVersion(jobPath(address)),
            c.tokens.customer,
            importBody(address, driveList([typed])),
          );
        }),
      );
      assert.deepEqual(
        outcome(answers),
        ["201", ...Array<string>(11).fill("409 DriveInUse")],
        `round ${round}: ${answers.map((x) => x.text.slice(0, 200)).join("\n")}`,
      );
      const store = await Store.open(c.url, { migrate: false });
      try {
        const held = await store.direct.drives.findInOtherJobs([serial], 0);
        assert.equal(held.length, 1, `round ${round}: one job lists ${serial}`);
      } finally {
        await store.close();
      }
    }
  });

  it("a drive registered on arrival to several export jobs at once, and listed by new jobs: one wins", async (t) => {
    const c = await twoServers(t);
    if (!c) {
      return;
    }
    const [a, b] = c.servers;
    for (let round = 0; round < 3; round++) {
      const serial = `XRACE-${round}-${randomBytes(3).toString("hex").toUpperCase()}`;
      const exports: { subscriptionId: string; resourceGroup: string; name: string }[] = Array.from(
        { length: 4 },
        (_, i) => ({
          subscriptionId: c.sub,
          resourceGroup: "rg",
          name: `xrace-${round}-${i}`,
        }),
      );
      for (const [i, address] of exports.entries()) {
        await createExport(a.url, c.tokens.customer, address);
        await ship(b.url, c.tokens.customer, address, `XR-${round}-${i}`);
      }
      const registrations: Promise<JsonAnswer>[] = exports.map((address, i) =>
        callJson(c.servers[i % 2]!.url, "POST", "/ops/v1/drives/register", c.tokens.operator, {
          job: jobId(address),
          drive: serial,
        }),
      );
      const creations = [0, 1].map((i) => {
        const address = { subscriptionId: c.sub, resourceGroup: "rg", name: `xrace-${round}-new-${i}` };
        return callJson(
          c.servers[i]!.url,
          "PUT",
          withVersion(jobPath(address)),
          c.tokens.customer,
          importBody(address, driveList([serial])),
        );
      });
      const answers: JsonAnswer[] = await Promise.all([...registrations, ...creations]);
      const won = answers.filter((x) => x.status < 300);
      assert.equal(
        won.length,
        1,
        `round ${round}: ${answers.map((x) => `${x.status} ${x.text.slice(0, 160)}`).join("\n")}`,
      );
      assert.deepEqual(
        outcome(answers.filter((x) => x.status >= 300)),
        Array<string>(5).fill("409 DriveInUse"),
      );
      const store = await Store.open(c.url, { migrate: false });
      try {
        assert.equal((await store.direct.drives.findInOtherJobs([serial], 0)).length, 1);
      } finally {
        await store.close();
      }
    }
  });
});
