/** @module The store contract on PostgreSQL: template copies, and never-migrated databases for the migration tests. */

import { randomBytes } from "node:crypto";

import pg from "pg";

import { describeStoreContract } from "../contract/store.contract.js";
import { freshPostgres, postgresOrSkip, RUN_ID, withDatabase } from "../support/db.js";

async function admin(url: string, query: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

describeStoreContract("PostgreSQL", async (t, options) => {
  const base = postgresOrSkip(t);
  if (base === undefined) {
    return undefined;
  }
  if (!options?.empty) {
    return freshPostgres(base, "store-contract");
  }
  // Named like freshPostgres's databases, so the runner drops it even if this run crashes.
  const name = `sn_test_${RUN_ID}_store_empty_${randomBytes(4).toString("hex")}`.slice(0, 63);
  await admin(base, `CREATE DATABASE "${name}"`);
  return {
    url: withDatabase(base, name),
    cleanup: () => admin(base, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
});
