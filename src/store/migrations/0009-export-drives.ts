/**
 * @module Migration 0009: what an export drive holds — its capacity as the operator recorded it, and the
 * incomplete blob list its copy finished with (what the next drive of the job is to take).
 */

import type { Kysely, Migration } from "kysely";

import type { Dialect } from "../dialect.js";

export function exportDrives(dialect: Dialect): Migration {
  // Bytes: a drive holds terabytes, past PostgreSQL's 32-bit integer.
  const bigint = dialect === "postgres" ? ("bigint" as const) : ("integer" as const);
  return {
    async up(db: Kysely<unknown>) {
      // Null on every drive before: no capacity recorded, nothing left over.
      await db.schema.alterTable("drives").addColumn("capacity_bytes", bigint).execute();
      await db.schema.alterTable("drives").addColumn("incomplete_blob_list_uri", "text").execute();
    },
  };
}
