/** @module Reading a job's state history: customers their own jobs', operators any job's. */

import type { HistoryEntry } from "../store/history.js";
import type { AppDeps } from "./deps.js";
import { type JobAddress, loadJob, parseJobResourceId, validateJobAddress } from "./job-view.js";
import { type Principal, throwIfNoAccess } from "./principal.js";

export async function jobHistory(
  deps: AppDeps,
  principal: Principal,
  address: JobAddress,
): Promise<HistoryEntry[]> {
  validateJobAddress(address);
  throwIfNoAccess(principal, address.subscriptionId);
  const job = await loadJob(deps.store.read, address);
  return deps.store.read.history.listByJob(job.id);
}

/** The same, for a job named by its ARM id (the operators' API). */
export function jobHistoryById(deps: AppDeps, principal: Principal, id: string): Promise<HistoryEntry[]> {
  return jobHistory(deps, principal, parseJobResourceId(id));
}
export type { HistoryEntry };
