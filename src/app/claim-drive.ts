/**
 * @module A copy station claims a drive: an expiring lease on it, the key to unlock it and short-lived
 * access to the job's storage account, for that station alone.
 */

import { throwIfDriveMoveBlocked } from "../domain/drive.js";
import { errors, isDomainError } from "../domain/errors.js";
import { type ExportAfter, exportAfter, throwIfExportDriveWaits } from "../domain/export-drives.js";
import { leaseUntil, throwIfLeasedToOther } from "../domain/lease.js";
import type { Drive, Job } from "../domain/model.js";
import { parseStorageAccountId } from "../domain/names.js";
import { copyableDrive } from "./support/copyable-drive.js";
import { type AppDeps, nowIso } from "./support/deps.js";
import { type Principal, STATIONS, throwIfNotRole } from "./support/principal.js";
import type { StorageGrant } from "./support/storage-access.js";
import { openCredential } from "./support/storage-account-view.js";
import { inTransaction } from "./support/transaction.js";

export interface Claim {
  job: Job;
  drive: Drive;
  bitLockerKey?: string;
  blobEndpoint?: string;
  /** An export drive after the job's first: the drive filled before it, and what that one left over. */
  exportAfter?: ExportAfter;
  /** Absent when the account has no credential, or one the service cannot mint access from (Entra). */
  storage?: StorageGrant;
  /** Where the account's file shares are mounted on the stations, when the registry says. */
  fileShareRoot?: string;
}

/**
 * Takes the drive's copy lease: a drive Received, or Transferring whose lease ran out (a station that
 * died) or that this station holds — claiming again is how a station renews its lease and its storage
 * access mid-copy (no move, no history row). Two stations claiming at once: the job is read first and
 * locked, so exactly one wins. An export job's drives are filled in registration order: a drive whose
 * elders are not all filled waits (export-drives.ts).
 */
export async function claimDrive(deps: AppDeps, principal: Principal, serial: string): Promise<Claim> {
  throwIfNotRole(principal, STATIONS, "claim drives");
  const { claim, account } = await inTransaction(deps, async (repos) => {
    const at = nowIso(deps);
    const { job, drives, drive } = await copyableDrive(repos, serial);
    throwIfLeasedToOther(drive, principal.tokenId, at);
    if (drive.state === "Received") {
      try {
        throwIfDriveMoveBlocked(job, drives, drive, "Transferring");
      } catch (error) {
        // The copy could not start: to the station that is a drive it cannot claim (yet).
        throw isDomainError(error) ? errors.driveNotClaimableYet(error, drive.driveId) : error;
      }
      throwIfExportDriveWaits(job, drives, drive);
    }
    const claimed = { ...drive, claimedBy: principal.tokenId, leaseExpiresAt: leaseUntil(deps.clock.now()) };
    await repos.drives.update(claimed);
    await repos.stations.touch(principal.tokenId, at);
    const sealed = await repos.drives.encryptedKey(job.id, drive.driveId);
    const account = await repos.storageAccounts.resolve(
      parseStorageAccountId(job.storageAccountId).accountName,
      job.subscriptionId,
    );
    const claim: Claim = { job, drive: claimed };
    const after = exportAfter(job, drives, drive);
    if (after) {
      claim.exportAfter = after;
    }
    if (sealed) {
      claim.bitLockerKey = deps.secrets.open(sealed);
    }
    if (account) {
      claim.blobEndpoint = account.blobEndpoint;
      if (account.fileShareRoot !== undefined) {
        claim.fileShareRoot = account.fileShareRoot;
      }
    }
    return { claim, account };
  });
  // Minted once the lease is committed, outside the transaction: no job stays locked while it is signed.
  if (account?.credentialEnc !== undefined && deps.storageAccess) {
    const storage = await deps.storageAccess.grant(
      {
        name: account.name,
        blobEndpoint: account.blobEndpoint,
        credential: openCredential(deps, account.credentialEnc),
      },
      deps.clock.now(),
    );
    if (storage) {
      claim.storage = storage;
    }
  }
  return claim;
}
