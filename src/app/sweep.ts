/** @module The lifecycle sweep: applies the timers that are due as of "now". Idempotent, safe on many replicas. */

import { isDomainError } from "../domain/errors.js";
import { moveJob } from "../domain/job.js";
import { JobDraft } from "../domain/job-update.js";
import { isLeaseExpired } from "../domain/lease.js";
import { dueEffects, timerCutoffs } from "../domain/timers.js";
import type { AppDeps } from "./support/deps.js";
import { saveUpdate } from "./support/save-update.js";

export interface SweepChange {
  job: string;
  subscriptionId: string;
  resourceGroup: string;
  action: "DeleteJob" | "MarkNeverReceived" | "CloseJob" | "ReleaseLease";
  detail: string;
}

/** A job the sweep could not act on: reported and skipped, so one odd row never stops every later sweep. */
export interface SweepFailure {
  job: string;
  subscriptionId: string;
  resourceGroup: string;
  error: string;
}

export interface SweepReport {
  at: string;
  examined: number;
  changes: SweepChange[];
  failures: SweepFailure[];
}

const ACTOR = "system:lifecycle-sweep";

/** Applies the effects due on one job, in one transaction, after re-reading it. */
function sweepJob(deps: AppDeps, id: number, now: Date): Promise<SweepChange[]> {
  const at = now.toISOString();
  return deps.store.transaction(async (repos) => {
    const job = await repos.jobs.findById(id);
    if (!job) {
      return []; // Deleted meanwhile, by a person or another replica's sweep.
    }
    const drives = await repos.drives.listByJob(job.id);
    const done: SweepChange[] = [];
    const where = { job: job.name, subscriptionId: job.subscriptionId, resourceGroup: job.resourceGroup };
    for (const effect of dueEffects(job, drives, now)) {
      if (effect.kind === "DeleteJob") {
        await repos.jobs.delete(job);
        done.push({ ...where, action: "DeleteJob", detail: effect.reason });
        return done;
      }
      const change = { at, actor: ACTOR, reason: effect.reason };
      if (effect.kind === "CloseJob") {
        // No drive to mark: the timer closes the job itself (an export package that never arrived).
        const moved = moveJob(job, "Closed", change);
        await repos.jobs.update(moved.job);
        await repos.history.append(job.subscriptionId, [moved.record]);
        done.push({ ...where, action: "CloseJob", detail: effect.reason });
        continue;
      }
      const draft = new JobDraft(job, drives);
      for (const driveId of effect.driveIds) {
        draft.move(driveId, "NeverReceived", change);
      }
      await saveUpdate(repos, draft.settle(change));
      done.push({
        ...where,
        action: "MarkNeverReceived",
        detail: `${effect.driveIds.join(", ")}: ${effect.reason}`,
      });
    }
    return done;
  });
}

/**
 * Finds the jobs on which a timer may be due (index ranges), then applies each job's effects in its own
 * transaction after re-reading it, so a job changed meanwhile — or swept by another replica — is judged
 * on what it is now. A second sweep at the same instant finds nothing to do. A job whose effects fail is
 * reported in `failures` and skipped: the sweep goes on with the others.
 */
export async function sweep(deps: AppDeps, now: Date = deps.clock.now()): Promise<SweepReport> {
  const report: SweepReport = { at: now.toISOString(), examined: 0, changes: [], failures: [] };
  // Read once: a job the timers leave as it is (a Shipping job whose drives all arrived but one) is
  // examined once and hides nothing behind it.
  for (const id of await deps.store.direct.jobs.dueCandidateIds(timerCutoffs(now))) {
    report.examined++;
    try {
      report.changes.push(...(await sweepJob(deps, id, now)));
    } catch (error) {
      const job = await deps.store.direct.jobs.findById(id).catch(() => undefined);
      report.failures.push({
        job: job?.name ?? `#${id}`,
        subscriptionId: job?.subscriptionId ?? "",
        resourceGroup: job?.resourceGroup ?? "",
        error: isDomainError(error) ? `${error.code}: ${error.message}` : String(error),
      });
    }
  }
  // Leases of stations that stopped reporting: the drive becomes claimable by another station (it stays
  // Transferring if copying had started; the next station resumes it).
  for (const stale of await deps.store.direct.drives.listExpiredLeases(report.at)) {
    const released = await deps.store.transaction(async (repos) => {
      const job = await repos.jobs.findById(stale.jobId);
      const drive = (await repos.drives.listByJob(stale.jobId)).find(
        (d) => d.driveId === stale.driveId && !d.extra,
      );
      if (!job || !drive || !isLeaseExpired(drive, report.at)) {
        return undefined; // Renewed, finished or released meanwhile.
      }
      const { claimedBy: _station, leaseExpiresAt: _until, ...free } = drive;
      await repos.drives.update(free);
      return job;
    });
    if (released) {
      report.changes.push({
        job: released.name,
        subscriptionId: released.subscriptionId,
        resourceGroup: released.resourceGroup,
        action: "ReleaseLease",
        detail: `${stale.driveId}: the station's lease expired at ${stale.leaseExpiresAt}`,
      });
    }
  }
  return report;
}
