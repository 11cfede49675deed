/** @module The drives repository: a job's drives in their listed order, with their keys kept encrypted. */

import { createHash } from "node:crypto";

import { type Kysely, sql } from "kysely";

import type { Drive } from "../domain/model.js";
import type { JobState } from "../domain/states.js";
import { driveFromRow, driveToRow } from "./rows.js";
import type { Database } from "./schema.js";

/** A drive as saved: the domain drive plus its BitLocker key, already encrypted by the caller. */
export interface DriveRecord {
  drive: Drive;
  bitLockerKeyEnc?: string;
}

/**
 * PostgreSQL advisory locks on drive serials live under this first key (the two-key form), apart from any
 * other advisory lock on the database (Kysely's migration lock uses the one-key form).
 */
const SERIAL_LOCK_SPACE = 0x736e6472; // "sndr"

/** A serial's advisory-lock key, ignoring case: a 32-bit hash (two serials sharing one only wait on each other). */
function serialLockKey(serial: string): number {
  return createHash("sha256").update(serial.toUpperCase()).digest().readInt32BE(0);
}

export class DriveRepository {
  /** `lockSerials`: in a PostgreSQL transaction, where reading who holds a serial must also lock it. */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly lockSerials = false,
  ) {}

  async listByJob(jobId: number): Promise<Drive[]> {
    const rows = await this.db
      .selectFrom("drives")
      .selectAll()
      .where("job_id", "=", jobId)
      .orderBy("position")
      .execute();
    return rows.map(driveFromRow);
  }

  /** Drives of many jobs in one query (a list page), keyed by job id. */
  async listByJobs(jobIds: readonly number[]): Promise<Map<number, Drive[]>> {
    const byJob = new Map<number, Drive[]>(jobIds.map((id) => [id, []]));
    if (jobIds.length === 0) {
      return byJob;
    }
    const rows = await this.db
      .selectFrom("drives")
      .selectAll()
      .where("job_id", "in", [...jobIds])
      .orderBy("job_id")
      .orderBy("position")
      .execute();
    for (const row of rows) {
      byJob.get(row.job_id)?.push(driveFromRow(row));
    }
    return byJob;
  }

  /** Replaces the job's whole drive list (allowed only while the job is Creating; the caller checks). */
  async replaceAll(jobId: number, records: readonly DriveRecord[]): Promise<void> {
    await this.db.deleteFrom("drives").where("job_id", "=", jobId).execute();
    if (records.length === 0) {
      return;
    }
    await this.db
      .insertInto("drives")
      .values(
        records.map((r, position) => ({
          ...driveToRow({ ...r.drive, jobId }, position),
          bitlocker_key_enc: r.bitLockerKeyEnc ?? null,
        })),
      )
      .execute();
  }

  /** Saves a drive's state and progress; its key and position stay as they are. */
  async update(drive: Drive): Promise<void> {
    const { job_id: _job, drive_id: _drive, position: _position, ...columns } = driveToRow(drive, 0);
    await this.db
      .updateTable("drives")
      .set(columns)
      .where("job_id", "=", drive.jobId)
      .where("drive_id", "=", drive.driveId)
      .execute();
  }

  /** Adds one drive at the end of the job's list (an extra drive, or an export drive registered on arrival). */
  async add(record: DriveRecord): Promise<void> {
    const { n } = await this.db
      .selectFrom("drives")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("job_id", "=", record.drive.jobId)
      .executeTakeFirstOrThrow();
    await this.db
      .insertInto("drives")
      .values({ ...driveToRow(record.drive, Number(n)), bitlocker_key_enc: record.bitLockerKeyEnc ?? null })
      .execute();
  }

  /** Drives with this serial number (ignoring case), in any job, in the given states. */
  async findBySerial(serial: string, states: readonly string[]): Promise<Drive[]> {
    const rows = await this.db
      .selectFrom("drives")
      .selectAll()
      .where(sql<string>`upper(drive_id)`, "=", serial.toUpperCase())
      .where("state", "in", [...states])
      .orderBy("job_id")
      .execute();
    return rows.map(driveFromRow);
  }

  /**
   * The drives with these serials (ignoring case) in every job but `exceptJobId`, each with its job's state.
   * In a PostgreSQL transaction it first locks the serials until the transaction ends: what it answers
   * stays true until the caller has listed them (SQLite's transaction holds the write lock already).
   */
  async findInOtherJobs(
    serials: readonly string[],
    exceptJobId: number,
  ): Promise<{ jobState: JobState; drive: Drive }[]> {
    if (serials.length === 0) {
      return [];
    }
    if (this.lockSerials) {
      // No row says "nobody holds this serial", so no row lock can keep two transactions from both
      // finding it free and both listing it. A lock on the serial itself, held to the end of the
      // transaction, makes the second wait for the first to commit, then read the drive it listed.
      // Taken in key order, so two transactions locking several serials cannot deadlock on them.
      const keys = [...new Set(serials.map(serialLockKey))].sort((a, b) => a - b);
      for (const key of keys) {
        await sql`select pg_advisory_xact_lock(${SERIAL_LOCK_SPACE}::int4, ${key}::int4)`.execute(this.db);
      }
    }
    const rows = await this.db
      .selectFrom("drives")
      .innerJoin("jobs", "jobs.id", "drives.job_id")
      .selectAll("drives")
      .select("jobs.state as job_state")
      .where(
        sql<string>`upper(drives.drive_id)`,
        "in",
        serials.map((s) => s.toUpperCase()),
      )
      .where("drives.job_id", "!=", exceptJobId)
      .execute();
    return rows.map(({ job_state, ...row }) => ({
      jobState: job_state as JobState,
      drive: driveFromRow(row),
    }));
  }

  /** Drives in these states across all jobs (the work queue), oldest job first. */
  async listByStates(states: readonly string[], limit: number): Promise<Drive[]> {
    const rows = await this.db
      .selectFrom("drives")
      .selectAll()
      .where("state", "in", [...states])
      .orderBy("job_id")
      .orderBy("position")
      .limit(limit)
      .execute();
    return rows.map(driveFromRow);
  }

  /** Drives whose copy lease ran out at or before `at` (the sweep releases them). */
  async listExpiredLeases(at: string): Promise<Drive[]> {
    const rows = await this.db.selectFrom("drives").selectAll().where("lease_expires_at", "<=", at).execute();
    return rows.map(driveFromRow);
  }

  /** The sealed key of one drive (a station that holds its lease needs it to unlock the drive). */
  async encryptedKey(jobId: number, driveId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom("drives")
      .select("bitlocker_key_enc")
      .where("job_id", "=", jobId)
      .where("drive_id", "=", driveId)
      .executeTakeFirst();
    return row?.bitlocker_key_enc ?? undefined;
  }

  /** The encrypted keys of a job's drives, in listed order (the caller decrypts). */
  async encryptedKeys(jobId: number): Promise<{ driveId: string; bitLockerKeyEnc: string | null }[]> {
    const rows = await this.db
      .selectFrom("drives")
      .select(["drive_id", "bitlocker_key_enc"])
      .where("job_id", "=", jobId)
      .where("extra", "=", 0)
      .orderBy("position")
      .execute();
    return rows.map((r) => ({ driveId: r.drive_id, bitLockerKeyEnc: r.bitlocker_key_enc }));
  }
}
