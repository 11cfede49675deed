/** @module State-change events: the history rows a caller may see, after a cursor (what the event streams send). */

import { validateSubscriptionId } from "../domain/names.js";
import type { HistoryEntry } from "../store/history.js";
import type { AppDeps } from "./deps.js";
import { type JobAddress, loadJob, validateJobAddress } from "./job-view.js";
import { OPERATORS, type Principal, throwIfNoAccess, throwIfNotRole } from "./principal.js";

export type StateEvent = HistoryEntry & { resourceGroup?: string; jobName?: string };

export interface EventSource {
  /** Where a stream that starts now begins. */
  start: number;
  /** Events after `cursor`, oldest first, at most `limit`. */
  next(cursor: number, limit?: number): Promise<StateEvent[]>;
}

/** One job's events, for its customer (or an operator). */
export async function jobEvents(
  deps: AppDeps,
  principal: Principal,
  address: JobAddress,
): Promise<EventSource> {
  validateJobAddress(address);
  throwIfNoAccess(principal, address.subscriptionId);
  const job = await loadJob(deps.store.read, address);
  return {
    start: await deps.store.read.history.lastId(),
    next: (cursor, limit = 500) => deps.store.read.history.listAfter(cursor, limit, { jobId: job.id }),
  };
}

/**
 * Every job's events in one subscription, for its customer (or an operator): what a portal listing the
 * subscription's jobs follows, instead of one stream per job.
 */
export async function subscriptionEvents(
  deps: AppDeps,
  principal: Principal,
  subscriptionId: string,
): Promise<EventSource> {
  validateSubscriptionId(subscriptionId);
  throwIfNoAccess(principal, subscriptionId);
  // Jobs, and so their history rows, store the subscription lower-cased; the path may use any case.
  const subscription = subscriptionId.toLowerCase();
  return {
    start: await deps.store.read.history.lastId(),
    next: (cursor, limit = 500) =>
      deps.store.read.history.listAfter(cursor, limit, { subscriptionId: subscription }),
  };
}

/** Every job's events, for operators. */
export async function allEvents(deps: AppDeps, principal: Principal): Promise<EventSource> {
  throwIfNotRole(principal, OPERATORS, "follow every job's events");
  return {
    start: await deps.store.read.history.lastId(),
    next: (cursor, limit = 500) => deps.store.read.history.listAfter(cursor, limit),
  };
}
