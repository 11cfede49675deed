/** @module Migration 0006: drives found by serial whatever its case, through an index on the upper-cased serial. */

import { type Kysely, type Migration, sql } from "kysely";

export const serialAnyCase: Migration = {
  async up(db: Kysely<unknown>) {
    // An operator types a serial as the label shows it, a customer as they read it: the job's own drive
    // list and packages already match ignoring case, so finding a drive by serial must too. Serials are
    // ASCII (validated), where upper() agrees on both engines.
    await db.schema
      .createIndex("drives_by_serial_key")
      .on("drives")
      .expression(sql`upper(drive_id)`)
      .execute();
    await db.schema.dropIndex("drives_by_serial").execute();
  },
};
