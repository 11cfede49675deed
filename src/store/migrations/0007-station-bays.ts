/** @module Migration 0007: what each station last said its bays hold (JSON), for the operators' stations view. */

import type { Kysely, Migration } from "kysely";

export const stationBays: Migration = {
  async up(db: Kysely<unknown>) {
    // JSON text on both engines: it is read whole and shown, never queried into.
    await db.schema.alterTable("stations").addColumn("bays", "text").execute();
  },
};
