/** @module The portal's HTTP client: the ARM customer API and /ops/v1/, with the session's token and ARM errors as ApiError. */

import type {
  ArmJob,
  ArmJobPage,
  ArmLocationList,
  BitLockerKeyList,
  DriveLog,
  ReturnAddress,
  ShippingInformation,
} from "../../src/wire/arm.js";
import type { HistoryList } from "../../src/wire/common.js";
import type { ErrorBody } from "../../src/wire/errors.js";
import type {
  DriveAnswer,
  DriveFoundBody,
  JobSummaryList,
  ReceiveAnswer,
  ReceivePackageBody,
  ShipAnswer,
  ShipBody,
  WhoAmI,
  WorkQueue,
} from "../../src/wire/ops.js";
import { sessionToken } from "./session";

// ---- Names and paths ----
// Copies of src/wire/ids.ts: runtime code, which the portal may not load from src/. test/wire/portal-ids.test.ts
// holds each to the original.

export const API_VERSION = "2021-01-01";
export const PROVIDER = "Microsoft.ImportExport";
export const OPS_PREFIX = "/ops/v1";

const part = encodeURIComponent; // a name typed in a form must not change the URL's shape

/** `/subscriptions/S/resourceGroups/R/providers/Microsoft.ImportExport/jobs/N` from its parts (each escaped): its id and its path. */
export function jobId(subscription: string, resourceGroup: string, name: string): string {
  return `${jobsPath(subscription, resourceGroup)}/${part(name)}`;
}

/** The parts of a job id, or undefined if it is not one. */
export function parseJobId(
  id: string,
): { subscription: string; resourceGroup: string; name: string } | undefined {
  const match =
    /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ImportExport\/jobs\/([^/]+)$/i.exec(
      id.trim(),
    );
  return match ? { subscription: match[1]!, resourceGroup: match[2]!, name: match[3]! } : undefined;
}

/** A subscription's (or a resource group's) job list. */
export function jobsPath(subscription: string, resourceGroup?: string): string {
  const group = resourceGroup !== undefined ? `/resourceGroups/${part(resourceGroup)}` : "";
  return `/subscriptions/${part(subscription)}${group}/providers/${PROVIDER}/jobs`;
}

/** A subscription's event stream. */
export function subscriptionEventsPath(subscription: string): string {
  return `/subscriptions/${part(subscription)}/providers/${PROVIDER}/events`;
}

/** An error answered by the API, in its ARM envelope: `{"error":{"code","message","target"?}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly target?: string,
  ) {
    super(message);
  }
}

/** Called when the server says the token is no longer good (revoked, or the server's data was reset). */
let onUnauthorized: (() => void) | undefined;
export function whenUnauthorized(callback: () => void): void {
  onUnauthorized = callback;
}

export function withVersion(path: string): string {
  return path.includes("api-version=")
    ? path
    : `${path}${path.includes("?") ? "&" : "?"}api-version=${API_VERSION}`;
}

/** One request. A nextLink is an absolute URL of this server: only its path and query are used. */
export async function request<T>(
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; token?: string } = {},
): Promise<T> {
  const url = path.startsWith("http") ? new URL(path).pathname + new URL(path).search : path;
  const token = options.token ?? sessionToken();
  const headers: Record<string, string> = { accept: "application/json", ...options.headers };
  if (token) {
    headers.authorization = `Bearer ${token}`;
  }
  if (options.body !== undefined) {
    headers["content-type"] = "application/json";
  }
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
  } catch {
    throw new ApiError(0, "NetworkError", "The server could not be reached.");
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    // Typed as the envelope, read as if it might not be one (a proxy's page has no `error`).
    const error = (json as Partial<ErrorBody> | undefined)?.error;
    if (response.status === 401 && !options.token) {
      onUnauthorized?.();
    }
    throw new ApiError(
      response.status,
      error?.code ?? `Http${response.status}`,
      error?.message ?? `The server answered ${response.status}.`,
      error?.target,
    );
  }
  return json as T;
}

// ---- Types of what the API answers: the wire's own (src/wire/), as types only ----
// (The portal never loads code from src/: `import type` is erased, so none of it reaches the bundle.)

export type {
  ArmDrive,
  ArmJob,
  ArmJobPage,
  ArmLocation,
  ArmLocationList,
  BitLockerKey,
  BitLockerKeyList,
  DriveLog,
  ShippingInformation,
} from "../../src/wire/arm.js";
export type {
  HistoryRow as HistoryEntry,
  HistoryList,
  DeliveryPackage as Package,
  ProgressEvent,
  StateEvent,
} from "../../src/wire/common.js";
export type {
  JobBrief,
  JobSummary,
  JobSummaryList,
  OpsDrive,
  QueueDrive,
  ReceivePackageBody,
  ReceiveAnswer as ReceiveResult,
  StationBrief as Station,
  WhoAmI,
  WorkQueue,
} from "../../src/wire/ops.js";

/** Any address the portal shows (a return address, a data center's): every line optional. */
export type Address = Partial<ReturnAddress & ShippingInformation>;

// ---- Calls ----

/**
 * The data centers, asked for at most once a minute: one page can hold many forms that each want their
 * carriers (a ship-back form per job in the operator's queue), and locations change only by an admin's
 * act. A failed read is not kept, so the next asks again.
 */
let locationsRead: { at: number; answer: Promise<ArmLocationList> } | undefined;
const LOCATIONS_KEPT_MS = 60_000;

function readLocations(): Promise<ArmLocationList> {
  const now = Date.now();
  if (!locationsRead || now - locationsRead.at > LOCATIONS_KEPT_MS) {
    const answer = request<ArmLocationList>("GET", withVersion(`/providers/${PROVIDER}/locations`));
    locationsRead = { at: now, answer };
    answer.catch(() => {
      if (locationsRead?.answer === answer) {
        locationsRead = undefined;
      }
    });
  }
  return locationsRead.answer;
}

export const api = {
  whoami: (token?: string) =>
    request<WhoAmI>("GET", `${OPS_PREFIX}/whoami`, token !== undefined ? { token } : {}),
  locations: readLocations,
  listJobs: (subscription: string, filter: string, top: number) => {
    // Newest first: the job a customer just made or shipped is the one they look for.
    const query = new URLSearchParams({
      "api-version": API_VERSION,
      $top: String(top),
      $orderby: "createdAt desc",
    });
    if (filter) {
      query.set("$filter", filter);
    }
    return request<ArmJobPage>("GET", `${jobsPath(subscription)}?${query}`);
  },
  page: (link: string) => request<ArmJobPage>("GET", link),
  job: (id: string) => request<ArmJob>("GET", withVersion(id)),
  createJob: (id: string, body: unknown) =>
    request<ArmJob>("PUT", withVersion(id), { body, headers: { "if-none-match": "*" } }),
  patchJob: (id: string, properties: unknown) =>
    request<ArmJob>("PATCH", withVersion(id), { body: { properties } }),
  deleteJob: (id: string) => request<void>("DELETE", withVersion(id)),
  history: (id: string) => request<HistoryList>("GET", withVersion(`${id}/history`)),
  keys: (id: string) => request<BitLockerKeyList>("POST", withVersion(`${id}/listBitLockerKeys`)),
  /** A drive's copy log as rows, read by the service from the job's storage account. */
  driveLog: (id: string, driveId: string, kind: "error" | "verbose") =>
    request<DriveLog>("GET", withVersion(`${id}/drives/${part(driveId)}/log?kind=${kind}`)),
  queue: () => request<WorkQueue>("GET", `${OPS_PREFIX}/queue`),
  packageJobs: (carrier: string, tracking: string) =>
    request<JobSummaryList>("GET", `${OPS_PREFIX}/packages?${new URLSearchParams({ carrier, tracking })}`),
  receive: (body: ReceivePackageBody) =>
    request<ReceiveAnswer>("POST", `${OPS_PREFIX}/packages/receive`, { body }),
  driveFound: (body: DriveFoundBody) => request<DriveAnswer>("POST", `${OPS_PREFIX}/drives/found`, { body }),
  shipBack: (body: ShipBody) => request<ShipAnswer>("POST", `${OPS_PREFIX}/ship`, { body }),
};

/** The event streams the pages follow (read by events.ts; they need the token, so not EventSource). */
export const eventPaths = {
  job: (id: string) => withVersion(`${id}/events`),
  subscription: (subscription: string) => withVersion(subscriptionEventsPath(subscription)),
  all: `${OPS_PREFIX}/events`,
};
