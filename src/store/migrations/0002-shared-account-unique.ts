/** @module Migration 0002: a shared storage account is registered at most once per name. */

import type { Kysely, Migration } from "kysely";
import { sql } from "kysely";

export const sharedAccountUnique: Migration = {
  async up(db: Kysely<unknown>) {
    // Replicas seeding at the same moment could each register the shared account (check-then-insert);
    // keep the first registration of each name, then let the index refuse the second.
    await sql`delete from storage_accounts
      where subscription_id is null
        and id not in (select min(id) from storage_accounts where subscription_id is null group by name)`.execute(
      db,
    );
    await db.schema
      .createIndex("storage_accounts_shared_name")
      .on("storage_accounts")
      .column("name")
      .unique()
      .where(sql.ref("subscription_id"), "is", null)
      .execute();
  },
};
