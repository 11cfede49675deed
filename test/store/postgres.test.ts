/** @module The store contract on PostgreSQL: template copies, and never-migrated databases for the migration tests. */

import { describeStoreContract } from "../contract/store.contract.js";
import { freshPostgres, postgresOrSkip } from "../support/db.js";

describeStoreContract("PostgreSQL", async (t, options) => {
  const base = postgresOrSkip(t);
  if (base === undefined) {
    return undefined;
  }
  return freshPostgres(base, "store-contract", { empty: options?.empty === true });
});
