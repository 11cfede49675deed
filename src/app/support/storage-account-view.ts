/** @module A storage-account registration as an admin sees it: the credential's kind and its last characters, never the secret. */

import type { StorageAccount } from "../../store/storage-accounts.js";
import type { AppDeps } from "./deps.js";

export type CredentialType = "accountKey" | "sas" | "entra";

export interface StorageAccountView {
  name: string;
  subscriptionId?: string;
  blobEndpoint: string;
  credential?: { type: CredentialType; hint?: string };
}

/** A secret shorter than this shows no hint. */
const MIN_HINTED_LENGTH = 12;

export function viewOfAccount(deps: Pick<AppDeps, "secrets">, account: StorageAccount): StorageAccountView {
  const view: StorageAccountView = { name: account.name, blobEndpoint: account.blobEndpoint };
  if (account.subscriptionId !== undefined) {
    view.subscriptionId = account.subscriptionId;
  }
  if (account.credentialEnc !== undefined) {
    const credential = JSON.parse(deps.secrets.open(account.credentialEnc)) as {
      type: CredentialType;
      secret?: string;
    };
    // Its last four characters tell two credentials apart; a secret so short that they would be most
    // of it gets no hint at all.
    view.credential =
      credential.secret && credential.secret.length >= MIN_HINTED_LENGTH
        ? { type: credential.type, hint: `…${credential.secret.slice(-4)}` }
        : { type: credential.type };
  }
  return view;
}
