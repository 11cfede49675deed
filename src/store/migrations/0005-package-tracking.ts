/** @module Migration 0005: a package keeps its carrier and tracking number as the operator typed them. */

import type { Kysely, Migration } from "kysely";

export const packageTracking: Migration = {
  async up(db: Kysely<unknown>) {
    // The key (lower-cased carrier, tracking without spaces) finds a package; the history of a held
    // package processed under another recorded number should name the package as it came. Earlier rows
    // keep null: their reason already names the package.
    await db.schema.alterTable("packages").addColumn("carrier_name", "text").execute();
    await db.schema.alterTable("packages").addColumn("tracking_number", "text").execute();
  },
};
