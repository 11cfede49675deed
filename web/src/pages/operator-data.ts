/** @module The operator pages' shared data: the work queue, reloaded live on every state change. */

import { api, eventPaths, type WorkQueue } from "../api";
import { type Loaded, useLiveUpdates, useLoad, useRefreshWhile } from "../hooks";

export function useWorkQueue(): Loaded<WorkQueue> {
  const queue = useLoad(() => api.queue(), []);
  useLiveUpdates(eventPaths.all, queue.reload);
  useRefreshWhile((queue.data?.copying.length ?? 0) > 0, queue.reload);
  return queue;
}
