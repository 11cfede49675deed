/** @module Reading a job's state history: customers their own jobs', operators any job's. */

import type { HistoryEntry } from "../store/history.js";
import type { AppDeps } from "./support/deps.js";
import { type JobAddress, loadJob, validateJobAddress } from "./support/job-view.js";
import { type Principal, throwIfNoAccess } from "./support/principal.js";

export type { HistoryEntry };

export async function readHistory(
  deps: AppDeps,
  principal: Principal,
  address: JobAddress,
): Promise<HistoryEntry[]> {
  validateJobAddress(address);
  throwIfNoAccess(principal, address.subscriptionId);
  const job = await loadJob(deps.store.direct, address);
  return deps.store.direct.history.listByJob(job.id);
}
