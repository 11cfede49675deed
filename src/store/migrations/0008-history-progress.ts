/** @module Migration 0008: a copy's progress as rows of the state history (JSON), so the event streams carry it. */

import type { Kysely, Migration } from "kysely";

export const historyProgress: Migration = {
  async up(db: Kysely<unknown>) {
    // Null on every move; set on a progress row, which is no move (docs/decisions.md, "Progress events").
    // JSON text on both engines: it is read whole and sent, never queried into.
    await db.schema.alterTable("state_history").addColumn("progress", "text").execute();
  },
};
