/** @module The admin reads the storage-account registry (credentials shown as their kind and a hint). */

import type { AppDeps } from "./support/deps.js";
import { ADMINS, type Principal, throwIfNotRole } from "./support/principal.js";
import { type StorageAccountView, viewOfAccount } from "./support/storage-account-view.js";

export async function listStorageAccounts(
  deps: AppDeps,
  principal: Principal,
): Promise<StorageAccountView[]> {
  throwIfNotRole(principal, ADMINS, "read the storage-account registry");
  return (await deps.store.direct.storageAccounts.list()).map((a) => viewOfAccount(deps, a));
}
