/** @module What receiving a package does to its job's drives: the heart of receivePackage, also run for a held package. */

import { blankDrive, moveDrive } from "../domain/drive.js";
import type { Drive, Job, StateChange } from "../domain/model.js";
import type { Repositories } from "../store/store.js";
import { driveChange, saveDerived } from "./state-changes.js";

export interface PackageOutcome {
  job: Job;
  drives: Drive[];
  received: string[];
  neverReceived: string[];
  extra: string[];
  found: { serial: string; job: Job }[];
  registered: string[];
}

/**
 * Moves a drive of another job that was marked NeverReceived to Received, and re-derives that job (which
 * re-opens it if it had closed). Returns the job, or undefined when no such drive exists.
 */
export async function receiveFoundDrive(
  repos: Repositories,
  serial: string,
  exceptJobId: number,
  at: string,
  actor: string,
  reason: string,
): Promise<Job | undefined> {
  const [lost] = (await repos.drives.findBySerial(serial, ["NeverReceived"])).filter(
    (d) => d.jobId !== exceptJobId,
  );
  if (!lost) {
    return undefined;
  }
  const owner = await repos.jobs.findById(lost.jobId);
  if (!owner) {
    return undefined;
  }
  const drives = await repos.drives.listByJob(owner.id);
  const moved = moveDrive(lost, "Received", at);
  await repos.drives.update(moved);
  const next = drives.map((d) => (d.driveId === moved.driveId && !d.extra ? moved : d));
  return saveDerived(
    repos,
    owner,
    next,
    [driveChange(moved, lost.state, at, actor, reason)],
    at,
    actor,
    reason,
  );
}

/**
 * Applies a package's contents to its job. Import: the job's drives that are in it → Received, those
 * still Specified and not in it → NeverReceived; a serial that is another job's NeverReceived drive →
 * Received there; any other serial → an extra drive on this job. Export: every serial becomes a drive of
 * the job, Received.
 */
export async function processPackage(
  repos: Repositories,
  job: Job,
  serials: readonly string[],
  at: string,
  actor: string,
  reason: string,
): Promise<PackageOutcome> {
  const outcome: PackageOutcome = {
    job,
    drives: [],
    received: [],
    neverReceived: [],
    extra: [],
    found: [],
    registered: [],
  };
  const drives = await repos.drives.listByJob(job.id);
  const inPackage = new Set(serials.map((s) => s.toUpperCase()));
  const known = new Set(drives.map((d) => d.driveId.toUpperCase()));
  const history: StateChange[] = [];
  const next: Drive[] = [];

  for (const drive of drives) {
    const present = inPackage.has(drive.driveId.toUpperCase());
    let to: Drive["state"] | undefined;
    if (
      !drive.extra &&
      job.type === "Import" &&
      (drive.state === "Specified" || drive.state === "NeverReceived")
    ) {
      to = present ? "Received" : drive.state === "Specified" ? "NeverReceived" : undefined;
    }
    if (!to) {
      next.push(drive);
      continue;
    }
    const moved = moveDrive(drive, to, at);
    await repos.drives.update(moved);
    history.push(
      driveChange(
        moved,
        drive.state,
        at,
        actor,
        to === "Received" ? reason : `Not in the package: ${reason}`,
      ),
    );
    (to === "Received" ? outcome.received : outcome.neverReceived).push(drive.driveId);
    next.push(moved);
  }

  for (const serial of serials) {
    if (known.has(serial.toUpperCase())) {
      continue;
    }
    known.add(serial.toUpperCase());
    if (job.type === "Export") {
      const drive = blankDrive(job.id, serial, false, at);
      await repos.drives.add({ drive });
      history.push(driveChange(drive, null, at, actor, `Registered on arrival: ${reason}`));
      outcome.registered.push(serial);
      next.push(drive);
      continue;
    }
    const owner = await receiveFoundDrive(
      repos,
      serial,
      job.id,
      at,
      actor,
      `Found in another job's package: ${reason}`,
    );
    if (owner) {
      outcome.found.push({ serial, job: owner });
      continue;
    }
    const drive = blankDrive(job.id, serial, true, at);
    await repos.drives.add({ drive });
    history.push(
      driveChange(drive, null, at, actor, `Extra drive (belongs to no job) in the package: ${reason}`),
    );
    outcome.extra.push(serial);
    next.push(drive);
  }

  outcome.job = await saveDerived(repos, job, next, history, at, actor, reason);
  outcome.drives = next;
  return outcome;
}
