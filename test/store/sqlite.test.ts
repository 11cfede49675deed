/** @module The store contract on SQLite: template copies, and never-migrated files for the migration tests. */

import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";

import { describeStoreContract } from "../contract/store.contract.js";
import { freshSqlite, TMP } from "../support/db.js";

describeStoreContract("SQLite", async (_t, options) => {
  if (!options?.empty) {
    return freshSqlite("store-contract");
  }
  mkdirSync(TMP, { recursive: true });
  const file = join(TMP, `store_empty_${randomBytes(4).toString("hex")}.sqlite`);
  return {
    url: file,
    cleanup: () => {
      for (const suffix of ["", "-wal", "-shm"]) {
        rmSync(file + suffix, { force: true });
      }
    },
  };
});
