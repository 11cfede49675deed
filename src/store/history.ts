/** @module The state history: every move of a job or a drive, with when, who and why. Append-only. */

import { type Kysely, type Selectable, sql } from "kysely";

import type { DriveProgress } from "../domain/copy.js";
import type { StateChange } from "../domain/model.js";
import type { Database, StateHistoryTable } from "./schema.js";

export interface HistoryEntry extends StateChange {
  id: number;
  subscriptionId: string;
  /** Set on a progress event: no move (from and to are the drive's state), what a drive's copy reached. */
  progress?: DriveProgress;
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
  if (r.progress != null) {
    entry.progress = JSON.parse(r.progress) as DriveProgress;
  }
  return entry;
}

/**
 * PostgreSQL's advisory lock that orders history writes (the two-key form, apart from the drive-serial
 * locks and Kysely's migration lock).
 */
const HISTORY_LOCK = [0x736e6869, 0] as const; // "snhi"

function rowsOf(subscriptionId: string, changes: readonly StateChange[], progress?: DriveProgress) {
  return changes.map((c) => ({
    job_id: c.jobId,
    subscription_id: subscriptionId,
    drive_id: c.driveId ?? null,
    from_state: c.from,
    to_state: c.to,
    at: c.at,
    actor: c.actor,
    reason: c.reason,
    progress: progress ? JSON.stringify(progress) : null,
  }));
}

export class HistoryRepository {
  /** Rows appended in this PostgreSQL transaction, written by `flush` just before it commits. */
  private pending: ReturnType<typeof rowsOf> = [];

  /** `ordered`: in a PostgreSQL transaction, where rows must get their ids in commit order (see `flush`). */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly ordered = false,
  ) {}

  async append(subscriptionId: string, changes: readonly StateChange[]): Promise<void> {
    await this.write(rowsOf(subscriptionId, changes));
  }

  private async write(rows: ReturnType<typeof rowsOf>): Promise<void> {
    if (rows.length === 0) {
      return;
    }
    if (this.ordered) {
      this.pending.push(...rows);
      return;
    }
    await this.db.insertInto("state_history").values(rows).execute();
  }

  /** The drive's newest progress event, if it has one. */
  async lastProgress(
    jobId: number,
    driveId: string,
  ): Promise<{ id: number; at: string; progress: DriveProgress } | undefined> {
    const row = await this.db
      .selectFrom("state_history")
      .select(["id", "at", "progress"])
      .where("job_id", "=", jobId)
      .where("drive_id", "=", driveId)
      .where("progress", "is not", null)
      .orderBy("id", "desc")
      .executeTakeFirst();
    return row?.progress != null
      ? { id: row.id, at: row.at, progress: JSON.parse(row.progress) as DriveProgress }
      : undefined;
  }

  /**
   * Appends a progress event for the change's drive and deletes the drive's earlier ones: a stream that
   * had not sent them yet needs only the newest (each carries the whole progress, not a step), so a
   * long copy leaves one row per drive, not one per report. Ids stay in commit order (see `flush`).
   */
  async replaceProgress(
    subscriptionId: string,
    change: StateChange & { driveId: string },
    progress: DriveProgress,
  ): Promise<void> {
    await this.db
      .deleteFrom("state_history")
      .where("job_id", "=", change.jobId)
      .where("drive_id", "=", change.driveId)
      .where("progress", "is not", null)
      .execute();
    await this.write(rowsOf(subscriptionId, [change], progress));
  }

  /**
   * Writes what this PostgreSQL transaction appended, as its last statements. Event streams read the
   * history by id ("every row after the last one I sent"), so ids must become visible in order: were a
   * row given id 9 by a transaction still open while id 10 committed, a stream would pass 10 and never
   * see 9. A transaction-scoped lock, taken just before the insert and held to the commit, makes ids
   * and commits follow one order. Taken last, after every row lock the transaction needed, it cannot
   * deadlock with them; what it serialises is an insert and a commit.
   */
  async flush(): Promise<void> {
    if (this.pending.length === 0) {
      return;
    }
    const rows = this.pending;
    this.pending = [];
    await sql`select pg_advisory_xact_lock(${HISTORY_LOCK[0]}::int4, ${HISTORY_LOCK[1]}::int4)`.execute(
      this.db,
    );
    await this.db.insertInto("state_history").values(rows).execute();
  }

  /** The job's moves, oldest first: its progress events are no moves, so they are left out. */
  async listByJob(jobId: number): Promise<HistoryEntry[]> {
    const rows = await this.db
      .selectFrom("state_history")
      .selectAll()
      .where("job_id", "=", jobId)
      .where("progress", "is", null)
      .orderBy("id")
      .execute();
    return rows.map(entryFromRow);
  }

  /**
   * History rows (moves and progress events) after `afterId`, oldest first, with the job's resource group and name (absent once the
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
