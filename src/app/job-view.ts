/** @module What a read of a job returns: the job, its drives, its location and its derived progress. */

import { jobPercentComplete } from "../domain/derive.js";
import { DomainError, errors } from "../domain/errors.js";
import { estimatedCompletion } from "../domain/estimate.js";
import type { Drive, Job, Location } from "../domain/model.js";
import { validateJobName, validateResourceGroupName, validateSubscriptionId } from "../domain/names.js";
import type { Repositories } from "../store/store.js";

export interface JobView {
  job: Job;
  drives: Drive[];
  location: Location | undefined;
  percentComplete: number;
  /** When copying should end (ISO), while the job is Transferring and every drive's rate is known. */
  estimatedCompletionTime?: string;
}

export interface JobAddress {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

/** Validates the three parts of a job's address, in the order they appear in the URL. */
export function validateJobAddress(address: JobAddress): void {
  validateSubscriptionId(address.subscriptionId);
  validateResourceGroupName(address.resourceGroup);
  validateJobName(address.name);
}

/** `now` is the deps clock's: the estimate is a rate measured up to now. */
export function viewOf(job: Job, drives: Drive[], location: Location | undefined, now: Date): JobView {
  const view: JobView = { job, drives, location, percentComplete: jobPercentComplete(drives) };
  const estimate = estimatedCompletion(job.state, drives, now);
  if (estimate !== undefined) {
    view.estimatedCompletionTime = estimate;
  }
  return view;
}

export async function loadJob(repos: Repositories, address: JobAddress): Promise<Job> {
  const job = await repos.jobs.findByName(
    address.subscriptionId.toLowerCase(),
    address.resourceGroup,
    address.name,
  );
  if (!job) {
    throw errors.notFound("job", address.name);
  }
  return job;
}

/** Compares an If-Match header value (`"etag"`, `W/"etag"` or `*`) with the job's etag. */
export function throwIfStale(job: Job, ifMatch: string | undefined): void {
  if (ifMatch === undefined) {
    return;
  }
  const wanted = ifMatch
    .split(",")
    .map((v) =>
      v
        .trim()
        .replace(/^W\//, "")
        .replace(/^"(.*)"$/, "$1"),
    )
    .filter((v) => v.length > 0);
  if (!wanted.includes("*") && !wanted.includes(job.etag)) {
    throw errors.preconditionFailed();
  }
}

/** A job named by its ARM id, as operators name it: `/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ImportExport/jobs/{name}`. */
export function parseJobResourceId(id: string): JobAddress {
  const match =
    /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ImportExport\/jobs\/([^/]+)$/i.exec(
      id.trim(),
    );
  if (!match) {
    throw new DomainError(
      "InvalidRequestContent",
      "Name the job by its id: /subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.ImportExport/jobs/{name}.",
      "job",
    );
  }
  const address = { subscriptionId: match[1]!, resourceGroup: match[2]!, name: match[3]! };
  validateJobAddress(address);
  return address;
}
