/**
 * @module The operator receives a package: for each job it is for, which drives came, which did not, which
 * are extra; held while a job is still Creating (LIFECYCLE.md "one package, several jobs").
 */

import type { Change, Job } from "../domain/model.js";
import { type PackageCandidate, packageKey, packageRecipients, validatePackage } from "../domain/package.js";
import type { Repositories } from "../store/store.js";
import { applyPackage, type PackageOutcome } from "./support/apply-package.js";
import { type AppDeps, nowIso } from "./support/deps.js";
import { sealedExportDriveKey } from "./support/export-drive-key.js";
import { type JobView, viewOf } from "./support/job-view.js";
import { actorName, OPERATORS, type Principal, throwIfNotRole } from "./support/principal.js";
import { inTransaction } from "./support/transaction.js";

export interface ReceivePackageRequest {
  principal: Principal;
  carrier: string;
  tracking: string;
  drives: string[];
  reason?: string;
}

export interface ReceivePackageResult extends Omit<PackageOutcome, "jobs"> {
  /** Held: every job it is for is still Creating; nothing moved. */
  status: "Held" | "Received";
  /** The first job the package went to (the oldest); `jobs` has them all. */
  view: JobView;
  /** Every job the package went to, or is held for, oldest first. */
  views: JobView[];
}

/** The jobs with this tracking number (read again, so locked on PostgreSQL), each with its record of the package. */
async function candidates(repos: Repositories, key: string): Promise<PackageCandidate[]> {
  const jobs: Job[] = [];
  for (const listed of await repos.jobs.findByPackageKey(key)) {
    jobs.push((await repos.jobs.findById(listed.id)) ?? listed);
  }
  // Read once the jobs are locked: a receipt that committed meanwhile is seen with its record.
  const records = await repos.packages.listByKey(key);
  return jobs.map((job) => {
    const record = records.find((r) => r.jobId === job.id);
    return record ? { job, record } : { job };
  });
}

export async function receivePackage(
  deps: AppDeps,
  request: ReceivePackageRequest,
): Promise<ReceivePackageResult> {
  throwIfNotRole(request.principal, OPERATORS, "receive packages");
  validatePackage(request.carrier, request.tracking, request.drives);
  const actor = actorName(request.principal);
  const reason = request.reason?.trim() || `Package ${request.carrier} ${request.tracking} received`;
  const key = packageKey(request.carrier, request.tracking);
  // A second operator receiving the same package at the same moment loses the race on the package's
  // unique index, retries, and is then told it was already received: one result, one set of history rows.
  return inTransaction(deps, async (repos) => {
    const change: Change = { at: nowIso(deps), actor, reason };
    const recipients = packageRecipients(await candidates(repos, key), request);
    const record = (job: Job, status: "Held" | "Received") =>
      repos.packages.insert({
        jobId: job.id,
        packageKey: key,
        carrier: request.carrier,
        tracking: request.tracking,
        driveSerials: request.drives,
        receivedAt: change.at,
        receivedBy: actor,
        reason,
        status,
      });
    for (const job of recipients.held) {
      // Its customer has not recorded tracking yet: keep the package, move nothing, until they do.
      await record(job, "Held");
    }
    for (const job of recipients.now) {
      await record(job, "Received");
    }
    // What jobs still Creating list is theirs: it waits for them, and is nobody's extra drive meanwhile.
    const heldDrives = await repos.drives.listByJobs(recipients.held.map((j) => j.id));
    const elsewhere = new Set([...heldDrives.values()].flat().map((d) => d.driveId.toUpperCase()));
    const outcome: PackageOutcome =
      recipients.now.length > 0
        ? await applyPackage(repos, {
            jobs: recipients.now,
            serials: request.drives,
            change,
            elsewhere,
            newKey: () => sealedExportDriveKey(deps),
          })
        : { jobs: [], received: [], neverReceived: [], extra: [], registered: [], found: [] };
    const now = deps.clock.now();
    const views: JobView[] = [];
    for (const { job, drives } of outcome.jobs) {
      views.push(viewOf(job, drives, await repos.locations.get(job.location), now));
    }
    for (const job of recipients.held) {
      views.push(viewOf(job, heldDrives.get(job.id) ?? [], await repos.locations.get(job.location), now));
    }
    const { jobs: _jobs, ...moves } = outcome;
    return { status: outcome.jobs.length > 0 ? "Received" : "Held", view: views[0]!, views, ...moves };
  });
}
