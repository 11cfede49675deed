/**
 * @module PostgreSQL ending idle connections (a restart, an administrator, idle_session_timeout): the
 * store and a real server process carry on with fresh connections instead of crashing.
 */

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

import pg from "pg";

import { Store } from "../../src/store/store.js";
import { cleanupsAfterAll, postgresForTest, TMP } from "../support/db.js";
import { startServerProcess } from "../support/server.js";
import { until } from "../support/wait.js";

const cleanups = cleanupsAfterAll();

/** Ends every connection to the database at `url`, as `pg_terminate_backend` from an administrator does. */
async function terminateConnections(base: string, url: string): Promise<number> {
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    const { rows } = await client.query(
      "SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
      [decodeURIComponent(new URL(url).pathname.slice(1))],
    );
    return rows.filter((r: { ended: boolean }) => r.ended).length;
  } finally {
    await client.end();
  }
}

describe("PostgreSQL connections ended under the service", () => {
  it("the store reconnects on the next query", async (t) => {
    const db = await postgresForTest(t, "pg_conn_loss", cleanups);
    if (db === undefined) {
      return;
    }
    const idleErrors: Error[] = [];
    const store = await Store.open(db.url, { onIdleError: (error) => idleErrors.push(error) });
    cleanups.push(() => store.close());
    assert.equal(await store.direct.jobs.count(), 0); // leaves an idle connection in the pool
    assert.ok((await terminateConnections(db.base, db.url)) >= 1);
    await until(() => idleErrors.length > 0, { what: "the pool's report of the ended connection" });
    assert.match(String(idleErrors[0]?.message), /terminat/);
    assert.equal(await store.direct.jobs.count(), 0);
  });

  it("a server process stays up and ready", async (t) => {
    const db = await postgresForTest(t, "pg_conn_loss_srv", cleanups);
    if (db === undefined) {
      return;
    }
    const dir = join(TMP, `pg-conn-loss-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const server = await startServerProcess(["--data-dir", dir, "--no-azurite", "--no-station"], {
      DATABASE_URL: db.url,
      SNEAKERNET_MASTER_KEY: randomBytes(32).toString("hex"),
    });
    cleanups.push(() => server.stop());
    assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
    assert.ok((await terminateConnections(db.base, db.url)) >= 1);
    // The server has heard of it (and not crashed on it) once it says so.
    await until(() => /PostgreSQL ended an idle connection/.test(server.output()), {
      what: () => `the server's note of the ended connection (output: ${server.output()})`,
    });
    assert.equal(server.child.exitCode, null, `the server exited:\n${server.output()}`);
    assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
  });
});
