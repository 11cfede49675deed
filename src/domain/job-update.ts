/**
 * @module A job and its drives being changed by one use case: drive moves by the drive table, drives added,
 * then the job's state derived — all decided here, purely; the app layer only saves the result.
 */

import { deriveJobState } from "./derive.js";
import { moveDrive } from "./drive.js";
import { moveJob } from "./job.js";
import type { Change, Drive, Job, StateChange } from "./model.js";
import type { DriveState } from "./states.js";

/** What to save: the job and its drives as they now are, what changed, and the history rows. */
export interface JobUpdate {
  /** The job with its derived state (and whatever else the use case set); saved etag-guarded. */
  job: Job;
  /** Every drive of the job, in the job's order, as it now is. */
  drives: Drive[];
  /** Drives that existed and changed (saved in place). */
  changed: Drive[];
  /** Drives that are new to the job (appended). */
  added: Drive[];
  /** Each drive's move, then the job's derived move if there was one. */
  history: StateChange[];
}

/** The history row of a drive's move (`from` null: the drive was just listed or found). */
export function driveRecord(drive: Drive, from: DriveState | null, change: Change): StateChange {
  return { jobId: drive.jobId, driveId: drive.driveId, from, to: drive.state, ...change };
}

/**
 * The job's state as its drives now imply (LIFECYCLE.md: the job state is derived), with the history row
 * of the move; unchanged and without a row when the drives imply the state it has.
 */
export function rederive(
  job: Job,
  drives: readonly Drive[],
  change: Change,
): { job: Job; record?: StateChange } {
  const next = deriveJobState(job, drives);
  return next === job.state ? { job } : moveJob(job, next, change);
}

/**
 * Collects one use case's changes to a job's drives. Drives are named by their id, which is unique within
 * a job (an extra drive is recorded only for a serial the job does not hold).
 */
export class JobDraft {
  private job: Job;
  private readonly drives: Drive[];
  private readonly changed = new Set<string>();
  private readonly added = new Set<string>();
  private readonly history: StateChange[] = [];

  constructor(job: Job, drives: readonly Drive[]) {
    this.job = job;
    this.drives = [...drives];
  }

  /** The drive with this id as it now stands in the draft, if the job holds it. */
  drive(driveId: string): Drive | undefined {
    return this.drives.find((d) => d.driveId === driveId);
  }

  /** Every drive as it now stands. */
  all(): readonly Drive[] {
    return this.drives;
  }

  /**
   * Moves a drive by the drive table (InvalidDriveTransition otherwise), with `fields` set on it (counts,
   * copy status, log URIs), and records the move. Returns the moved drive.
   */
  move(driveId: string, to: DriveState, change: Change, fields: Partial<Drive> = {}): Drive {
    const before = this.require(driveId);
    const moved = { ...moveDrive(before, to, change.at), ...fields };
    this.put(moved);
    this.history.push(driveRecord(moved, before.state, change));
    return moved;
  }

  /** Sets fields of a drive that do not change its state (progress, a lease). */
  update(driveId: string, fields: Partial<Omit<Drive, "state" | "jobId" | "driveId">>): Drive {
    const next = { ...this.require(driveId), ...fields };
    this.put(next);
    return next;
  }

  /** Removes fields of a drive that do not change its state (a lease released). */
  clear(driveId: string, fields: readonly ("claimedBy" | "leaseExpiresAt")[]): Drive {
    const next = { ...this.require(driveId) };
    for (const field of fields) {
      delete next[field];
    }
    this.put(next);
    return next;
  }

  /** Adds a drive the job did not hold (an extra drive, an export drive registered), recording it. */
  add(drive: Drive, change: Change): Drive {
    const added = { ...drive, jobId: this.job.id };
    this.drives.push(added);
    this.added.add(added.driveId);
    this.history.push(driveRecord(added, null, change));
    return added;
  }

  /** Sets fields of the job that are not its state (the return package, when tracking was recorded). */
  setJob(fields: Partial<Omit<Job, "state" | "id" | "etag">>): void {
    this.job = { ...this.job, ...fields };
  }

  /**
   * Ends the draft: the job's state derived from its drives (its move recorded with `change`), and every
   * change listed for saving.
   */
  settle(change: Change): JobUpdate {
    const derived = rederive(this.job, this.drives, change);
    return {
      job: derived.job,
      drives: [...this.drives],
      changed: this.drives.filter((d) => this.changed.has(d.driveId) && !this.added.has(d.driveId)),
      added: this.drives.filter((d) => this.added.has(d.driveId)),
      history: derived.record ? [...this.history, derived.record] : [...this.history],
    };
  }

  private require(driveId: string): Drive {
    const drive = this.drive(driveId);
    if (!drive) {
      // A use case names only drives it read from this job: reaching here is a programming error.
      throw new RangeError(`Drive '${driveId}' is not in job ${this.job.id}.`);
    }
    return drive;
  }

  private put(drive: Drive): void {
    const index = this.drives.findIndex((d) => d.driveId === drive.driveId);
    this.drives[index] = drive;
    this.changed.add(drive.driveId);
  }
}
