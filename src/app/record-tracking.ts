/**
 * @module The customer records the delivery package's tracking (ARM PATCH state: Shipping): the job moves
 * Creating → Shipping, and a package the data center received and held meanwhile is processed now.
 */

import { moveJob, throwIfJobCannotShip } from "../domain/job.js";
import type { JobChanges } from "../domain/job-edits.js";
import type { Change, Drive, Job } from "../domain/model.js";
import { heldPackageReason } from "../domain/package.js";
import type { PackageRecord } from "../store/packages.js";
import type { Repositories } from "../store/store.js";
import { applyPackage } from "./support/apply-package.js";
import { changeJob, type JobChangeRequest } from "./support/change-job.js";
import type { AppDeps } from "./support/deps.js";
import { saveEdits } from "./support/edit-job.js";
import { sealedExportDriveKey } from "./support/export-drive-key.js";
import { type JobView, viewOf } from "./support/job-view.js";

export interface RecordTrackingRequest extends JobChangeRequest {
  /** The edits the request carries with it (usually the delivery package itself). */
  changes: JobChanges;
}

/** Serials that the other jobs with this package's tracking number hold: they are not this job's to take. */
async function heldElsewhere(repos: Repositories, job: Job, held: PackageRecord): Promise<Set<string>> {
  const others = (await repos.jobs.findByPackageKey(held.packageKey)).filter((j) => j.id !== job.id);
  const drives = await repos.drives.listByJobs(others.map((j) => j.id));
  return new Set([...drives.values()].flat().map((d) => d.driveId.toUpperCase()));
}

export function recordTracking(deps: AppDeps, request: RecordTrackingRequest): Promise<JobView> {
  return changeJob(deps, request, async ({ repos, job, location, at, actor }) => {
    const edited = await saveEdits(deps, repos, {
      job,
      changes: request.changes,
      location,
      change: { at, actor, reason: "Job updated" },
    });
    if (job.trackingRecordedAt !== undefined && job.state !== "Creating") {
      // Tracking was recorded already: this is the same request retried (its answer lost, or the job
      // moved on meanwhile — a held package processed at once). Accept it, and any correction the
      // job's state still allows; the edits refuse the others.
      return viewOf(edited.job, edited.drives, location, deps.clock.now());
    }
    throwIfJobCannotShip(edited.job, edited.drives);
    const pkg = edited.job.deliveryPackage;
    const change: Change = {
      at,
      actor,
      reason: `Tracking recorded: ${pkg?.carrierName} ${pkg?.trackingNumber}`,
    };
    const moved = moveJob(edited.job, "Shipping", change);
    let saved = await repos.jobs.update({ ...moved.job, trackingRecordedAt: at });
    await repos.history.append(saved.subscriptionId, [moved.record]);
    let drives: Drive[] = edited.drives;
    // A package the data center received before tracking was recorded was held: process it now, whatever
    // tracking number the customer recorded (LIFECYCLE.md "one package, several jobs").
    for (const held of (await repos.packages.listByJob(job.id)).filter((p) => p.status === "Held")) {
      const outcome = await applyPackage(repos, {
        jobs: [saved],
        serials: held.driveSerials,
        change: { at, actor: held.receivedBy, reason: heldPackageReason(held, saved.deliveryPackage) },
        elsewhere: await heldElsewhere(repos, saved, held),
        newKey: () => sealedExportDriveKey(deps),
      });
      await repos.packages.markReceived(held.id);
      ({ job: saved, drives } = outcome.jobs[0]!);
    }
    return viewOf(saved, drives, location, deps.clock.now());
  });
}
