/** @module The admin registers a storage account (shared, or one subscription's): its blob endpoint and its credential, sealed at rest. */

import { parseConnectionString } from "../domain/connection-string.js";
import { errors } from "../domain/errors.js";
import { validateSubscriptionId } from "../domain/names.js";
import type { StorageAccount } from "../store/storage-accounts.js";
import { type AppDeps, nowIso } from "./support/deps.js";
import { ADMINS, type Principal, throwIfNotRole } from "./support/principal.js";
import {
  type CredentialType,
  type StorageAccountView,
  viewOfAccount,
} from "./support/storage-account-view.js";
import { inTransaction } from "./support/transaction.js";

export type { CredentialType, StorageAccountView };

export interface StorageAccountInput {
  subscriptionId?: string;
  blobEndpoint: string;
  credential?: { type: CredentialType; secret?: string };
  /** Where the stations find the account's file shares mounted (`<root>/<share>`). */
  fileShareRoot?: string;
}

/**
 * A folder on the stations: absolute (POSIX, a Windows drive or a UNC path), no `.` or `..` segment (the
 * root is what a share path is checked to stay inside: it must itself mean what it says).
 */
function validateFileShareRoot(root: string): void {
  if (root.length === 0 || root.length > 1024) {
    throw errors.fileShareRootInvalid("it is 1 to 1024 characters");
  }
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\u0000-\u001f]/.test(root)) {
    throw errors.fileShareRootInvalid("it holds a control character");
  }
  if (!/^(\/|[A-Za-z]:[\\/]|\\\\)/.test(root)) {
    throw errors.fileShareRootInvalid("it is not absolute");
  }
  if (root.split(/[\\/]/).some((segment) => segment === "." || segment === "..")) {
    throw errors.fileShareRootInvalid("it holds a '.' or '..' segment");
  }
}

/** Registers the account, or replaces its registration; `created` tells which. */
export async function setStorageAccount(
  deps: AppDeps,
  principal: Principal,
  name: string,
  input: StorageAccountInput,
): Promise<{ view: StorageAccountView; created: boolean }> {
  throwIfNotRole(principal, ADMINS, "register storage accounts");
  if (!/^[a-z0-9]{3,24}$/.test(name)) {
    throw errors.storageAccountNameInvalid();
  }
  if (input.subscriptionId !== undefined) {
    validateSubscriptionId(input.subscriptionId);
  }
  let endpoint: URL;
  try {
    endpoint = new URL(input.blobEndpoint);
  } catch {
    throw errors.blobEndpointInvalid();
  }
  if (endpoint.protocol !== "https:" && endpoint.protocol !== "http:") {
    throw errors.blobEndpointInvalid();
  }
  const credential = input.credential;
  if (credential && credential.type !== "entra" && !credential.secret) {
    throw errors.credentialSecretMissing(credential.type);
  }
  // Checked now, not at the first claim: a station would only learn of a typo once a drive is in a bay.
  if (credential?.type === "connectionString" && !parseConnectionString(credential.secret ?? "")) {
    throw errors.connectionStringInvalid();
  }
  if (input.fileShareRoot !== undefined) {
    validateFileShareRoot(input.fileShareRoot);
  }
  const account: StorageAccount = { name, blobEndpoint: endpoint.toString().replace(/\/$/, "") };
  if (input.fileShareRoot !== undefined) {
    account.fileShareRoot = input.fileShareRoot;
  }
  if (input.subscriptionId !== undefined) {
    account.subscriptionId = input.subscriptionId.toLowerCase();
  }
  if (credential) {
    // Sealed like drive keys: the database alone never yields a usable credential.
    account.credentialEnc = deps.secrets.seal(JSON.stringify(credential));
  }
  // Two registrations of one account at once: the one that finds it created by the other (its insert
  // refused by the unique index) is retried, and replaces it.
  const created = await inTransaction(deps, (repos) => repos.storageAccounts.upsert(account, nowIso(deps)));
  return { view: viewOfAccount(deps, account), created };
}
