/**
 * @module Applying a package's contents to the jobs it is for — what `decidePackage` decided, saved: run by
 * receiving a package, and by recording tracking for a package that was held.
 */

import { blankDrive } from "../../domain/drive.js";
import { JobDraft } from "../../domain/job-update.js";
import type { Change, Drive, Job } from "../../domain/model.js";
import { decidePackage } from "../../domain/package.js";
import type { Repositories } from "../../store/store.js";
import { saveUpdate } from "./save-update.js";

/** What the package did, over every job it went to. */
export interface PackageOutcome {
  /** Each job the package went to, as saved, with its drives (in the order given). */
  jobs: { job: Job; drives: Drive[] }[];
  received: string[];
  neverReceived: string[];
  extra: string[];
  registered: string[];
  /** NeverReceived drives of other jobs found in the package, and their jobs as saved. */
  found: { serial: string; job: Job }[];
}

/**
 * Applies a package to `jobs` (read and locked by the caller, oldest first). `elsewhere`: upper-cased
 * serials that other jobs sharing the package hold, which move nothing here. Each move is recorded with
 * `change` (its reason the package's), each job's derived move too. `newKey` gives each export drive it
 * registers its key, sealed (sealedExportDriveKey).
 */
export async function applyPackage(
  repos: Repositories,
  input: {
    jobs: readonly Job[];
    serials: readonly string[];
    change: Change;
    elsewhere?: ReadonlySet<string>;
    newKey: () => string;
  },
): Promise<PackageOutcome> {
  const { change } = input;
  const jobs = await Promise.all(
    input.jobs.map(async (job) => ({ job, drives: await repos.drives.listByJob(job.id) })),
  );
  const ids = new Set(input.jobs.map((j) => j.id));
  const held = new Set(jobs.flatMap((j) => j.drives.map((d) => d.driveId.toUpperCase())));
  const unknown = input.serials.filter(
    (s) => !held.has(s.toUpperCase()) && !input.elsewhere?.has(s.toUpperCase()),
  );
  const lost: Drive[] = [];
  for (const serial of unknown) {
    lost.push(
      ...(await repos.drives.findBySerial(serial, ["NeverReceived"])).filter((d) => !ids.has(d.jobId)),
    );
  }
  const decision = decidePackage({
    jobs,
    serials: input.serials,
    lost,
    ...(input.elsewhere ? { elsewhere: input.elsewhere } : {}),
  });

  const outcome: PackageOutcome = {
    jobs: [],
    received: [],
    neverReceived: [],
    extra: [],
    registered: [],
    found: [],
  };
  for (const [index, decided] of decision.jobs.entries()) {
    const { job, drives } = jobs[index]!;
    const draft = new JobDraft(job, drives);
    const keys = new Map<string, string>();
    for (const driveId of decided.received) {
      draft.move(driveId, "Received", change);
    }
    for (const driveId of decided.neverReceived) {
      draft.move(driveId, "NeverReceived", { ...change, reason: `Not in the package: ${change.reason}` });
    }
    for (const serial of decided.registered) {
      keys.set(serial, input.newKey());
      draft.add(blankDrive(job.id, serial, false, change.at), {
        ...change,
        reason: `Registered on arrival: ${change.reason}`,
      });
    }
    for (const serial of decided.extra) {
      draft.add(blankDrive(job.id, serial, true, change.at), {
        ...change,
        reason: `Extra drive (belongs to no job) in the package: ${change.reason}`,
      });
    }
    const update = draft.settle(change);
    outcome.jobs.push({ job: await saveUpdate(repos, update, keys), drives: update.drives });
    outcome.received.push(...decided.received);
    outcome.neverReceived.push(...decided.neverReceived);
    outcome.extra.push(...decided.extra);
    outcome.registered.push(...decided.registered);
  }
  for (const found of decision.found) {
    const owner = await receiveIntoOwnJob(repos, found.jobId, found.driveId, {
      ...change,
      reason: `Found in another job's package: ${change.reason}`,
    });
    if (owner) {
      outcome.found.push({ serial: found.serial, job: owner });
    }
  }
  return outcome;
}

/**
 * Moves a NeverReceived drive of its job to Received and re-derives the job (re-opening it if it had
 * closed). Undefined when the job is gone meanwhile.
 */
export async function receiveIntoOwnJob(
  repos: Repositories,
  jobId: number,
  driveId: string,
  change: Change,
): Promise<Job | undefined> {
  const owner = await repos.jobs.findById(jobId);
  if (!owner) {
    return undefined;
  }
  const draft = new JobDraft(owner, await repos.drives.listByJob(owner.id));
  draft.move(driveId, "Received", change);
  return saveUpdate(repos, draft.settle(change));
}
