/** @module Listing jobs: a page of a subscription's (or resource group's) jobs, filtered, in creation order. */

import { errors } from "../domain/errors.js";
import { validateResourceGroupName, validateSubscriptionId } from "../domain/names.js";
import type { JobNameMatch } from "../store/jobs.js";
import type { AppDeps } from "./support/deps.js";
import { type JobView, viewOf } from "./support/job-view.js";
import { cachedLocations } from "./support/locations.js";
import { type Principal, throwIfNoAccess } from "./support/principal.js";

export const MAX_PAGE_SIZE = 100;

export type { JobNameMatch };

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
    throw errors.topOutOfRange(MAX_PAGE_SIZE);
  }
  if (request.states?.length === 0 || request.jobTypes?.length === 0) {
    // Contradictory filter terms (state eq 'A' and state eq 'B') match nothing; checked after the
    // subscription and access, so the answer says no more than an ordinary list would.
    return { views: [] };
  }
  const repos = deps.store.direct;
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
    cachedLocations(deps),
  ]);
  const byId = new Map(locations.map((l) => [l.id, l]));
  const now = deps.clock.now();
  const views = page.map((job) => viewOf(job, drives.get(job.id) ?? [], byId.get(job.location), now));
  const last = page.at(-1);
  return jobs.length > top && last ? { views, nextAfterId: last.id } : { views };
}
