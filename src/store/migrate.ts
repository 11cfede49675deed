/** @module Numbered migrations, applied at start; safe when several processes start at once. */

import type { Kysely, Migration, MigrationProvider } from "kysely";
import { Migrator } from "kysely";

import type { Dialect } from "./dialect.js";
import { initial } from "./migrations/0001-initial.js";
import type { Database } from "./schema.js";

function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    "0001-initial": initial(dialect),
  };
}

/**
 * Applies every pending migration. Kysely's Migrator holds a lock while it works (an advisory lock on
 * PostgreSQL; SQLite has one writer anyway), so two replicas starting together apply each migration once.
 */
export async function migrateToLatest(db: Kysely<Database>, dialect: Dialect): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new Error(
      `Database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
