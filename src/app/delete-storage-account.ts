/** @module The admin removes a storage-account registration. */

import { errors } from "../domain/errors.js";
import type { AppDeps } from "./support/deps.js";
import { ADMINS, type Principal, throwIfNotRole } from "./support/principal.js";

export async function deleteStorageAccount(
  deps: AppDeps,
  principal: Principal,
  name: string,
  subscriptionId?: string,
): Promise<void> {
  throwIfNotRole(principal, ADMINS, "register storage accounts");
  if (!(await deps.store.direct.storageAccounts.delete(name, subscriptionId?.toLowerCase()))) {
    throw errors.notFound("storage account", name);
  }
}
