/** @module Receiving a package at the data center: which drives came, which did not, which are extra. */

import { DomainError } from "../domain/errors.js";
import type { Job } from "../domain/model.js";
import { validateCarrierName, validateDriveId, validateTrackingNumber } from "../domain/names.js";
import { packageKey } from "../domain/package.js";
import type { Repositories } from "../store/store.js";
import type { AppDeps } from "./deps.js";
import { nowIso } from "./deps.js";
import { type JobView, viewOf } from "./job-view.js";
import { locationById } from "./locations.js";
import { actorName, OPERATORS, type Principal, throwIfNotRole } from "./principal.js";
import { type PackageOutcome, processPackage } from "./process-package.js";
import { retryOnConflict } from "./retry.js";

export interface ReceivePackageRequest {
  principal: Principal;
  carrier: string;
  tracking: string;
  drives: string[];
  reason?: string;
}

export interface ReceivePackageResult extends Omit<PackageOutcome, "job" | "drives"> {
  status: "Held" | "Received";
  view: JobView;
}

/** The states in which a job's package can be received: on its way, or given up on by the timeout. */
const RECEIVABLE = new Set(["Shipping", "Closed"]);

export function validatePackage(carrier: string, tracking: string, serials: readonly string[]): void {
  validateCarrierName(carrier);
  validateTrackingNumber(tracking);
  if (serials.length > 100) {
    throw new DomainError("InvalidDriveList", "A package holds at most 100 drives.", "drives");
  }
  serials.forEach((serial, index) => validateDriveId(serial, `drives[${index}]`));
}

/** The job a package belongs to: the one still waiting for it, else the oldest with that tracking number. */
export async function jobOfPackage(repos: Repositories, carrier: string, tracking: string): Promise<Job> {
  const jobs = await repos.jobs.findByPackageKey(packageKey(carrier, tracking));
  const job = jobs.find((j) => j.state === "Shipping" || j.state === "Creating") ?? jobs[0];
  if (!job) {
    throw new DomainError(
      "PackageNotFound",
      `No job expects a package with carrier '${carrier}' and tracking number '${tracking}'.`,
      "tracking",
    );
  }
  // Read again inside the transaction: on PostgreSQL this locks the job until the receipt commits.
  return (await repos.jobs.findById(job.id)) ?? job;
}

export async function receivePackage(
  deps: AppDeps,
  request: ReceivePackageRequest,
): Promise<ReceivePackageResult> {
  throwIfNotRole(request.principal, OPERATORS, "receive packages");
  validatePackage(request.carrier, request.tracking, request.drives);
  const actor = actorName(request.principal);
  const reason = request.reason?.trim() || `Package ${request.carrier} ${request.tracking} received`;
  // A second operator receiving the same package at the same moment loses the race on the package's
  // unique index, retries, and is then told it was already received: one result, one set of history rows.
  return retryOnConflict(
    () =>
      deps.store.transaction(async (repos) => {
        const at = nowIso(deps);
        const job = await jobOfPackage(repos, request.carrier, request.tracking);
        const key = packageKey(request.carrier, request.tracking);
        const earlier = (await repos.packages.listByJob(job.id)).find((p) => p.packageKey === key);
        if (earlier) {
          throw new DomainError(
            "PackageAlreadyReceived",
            `The package ${request.carrier} ${request.tracking} was already ${earlier.status === "Held" ? "received and is held" : "received"} (${earlier.receivedAt}, by ${earlier.receivedBy}).`,
            "tracking",
          );
        }
        const record = {
          jobId: job.id,
          packageKey: key,
          driveSerials: request.drives,
          receivedAt: at,
          receivedBy: actor,
          reason,
        };
        const location = await repos.locations.get(job.location);
        if (job.state === "Creating") {
          // The customer has not recorded tracking yet: keep the package, move nothing, until they do.
          await repos.packages.insert({ ...record, status: "Held" });
          return {
            status: "Held" as const,
            view: viewOf(job, await repos.drives.listByJob(job.id), location, deps.clock.now()),
            received: [],
            neverReceived: [],
            extra: [],
            found: [],
            registered: [],
          };
        }
        if (!RECEIVABLE.has(job.state)) {
          throw new DomainError(
            "InvalidJobState",
            `The job '${job.name}' is in state '${job.state}'; its package cannot be received now.`,
          );
        }
        await repos.packages.insert({ ...record, status: "Received" });
        const {
          job: saved,
          drives,
          ...outcome
        } = await processPackage(repos, job, request.drives, at, actor, reason);
        return {
          status: "Received" as const,
          view: viewOf(saved, drives, location, deps.clock.now()),
          ...outcome,
        };
      }),
    undefined,
  );
}

/** The jobs whose delivery package has this carrier and tracking number (what an operator scans first). */
export async function findPackageJobs(
  deps: AppDeps,
  principal: Principal,
  carrier: string,
  tracking: string,
): Promise<JobView[]> {
  throwIfNotRole(principal, OPERATORS, "look packages up");
  validateCarrierName(carrier);
  validateTrackingNumber(tracking);
  const repos = deps.store.read;
  const jobs = await repos.jobs.findByPackageKey(packageKey(carrier, tracking));
  const drives = await repos.drives.listByJobs(jobs.map((j) => j.id));
  const now = deps.clock.now();
  return Promise.all(
    jobs.map(async (j) => viewOf(j, drives.get(j.id) ?? [], await locationById(deps, j.location), now)),
  );
}
