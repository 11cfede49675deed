/**
 * @module A copy station reports progress on a drive it holds: the lease is renewed; the first report starts
 * the copy; reports become progress events on the streams, at most one per drive every few seconds.
 */

import {
  type DriveProgress,
  isProgressEventDue,
  progressFields,
  type ProgressReport,
  throwIfProgressInvalid,
} from "../domain/copy.js";
import { throwIfDriveMoveBlocked } from "../domain/drive.js";
import { errors } from "../domain/errors.js";
import { estimatedCompletion } from "../domain/estimate.js";
import { JobDraft } from "../domain/job-update.js";
import { leaseUntil, throwIfLeaseNotHeld } from "../domain/lease.js";
import type { Drive } from "../domain/model.js";
import { copyableDrive } from "./support/copyable-drive.js";
import { type AppDeps, nowIso } from "./support/deps.js";
import { actorName, type Principal, STATIONS, throwIfNotRole } from "./support/principal.js";
import { saveUpdate } from "./support/save-update.js";
import { inTransaction } from "./support/transaction.js";

export type { ProgressReport };

/**
 * Renews the lease; the first report moves the drive Received → Transferring (and so the job). The report
 * becomes a progress event when one is due (isProgressEventDue), replacing the drive's previous one.
 */
export async function reportProgress(
  deps: AppDeps,
  principal: Principal,
  serial: string,
  report: ProgressReport,
): Promise<Drive> {
  throwIfNotRole(principal, STATIONS, "report progress");
  throwIfProgressInvalid(report);
  return inTransaction(deps, async (repos) => {
    const at = nowIso(deps);
    // A drive past copying has no lease left to hold: say so, with its state.
    const { job, drives, drive } = await copyableDrive(repos, serial, (d) =>
      errors.noLeaseOnDrive(d.driveId, d.state),
    );
    throwIfLeaseNotHeld(drive, principal.tokenId);
    const fields = { ...progressFields(report), leaseExpiresAt: leaseUntil(deps.clock.now()) };
    let next: Drive;
    let jobState = job.state;
    if (drive.state === "Received") {
      throwIfDriveMoveBlocked(job, drives, drive, "Transferring");
      const change = { at, actor: actorName(principal), reason: "Copy started" };
      const draft = new JobDraft(job, drives);
      next = draft.move(drive.driveId, "Transferring", change, fields);
      jobState = (await saveUpdate(repos, draft.settle(change))).state;
    } else {
      // Progress is not a move: the drive alone changes, so the job's etag (a customer's If-Match) holds.
      next = { ...drive, ...fields };
      await repos.drives.update(next);
    }
    const progress: DriveProgress = {
      percentComplete: next.percentComplete,
      bytesSucceeded: next.bytesSucceeded,
      bytesTotal: next.bytesTotal,
      copyStatus: next.copyStatus ?? "InProgress",
    };
    if (report.filesSucceeded !== undefined) {
      progress.filesSucceeded = report.filesSucceeded;
    }
    const estimate = estimatedCompletion(
      jobState,
      drives.map((d) => (d === drive ? next : d)),
      deps.clock.now(),
    );
    if (estimate !== undefined) {
      progress.estimatedCompletionTime = estimate;
    }
    const last = await repos.history.lastProgress(job.id, drive.driveId);
    if (isProgressEventDue(last, progress, deps.clock.now())) {
      await repos.history.replaceProgress(
        job.subscriptionId,
        {
          jobId: job.id,
          driveId: drive.driveId,
          from: next.state,
          to: next.state,
          at,
          actor: actorName(principal),
          reason: "Progress",
        },
        progress,
      );
    }
    await repos.stations.touch(principal.tokenId, at);
    return next;
  });
}
