/** @module Prepares, once per test run, the migrated template databases that each test file copies. */

import { mkdirSync, rmSync } from "node:fs";

import pg from "pg";

import { Store } from "../../src/store/store.js";
import { PG_TEMPLATE, postgresUrl, RUN_ID, SQLITE_TEMPLATE, TMP, withDatabase } from "./db.js";

rmSync(TMP, { recursive: true, force: true });
mkdirSync(TMP, { recursive: true });

const sqlite = await Store.open(SQLITE_TEMPLATE);
// Fold the WAL into the main file so a plain file copy carries the whole schema.
await sqlite.close();

const base = postgresUrl();
if (base) {
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    // Drop this run's leftovers, and those of runs that started more than two hours ago (crashed ones).
    const all = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname ~ '^sn_(test|tpl)_'",
    );
    const cutoff = Math.floor(Date.now() / 1000) - 2 * 3600;
    for (const { datname } of all.rows) {
      const started = parseInt(/^sn_(?:test|tpl)_([0-9a-z]+)/.exec(datname)?.[1] ?? "", 36);
      if (datname.includes(RUN_ID) || !(started > cutoff)) {
        await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }
    }
    await client.query(`CREATE DATABASE "${PG_TEMPLATE}"`);
  } finally {
    await client.end();
  }
  const store = await Store.open(withDatabase(base, PG_TEMPLATE));
  await store.close();
}
console.log(`Test templates ready: SQLite${base ? " and PostgreSQL" : ""}.`);
