/**
 * @module The frame of a customer's change to one job: the address and the caller checked, one
 * transaction, the job read (locked on PostgreSQL) and held to the caller's If-Match — then the use
 * case's own work.
 */

import type { Job, Location } from "../../domain/model.js";
import type { Repositories } from "../../store/store.js";
import { type AppDeps, nowIso } from "./deps.js";
import { type JobAddress, loadJob, throwIfStale, validateJobAddress } from "./job-view.js";
import { actorName, type Principal, throwIfCannotChange } from "./principal.js";
import { inTransaction } from "./transaction.js";

export interface JobChangeRequest {
  principal: Principal;
  address: JobAddress;
  /** If-Match: the etags the caller read (`*`: any). */
  ifMatch?: readonly string[];
}

/** What the work is handed: the transaction's repositories, the job as read, its location, when and who. */
export interface OpenedJob {
  repos: Repositories;
  job: Job;
  location: Location | undefined;
  at: string;
  actor: string;
}

export async function changeJob<T>(
  deps: AppDeps,
  request: JobChangeRequest,
  work: (opened: OpenedJob) => Promise<T>,
): Promise<T> {
  validateJobAddress(request.address);
  throwIfCannotChange(request.principal, request.address.subscriptionId);
  return inTransaction(
    deps,
    async (repos) => {
      const job = await loadJob(repos, request.address);
      throwIfStale(job, request.ifMatch);
      const location = await repos.locations.get(job.location);
      return work({ repos, job, location, at: nowIso(deps), actor: actorName(request.principal) });
    },
    // With If-Match the caller pinned a version: losing a race means it is gone (412), not a retry.
    { pinned: request.ifMatch !== undefined },
  );
}
