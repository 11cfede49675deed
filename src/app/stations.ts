/** @module Copy stations: registering, claiming a drive as an expiring lease, reporting progress, finishing. */

import { moveDrive, throwIfDriveMoveBlocked } from "../domain/drive.js";
import { DomainError, errors } from "../domain/errors.js";
import type { Drive, Job } from "../domain/model.js";
import { parseStorageAccountId } from "../domain/names.js";
import { LEASE_MS } from "../domain/package.js";
import type { AppDeps } from "./deps.js";
import { nowIso } from "./deps.js";
import { actorName, type Principal, throwIfNotRole } from "./principal.js";
import { retryOnConflict } from "./retry.js";
import { driveChange, saveDerived } from "./state-changes.js";
import { copyableDrive, throwIfLeaseNotHeld } from "./station-drive.js";

const STATIONS = ["station"] as const;

function leaseUntil(deps: AppDeps): string {
  return new Date(deps.clock.now().getTime() + LEASE_MS).toISOString();
}

export async function registerStation(
  deps: AppDeps,
  principal: Principal,
  name: string,
): Promise<{ id: string; name: string }> {
  throwIfNotRole(principal, STATIONS, "register as a copy station");
  const trimmed = name.trim();
  if (!/^[\w.-]{1,64}$/.test(trimmed)) {
    throw new DomainError(
      "InvalidRequestContent",
      "A station name is 1–64 letters, digits, '.', '_' or '-'.",
      "name",
    );
  }
  const at = nowIso(deps);
  await deps.store.read.stations.upsert({
    id: principal.tokenId,
    name: trimmed,
    registeredAt: at,
    lastSeenAt: at,
  });
  return { id: principal.tokenId, name: trimmed };
}

export interface Claim {
  job: Job;
  drive: Drive;
  bitLockerKey?: string;
  blobEndpoint?: string;
}

/**
 * Takes the drive's copy lease: a drive Received, or Transferring whose lease ran out (a station that
 * died). Two stations claiming at once: the job is read first and locked, so exactly one wins.
 */
export async function claimDrive(deps: AppDeps, principal: Principal, serial: string): Promise<Claim> {
  throwIfNotRole(principal, STATIONS, "claim drives");
  return retryOnConflict(
    () =>
      deps.store.transaction(async (repos) => {
        const at = nowIso(deps);
        const { job, drives, drive } = await copyableDrive(repos, serial);
        const held =
          drive.claimedBy && drive.claimedBy !== principal.tokenId && (drive.leaseExpiresAt ?? "") > at;
        if (held) {
          throw new DomainError(
            "DriveNotClaimable",
            `Drive '${drive.driveId}' is being copied by another station (lease until ${drive.leaseExpiresAt}).`,
            drive.driveId,
          );
        }
        if (drive.state === "Received") {
          try {
            throwIfDriveMoveBlocked(job, drives, drive, "Transferring");
          } catch (error) {
            throw new DomainError("DriveNotClaimable", (error as Error).message, drive.driveId);
          }
        }
        const claimed = { ...drive, claimedBy: principal.tokenId, leaseExpiresAt: leaseUntil(deps) };
        await repos.drives.update(claimed);
        await repos.stations.touch(principal.tokenId, at);
        const sealed = await repos.drives.encryptedKey(job.id, drive.driveId);
        const account = await repos.storageAccounts.resolve(
          parseStorageAccountId(job.storageAccountId).accountName,
          job.subscriptionId,
        );
        const claim: Claim = { job, drive: claimed };
        if (sealed) {
          claim.bitLockerKey = deps.secrets.open(sealed);
        }
        if (account) {
          claim.blobEndpoint = account.blobEndpoint;
        }
        return claim;
      }),
    undefined,
  );
}

export interface ProgressReport {
  bytesSucceeded: number;
  bytesTotal: number;
  copyStatus?: string;
}

/** Renews the lease; the first report moves the drive Received → Transferring (and so the job). */
export async function reportProgress(
  deps: AppDeps,
  principal: Principal,
  serial: string,
  report: ProgressReport,
): Promise<Drive> {
  throwIfNotRole(principal, STATIONS, "report progress");
  if (!(report.bytesTotal >= 0 && report.bytesSucceeded >= 0 && report.bytesSucceeded <= report.bytesTotal)) {
    throw new DomainError(
      "InvalidRequestContent",
      "bytesSucceeded must be between 0 and bytesTotal.",
      "bytesSucceeded",
    );
  }
  return retryOnConflict(
    () =>
      deps.store.transaction(async (repos) => {
        const at = nowIso(deps);
        // A drive past copying has no lease left to hold: say so, with its state.
        const { job, drives, drive } = await copyableDrive(
          repos,
          serial,
          (d) =>
            new DomainError(
              "LeaseNotHeld",
              `Drive '${d.driveId}' is '${d.state}': no station holds a copy lease on it.`,
              d.driveId,
            ),
        );
        throwIfLeaseNotHeld(principal, drive);
        let next: Drive = {
          ...drive,
          bytesSucceeded: report.bytesSucceeded,
          bytesTotal: report.bytesTotal,
          // 100 only when the station says it finished: a copy at its last byte may still fail to verify.
          percentComplete:
            report.bytesTotal > 0
              ? Math.min(99, Math.floor((100 * report.bytesSucceeded) / report.bytesTotal))
              : 0,
          copyStatus: report.copyStatus ?? "InProgress",
          leaseExpiresAt: leaseUntil(deps),
        };
        const actor = actorName(principal);
        if (drive.state === "Received") {
          throwIfDriveMoveBlocked(job, drives, drive, "Transferring");
          next = moveDrive(next, "Transferring", at);
          await repos.drives.update(next);
          const reason = "Copy started";
          const all = drives.map((d) => (d.driveId === next.driveId && !d.extra ? next : d));
          await saveDerived(
            repos,
            job,
            all,
            [driveChange(next, drive.state, at, actor, reason)],
            at,
            actor,
            reason,
          );
        } else {
          await repos.drives.update(next);
        }
        await repos.stations.touch(principal.tokenId, at);
        return next;
      }),
    undefined,
  );
}

export interface FinishReport {
  state: "Completed" | "CompletedMoreInfo";
  errorCount: number;
  warningCount: number;
  infoCount: number;
  verboseLogUri?: string;
  errorLogUri?: string;
  manifestUri?: string;
}

/** Ends the copy: the drive's final state, its counts and log URIs; the lease is released, the job re-derived. */
export async function finishDrive(
  deps: AppDeps,
  principal: Principal,
  serial: string,
  report: FinishReport,
): Promise<{ job: Job; drive: Drive }> {
  throwIfNotRole(principal, STATIONS, "finish copies");
  if (
    report.state === "Completed" &&
    (report.errorCount > 0 || report.warningCount > 0 || report.infoCount > 0)
  ) {
    throw new DomainError(
      "InvalidRequestContent",
      "A copy with errors, warnings or information to report finishes as CompletedMoreInfo, not Completed.",
      "state",
    );
  }
  return retryOnConflict(
    () =>
      deps.store.transaction(async (repos) => {
        const at = nowIso(deps);
        const { job, drives, drive } = await copyableDrive(repos, serial, (d) =>
          errors.invalidDriveTransition(d.driveId, d.state, report.state),
        );
        throwIfLeaseNotHeld(principal, drive);
        const moved = moveDrive(drive, report.state, at);
        const done: Drive = {
          ...moved,
          errorCount: report.errorCount,
          warningCount: report.warningCount,
          infoCount: report.infoCount,
          percentComplete: 100,
          copyStatus:
            report.state === "Completed"
              ? "Completed"
              : report.errorCount > 0
                ? "CompletedWithErrors"
                : "CompletedWithInfo",
        };
        delete done.claimedBy;
        delete done.leaseExpiresAt;
        for (const key of ["verboseLogUri", "errorLogUri", "manifestUri"] as const) {
          if (report[key] !== undefined) {
            done[key] = report[key];
          }
        }
        await repos.drives.update(done);
        const actor = actorName(principal);
        const reason =
          report.state === "Completed"
            ? "Copy completed"
            : `Copy completed with ${report.errorCount} error(s), ${report.warningCount} warning(s), ${report.infoCount} info`;
        const all = drives.map((d) => (d.driveId === done.driveId && !d.extra ? done : d));
        const saved = await saveDerived(
          repos,
          job,
          all,
          [driveChange(done, drive.state, at, actor, reason)],
          at,
          actor,
          reason,
        );
        await repos.stations.touch(principal.tokenId, at);
        return { job: saved, drive: done };
      }),
    undefined,
  );
}
