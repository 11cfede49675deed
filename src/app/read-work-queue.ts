/** @module The operator reads the work queue: packages expected, drives to copy and being copied, jobs to ship back. */

import { isLeaseLive } from "../domain/lease.js";
import type { Drive, Job } from "../domain/model.js";
import { deliveryTimeoutAt } from "../domain/timers.js";
import type { Station } from "../store/stations.js";
import { type AppDeps, nowIso } from "./support/deps.js";
import { OPERATORS, type Principal, throwIfNotRole } from "./support/principal.js";

export interface QueueDrive {
  job: Job;
  drive: Drive;
  station?: Station;
}

export interface WorkQueue {
  at: string;
  packagesExpected: { job: Job; deliveryTimeoutAt?: string }[];
  waitingToCopy: QueueDrive[];
  copying: QueueDrive[];
  waitingToShip: Job[];
  extraDrives: QueueDrive[];
  stations: Station[];
}

const LIMIT = 500;

export async function readWorkQueue(deps: AppDeps, principal: Principal): Promise<WorkQueue> {
  throwIfNotRole(principal, OPERATORS, "read the work queue");
  const repos = deps.store.direct;
  const at = nowIso(deps);
  const [shipping, packaging, received, transferring, stations] = await Promise.all([
    repos.jobs.listByStates(["Shipping"], LIMIT),
    repos.jobs.listByStates(["Packaging"], LIMIT),
    repos.drives.listByStates(["Received"], LIMIT),
    repos.drives.listByStates(["Transferring"], LIMIT),
    repos.stations.list(),
  ]);
  const jobIds = [...new Set([...received, ...transferring].map((d) => d.jobId))];
  const jobs = new Map<number, Job>();
  for (const id of jobIds) {
    const job = await repos.jobs.findById(id);
    if (job) {
      jobs.set(id, job);
    }
  }
  const byId = new Map(stations.map((s) => [s.id, s]));
  const entry = (drive: Drive): QueueDrive | undefined => {
    const job = jobs.get(drive.jobId);
    if (!job) {
      return undefined;
    }
    const station = drive.claimedBy ? byId.get(drive.claimedBy) : undefined;
    return station ? { job, drive, station } : { job, drive };
  };
  const live = (d: Drive) => isLeaseLive(d, at);
  const present = (e: QueueDrive | undefined): e is QueueDrive => e !== undefined;
  return {
    at,
    packagesExpected: shipping.map((job) => {
      const timeout = deliveryTimeoutAt(job);
      return timeout ? { job, deliveryTimeoutAt: timeout } : { job };
    }),
    // A drive whose lease ran out mid-copy waits like a new one: the next station resumes it.
    waitingToCopy: [...received, ...transferring]
      .filter((d) => !d.extra && !live(d))
      .map(entry)
      .filter(present),
    copying: [...received, ...transferring]
      .filter((d) => !d.extra && live(d))
      .map(entry)
      .filter(present),
    waitingToShip: packaging,
    extraDrives: received
      .filter((d) => d.extra)
      .map(entry)
      .filter(present),
    stations,
  };
}
export type { Station };
