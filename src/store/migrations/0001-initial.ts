/** @module Migration 0001: jobs, drives, state history, tokens, locations and the storage-account registry. */

import type { Kysely, Migration } from "kysely";

import type { Dialect } from "../dialect.js";

export function initial(dialect: Dialect): Migration {
  // The only engine difference in this schema: how an increasing integer key is declared.
  const serial = dialect === "postgres" ? ("serial" as const) : ("integer" as const);
  const bigint = dialect === "postgres" ? ("bigint" as const) : ("integer" as const);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("jobs")
        .addColumn("id", serial, (c) =>
          dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn("subscription_id", "text", (c) => c.notNull())
        .addColumn("resource_group", "text", (c) => c.notNull())
        .addColumn("resource_group_key", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("name_key", "text", (c) => c.notNull())
        .addColumn("location", "text", (c) => c.notNull())
        .addColumn("job_type", "text", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("storage_account_id", "text", (c) => c.notNull())
        .addColumn("return_address", "text")
        .addColumn("return_shipping", "text")
        .addColumn("delivery_package", "text")
        .addColumn("return_package", "text")
        .addColumn("diagnostics_path", "text", (c) => c.notNull())
        .addColumn("log_level", "text", (c) => c.notNull())
        .addColumn("backup_drive_manifest", "integer", (c) => c.notNull())
        .addColumn("cancel_requested", "integer", (c) => c.notNull())
        .addColumn("export_spec", "text")
        .addColumn("incomplete_blob_list_uri", "text")
        .addColumn("encryption_key", "text", (c) => c.notNull())
        .addColumn("tags", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("created_by", "text", (c) => c.notNull())
        .addColumn("last_modified_at", "text", (c) => c.notNull())
        .addColumn("last_modified_by", "text", (c) => c.notNull())
        .addColumn("tracking_recorded_at", "text")
        .addColumn("state_changed_at", "text", (c) => c.notNull())
        .addColumn("etag", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("jobs_by_name")
        .on("jobs")
        .columns(["subscription_id", "resource_group_key", "name_key"])
        .unique()
        .execute();
      // Paging walks (subscription[, resource group][, state]) in id order.
      await db.schema
        .createIndex("jobs_by_subscription")
        .on("jobs")
        .columns(["subscription_id", "id"])
        .execute();
      await db.schema
        .createIndex("jobs_by_resource_group")
        .on("jobs")
        .columns(["subscription_id", "resource_group_key", "id"])
        .execute();
      await db.schema
        .createIndex("jobs_by_subscription_state")
        .on("jobs")
        .columns(["subscription_id", "state", "id"])
        .execute();
      // The sweep's candidate queries: (state, timestamp) ranges.
      await db.schema
        .createIndex("jobs_by_state_created")
        .on("jobs")
        .columns(["state", "created_at"])
        .execute();
      await db.schema
        .createIndex("jobs_by_state_tracking")
        .on("jobs")
        .columns(["state", "tracking_recorded_at"])
        .execute();
      await db.schema
        .createIndex("jobs_by_state_changed")
        .on("jobs")
        .columns(["state", "state_changed_at"])
        .execute();

      await db.schema
        .createTable("drives")
        .addColumn("job_id", "integer", (c) => c.notNull())
        .addColumn("drive_id", "text", (c) => c.notNull())
        .addColumn("position", "integer", (c) => c.notNull())
        .addColumn("extra", "integer", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("bitlocker_key_enc", "text")
        .addColumn("manifest_file", "text")
        .addColumn("manifest_hash", "text")
        .addColumn("drive_header_hash", "text")
        .addColumn("copy_status", "text")
        .addColumn("percent_complete", "integer", (c) => c.notNull())
        .addColumn("bytes_succeeded", bigint, (c) => c.notNull())
        .addColumn("bytes_total", bigint, (c) => c.notNull())
        .addColumn("verbose_log_uri", "text")
        .addColumn("error_log_uri", "text")
        .addColumn("manifest_uri", "text")
        .addColumn("error_count", "integer", (c) => c.notNull())
        .addColumn("warning_count", "integer", (c) => c.notNull())
        .addColumn("info_count", "integer", (c) => c.notNull())
        .addColumn("state_changed_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("drives_pk", ["job_id", "drive_id"])
        .execute();
      await db.schema.createIndex("drives_by_serial").on("drives").columns(["drive_id"]).execute();
      await db.schema.createIndex("drives_by_state").on("drives").columns(["state", "job_id"]).execute();

      await db.schema
        .createTable("state_history")
        .addColumn("id", serial, (c) =>
          dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn("job_id", "integer", (c) => c.notNull())
        .addColumn("subscription_id", "text", (c) => c.notNull())
        .addColumn("drive_id", "text")
        .addColumn("from_state", "text")
        .addColumn("to_state", "text", (c) => c.notNull())
        .addColumn("at", "text", (c) => c.notNull())
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("reason", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("state_history_by_job")
        .on("state_history")
        .columns(["job_id", "id"])
        .execute();

      await db.schema
        .createTable("tokens")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("hash", "text", (c) => c.notNull().unique())
        .addColumn("role", "text", (c) => c.notNull())
        .addColumn("subscriptions", "text", (c) => c.notNull())
        .addColumn("label", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("locations")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("data", "text", (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("storage_accounts")
        .addColumn("id", serial, (c) =>
          dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("subscription_id", "text")
        .addColumn("blob_endpoint", "text", (c) => c.notNull())
        .addColumn("credential_enc", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("storage_accounts_by_name")
        .on("storage_accounts")
        .columns(["name"])
        .execute();
    },
  };
}
