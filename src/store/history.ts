/** @module The state history: every move of a job or a drive, with when, who and why. Append-only. */

import type { Kysely, Selectable } from "kysely";

import type { StateChange } from "../domain/model.js";
import type { Database, StateHistoryTable } from "./schema.js";

export interface HistoryEntry extends StateChange {
  id: number;
  subscriptionId: string;
}

function entryFromRow(r: Selectable<StateHistoryTable>): HistoryEntry {
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
    return rows.map(entryFromRow);
  }

  /**
   * History rows after `afterId`, oldest first, with the job's resource group and name (absent once the
   * job is deleted): the event streams poll this, so they work across replicas with no broker. Filtered
   * to one job, or to one subscription (its lower-cased id, as jobs store it; every row carries it, so
   * no join is needed, and the index on (subscription_id, id) keeps a quiet subscription's poll cheap).
   */
  async listAfter(
    afterId: number,
    limit: number,
    filter: { jobId?: number; subscriptionId?: string } = {},
  ): Promise<(HistoryEntry & { resourceGroup?: string; jobName?: string })[]> {
    let query = this.db
      .selectFrom("state_history")
      .leftJoin("jobs", "jobs.id", "state_history.job_id")
      .selectAll("state_history")
      .select(["jobs.resource_group as resource_group", "jobs.name as job_name"])
      .where("state_history.id", ">", afterId);
    if (filter.jobId !== undefined) {
      query = query.where("state_history.job_id", "=", filter.jobId);
    }
    if (filter.subscriptionId !== undefined) {
      query = query.where("state_history.subscription_id", "=", filter.subscriptionId);
    }
    const rows = await query.orderBy("state_history.id").limit(limit).execute();
    return rows.map((r) => {
      const entry: HistoryEntry & { resourceGroup?: string; jobName?: string } = entryFromRow(r);
      if (r.resource_group != null && r.job_name != null) {
        entry.resourceGroup = r.resource_group;
        entry.jobName = r.job_name;
      }
      return entry;
    });
  }

  /** The newest history id (0 when empty): a stream that starts now begins after it. */
  async lastId(): Promise<number> {
    const row = await this.db
      .selectFrom("state_history")
      .select((eb) => eb.fn.max("id").as("id"))
      .executeTakeFirst();
    return Number(row?.id ?? 0);
  }
}
