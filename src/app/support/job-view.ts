/** @module What a read of a job returns (the job, its drives, its location, its derived progress), and finding a job by its address. */

import { jobPercentComplete } from "../../domain/derive.js";
import { errors } from "../../domain/errors.js";
import { estimatedCompletion } from "../../domain/estimate.js";
import type { Drive, Job, JobAddress, Location } from "../../domain/model.js";
import { validateJobName, validateResourceGroupName, validateSubscriptionId } from "../../domain/names.js";
import type { Repositories } from "../../store/store.js";

export type { JobAddress };

export interface JobView {
  job: Job;
  drives: Drive[];
  location: Location | undefined;
  percentComplete: number;
  /** When copying should end (ISO), while the job is Transferring and every drive's rate is known. */
  estimatedCompletionTime?: string;
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

/** The job at this address (in a transaction: read, and on PostgreSQL locked), or ResourceNotFound. */
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

/**
 * The caller's condition on the job's version: the etags of an If-Match, already read from the header
 * (`*` stands for any version). A job whose etag is not among them is PreconditionFailed.
 */
export function throwIfStale(job: Job, ifMatch: readonly string[] | undefined): void {
  if (ifMatch !== undefined && !ifMatch.includes("*") && !ifMatch.includes(job.etag)) {
    throw errors.preconditionFailed();
  }
}
