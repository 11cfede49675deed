/** @module Opening the service's state for any command: the store, the clock, the secret box, storage access. */

import { seedDefaults } from "../app/seed-defaults.js";
import type { AppDeps } from "../app/support/deps.js";
import { createSecretBox } from "../app/support/secret-box.js";
import type { StorageAccess } from "../app/support/storage-access.js";
import type { Clock } from "../domain/clock.js";
import type { OpenOptions } from "../store/dialect.js";
import { Store } from "../store/store.js";
import { systemClock } from "./clock.js";
import type { StoreConfig } from "./config.js";
import { loadMasterKey } from "./master-key.js";

export async function openDeps(
  config: StoreConfig,
  clock: Clock = systemClock,
  options: OpenOptions = {},
): Promise<AppDeps> {
  const store = await Store.open(config.databaseUrl, options);
  try {
    const deps: AppDeps = {
      store,
      clock,
      secrets: createSecretBox(loadMasterKey(config.dataDir)),
      storageAccess: blobStorageAccess,
    };
    await seedDefaults(deps);
    return deps;
  } catch (error) {
    await store.close();
    throw error;
  }
}

/**
 * SAS minting and log reading from the transfer layer, loaded at the first claim or read: the commands
 * that only open the store (token create, lifecycle sweep) do not pay for loading the storage SDK.
 */
export const blobStorageAccess: StorageAccess = {
  async grant(account, now) {
    const { grantBlobAccess } = await import("../transfer/blob/sas.js");
    return grantBlobAccess(account, now);
  },
  async readDriveLog(account, location, options) {
    const { readDriveLog } = await import("../transfer/import/drive-log-read.js");
    return readDriveLog(account, location, options);
  },
};

/** Where the state lives, for messages: the SQLite path, or the PostgreSQL URL without its password. */
export function describeDatabase(url: string): string {
  if (!/^postgres(ql)?:/i.test(url)) {
    return `SQLite ${url}`;
  }
  try {
    const parsed = new URL(url);
    parsed.password = parsed.password ? "****" : "";
    return `PostgreSQL ${parsed.toString()}`;
  } catch {
    return "PostgreSQL";
  }
}
