/** @module Saving what the domain decided about a job: its drives, the job (etag-guarded), its history, in the caller's transaction. */

import type { JobUpdate } from "../../domain/job-update.js";
import type { Job } from "../../domain/model.js";
import type { Repositories } from "../../store/store.js";

/**
 * Writes the update and answers the job as saved (with its new etag). `sealedKeys`: the keys, sealed, of
 * drives the update adds (an export drive gets its key as it is registered), by drive id.
 */
export async function saveUpdate(
  repos: Repositories,
  update: JobUpdate,
  sealedKeys?: ReadonlyMap<string, string>,
): Promise<Job> {
  for (const drive of update.changed) {
    await repos.drives.update(drive);
  }
  for (const drive of update.added) {
    const bitLockerKeyEnc = sealedKeys?.get(drive.driveId);
    await repos.drives.add({ drive, ...(bitLockerKeyEnc !== undefined ? { bitLockerKeyEnc } : {}) });
  }
  const saved = await repos.jobs.update(update.job);
  await repos.history.append(update.job.subscriptionId, update.history);
  return saved;
}
