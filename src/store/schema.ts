/** @module The tables as Kysely sees them: one definition serves SQLite and PostgreSQL. */

import type { Generated } from "kysely";

// Timestamps are ISO-8601 UTC strings with milliseconds on both engines: they sort as text, and the
// same value reads back the same everywhere. JSON columns are text for the same reason.

export interface JobsTable {
  id: Generated<number>;
  subscription_id: string;
  resource_group: string;
  /** Lower-cased resource group and name: ARM names are case-insensitive. */
  resource_group_key: string;
  name: string;
  name_key: string;
  location: string;
  job_type: string;
  state: string;
  storage_account_id: string;
  return_address: string | null;
  return_shipping: string | null;
  delivery_package: string | null;
  return_package: string | null;
  diagnostics_path: string;
  log_level: string;
  backup_drive_manifest: number;
  cancel_requested: number;
  export_spec: string | null;
  incomplete_blob_list_uri: string | null;
  encryption_key: string;
  tags: string;
  created_at: string;
  created_by: string;
  last_modified_at: string;
  last_modified_by: string;
  tracking_recorded_at: string | null;
  state_changed_at: string;
  etag: string;
  /** packageKey(carrier, tracking) of the delivery package, to find a package's job. */
  tracking_key: string | null;
}

export interface DrivesTable {
  job_id: number;
  drive_id: string;
  position: number;
  extra: number;
  state: string;
  bitlocker_key_enc: string | null;
  manifest_file: string | null;
  manifest_hash: string | null;
  drive_header_hash: string | null;
  copy_status: string | null;
  percent_complete: number;
  bytes_succeeded: number;
  bytes_total: number;
  verbose_log_uri: string | null;
  error_log_uri: string | null;
  manifest_uri: string | null;
  error_count: number;
  warning_count: number;
  info_count: number;
  state_changed_at: string;
  /** The station holding the copy lease, and until when. */
  claimed_by: string | null;
  lease_expires_at: string | null;
  /** An export drive's capacity, as the operator recorded it at registration. */
  capacity_bytes: number | null;
  /** The blobs an export drive's copy could not fit: what the job's next drive is to take. */
  incomplete_blob_list_uri: string | null;
}

export interface StateHistoryTable {
  id: Generated<number>;
  job_id: number;
  subscription_id: string;
  drive_id: string | null;
  from_state: string | null;
  to_state: string;
  at: string;
  actor: string;
  reason: string;
  /** JSON: a DriveProgress, on a progress row (no move: from and to are the drive's state); null on a move. */
  progress: string | null;
}

export interface TokensTable {
  id: string;
  hash: string;
  role: string;
  subscriptions: string;
  label: string;
  created_at: string;
}

export interface LocationsTable {
  id: string;
  name: string;
  data: string;
}

export interface StorageAccountsTable {
  id: Generated<number>;
  name: string;
  /** Null: any subscription may name this account (the embedded devstoreaccount1). */
  subscription_id: string | null;
  blob_endpoint: string;
  credential_enc: string | null;
  /** Where the stations find the account's file shares mounted (`<root>/<share>`); null: their own default. */
  file_share_root: string | null;
  created_at: string;
}

export interface PackagesTable {
  id: Generated<number>;
  job_id: number;
  package_key: string;
  /** "Held" (its job was still Creating) or "Received". */
  status: string;
  drive_serials: string;
  /** As the operator typed them (null on rows older than migration 0005). */
  carrier_name: string | null;
  tracking_number: string | null;
  received_at: string;
  received_by: string;
  reason: string;
}

export interface StationsTable {
  id: string;
  name: string;
  registered_at: string;
  last_seen_at: string;
  /** JSON: BayReport[] as the station last sent it. */
  bays: string | null;
}

export interface Database {
  jobs: JobsTable;
  drives: DrivesTable;
  state_history: StateHistoryTable;
  tokens: TokensTable;
  locations: LocationsTable;
  storage_accounts: StorageAccountsTable;
  packages: PackagesTable;
  stations: StationsTable;
}
