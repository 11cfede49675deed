/** @module The lifecycle sweep: applies the timers that are due as of "now". Idempotent, safe on many replicas. */

import { moveDrive } from "../domain/drive.js";
import { dueEffects, timerCutoffs } from "../domain/timers.js";
import type { AppDeps } from "./deps.js";
import { driveChange, rederive } from "./state-changes.js";

export interface SweepChange {
  job: string;
  subscriptionId: string;
  resourceGroup: string;
  action: "DeleteJob" | "MarkNeverReceived";
  detail: string;
}

export interface SweepReport {
  at: string;
  examined: number;
  changes: SweepChange[];
}

const BATCH = 500;
const ACTOR = "system:lifecycle-sweep";

/**
 * Finds the jobs on which a timer may be due (index ranges), then applies each job's effects in its own
 * transaction after re-reading it, so a job changed meanwhile — or swept by another replica — is judged
 * on what it is now. A second sweep at the same instant finds nothing to do.
 */
export async function sweep(deps: AppDeps, now: Date = deps.clock.now()): Promise<SweepReport> {
  const at = now.toISOString();
  const report: SweepReport = { at, examined: 0, changes: [] };
  const seen = new Set<number>();
  for (;;) {
    const candidates = (await deps.store.read.jobs.dueCandidates(timerCutoffs(now), BATCH)).filter(
      (j) => !seen.has(j.id),
    );
    if (candidates.length === 0) {
      break;
    }
    for (const candidate of candidates) {
      seen.add(candidate.id);
      report.examined++;
      const changes = await deps.store.transaction(async (repos) => {
        const job = await repos.jobs.findById(candidate.id);
        if (!job) {
          return [];
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
          const history = [];
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
      report.changes.push(...changes);
    }
    // Candidates that stayed due without an effect (nothing to change) are not read again: `seen`.
    if (candidates.length < BATCH) {
      break;
    }
  }
  return report;
}
