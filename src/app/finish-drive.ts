/** @module A copy station finishes a drive: its final state and counts (LIFECYCLE.md copy outcomes), its logs; the lease released. */

import {
  finishedFields,
  finishedJobFields,
  type FinishReport,
  throwIfIncompleteBlobListInvalid,
  throwIfOutcomeMismatch,
} from "../domain/copy.js";
import { errors } from "../domain/errors.js";
import { JobDraft } from "../domain/job-update.js";
import { throwIfLeaseNotHeld } from "../domain/lease.js";
import type { Drive, Job } from "../domain/model.js";
import { copyableDrive } from "./support/copyable-drive.js";
import { type AppDeps, nowIso } from "./support/deps.js";
import { actorName, type Principal, STATIONS, throwIfNotRole } from "./support/principal.js";
import { saveUpdate } from "./support/save-update.js";
import { inTransaction } from "./support/transaction.js";

export type { FinishReport };

/**
 * Ends the copy: the drive's final state, its counts and log URIs; the lease is released, the job
 * re-derived. An export drive's incomplete blob list becomes the job's (set, or cleared when all fit).
 */
export async function finishDrive(
  deps: AppDeps,
  principal: Principal,
  serial: string,
  report: FinishReport,
): Promise<{ job: Job; drive: Drive }> {
  throwIfNotRole(principal, STATIONS, "finish copies");
  throwIfOutcomeMismatch(report);
  return inTransaction(deps, async (repos) => {
    const at = nowIso(deps);
    const { job, drives, drive } = await copyableDrive(repos, serial, (d) =>
      errors.invalidDriveTransition(d.driveId, d.state, report.state),
    );
    throwIfLeaseNotHeld(drive, principal.tokenId);
    throwIfIncompleteBlobListInvalid(job, drive.driveId, report);
    const reason =
      report.state === "Completed"
        ? "Copy completed"
        : `Copy completed with ${report.errorCount} error(s), ${report.warningCount} warning(s), ${report.infoCount} info`;
    const change = { at, actor: actorName(principal), reason };
    const draft = new JobDraft(job, drives);
    draft.move(drive.driveId, report.state, change, finishedFields(report));
    const done = draft.clear(drive.driveId, ["claimedBy", "leaseExpiresAt"]);
    const jobFields = finishedJobFields(job, report);
    if (jobFields) {
      draft.setJob(jobFields);
    }
    const saved = await saveUpdate(repos, draft.settle(change));
    await repos.stations.touch(principal.tokenId, at);
    return { job: saved, drive: done };
  });
}
