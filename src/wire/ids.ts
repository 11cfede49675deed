/**
 * @module The names of things on the wire, stated once: the provider, the api-versions, and the ARM ids
 * and URL paths of jobs, locations and storage accounts — built and parsed here only.
 */

import type { JobAddress } from "../domain/model.js";
import { locationResourceId, PROVIDER } from "../domain/names.js";

export type { JobAddress };
export { PROVIDER };

/** 2016-11-01 and 2020-08-01 are the stable versions, 2021-01-01 the one the JS SDK sends; all the same on the wire. */
export const API_VERSIONS = ["2016-11-01", "2020-08-01", "2021-01-01"] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];

/** The version our own clients send (the current Azure SDK's). */
export const API_VERSION: ApiVersion = "2021-01-01";

/**
 * The subscription the README, the start banner, the sign-in page and the CLI's examples all use, so a
 * token made from any of them sees the jobs made from the others. Any UUID works; this one is documented.
 */
export const DEMO_SUBSCRIPTION = "6f1d2a3b-0000-4000-8000-000000000001";

/** Where the operator and station API lives. */
export const OPS_PREFIX = "/ops/v1";

/** A job's ARM id, as the API shows it: `/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ImportExport/jobs/{name}`. */
export function jobId(address: JobAddress): string {
  return `/subscriptions/${address.subscriptionId}/resourceGroups/${address.resourceGroup}/providers/${PROVIDER}/jobs/${address.name}`;
}

const JOB_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ImportExport\/jobs\/([^/]+)$/i;

/** The parts of a job's ARM id, or undefined when `id` is not one (the parts themselves are not validated here). */
export function parseJobId(id: string): JobAddress | undefined {
  const match = JOB_ID.exec(id.trim());
  return match ? { subscriptionId: match[1]!, resourceGroup: match[2]!, name: match[3]! } : undefined;
}

const enc = encodeURIComponent;

/** The URL path of a subscription's (or a resource group's) job list, each part escaped. */
export function jobsPath(subscriptionId: string, resourceGroup?: string): string {
  const group = resourceGroup !== undefined ? `/resourceGroups/${enc(resourceGroup)}` : "";
  return `/subscriptions/${enc(subscriptionId)}${group}/providers/${PROVIDER}/jobs`;
}

/** The URL path of one job, each part escaped (a name typed by a person must not change the URL's shape). */
export function jobPath(address: JobAddress): string {
  return `${jobsPath(address.subscriptionId, address.resourceGroup)}/${enc(address.name)}`;
}

/** The URL path of a subscription's event stream. */
export function subscriptionEventsPath(subscriptionId: string): string {
  return `/subscriptions/${enc(subscriptionId)}/providers/${PROVIDER}/events`;
}

/** A location's ARM id (`/providers/Microsoft.ImportExport/locations/westus`). */
export const locationId = locationResourceId;

/** A storage account's ARM id, for when only its name is given. */
export function storageAccountId(subscriptionId: string, resourceGroup: string, account: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Storage/storageAccounts/${account}`;
}
