/** @module Following state changes: the history rows a caller may see, after a cursor (what the event streams send). */

import { validateSubscriptionId } from "../domain/names.js";
import type { HistoryEntry } from "../store/history.js";
import type { AppDeps } from "./support/deps.js";
import { type JobAddress, loadJob, validateJobAddress } from "./support/job-view.js";
import { OPERATORS, type Principal, throwIfNoAccess, throwIfNotRole } from "./support/principal.js";

export type StateEvent = HistoryEntry & { resourceGroup?: string; jobName?: string };

export interface EventSource {
  /** Where a stream that starts now begins. */
  start: number;
  /** Events after `cursor`, oldest first, at most `limit`. */
  next(cursor: number, limit?: number): Promise<StateEvent[]>;
}

/**
 * Whose changes: one job's (its customer, or an operator); every job's of a subscription (what a portal
 * listing the subscription's jobs follows, instead of one stream per job); or every job's (operators).
 */
export type EventScope = { job: JobAddress } | { subscriptionId: string } | { all: true };

export async function followEvents(
  deps: AppDeps,
  principal: Principal,
  scope: EventScope,
): Promise<EventSource> {
  const history = deps.store.direct.history;
  let filter: { jobId?: number; subscriptionId?: string } = {};
  if ("job" in scope) {
    validateJobAddress(scope.job);
    throwIfNoAccess(principal, scope.job.subscriptionId);
    filter = { jobId: (await loadJob(deps.store.direct, scope.job)).id };
  } else if ("subscriptionId" in scope) {
    validateSubscriptionId(scope.subscriptionId);
    throwIfNoAccess(principal, scope.subscriptionId);
    // Jobs, and so their history rows, store the subscription lower-cased; the path may use any case.
    filter = { subscriptionId: scope.subscriptionId.toLowerCase() };
  } else {
    throwIfNotRole(principal, OPERATORS, "follow every job's events");
  }
  return {
    start: await history.lastId(),
    next: (cursor, limit = 500) => history.listAfter(cursor, limit, filter),
  };
}
