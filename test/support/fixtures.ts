/**
 * @module Shared test fixtures: a stored job and a drive with nothing else said of them, a return address,
 * BitLocker keys, the storage account every test job names, a JSON request.
 */

import { blankDrive } from "../../src/domain/drive.js";
import type { Drive, Job } from "../../src/domain/model.js";
import { storageAccountId } from "../../src/wire/ids.js";

/** A drive with nothing copied (the domain's own blank drive), job 1, `WD-1`; `over` says the rest. */
export function newDrive(over: Partial<Drive> & Pick<Drive, "state">): Drive {
  return { ...blankDrive(1, "WD-1", false, "2026-01-01T00:00:00.000Z", over.state), ...over };
}

/**
 * A stored import job in Creating with nothing else said of it: subscription 00000000-…-0001, resource
 * group `rg`, on its account `acct`; `over` says the rest (the account follows a subscription or group given).
 */
export function newJob(over: Partial<Job> = {}): Job {
  const subscriptionId = over.subscriptionId ?? "00000000-0000-0000-0000-000000000001";
  const resourceGroup = over.resourceGroup ?? "rg";
  const at = "2026-01-01T00:00:00.000Z";
  return {
    id: 1,
    subscriptionId,
    resourceGroup,
    name: "job-1",
    location: "westus",
    type: "Import",
    state: "Creating",
    storageAccountId: storageAccountId(subscriptionId, resourceGroup, "acct"),
    diagnosticsPath: "waimportexport",
    logLevel: "Error",
    backupDriveManifest: false,
    cancelRequested: false,
    encryptionKey: { kekType: "MicrosoftManaged" },
    tags: {},
    createdAt: at,
    createdBy: "test",
    lastModifiedAt: at,
    lastModifiedBy: "test",
    stateChangedAt: at,
    etag: "1",
    ...over,
  };
}

/** A valid return address, as the customer API takes it. */
export const RETURN_ADDRESS = {
  recipientName: "Ada",
  streetAddress1: "1 Main St",
  city: "Redmond",
  postalCode: "98007",
  countryOrRegion: "USA",
  phone: "4250000000",
  email: "ada@example.com",
};

/** A well-formed BitLocker recovery password (8 groups of 6 digits). */
export const BITLOCKER_KEY = "111111-222222-333333-444444-555555-666666-777777-888888";

/** A fresh BitLocker recovery password: 8 groups of 6 random digits (a test that checks no answer shows a key needs each to differ). */
export function bitLockerKey(): string {
  return Array.from({ length: 8 }, () => String(Math.floor(Math.random() * 1e6)).padStart(6, "0")).join("-");
}

export interface DriveSpec {
  driveId: string;
  bitLockerKey: string;
}

/** A driveList of these serials, each with a fresh key; `keys`, when given, is told each serial's key. */
export function driveList(serials: readonly string[], keys?: Map<string, string>): DriveSpec[] {
  return serials.map((driveId) => {
    const key = bitLockerKey();
    keys?.set(driveId, key);
    return { driveId, bitLockerKey: key };
  });
}

/** The storage account every test server has (the embedded Azurite's), as a job names it. */
export const STORAGE_ACCOUNT = "devstoreaccount1";

/** The ARM id of STORAGE_ACCOUNT in this subscription and resource group. */
export function storageAccount(subscriptionId: string, resourceGroup: string): string {
  return storageAccountId(subscriptionId, resourceGroup, STORAGE_ACCOUNT);
}

export interface JsonAnswer {
  status: number;
  text: string;
  json: Record<string, unknown> | undefined;
}

/** One request with a bearer token and an optional JSON body; answers the status, the text and the parsed JSON. */
export async function callJson(
  base: string,
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<JsonAnswer> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    text,
    json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
  };
}
