/**
 * @module The operator API's JSON (src/wire/ops.ts) from the domain: jobs as operators see them (every
 * drive, extra ones too), never a drive key but in a claim.
 */

import type { Claim } from "../../app/claim-drive.js";
import type { Station, WorkQueue } from "../../app/read-work-queue.js";
import type { ReceivePackageResult } from "../../app/receive-package.js";
import type { JobView } from "../../app/support/job-view.js";
import type { Principal } from "../../app/support/principal.js";
import type { Drive, Job } from "../../domain/model.js";
import { jobId } from "../../wire/ids.js";
import type {
  ClaimAnswer,
  JobBrief,
  JobSummary,
  OpsDrive,
  ProgressAnswer,
  ReceiveAnswer,
  StationBrief,
  WhoAmI,
  WorkQueue as WorkQueueJson,
} from "../../wire/ops.js";

export function driveJson(drive: Drive): OpsDrive {
  return {
    driveId: drive.driveId,
    state: drive.state,
    extra: drive.extra,
    copyStatus: drive.copyStatus,
    percentComplete: drive.percentComplete,
    bytesSucceeded: drive.bytesSucceeded,
    bytesTotal: drive.bytesTotal,
    errorCount: drive.errorCount,
    warningCount: drive.warningCount,
    infoCount: drive.infoCount,
    verboseLogUri: drive.verboseLogUri,
    errorLogUri: drive.errorLogUri,
    claimedBy: drive.claimedBy,
    leaseExpiresAt: drive.leaseExpiresAt,
    stateChangedAt: drive.stateChangedAt,
    capacityBytes: drive.capacityBytes,
    incompleteBlobListUri: drive.incompleteBlobListUri,
  };
}

export function jobBrief(job: Job): JobBrief {
  return {
    id: jobId(job),
    name: job.name,
    subscriptionId: job.subscriptionId,
    resourceGroup: job.resourceGroup,
    type: job.type,
    state: job.state,
    location: job.location,
    storageAccountId: job.storageAccountId,
    deliveryPackage: job.deliveryPackage,
    returnPackage: job.returnPackage,
    trackingRecordedAt: job.trackingRecordedAt,
    stateChangedAt: job.stateChangedAt,
  };
}

export function jobSummary(view: JobView): JobSummary {
  return {
    ...jobBrief(view.job),
    percentComplete: view.percentComplete,
    estimatedCompletionTime: view.estimatedCompletionTime,
    drives: view.drives.filter((d) => !d.extra).map(driveJson),
    extraDrives: view.drives.filter((d) => d.extra).map(driveJson),
  };
}

export function receiveAnswer(result: ReceivePackageResult): ReceiveAnswer {
  return {
    status: result.status,
    job: jobSummary(result.view),
    jobs: result.views.map(jobSummary),
    received: result.received,
    neverReceived: result.neverReceived,
    extra: result.extra,
    found: result.found.map((f) => ({ serial: f.serial, job: jobBrief(f.job) })),
    registered: result.registered,
  };
}

export function claimAnswer(claim: Claim): ClaimAnswer {
  const { manifestFile, manifestHash, driveHeaderHash } = claim.drive;
  return {
    drive: {
      ...driveJson(claim.drive),
      ...(manifestFile !== undefined ? { manifestFile } : {}),
      ...(manifestHash !== undefined ? { manifestHash } : {}),
      ...(driveHeaderHash !== undefined ? { driveHeaderHash } : {}),
    },
    job: {
      ...jobBrief(claim.job),
      blobEndpoint: claim.blobEndpoint,
      storage: claim.storage,
      fileShareRoot: claim.fileShareRoot,
      export: claim.job.export,
      backupDriveManifest: claim.job.backupDriveManifest,
      diagnosticsPath: claim.job.diagnosticsPath,
      logLevel: claim.job.logLevel,
    },
    // The station needs the key to unlock the drive; it travels only to the station that holds the lease.
    bitLockerKey: claim.bitLockerKey,
    // A claimed drive always has a lease: the claim just took it.
    leaseExpiresAt: claim.drive.leaseExpiresAt!,
    ...(claim.exportAfter ? { exportAfter: claim.exportAfter } : {}),
  };
}

/** A progress report renews the lease, so the drive has one. */
export function progressAnswer(drive: Drive): ProgressAnswer {
  return { drive: driveJson(drive), leaseExpiresAt: drive.leaseExpiresAt! };
}

export function whoAmIJson(principal: Principal): WhoAmI {
  const { tokenId, label, role, subscriptions } = principal;
  return { tokenId, label, role, subscriptions: [...subscriptions] };
}

function stationJson(station: Station): StationBrief {
  return { id: station.id, name: station.name, lastSeenAt: station.lastSeenAt };
}

export function queueJson(queue: WorkQueue): WorkQueueJson {
  const drive = (e: WorkQueue["copying"][number]) => ({
    job: jobBrief(e.job),
    drive: driveJson(e.drive),
    station: e.station && stationJson(e.station),
  });
  return {
    at: queue.at,
    packagesExpected: queue.packagesExpected.map((p) => ({
      job: jobBrief(p.job),
      deliveryTimeoutAt: p.deliveryTimeoutAt,
    })),
    waitingToCopy: queue.waitingToCopy.map(drive),
    copying: queue.copying.map(drive),
    waitingToShip: queue.waitingToShip.map(jobBrief),
    extraDrives: queue.extraDrives.map(drive),
    stations: queue.stations.map((s) => ({ ...stationJson(s), ...(s.bays ? { bays: s.bays } : {}) })),
  };
}
