/** @module The jobs repository: load and save jobs, guarded by their ETag; it stores, it never decides. */

import { randomBytes } from "node:crypto";

import { type Kysely, sql, type SqlBool } from "kysely";

import { errors } from "../domain/errors.js";
import type { Job } from "../domain/model.js";
import type { JobState } from "../domain/states.js";
import type { TimerCutoff } from "../domain/timers.js";
import { isUniqueViolation } from "./errors.js";
import { jobFromRow, jobToRow, TIMER_COLUMNS } from "./rows.js";
import type { Database } from "./schema.js";

export type NewJob = Omit<Job, "id" | "etag">;

/** A search in job names: those starting with, or containing, `text`, ignoring case; `text` is literal. */
export interface JobNameMatch {
  kind: "startswith" | "contains";
  text: string;
}

export interface JobQuery {
  subscriptionId: string;
  resourceGroup?: string;
  /** Any of these states (empty or absent: all). */
  states?: readonly string[];
  jobTypes?: readonly string[];
  name?: JobNameMatch;
  /** Keyset paging: only jobs past this id in the list's order (larger ids; smaller when newest first). */
  afterId?: number;
  /** Newest first (descending id) instead of oldest first. */
  newestFirst?: boolean;
  limit: number;
}

/** `text` as a LIKE pattern that matches it literally: the escape character and the wildcards escaped. */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function newEtag(): string {
  return randomBytes(8).toString("hex");
}

export class JobRepository {
  /**
   * `lockRows`: reads take the job's row lock (PostgreSQL, inside a transaction), so concurrent
   * read-modify-writes of one job queue up instead of all but one failing at the etag check.
   */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly lockRows = false,
  ) {}

  private selectJobs() {
    const query = this.db.selectFrom("jobs").selectAll();
    return this.lockRows ? query.forUpdate() : query;
  }

  /** Inserts a job; a job of the same name created at the same moment surfaces as ConcurrentUpdate. */
  async insert(job: NewJob): Promise<Job> {
    const etag = newEtag();
    try {
      const { id } = await this.db
        .insertInto("jobs")
        .values(jobToRow({ ...job, etag }))
        .returning("id")
        .executeTakeFirstOrThrow();
      return { ...job, id, etag };
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw errors.concurrentUpdate();
      }
      throw error;
    }
  }

  async findByName(subscriptionId: string, resourceGroup: string, name: string): Promise<Job | undefined> {
    const row = await this.selectJobs()
      .where("subscription_id", "=", subscriptionId)
      .where("resource_group_key", "=", resourceGroup.toLowerCase())
      .where("name_key", "=", name.toLowerCase())
      .executeTakeFirst();
    return row ? jobFromRow(row) : undefined;
  }

  async findById(id: number): Promise<Job | undefined> {
    const row = await this.selectJobs().where("id", "=", id).executeTakeFirst();
    return row ? jobFromRow(row) : undefined;
  }

  /**
   * Saves `job` if nobody changed it since it was read (its etag is still the stored one) and returns it
   * with a new etag; otherwise throws ConcurrentUpdate and writes nothing.
   */
  async update(job: Job): Promise<Job> {
    const etag = newEtag();
    const { id: _id, ...rest } = job;
    const result = await this.db
      .updateTable("jobs")
      .set(jobToRow({ ...rest, etag }))
      .where("id", "=", job.id)
      .where("etag", "=", job.etag)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) {
      throw errors.concurrentUpdate();
    }
    return { ...job, etag };
  }

  /** Deletes the job, its drives, its history and its packages, guarded by the etag like update. */
  async delete(job: Job): Promise<void> {
    const result = await this.db
      .deleteFrom("jobs")
      .where("id", "=", job.id)
      .where("etag", "=", job.etag)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) !== 1) {
      throw errors.concurrentUpdate();
    }
    await this.db.deleteFrom("drives").where("job_id", "=", job.id).execute();
    await this.db.deleteFrom("state_history").where("job_id", "=", job.id).execute();
    // A package held for a deleted job would otherwise wait for a tracking number that never comes.
    await this.db.deleteFrom("packages").where("job_id", "=", job.id).execute();
  }

  /**
   * One page of a subscription's jobs in id order, which is creation order, either way (keyset paging:
   * stable while jobs come and go).
   */
  async list(query: JobQuery): Promise<Job[]> {
    let q = this.db.selectFrom("jobs").selectAll().where("subscription_id", "=", query.subscriptionId);
    if (query.resourceGroup !== undefined) {
      q = q.where("resource_group_key", "=", query.resourceGroup.toLowerCase());
    }
    if (query.states && query.states.length > 0) {
      q = q.where("state", "in", [...query.states]);
    }
    if (query.jobTypes && query.jobTypes.length > 0) {
      q = q.where("job_type", "in", [...query.jobTypes]);
    }
    if (query.name !== undefined) {
      // On the lower-cased name_key with a lower-cased pattern: PostgreSQL's LIKE is case-sensitive and
      // SQLite's ignores case for ASCII only, so this is the one way both engines agree. SQLite has no
      // default escape character, hence the explicit ESCAPE.
      const text = likeLiteral(query.name.text.toLowerCase());
      const pattern = query.name.kind === "startswith" ? `${text}%` : `%${text}%`;
      q = q.where(sql<SqlBool>`${sql.ref("name_key")} like ${pattern} escape '\\'`);
    }
    if (query.afterId !== undefined) {
      q = q.where("id", query.newestFirst ? "<" : ">", query.afterId);
    }
    const rows = await q
      .orderBy("id", query.newestFirst ? "desc" : "asc")
      .limit(query.limit)
      .execute();
    return rows.map(jobFromRow);
  }

  /**
   * Ids of the jobs on which a timer may be due, ascending, each once: one branch per timer of the
   * domain's table (its states, its timestamp's column). Each branch reads only an index range of
   * (state, timestamp) and only ids, so a sweep over many jobs with nothing due reads almost
   * nothing on either engine; the caller loads and re-checks each job with the domain's timer rules.
   * (Ordering or paging by id inside these queries lets PostgreSQL's planner prefer a scan of the whole
   * primary key: measured at 150 ms over 100,000 jobs with nothing due, against 2.5 ms this way.)
   */
  async dueCandidateIds(cutoffs: readonly TimerCutoff[]): Promise<number[]> {
    const branches = await Promise.all(
      cutoffs.map((cutoff) =>
        this.db
          .selectFrom("jobs")
          .select("id")
          .where("state", "in", [...cutoff.states])
          .where(TIMER_COLUMNS[cutoff.since], "<=", cutoff.atOrBefore)
          .execute(),
      ),
    );
    return [...new Set(branches.flat().map((row) => row.id))].sort((x, y) => x - y);
  }

  /** The jobs whose delivery package has this key (packageKey), oldest first. */
  async findByPackageKey(key: string): Promise<Job[]> {
    const rows = await this.db
      .selectFrom("jobs")
      .selectAll()
      .where("tracking_key", "=", key)
      .orderBy("id")
      .execute();
    return rows.map(jobFromRow);
  }

  /** Jobs in these states, oldest first (the operators' work queue). */
  async listByStates(states: readonly JobState[], limit: number): Promise<Job[]> {
    const rows = await this.db
      .selectFrom("jobs")
      .selectAll()
      .where("state", "in", [...states])
      .orderBy("id")
      .limit(limit)
      .execute();
    return rows.map(jobFromRow);
  }

  /** How many jobs name this location (a location in use cannot be deleted). */
  async countByLocation(location: string): Promise<number> {
    const { n } = await this.db
      .selectFrom("jobs")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("location", "=", location)
      .executeTakeFirstOrThrow();
    return Number(n);
  }

  async count(): Promise<number> {
    const { n } = await this.db
      .selectFrom("jobs")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    return Number(n);
  }
}
