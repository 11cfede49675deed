/** @module Migration 0003: packages received at the data center, copy stations, drive leases, tracking lookup. */

import { type Kysely, type Migration, sql } from "kysely";

import { packageKey } from "../../domain/package.js";
import type { Dialect } from "../dialect.js";

export function operations(dialect: Dialect): Migration {
  const serial = dialect === "postgres" ? ("serial" as const) : ("integer" as const);
  return {
    async up(db: Kysely<unknown>) {
      // SQLite adds one column per statement.
      await db.schema.alterTable("jobs").addColumn("tracking_key", "text").execute();
      await db.schema.createIndex("jobs_by_tracking").on("jobs").column("tracking_key").execute();
      const typed = db as unknown as Kysely<{
        jobs: { id: number; delivery_package: string | null; tracking_key: string | null };
      }>;
      const shipped = await typed
        .selectFrom("jobs")
        .select(["id", "delivery_package"])
        .where("delivery_package", "is not", null)
        .execute();
      for (const row of shipped) {
        const pkg = JSON.parse(row.delivery_package!) as { carrierName: string; trackingNumber: string };
        await typed
          .updateTable("jobs")
          .set({ tracking_key: packageKey(pkg.carrierName, pkg.trackingNumber) })
          .where("id", "=", row.id)
          .execute();
      }

      await db.schema.alterTable("drives").addColumn("claimed_by", "text").execute();
      await db.schema.alterTable("drives").addColumn("lease_expires_at", "text").execute();
      await db.schema.createIndex("drives_by_lease").on("drives").column("lease_expires_at").execute();

      await db.schema
        .createTable("packages")
        .addColumn("id", serial, (c) =>
          dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn("job_id", "integer", (c) => c.notNull())
        .addColumn("package_key", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("drive_serials", "text", (c) => c.notNull())
        .addColumn("received_at", "text", (c) => c.notNull())
        .addColumn("received_by", "text", (c) => c.notNull())
        .addColumn("reason", "text", (c) => c.notNull())
        .execute();
      // One package per job and tracking number: a second receipt of it is refused, not doubled.
      await db.schema
        .createIndex("packages_once")
        .on("packages")
        .columns(["job_id", "package_key"])
        .unique()
        .execute();

      // A subscription registers an account name once (shared ones are unique by 0002).
      await db.schema
        .createIndex("storage_accounts_own_name")
        .on("storage_accounts")
        .columns(["name", "subscription_id"])
        .unique()
        .where(sql.ref("subscription_id"), "is not", null)
        .execute();

      await db.schema
        .createTable("stations")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("registered_at", "text", (c) => c.notNull())
        .addColumn("last_seen_at", "text", (c) => c.notNull())
        .execute();
    },
  };
}
