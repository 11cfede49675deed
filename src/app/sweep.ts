/** @module The lifecycle sweep: applies the timers that are due as of "now". Idempotent, safe on many replicas. */

import { moveDrive } from "../domain/drive.js";
import { isDomainError } from "../domain/errors.js";
import type { StateChange } from "../domain/model.js";
import { dueEffects, timerCutoffs } from "../domain/timers.js";
import type { AppDeps } from "./deps.js";
import { driveChange, rederive } from "./state-changes.js";

export interface SweepChange {
  job: string;
  subscriptionId: string;
  resourceGroup: string;
  action: "DeleteJob" | "MarkNeverReceived" | "ReleaseLease";
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
      const history: StateChange[] = [];
      const next = drives.map((d) => {
        if (!effect.driveIds.includes(d.driveId)) {
          return d;
        }
        const moved = moveDrive(d, "NeverReceived", at);
        history.push(driveChange(moved, d.state, at, ACTOR, effect.reason));
        return moved;
      });
      for (const drive of next) {
        if (effect.driveIds.includes(drive.driveId)) {
          await repos.drives.update(drive);
        }
      }
      const derived = rederive(job, next, at, ACTOR, effect.reason);
      history.push(...derived.changes);
      await repos.jobs.update(derived.job);
      await repos.history.append(job.subscriptionId, history);
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
  // Read once: a job the timers leave as it is (an export job Shipping with no drive yet) is examined
  // once and hides nothing behind it.
  for (const id of await deps.store.read.jobs.dueCandidateIds(timerCutoffs(now))) {
    report.examined++;
    try {
      report.changes.push(...(await sweepJob(deps, id, now)));
    } catch (error) {
      const job = await deps.store.read.jobs.findById(id).catch(() => undefined);
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
  for (const stale of await deps.store.read.drives.listExpiredLeases(report.at)) {
    const released = await deps.store.transaction(async (repos) => {
      const job = await repos.jobs.findById(stale.jobId);
      const drive = (await repos.drives.listByJob(stale.jobId)).find(
        (d) => d.driveId === stale.driveId && !d.extra,
      );
      if (!job || !drive?.leaseExpiresAt || drive.leaseExpiresAt > report.at) {
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
