/** @module The portal's HTTP client: the ARM customer API and /ops/v1/, with the session's token and ARM errors as ApiError. */

import { sessionToken } from "./session";

export const API_VERSION = "2021-01-01";
export const PROVIDER = "Microsoft.ImportExport";

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
    const error = (json as { error?: { code?: string; message?: string; target?: string } } | undefined)
      ?.error;
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

// ---- Types of what the API answers (only the fields the portal reads) ----

export interface Address {
  recipientName?: string;
  streetAddress1?: string;
  streetAddress2?: string;
  city?: string;
  stateOrProvince?: string;
  postalCode?: string;
  countryOrRegion?: string;
  phone?: string;
  email?: string;
  additionalInformation?: string;
}

export interface Package {
  carrierName?: string;
  trackingNumber?: string;
  driveCount?: number;
  shipDate?: string;
}

export interface ArmDrive {
  driveId: string;
  state: string;
  copyStatus?: string;
  percentComplete?: number;
  bytesSucceeded?: number;
  verboseLogUri?: string;
  errorLogUri?: string;
}

export interface ArmJob {
  id: string;
  name: string;
  location: string;
  properties: {
    jobType: string;
    state: string;
    storageAccountId: string;
    percentComplete?: number;
    estimatedCompletionTime?: string;
    driveList?: ArmDrive[];
    returnAddress?: Address;
    returnShipping?: { carrierName?: string; carrierAccountNumber?: string };
    shippingInformation?: Address;
    deliveryPackage?: Package;
    returnPackage?: Package;
    cancelRequested?: boolean;
    export?: { blobList?: { blobPath?: string[]; blobPathPrefix?: string[] } };
    provisioningState?: string;
  };
  systemData?: { createdAt?: string; createdBy?: string; lastModifiedAt?: string };
}

export interface ArmLocation {
  id: string;
  name: string;
  properties: Address & { supportedCarriers?: string[]; displayName?: string };
}

export interface HistoryEntry {
  at: string;
  driveId?: string;
  from?: string;
  to: string;
  actor: string;
  reason?: string;
}

export interface WhoAmI {
  tokenId: string;
  label: string;
  role: "customer" | "operator" | "admin" | "station";
  subscriptions: string[];
}

export interface OpsDrive {
  driveId: string;
  state: string;
  extra: boolean;
  copyStatus?: string;
  percentComplete?: number;
  bytesSucceeded?: number;
  bytesTotal?: number;
  claimedBy?: string;
  leaseExpiresAt?: string;
  stateChangedAt?: string;
}

export interface JobBrief {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  type: string;
  state: string;
  location: string;
  deliveryPackage?: Package;
  returnPackage?: Package;
  trackingRecordedAt?: string;
  stateChangedAt?: string;
}

export interface JobSummary extends JobBrief {
  percentComplete?: number;
  drives: OpsDrive[];
  extraDrives: OpsDrive[];
}

export interface Station {
  id: string;
  name: string;
  lastSeenAt: string;
}

export interface QueueDrive {
  job: JobBrief;
  drive: OpsDrive;
  station?: Station;
}

export interface WorkQueue {
  at: string;
  packagesExpected: { job: JobBrief; deliveryTimeoutAt?: string }[];
  waitingToCopy: QueueDrive[];
  copying: QueueDrive[];
  waitingToShip: JobBrief[];
  extraDrives: QueueDrive[];
  stations: Station[];
}

export interface ReceiveResult {
  status: "Received" | "Held";
  job: JobSummary;
  received: string[];
  neverReceived: string[];
  extra: string[];
  found: { serial: string; job: JobBrief }[];
  registered: string[];
}

// ---- Calls ----

export const api = {
  whoami: (token?: string) => request<WhoAmI>("GET", "/ops/v1/whoami", token !== undefined ? { token } : {}),
  locations: () => request<{ value: ArmLocation[] }>("GET", withVersion(`/providers/${PROVIDER}/locations`)),
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
    return request<{ value: ArmJob[]; nextLink?: string }>(
      "GET",
      `/subscriptions/${encodeURIComponent(subscription)}/providers/${PROVIDER}/jobs?${query}`,
    );
  },
  page: (link: string) => request<{ value: ArmJob[]; nextLink?: string }>("GET", link),
  job: (id: string) => request<ArmJob>("GET", withVersion(id)),
  createJob: (id: string, body: unknown) =>
    request<ArmJob>("PUT", withVersion(id), { body, headers: { "if-none-match": "*" } }),
  patchJob: (id: string, properties: unknown) =>
    request<ArmJob>("PATCH", withVersion(id), { body: { properties } }),
  deleteJob: (id: string) => request<void>("DELETE", withVersion(id)),
  history: (id: string) => request<{ value: HistoryEntry[] }>("GET", withVersion(`${id}/history`)),
  keys: (id: string) =>
    request<{ value: { driveId: string; bitLockerKey: string }[] }>(
      "POST",
      withVersion(`${id}/listBitLockerKeys`),
    ),
  queue: () => request<WorkQueue>("GET", "/ops/v1/queue"),
  packageJobs: (carrier: string, tracking: string) =>
    request<{ value: JobSummary[] }>("GET", `/ops/v1/packages?${new URLSearchParams({ carrier, tracking })}`),
  receive: (body: { carrier: string; tracking: string; drives: string[] }) =>
    request<ReceiveResult>("POST", "/ops/v1/packages/receive", { body }),
  driveFound: (body: { serial: string; carrier: string; tracking: string }) =>
    request<{ job: JobSummary }>("POST", "/ops/v1/drives/found", { body }),
  shipBack: (body: { job: string; carrier: string; tracking: string }) =>
    request<{ job: JobSummary }>("POST", "/ops/v1/ship", { body }),
};

/** The event streams the pages follow (read by events.ts; they need the token, so not EventSource). */
export const eventPaths = {
  job: (id: string) => withVersion(`${id}/events`),
  subscription: (subscription: string) =>
    withVersion(`/subscriptions/${encodeURIComponent(subscription)}/providers/${PROVIDER}/events`),
  all: "/ops/v1/events",
};

/** `/subscriptions/S/resourceGroups/R/providers/Microsoft.ImportExport/jobs/N` from its parts. */
export function jobId(subscription: string, resourceGroup: string, name: string): string {
  const part = encodeURIComponent; // a name typed in a form must not change the URL's shape
  return `/subscriptions/${part(subscription)}/resourceGroups/${part(resourceGroup)}/providers/${PROVIDER}/jobs/${part(name)}`;
}

/** The parts of a job id, or undefined if it is not one. */
export function parseJobId(
  id: string,
): { subscription: string; resourceGroup: string; name: string } | undefined {
  const match =
    /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ImportExport\/jobs\/([^/]+)$/i.exec(
      id,
    );
  return match ? { subscription: match[1]!, resourceGroup: match[2]!, name: match[3]! } : undefined;
}
