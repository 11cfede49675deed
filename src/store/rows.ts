/** @module Mapping between table rows and domain objects; the only place that knows the column names. */

import type { Drive, Job } from "../domain/model.js";
import { packageKey } from "../domain/package.js";
import type { DriveState, JobState, JobType, LogLevel } from "../domain/states.js";
import type { TimerField } from "../domain/timers.js";
import type { DrivesTable, JobsTable } from "./schema.js";

type JobRow = Omit<JobsTable, "id"> & { id: number };

/** The column of each timestamp a timer runs from (the domain's timer table names the fields). */
export const TIMER_COLUMNS: Record<TimerField, "created_at" | "tracking_recorded_at" | "state_changed_at"> = {
  createdAt: "created_at",
  trackingRecordedAt: "tracking_recorded_at",
  stateChangedAt: "state_changed_at",
};

function json<T>(text: string | null): T | undefined {
  return text == null ? undefined : (JSON.parse(text) as T);
}

function text(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

export function jobFromRow(row: JobRow): Job {
  const job: Job = {
    id: row.id,
    subscriptionId: row.subscription_id,
    resourceGroup: row.resource_group,
    name: row.name,
    location: row.location,
    type: row.job_type as JobType,
    state: row.state as JobState,
    storageAccountId: row.storage_account_id,
    diagnosticsPath: row.diagnostics_path,
    logLevel: row.log_level as LogLevel,
    backupDriveManifest: row.backup_drive_manifest === 1,
    cancelRequested: row.cancel_requested === 1,
    encryptionKey: JSON.parse(row.encryption_key) as Job["encryptionKey"],
    tags: JSON.parse(row.tags) as Record<string, string>,
    createdAt: row.created_at,
    createdBy: row.created_by,
    lastModifiedAt: row.last_modified_at,
    lastModifiedBy: row.last_modified_by,
    stateChangedAt: row.state_changed_at,
    etag: row.etag,
  };
  const optional = {
    returnAddress: json<Job["returnAddress"]>(row.return_address),
    returnShipping: json<Job["returnShipping"]>(row.return_shipping),
    deliveryPackage: json<Job["deliveryPackage"]>(row.delivery_package),
    returnPackage: json<Job["returnPackage"]>(row.return_package),
    export: json<Job["export"]>(row.export_spec),
    incompleteBlobListUri: row.incomplete_blob_list_uri ?? undefined,
    trackingRecordedAt: row.tracking_recorded_at ?? undefined,
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) {
      (job as unknown as Record<string, unknown>)[key] = value;
    }
  }
  return job;
}

export function jobToRow(job: Omit<Job, "id">): Omit<JobsTable, "id"> {
  return {
    subscription_id: job.subscriptionId,
    resource_group: job.resourceGroup,
    resource_group_key: job.resourceGroup.toLowerCase(),
    name: job.name,
    name_key: job.name.toLowerCase(),
    location: job.location,
    job_type: job.type,
    state: job.state,
    storage_account_id: job.storageAccountId,
    return_address: text(job.returnAddress),
    return_shipping: text(job.returnShipping),
    delivery_package: text(job.deliveryPackage),
    return_package: text(job.returnPackage),
    diagnostics_path: job.diagnosticsPath,
    log_level: job.logLevel,
    backup_drive_manifest: job.backupDriveManifest ? 1 : 0,
    cancel_requested: job.cancelRequested ? 1 : 0,
    export_spec: text(job.export),
    incomplete_blob_list_uri: job.incompleteBlobListUri ?? null,
    encryption_key: JSON.stringify(job.encryptionKey),
    tags: JSON.stringify(job.tags),
    created_at: job.createdAt,
    created_by: job.createdBy,
    last_modified_at: job.lastModifiedAt,
    last_modified_by: job.lastModifiedBy,
    tracking_recorded_at: job.trackingRecordedAt ?? null,
    state_changed_at: job.stateChangedAt,
    etag: job.etag,
    tracking_key: job.deliveryPackage
      ? packageKey(job.deliveryPackage.carrierName, job.deliveryPackage.trackingNumber)
      : null,
  };
}

export function driveFromRow(row: DrivesTable): Drive {
  const drive: Drive = {
    jobId: row.job_id,
    driveId: row.drive_id,
    extra: row.extra === 1,
    state: row.state as DriveState,
    percentComplete: row.percent_complete,
    bytesSucceeded: Number(row.bytes_succeeded),
    bytesTotal: Number(row.bytes_total),
    errorCount: row.error_count,
    warningCount: row.warning_count,
    infoCount: row.info_count,
    stateChangedAt: row.state_changed_at,
  };
  const optional = {
    manifestFile: row.manifest_file,
    manifestHash: row.manifest_hash,
    driveHeaderHash: row.drive_header_hash,
    copyStatus: row.copy_status,
    verboseLogUri: row.verbose_log_uri,
    errorLogUri: row.error_log_uri,
    manifestUri: row.manifest_uri,
    claimedBy: row.claimed_by,
    leaseExpiresAt: row.lease_expires_at,
    capacityBytes: row.capacity_bytes == null ? null : Number(row.capacity_bytes),
    incompleteBlobListUri: row.incomplete_blob_list_uri,
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value != null) {
      (drive as unknown as Record<string, unknown>)[key] = value;
    }
  }
  return drive;
}

/** The drive's columns other than its key and its encrypted BitLocker key. */
export function driveToRow(drive: Drive, position: number): Omit<DrivesTable, "bitlocker_key_enc"> {
  return {
    job_id: drive.jobId,
    drive_id: drive.driveId,
    position,
    extra: drive.extra ? 1 : 0,
    state: drive.state,
    manifest_file: drive.manifestFile ?? null,
    manifest_hash: drive.manifestHash ?? null,
    drive_header_hash: drive.driveHeaderHash ?? null,
    copy_status: drive.copyStatus ?? null,
    percent_complete: drive.percentComplete,
    bytes_succeeded: drive.bytesSucceeded,
    bytes_total: drive.bytesTotal,
    verbose_log_uri: drive.verboseLogUri ?? null,
    error_log_uri: drive.errorLogUri ?? null,
    manifest_uri: drive.manifestUri ?? null,
    error_count: drive.errorCount,
    warning_count: drive.warningCount,
    info_count: drive.infoCount,
    state_changed_at: drive.stateChangedAt,
    claimed_by: drive.claimedBy ?? null,
    lease_expires_at: drive.leaseExpiresAt ?? null,
    capacity_bytes: drive.capacityBytes ?? null,
    incomplete_blob_list_uri: drive.incompleteBlobListUri ?? null,
  };
}
