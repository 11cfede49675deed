/** @module The storage-account registry: which storage account ids resolve, and to which endpoint. */

import type { Kysely } from "kysely";

import type { Database } from "./schema.js";

export interface StorageAccount {
  name: string;
  /** Absent: any subscription may name this account. */
  subscriptionId?: string;
  blobEndpoint: string;
}

export class StorageAccountRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The account `name` as seen from `subscriptionId`: its own registration first, else a shared one. */
  async resolve(name: string, subscriptionId: string): Promise<StorageAccount | undefined> {
    const rows = await this.db
      .selectFrom("storage_accounts")
      .select(["name", "subscription_id", "blob_endpoint"])
      .where("name", "=", name)
      .where((eb) => eb.or([eb("subscription_id", "=", subscriptionId), eb("subscription_id", "is", null)]))
      .execute();
    const row = rows.find((r) => r.subscription_id === subscriptionId) ?? rows[0];
    if (!row) {
      return undefined;
    }
    const account: StorageAccount = { name: row.name, blobEndpoint: row.blob_endpoint };
    if (row.subscription_id != null) {
      account.subscriptionId = row.subscription_id;
    }
    return account;
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
        created_at: at,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}
