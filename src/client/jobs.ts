/** @module The customer API (Microsoft.ImportExport jobs, ARM paths) through an ApiClient. */

import { API_VERSION, jobPath, jobsPath } from "../wire/ids.js";
import { type ApiClient, ApiError } from "./http.js";
import type {
  ArmJob,
  ArmJobPage,
  BitLockerKey,
  BitLockerKeyList,
  DriveLog,
  HistoryList,
  HistoryRow,
  JobAddress,
  JobState,
  JobType,
  PatchJobBody,
  PutJobBody,
  StateEvent,
} from "./types.js";

// What the CLI builds a job's storage account id with, where it builds the rest of the job.
export { storageAccountId } from "../wire/ids.js";

/** The JSON in `text`, or undefined when it is none (which the schema then refuses, naming the text). */
function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export interface ListFilter {
  states?: JobState[];
  types?: JobType[];
}

/** The ARM `$filter` for these states and types (alternatives of one field in parentheses). */
export function jobFilter(filter: ListFilter): string | undefined {
  const term = (field: string, values: readonly string[] = []) =>
    values.length === 0
      ? undefined
      : values.length === 1
        ? `${field} eq '${values[0]}'`
        : `(${values.map((v) => `${field} eq '${v}'`).join(" or ")})`;
  const terms = [term("state", filter.states), term("jobType", filter.types)].filter(
    (t): t is string => t !== undefined,
  );
  return terms.length > 0 ? terms.join(" and ") : undefined;
}

export class JobsApi {
  constructor(private readonly http: ApiClient) {}

  private call<T>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
    onHeaders?: (headers: Headers) => void,
  ) {
    return this.http.request<T>(method, path, {
      query: { "api-version": API_VERSION },
      ...(body !== undefined ? { body } : {}),
      ...(headers !== undefined ? { headers } : {}),
      ...(onHeaders !== undefined ? { onHeaders } : {}),
    });
  }

  /**
   * Reads one connection to the job's event stream: `onMove` is called with each move of the job or a
   * drive (a row of its state history, with its id) after the event whose id is `after` (0: from the
   * job's first move), and `onOther` with the id of any other event (progress), so a new connection
   * can resume after it. Resolves when the connection ends; see ApiClient.events.
   */
  async moves(
    address: JobAddress,
    after: number,
    onMove: (move: StateEvent) => void,
    signal: AbortSignal,
    onOther?: (id: number) => void,
  ): Promise<void> {
    // Loaded here, not at the top: the schema library costs every other verb a noticeable start.
    const { stateEvent } = await import("../wire/common.js");
    await this.http.events(
      `${jobPath(address)}/events`,
      { "api-version": API_VERSION },
      {
        lastEventId: String(after),
        signal,
        onEvent: (event) => {
          if (event.event !== "state") {
            const id = Number(event.id);
            if (event.id !== undefined && Number.isSafeInteger(id)) {
              onOther?.(id);
            }
            return;
          }
          const move = stateEvent.safeParse(parseOrUndefined(event.data));
          if (!move.success) {
            throw new ApiError(
              "InvalidResponse",
              `The job's event stream sent a move this CLI cannot read: ${event.data.slice(0, 200)}`,
              200,
            );
          }
          onMove(move.data);
        },
      },
    );
  }

  get(address: JobAddress): Promise<ArmJob> {
    return this.call<ArmJob>("GET", jobPath(address));
  }

  /** The job and its ETag: what a read-then-write sends back in If-Match. */
  async getWithEtag(address: JobAddress): Promise<{ job: ArmJob; etag?: string }> {
    let etag: string | undefined;
    const job = await this.call<ArmJob>("GET", jobPath(address), undefined, undefined, (headers) => {
      etag = headers.get("etag") ?? undefined;
    });
    return { job, ...(etag !== undefined ? { etag } : {}) };
  }

  /**
   * Creates the job; with `createOnly`, only if no job of that name exists (If-None-Match: *), so a
   * second `job create` does not silently rewrite the first job.
   */
  async put(address: JobAddress, body: PutJobBody, options: { createOnly?: boolean } = {}): Promise<ArmJob> {
    try {
      return await this.call<ArmJob>(
        "PUT",
        jobPath(address),
        body,
        options.createOnly ? { "if-none-match": "*" } : undefined,
      );
    } catch (error) {
      // The service words a failed If-None-Match like a failed If-Match; say what it means here.
      if (options.createOnly && error instanceof ApiError && error.code === "PreconditionFailed") {
        throw new ApiError(
          error.code,
          `A job named '${address.name}' already exists in resource group '${address.resourceGroup}'; change it with 'sneakernet job update' or delete it first.`,
          error.status,
          error.target,
        );
      }
      throw error;
    }
  }

  /** Changes the job; with `ifMatch`, only if it is still as read then (else 412 PreconditionFailed). */
  patch(address: JobAddress, body: PatchJobBody, options: { ifMatch?: string } = {}): Promise<ArmJob> {
    return this.call<ArmJob>(
      "PATCH",
      jobPath(address),
      body,
      options.ifMatch !== undefined ? { "if-match": options.ifMatch } : undefined,
    );
  }

  async delete(address: JobAddress): Promise<void> {
    await this.call<undefined>("DELETE", jobPath(address));
  }

  async history(address: JobAddress): Promise<HistoryRow[]> {
    return (await this.call<HistoryList>("GET", `${jobPath(address)}/history`)).value;
  }

  /** A drive's copy log as rows (`kind`: the error log, or the verbose one the job's log level asked for). */
  driveLog(address: JobAddress, driveId: string, kind: "error" | "verbose"): Promise<DriveLog> {
    return this.http.request<DriveLog>(
      "GET",
      `${jobPath(address)}/drives/${encodeURIComponent(driveId)}/log`,
      {
        query: { "api-version": API_VERSION, kind },
      },
    );
  }

  async bitLockerKeys(address: JobAddress): Promise<BitLockerKey[]> {
    return (await this.call<BitLockerKeyList>("POST", `${jobPath(address)}/listBitLockerKeys`)).value;
  }

  /** Every job of the subscription (or resource group), following nextLink to the last page. */
  async list(subscriptionId: string, resourceGroup?: string, filter: ListFilter = {}): Promise<ArmJob[]> {
    const jobs: ArmJob[] = [];
    const $filter = jobFilter(filter);
    let page = await this.http.request<ArmJobPage>("GET", jobsPath(subscriptionId, resourceGroup), {
      query: { "api-version": API_VERSION, ...($filter !== undefined ? { $filter } : {}) },
    });
    jobs.push(...page.value);
    while (page.nextLink) {
      // nextLink carries everything, api-version included: followed as given.
      page = await this.http.request<ArmJobPage>("GET", page.nextLink);
      jobs.push(...page.value);
    }
    return jobs;
  }
}
