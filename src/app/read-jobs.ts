/** @module Reading jobs: one by name, a page of a subscription's or resource group's jobs, a job's drive keys. */

import { DomainError } from "../domain/errors.js";
import { validateResourceGroupName, validateSubscriptionId } from "../domain/names.js";
import type { JobNameMatch } from "../store/jobs.js";
import type { AppDeps } from "./deps.js";
import { type JobAddress, type JobView, loadJob, validateJobAddress, viewOf } from "./job-view.js";
import { listLocations, locationById } from "./locations.js";
import { type Principal, throwIfNoAccess, throwIfNotOwner } from "./principal.js";

export const MAX_PAGE_SIZE = 100;

export type { JobNameMatch };

export async function getJob(deps: AppDeps, principal: Principal, address: JobAddress): Promise<JobView> {
  validateJobAddress(address);
  throwIfNoAccess(principal, address.subscriptionId);
  const repos = deps.store.read;
  const job = await loadJob(repos, address);
  const [drives, location] = await Promise.all([
    repos.drives.listByJob(job.id),
    locationById(deps, job.location),
  ]);
  return viewOf(job, drives, location, deps.clock.now());
}

export interface ListJobsRequest {
  principal: Principal;
  subscriptionId: string;
  resourceGroup?: string;
  states?: string[];
  jobTypes?: string[];
  /** Only jobs whose name starts with, or contains, this text (ignoring case). */
  name?: JobNameMatch;
  /** Continue after this job id (from the previous page's continuation). */
  afterId?: number;
  /** Newest first; oldest first otherwise. */
  newestFirst?: boolean;
  top?: number;
}

export interface JobPage {
  views: JobView[];
  /** The id to continue after, when there may be more. */
  nextAfterId?: number;
}

export async function listJobs(deps: AppDeps, request: ListJobsRequest): Promise<JobPage> {
  validateSubscriptionId(request.subscriptionId);
  if (request.resourceGroup !== undefined) {
    validateResourceGroupName(request.resourceGroup);
  }
  throwIfNoAccess(request.principal, request.subscriptionId);
  const top = request.top ?? MAX_PAGE_SIZE;
  if (!Number.isInteger(top) || top < 1 || top > MAX_PAGE_SIZE) {
    throw new DomainError(
      "InvalidQueryParameter",
      `$top must be a whole number from 1 to ${MAX_PAGE_SIZE}.`,
      "$top",
    );
  }
  if (request.states?.length === 0 || request.jobTypes?.length === 0) {
    // Contradictory filter terms (state eq 'A' and state eq 'B') match nothing; checked after the
    // subscription and access, so the answer says no more than an ordinary list would.
    return { views: [] };
  }
  const repos = deps.store.read;
  // One more than asked tells whether another page exists without a count query.
  const jobs = await repos.jobs.list({
    subscriptionId: request.subscriptionId.toLowerCase(),
    ...(request.resourceGroup !== undefined ? { resourceGroup: request.resourceGroup } : {}),
    ...(request.states ? { states: request.states } : {}),
    ...(request.jobTypes ? { jobTypes: request.jobTypes } : {}),
    ...(request.name ? { name: request.name } : {}),
    ...(request.afterId !== undefined ? { afterId: request.afterId } : {}),
    ...(request.newestFirst ? { newestFirst: true } : {}),
    limit: top + 1,
  });
  const page = jobs.slice(0, top);
  const [drives, locations] = await Promise.all([
    repos.drives.listByJobs(page.map((j) => j.id)),
    listLocations(deps),
  ]);
  const byId = new Map(locations.map((l) => [l.id, l]));
  const now = deps.clock.now();
  const views = page.map((job) => viewOf(job, drives.get(job.id) ?? [], byId.get(job.location), now));
  const last = page.at(-1);
  return jobs.length > top && last ? { views, nextAfterId: last.id } : { views };
}

/** The drives' BitLocker keys, decrypted: the one place they leave the service, to the job's owner. */
export async function listBitLockerKeys(
  deps: AppDeps,
  principal: Principal,
  address: JobAddress,
): Promise<{ driveId: string; bitLockerKey: string }[]> {
  validateJobAddress(address);
  throwIfNotOwner(principal, address.subscriptionId);
  const repos = deps.store.read;
  const job = await loadJob(repos, address);
  const keys = await repos.drives.encryptedKeys(job.id);
  return keys
    .filter((k): k is { driveId: string; bitLockerKeyEnc: string } => k.bitLockerKeyEnc !== null)
    .map((k) => ({ driveId: k.driveId, bitLockerKey: deps.secrets.open(k.bitLockerKeyEnc) }));
}
