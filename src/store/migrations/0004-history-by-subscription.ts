/** @module Migration 0004: the state history indexed by subscription, for the subscription event stream. */

import type { Kysely, Migration } from "kysely";

export const historyBySubscription: Migration = {
  async up(db: Kysely<unknown>) {
    // A stream polls "this subscription's rows after id N"; without the index each poll would scan every
    // row written since the subscription's last event, whoever wrote it.
    await db.schema
      .createIndex("state_history_by_subscription")
      .on("state_history")
      .columns(["subscription_id", "id"])
      .execute();
  },
};
