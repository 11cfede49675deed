/** @module The operator pages' shared data: the work queue, reloaded live on every state change. */

import { api, type JobBrief, type WorkQueue } from "../api";
import { type Loaded, useLiveUpdates, useLoad, useRefreshWhile } from "../hooks";

export function useWorkQueue(): Loaded<WorkQueue> {
  const queue = useLoad(() => api.queue(), []);
  useLiveUpdates("/ops/v1/events", queue.reload);
  useRefreshWhile((queue.data?.copying.length ?? 0) > 0, queue.reload);
  return queue;
}

/** The portal page of a job named by its brief. */
export function jobPageHref(job: Pick<JobBrief, "subscriptionId" | "resourceGroup" | "name">): string {
  return `/jobs/${encodeURIComponent(job.subscriptionId)}/${encodeURIComponent(job.resourceGroup)}/${encodeURIComponent(job.name)}`;
}
