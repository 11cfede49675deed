/** @module A real Azurite for a test file: its own folder and free port, stopped when the file ends. */

import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { after } from "node:test";

import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";

import {
  DEV_ACCOUNT_KEY,
  DEV_ACCOUNT_NAME,
  type RunningAzurite,
  startAzurite,
} from "../../src/serve/azurite.js";
import { TMP } from "./db.js";

/** A second account, registered as if it were a remote one. */
export const SECOND_ACCOUNT = { name: "remoteaccount2", key: Buffer.alloc(64, 42).toString("base64") };

export interface TestAzurite extends RunningAzurite {
  location: string;
  /** The blob endpoint of an account: `origin/account`. */
  endpoint(account?: string): string;
  /** A client with the account's own key: what a test reads back with, independently of the code under test. */
  service(account?: string): BlobServiceClient;
}

/**
 * Starts Azurite (both accounts) on a free port; it stops when the test (or, called at a file's top
 * level, the file) that started it ends. Not from a `before` hook: it would stop when the hook ends.
 */
export async function startTestAzurite(label = "azurite"): Promise<TestAzurite> {
  const location = join(TMP, `${label}-${randomBytes(4).toString("hex")}`);
  const running = await startAzurite({
    location,
    port: 0,
    extraAccounts: { [SECOND_ACCOUNT.name]: SECOND_ACCOUNT.key },
  });
  after(() => running.stop());
  const keyOf = (account: string) => (account === SECOND_ACCOUNT.name ? SECOND_ACCOUNT.key : DEV_ACCOUNT_KEY);
  const endpoint = (account = DEV_ACCOUNT_NAME) => `${running.origin}/${account}`;
  return {
    ...running,
    location,
    endpoint,
    service: (account = DEV_ACCOUNT_NAME) =>
      new BlobServiceClient(endpoint(account), new StorageSharedKeyCredential(account, keyOf(account))),
  };
}

/**
 * The embedded Azurite a test's `serve` started, as its banner names it, through the real SDK with the
 * emulator's well-known key.
 */
export function embeddedAccount(server: { output(): string }): BlobServiceClient {
  const match = /Blob endpoint: (http:\/\/\S+\/devstoreaccount1)/.exec(server.output());
  if (!match) {
    throw new Error(`the banner does not name the blob endpoint:\n${server.output()}`);
  }
  return new BlobServiceClient(match[1]!, new StorageSharedKeyCredential(DEV_ACCOUNT_NAME, DEV_ACCOUNT_KEY));
}
