/**
 * @module Packages: how a carrier's tracking number is matched, which jobs a package is for, and what
 * receiving it decides for each drive (LIFECYCLE.md: drive states, failures, "one package, several jobs").
 */

import { errors } from "./errors.js";
import type { DeliveryPackage, Drive, Job } from "./model.js";
import { validateCarrierName, validateDriveId, validateTrackingNumber } from "./names.js";

/** Carrier case-insensitive, tracking number without case or spaces: how operators type them differs. */
export function packageKey(carrierName: string, trackingNumber: string): string {
  return `${carrierName.trim().toLowerCase()}|${trackingNumber.replace(/\s+/g, "").toUpperCase()}`;
}

/** At most this many drives in one package. */
export const MAX_DRIVES_PER_PACKAGE = 100;

/** A package as an operator describes it: its carrier, its tracking number, the serials in it (each refusal names its row). */
export function validatePackage(carrier: string, tracking: string, serials: readonly string[]): void {
  validateCarrierName(carrier);
  validateTrackingNumber(tracking);
  if (serials.length > MAX_DRIVES_PER_PACKAGE) {
    throw errors.packageTooLarge(MAX_DRIVES_PER_PACKAGE);
  }
  serials.forEach((serial, index) => validateDriveId(serial, `drives[${index}]`));
}

/** A job whose delivery package has the tracking number received, and its record of that package if any. */
export interface PackageCandidate {
  job: Job;
  /** This job's record of a package with this key: it has received it already, or holds it. */
  record?: { status: "Held" | "Received"; receivedAt: string; receivedBy: string };
}

/** The jobs a package goes to now, and those that hold it until their customer records tracking. */
export interface PackageRecipients {
  now: Job[];
  held: Job[];
}

/** A job still waiting for its package: on its way, not yet shipped (then held), or given up on by the timeout. */
const AWAITING = new Set(["Creating", "Shipping", "Closed"]);

/**
 * Which jobs a package is for (LIFECYCLE.md "one package, several jobs"): every job of one customer with
 * this tracking number that is still waiting for its package — the customer of the oldest such job. A job
 * still Creating holds the package; the others receive it now. With none waiting, the refusal says why:
 * the package was received already (PackageAlreadyReceived), its job cannot take it (InvalidJobState), or
 * no job expects it (PackageNotFound). `candidates` are oldest first.
 */
export function packageRecipients(
  candidates: readonly PackageCandidate[],
  shown: { carrier: string; tracking: string },
): PackageRecipients {
  const awaiting = candidates.filter((c) => c.record === undefined && AWAITING.has(c.job.state));
  const first = awaiting[0];
  if (!first) {
    const earlier = candidates.find((c) => c.record !== undefined)?.record;
    if (earlier) {
      throw errors.packageAlreadyReceived(
        shown.carrier,
        shown.tracking,
        earlier.status === "Held",
        earlier.receivedAt,
        earlier.receivedBy,
      );
    }
    const oldest = candidates[0];
    throw oldest
      ? errors.packageNotReceivable(oldest.job.name, oldest.job.state)
      : errors.packageNotFound(shown.carrier, shown.tracking);
  }
  const group = awaiting.filter((c) => c.job.subscriptionId === first.job.subscriptionId).map((c) => c.job);
  return {
    now: group.filter((j) => j.state !== "Creating"),
    held: group.filter((j) => j.state === "Creating"),
  };
}

/** What receiving a package decides for one job's drives. */
export interface JobDecision {
  jobId: number;
  /** Its drives in the package (ids as the job holds them): → Received. */
  received: string[];
  /** Its drives still Specified and not in the package: → NeverReceived. */
  neverReceived: string[];
  /** Serials no job lists: extra drives of this job (an import job), returned with it, never copied. */
  extra: string[];
  /** Serials no job lists, on an export job: its drives, registered Received. */
  registered: string[];
}

export interface PackageDecision {
  /** One per job the package went to, in the order given. */
  jobs: JobDecision[];
  /** Serials that are NeverReceived drives of another job: received into that job (re-opening it). */
  found: { serial: string; jobId: number; driveId: string }[];
}

/**
 * What a package's contents do to the jobs it is for (oldest first, at least one), LIFECYCLE.md's drive
 * states and failure table:
 * - each import job's listed drives in the package → Received; listed, still Specified and absent →
 *   NeverReceived (a NeverReceived drive still absent stays so);
 * - a serial that is a NeverReceived drive of another job (`lost`) → Received in that job;
 * - any other serial → on the oldest job: an extra drive of an import job, a drive of an export job.
 * Serials the jobs already hold in another state, and those in `elsewhere` (held by another job sharing the
 * package: listed there, or recorded there as extra), move nothing here. Serials match ignoring case.
 */
export function decidePackage(input: {
  jobs: readonly { job: Job; drives: readonly Drive[] }[];
  serials: readonly string[];
  lost: readonly Drive[];
  elsewhere?: ReadonlySet<string>;
}): PackageDecision {
  const inPackage = new Set(input.serials.map((s) => s.toUpperCase()));
  const held = new Set(input.jobs.flatMap(({ drives }) => drives.map((d) => d.driveId.toUpperCase())));
  const decisions: JobDecision[] = input.jobs.map(({ job, drives }) => {
    const decision: JobDecision = {
      jobId: job.id,
      received: [],
      neverReceived: [],
      extra: [],
      registered: [],
    };
    if (job.type !== "Import") {
      return decision;
    }
    for (const drive of drives) {
      if (drive.extra || (drive.state !== "Specified" && drive.state !== "NeverReceived")) {
        continue;
      }
      if (inPackage.has(drive.driveId.toUpperCase())) {
        decision.received.push(drive.driveId);
      } else if (drive.state === "Specified") {
        decision.neverReceived.push(drive.driveId);
      }
    }
    return decision;
  });
  const oldest = decisions[0];
  const oldestJob = input.jobs[0]?.job;
  const decision: PackageDecision = { jobs: decisions, found: [] };
  if (!oldest || !oldestJob) {
    return decision;
  }
  const seen = new Set<string>();
  for (const serial of input.serials) {
    const key = serial.toUpperCase();
    if (seen.has(key) || held.has(key) || input.elsewhere?.has(key)) {
      continue;
    }
    seen.add(key);
    const lost = input.lost.find(
      (d) => !d.extra && d.state === "NeverReceived" && d.driveId.toUpperCase() === key,
    );
    if (lost) {
      decision.found.push({ serial, jobId: lost.jobId, driveId: lost.driveId });
    } else if (oldestJob.type === "Export") {
      oldest.registered.push(serial);
    } else {
      oldest.extra.push(serial);
    }
  }
  return decision;
}

/**
 * The reason a held package's drive moves record, processed when the customer records tracking. The
 * package is processed whatever number the customer then records; when it differs from the one on the
 * package, the history says both (LIFECYCLE.md "one package, several jobs").
 */
export function heldPackageReason(
  held: { reason: string; carrier?: string; tracking?: string; packageKey: string },
  recorded: DeliveryPackage | undefined,
): string {
  const same =
    recorded !== undefined && packageKey(recorded.carrierName, recorded.trackingNumber) === held.packageKey;
  if (same || recorded === undefined) {
    return `${held.reason} (held until tracking was recorded)`;
  }
  const came =
    held.carrier !== undefined && held.tracking !== undefined
      ? `${held.carrier} ${held.tracking}`
      : held.packageKey;
  return `${held.reason} (held until tracking was recorded: the package came as ${came}, the customer recorded ${recorded.carrierName} ${recorded.trackingNumber})`;
}
