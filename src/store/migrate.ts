/** @module Numbered migrations, applied at start; safe when several processes start at once. */

import type { Kysely, Migration, MigrationProvider } from "kysely";
import { Migrator } from "kysely";

import type { Dialect } from "./dialect.js";
import { initial } from "./migrations/0001-initial.js";
import { sharedAccountUnique } from "./migrations/0002-shared-account-unique.js";
import { operations } from "./migrations/0003-operations.js";
import { historyBySubscription } from "./migrations/0004-history-by-subscription.js";
import { packageTracking } from "./migrations/0005-package-tracking.js";
import { serialAnyCase } from "./migrations/0006-serial-any-case.js";
import { stationBays } from "./migrations/0007-station-bays.js";
import { historyProgress } from "./migrations/0008-history-progress.js";
import { exportDrives } from "./migrations/0009-export-drives.js";
import { fileShareRoot } from "./migrations/0010-file-share-root.js";
import type { Database } from "./schema.js";
import { withSqliteWriteLock } from "./sqlite-lock.js";

function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    "0001-initial": initial(dialect),
    "0002-shared-account-unique": sharedAccountUnique,
    "0003-operations": operations(dialect),
    "0004-history-by-subscription": historyBySubscription,
    "0005-package-tracking": packageTracking,
    "0006-serial-any-case": serialAnyCase,
    "0007-station-bays": stationBays,
    "0008-history-progress": historyProgress,
    "0009-export-drives": exportDrives(dialect),
    "0010-file-share-root": fileShareRoot(),
  };
}

/**
 * Applies every pending migration, once even when several processes start together: on PostgreSQL
 * Kysely's Migrator holds an advisory lock; on SQLite, where it takes none, the database's write lock
 * (SQLite's DDL is transactional, so a failed migration also leaves no half-made schema behind).
 */
export async function migrateToLatest(db: Kysely<Database>, dialect: Dialect): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  const run = async (target: Kysely<Database>) => {
    const { error, results } = await new Migrator({ db: target, provider }).migrateToLatest();
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
  };
  return dialect === "sqlite" ? withSqliteWriteLock(db, run) : run(db);
}
