/** @module The storage-account registry: which storage account ids resolve, to which endpoint, with which sealed credential. */

import { type Kysely, sql } from "kysely";

import { errors } from "../domain/errors.js";
import { isUniqueViolation } from "./errors.js";
import type { Database } from "./schema.js";

export interface StorageAccount {
  name: string;
  /** Absent: any subscription may name this account. */
  subscriptionId?: string;
  blobEndpoint: string;
  /** The credential, sealed by the caller (a JSON {type, secret?} inside the secret box). */
  credentialEnc?: string;
  /** Where the stations find the account's file shares mounted; absent: each station's own folder. */
  fileShareRoot?: string;
}

type Row = {
  name: string;
  subscription_id: string | null;
  blob_endpoint: string;
  credential_enc: string | null;
  file_share_root: string | null;
};

const COLUMNS = ["name", "subscription_id", "blob_endpoint", "credential_enc", "file_share_root"] as const;

function fromRow(row: Row): StorageAccount {
  const account: StorageAccount = { name: row.name, blobEndpoint: row.blob_endpoint };
  if (row.subscription_id != null) {
    account.subscriptionId = row.subscription_id;
  }
  if (row.credential_enc != null) {
    account.credentialEnc = row.credential_enc;
  }
  if (row.file_share_root != null) {
    account.fileShareRoot = row.file_share_root;
  }
  return account;
}

export class StorageAccountRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The account `name` as seen from `subscriptionId`: its own registration first, else a shared one. */
  async resolve(name: string, subscriptionId: string): Promise<StorageAccount | undefined> {
    const rows = await this.db
      .selectFrom("storage_accounts")
      .select(COLUMNS)
      .where("name", "=", name)
      .where((eb) => eb.or([eb("subscription_id", "=", subscriptionId), eb("subscription_id", "is", null)]))
      .execute();
    const row = rows.find((r) => r.subscription_id === subscriptionId) ?? rows[0];
    // With its sealed credential: a claim mints the station's storage access from it.
    return row ? fromRow(row) : undefined;
  }

  /** Registers a shared account unless it is registered already (seeding is safe to repeat, and to race). */
  async insertSharedIfAbsent(name: string, blobEndpoint: string, at: string): Promise<void> {
    // The partial unique index of migration 0002 decides between replicas seeding at the same moment.
    await this.db
      .insertInto("storage_accounts")
      .values({
        name,
        subscription_id: null,
        blob_endpoint: blobEndpoint,
        credential_enc: null,
        file_share_root: null,
        created_at: at,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async list(): Promise<StorageAccount[]> {
    const rows = await this.db
      .selectFrom("storage_accounts")
      .select(COLUMNS)
      .orderBy("name")
      // The shared registration first, then the subscriptions': the engines order nulls differently.
      .orderBy(sql`subscription_id is not null`)
      .orderBy("subscription_id")
      .execute();
    return rows.map(fromRow);
  }

  /** The registration of `name` for exactly this subscription (undefined: the shared one). */
  async get(name: string, subscriptionId?: string): Promise<StorageAccount | undefined> {
    const row = await this.db
      .selectFrom("storage_accounts")
      .select(COLUMNS)
      .where("name", "=", name)
      .where("subscription_id", subscriptionId === undefined ? "is" : "=", subscriptionId ?? null)
      .executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  /**
   * Creates or replaces a registration (shared, or for one subscription); true if it created it. Another
   * transaction creating the same one first (PostgreSQL: both found none, the unique index of 0002 or 0003
   * let one insert through) surfaces as ConcurrentUpdate: read again, it is a replacement.
   */
  async upsert(account: StorageAccount, at: string): Promise<boolean> {
    const existing = await this.get(account.name, account.subscriptionId);
    const values = {
      blob_endpoint: account.blobEndpoint,
      credential_enc: account.credentialEnc ?? null,
      file_share_root: account.fileShareRoot ?? null,
    };
    let query = this.db.updateTable("storage_accounts").set(values).where("name", "=", account.name);
    query =
      account.subscriptionId === undefined
        ? query.where("subscription_id", "is", null)
        : query.where("subscription_id", "=", account.subscriptionId);
    if (existing) {
      await query.execute();
      return false;
    }
    try {
      await this.db
        .insertInto("storage_accounts")
        .values({
          name: account.name,
          subscription_id: account.subscriptionId ?? null,
          ...values,
          created_at: at,
        })
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw errors.concurrentUpdate();
      }
      throw error;
    }
    return true;
  }

  async delete(name: string, subscriptionId?: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom("storage_accounts")
      .where("name", "=", name)
      .where("subscription_id", subscriptionId === undefined ? "is" : "=", subscriptionId ?? null)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
