/** @module The packages repository: each delivery package the data center received (or holds). */

import type { Kysely } from "kysely";

import { errors } from "../domain/errors.js";
import { isUniqueViolation } from "./errors.js";
import type { Database } from "./schema.js";

export interface PackageRecord {
  id: number;
  jobId: number;
  packageKey: string;
  status: "Held" | "Received";
  driveSerials: string[];
  receivedAt: string;
  receivedBy: string;
  reason: string;
}

export class PackageRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Records a package; a second record of the same package for the same job surfaces as ConcurrentUpdate. */
  async insert(record: Omit<PackageRecord, "id">): Promise<PackageRecord> {
    try {
      const { id } = await this.db
        .insertInto("packages")
        .values({
          job_id: record.jobId,
          package_key: record.packageKey,
          status: record.status,
          drive_serials: JSON.stringify(record.driveSerials),
          received_at: record.receivedAt,
          received_by: record.receivedBy,
          reason: record.reason,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      return { ...record, id };
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw errors.concurrentUpdate();
      }
      throw error;
    }
  }

  async listByJob(jobId: number): Promise<PackageRecord[]> {
    const rows = await this.db
      .selectFrom("packages")
      .selectAll()
      .where("job_id", "=", jobId)
      .orderBy("id")
      .execute();
    return rows.map((r) => ({
      id: r.id,
      jobId: r.job_id,
      packageKey: r.package_key,
      status: r.status as PackageRecord["status"],
      driveSerials: JSON.parse(r.drive_serials) as string[],
      receivedAt: r.received_at,
      receivedBy: r.received_by,
      reason: r.reason,
    }));
  }

  async markReceived(id: number): Promise<void> {
    await this.db.updateTable("packages").set({ status: "Received" }).where("id", "=", id).execute();
  }
}
