/** @module The job as loaded, with the drives' progress events since applied: the bars move without a reload. */

import type { ArmJob, ProgressEvent } from "../../api";

/**
 * `job` with each drive's newest progress event (by drive id) laid over its bar, bytes and copy status, and
 * the job's estimate taken from the newest event (the page clears the events on each reload).
 */
export function withProgress(job: ArmJob, events: ReadonlyMap<string, ProgressEvent>): ArmJob {
  if (events.size === 0) {
    return job;
  }
  const newest = [...events.values()].reduce((a, b) => (b.id > a.id ? b : a));
  const driveList = job.properties.driveList?.map((drive) => {
    const event = events.get(drive.driveId);
    // A drive that moved on since (its state in the job, reloaded on the move) keeps what was loaded.
    if (!event || event.state !== drive.state) {
      return drive;
    }
    return {
      ...drive,
      percentComplete: event.percentComplete,
      bytesSucceeded: event.bytesSucceeded,
      copyStatus: event.copyStatus,
    };
  });
  const properties = { ...job.properties, ...(driveList ? { driveList } : {}) };
  if (job.properties.state === "Transferring") {
    properties.estimatedCompletionTime = newest.estimatedCompletionTime;
  }
  return { ...job, properties };
}
