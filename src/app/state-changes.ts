/** @module Applying a job's derived state after its drives moved, and recording every move in the history. */

import { deriveJobState } from "../domain/derive.js";
import { assertJobMove } from "../domain/job.js";
import type { Drive, Job, StateChange } from "../domain/model.js";
import type { JobState } from "../domain/states.js";
import type { Repositories } from "../store/store.js";

/** Moves the job to `to`, refusing (InvalidJobTransition) what the table forbids; returns the job and its history row. */
export function moveJob(
  job: Job,
  to: JobState,
  at: string,
  actor: string,
  reason: string,
): { job: Job; change: StateChange } {
  assertJobMove(job.state, to);
  return {
    job: { ...job, state: to, stateChangedAt: at },
    change: { jobId: job.id, from: job.state, to, at, actor, reason },
  };
}

/** Re-derives the job's state from its drives; no change, no history row. */
export function rederive(
  job: Job,
  drives: readonly Drive[],
  at: string,
  actor: string,
  reason: string,
): { job: Job; changes: StateChange[] } {
  const next = deriveJobState(job, drives);
  if (next === job.state) {
    return { job, changes: [] };
  }
  const moved = moveJob(job, next, at, actor, reason);
  return { job: moved.job, changes: [moved.change] };
}

export function driveChange(
  drive: Drive,
  from: string | null,
  at: string,
  actor: string,
  reason: string,
): StateChange {
  return { jobId: drive.jobId, driveId: drive.driveId, from, to: drive.state, at, actor, reason };
}

/**
 * After drives moved: re-derives the job, saves it (etag-guarded) and appends every history row, the
 * drives' and the job's, in the caller's transaction.
 */
export async function saveDerived(
  repos: Repositories,
  job: Job,
  drives: readonly Drive[],
  history: readonly StateChange[],
  at: string,
  actor: string,
  reason: string,
): Promise<Job> {
  const derived = rederive(job, drives, at, actor, reason);
  const saved = await repos.jobs.update(derived.job);
  await repos.history.append(job.subscriptionId, [...history, ...derived.changes]);
  return saved;
}
