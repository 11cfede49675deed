/** @module A storage-account registration as an admin sees it: the credential's kind and its last characters, never the secret. */

import { parseConnectionString } from "../../domain/connection-string.js";
import type { StorageAccount } from "../../store/storage-accounts.js";
import type { AppDeps } from "./deps.js";

export type CredentialType = "accountKey" | "connectionString" | "sas" | "entra";

/** A credential as it is sealed at rest (JSON inside the secret box). */
export interface StorageCredential {
  type: CredentialType;
  secret?: string;
}

export interface StorageAccountView {
  name: string;
  subscriptionId?: string;
  blobEndpoint: string;
  credential?: { type: CredentialType; hint?: string };
  fileShareRoot?: string;
}

/** A secret shorter than this shows no hint. */
const MIN_HINTED_LENGTH = 12;

export function viewOfAccount(deps: Pick<AppDeps, "secrets">, account: StorageAccount): StorageAccountView {
  const view: StorageAccountView = { name: account.name, blobEndpoint: account.blobEndpoint };
  if (account.subscriptionId !== undefined) {
    view.subscriptionId = account.subscriptionId;
  }
  if (account.fileShareRoot !== undefined) {
    view.fileShareRoot = account.fileShareRoot;
  }
  if (account.credentialEnc !== undefined) {
    const credential = openCredential(deps, account.credentialEnc);
    // A connection string ends with its endpoint suffix, the same for every account: its key is hinted.
    const secret =
      credential.type === "connectionString" && credential.secret
        ? parseConnectionString(credential.secret)?.accountKey
        : credential.secret;
    // Its last four characters tell two credentials apart; a secret so short that they would be most
    // of it gets no hint at all.
    view.credential =
      secret && secret.length >= MIN_HINTED_LENGTH
        ? { type: credential.type, hint: `…${secret.slice(-4)}` }
        : { type: credential.type };
  }
  return view;
}

/** The credential a registration holds, in the clear: only for a station's grant and an admin's hint. */
export function openCredential(deps: Pick<AppDeps, "secrets">, sealed: string): StorageCredential {
  return JSON.parse(deps.secrets.open(sealed)) as StorageCredential;
}
