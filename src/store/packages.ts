/** @module The packages repository: each delivery package the data center received (or holds). */

import type { Kysely, Selectable } from "kysely";

import { errors } from "../domain/errors.js";
import { isUniqueViolation } from "./errors.js";
import type { Database, PackagesTable } from "./schema.js";

export interface PackageRecord {
  id: number;
  jobId: number;
  packageKey: string;
  status: "Held" | "Received";
  driveSerials: string[];
  /** As the operator typed them; absent on packages recorded before they were kept. */
  carrier?: string;
  tracking?: string;
  receivedAt: string;
  receivedBy: string;
  reason: string;
}

function recordFromRow(r: Selectable<PackagesTable>): PackageRecord {
  const record: PackageRecord = {
    id: r.id,
    jobId: r.job_id,
    packageKey: r.package_key,
    status: r.status as PackageRecord["status"],
    driveSerials: JSON.parse(r.drive_serials) as string[],
    receivedAt: r.received_at,
    receivedBy: r.received_by,
    reason: r.reason,
  };
  if (r.carrier_name != null && r.tracking_number != null) {
    record.carrier = r.carrier_name;
    record.tracking = r.tracking_number;
  }
  return record;
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
          carrier_name: record.carrier ?? null,
          tracking_number: record.tracking ?? null,
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
    return rows.map(recordFromRow);
  }

  /** Every job's record of the package with this key, by job. */
  async listByKey(key: string): Promise<PackageRecord[]> {
    const rows = await this.db
      .selectFrom("packages")
      .selectAll()
      .where("package_key", "=", key)
      .orderBy("id")
      .execute();
    return rows.map(recordFromRow);
  }

  async markReceived(id: number): Promise<void> {
    await this.db.updateTable("packages").set({ status: "Received" }).where("id", "=", id).execute();
  }
}
