/** @module The state history: every move of a job or a drive, with when, who and why. Append-only. */

import type { Kysely } from "kysely";

import type { StateChange } from "../domain/model.js";
import type { Database } from "./schema.js";

export interface HistoryEntry extends StateChange {
  id: number;
  subscriptionId: string;
}

export class HistoryRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async append(subscriptionId: string, changes: readonly StateChange[]): Promise<void> {
    if (changes.length === 0) {
      return;
    }
    await this.db
      .insertInto("state_history")
      .values(
        changes.map((c) => ({
          job_id: c.jobId,
          subscription_id: subscriptionId,
          drive_id: c.driveId ?? null,
          from_state: c.from,
          to_state: c.to,
          at: c.at,
          actor: c.actor,
          reason: c.reason,
        })),
      )
      .execute();
  }

  async listByJob(jobId: number): Promise<HistoryEntry[]> {
    const rows = await this.db
      .selectFrom("state_history")
      .selectAll()
      .where("job_id", "=", jobId)
      .orderBy("id")
      .execute();
    return rows.map((r) => {
      const entry: HistoryEntry = {
        id: r.id,
        jobId: r.job_id,
        subscriptionId: r.subscription_id,
        from: r.from_state,
        to: r.to_state,
        at: r.at,
        actor: r.actor,
        reason: r.reason,
      };
      if (r.drive_id != null) {
        entry.driveId = r.drive_id;
      }
      return entry;
    });
  }
}
