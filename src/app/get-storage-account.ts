/** @module The admin reads one storage-account registration: the shared one, or a subscription's own. */

import { errors } from "../domain/errors.js";
import type { AppDeps } from "./support/deps.js";
import { ADMINS, type Principal, throwIfNotRole } from "./support/principal.js";
import { type StorageAccountView, viewOfAccount } from "./support/storage-account-view.js";

export async function getStorageAccount(
  deps: AppDeps,
  principal: Principal,
  name: string,
  subscriptionId?: string,
): Promise<StorageAccountView> {
  throwIfNotRole(principal, ADMINS, "read the storage-account registry");
  const account = await deps.store.direct.storageAccounts.get(name, subscriptionId?.toLowerCase());
  if (!account) {
    throw errors.notFound("storage account", name);
  }
  return viewOfAccount(deps, account);
}
