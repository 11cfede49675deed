/** @module The operator API's JSON: jobs as operators see them (every drive, extra ones too), never a drive key. */

import type { HistoryEntry } from "../../app/read-history.js";
import type { Station, WorkQueue } from "../../app/read-work-queue.js";
import type { JobView } from "../../app/support/job-view.js";
import type { Drive, Job } from "../../domain/model.js";
import { jobResourceId } from "../arm/map.js";

export function driveJson(drive: Drive): Record<string, unknown> {
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
  };
}

export function jobBrief(job: Job): Record<string, unknown> {
  return {
    id: jobResourceId(job),
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

export function jobSummary(view: JobView): Record<string, unknown> {
  return {
    ...jobBrief(view.job),
    percentComplete: view.percentComplete,
    estimatedCompletionTime: view.estimatedCompletionTime,
    drives: view.drives.filter((d) => !d.extra).map(driveJson),
    extraDrives: view.drives.filter((d) => d.extra).map(driveJson),
  };
}

export function historyJson(entry: HistoryEntry): Record<string, unknown> {
  return {
    at: entry.at,
    driveId: entry.driveId,
    from: entry.from,
    to: entry.to,
    actor: entry.actor,
    reason: entry.reason,
  };
}

function stationJson(station: Station | undefined): Record<string, unknown> | undefined {
  return station && { id: station.id, name: station.name, lastSeenAt: station.lastSeenAt };
}

export function queueJson(queue: WorkQueue): Record<string, unknown> {
  const drive = (e: WorkQueue["copying"][number]) => ({
    job: jobBrief(e.job),
    drive: driveJson(e.drive),
    station: stationJson(e.station),
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
    stations: queue.stations.map(stationJson),
  };
}
