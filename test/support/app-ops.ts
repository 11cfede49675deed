/**
 * @module What the data-center, station and admin use-case tests (test/app/) share: a refusal and the proof
 * that it changed nothing, a job as the store holds it, and jobs brought to a state through the use cases.
 */

import assert from "node:assert/strict";

import { type Claim, claimDrive } from "../../src/app/claim-drive.js";
import { getJob } from "../../src/app/get-job.js";
import { registerStation } from "../../src/app/register-station.js";
import type { LocationInput } from "../../src/app/set-location.js";
import type { JobView } from "../../src/app/support/job-view.js";
import type { Principal } from "../../src/app/support/principal.js";
import type { SweepChange } from "../../src/app/sweep.js";
import { type DomainError, type ErrorCode, isDomainError } from "../../src/domain/errors.js";
import type { Drive, Job } from "../../src/domain/model.js";
import type { HistoryEntry } from "../../src/store/history.js";
import type { AppWorld } from "./app.js";

export const MINUTE = 60_000;

/** The refusal a call ends in, or a failure if it succeeded. */
export async function refused(call: Promise<unknown>): Promise<DomainError> {
  try {
    await call;
  } catch (error) {
    assert.ok(isDomainError(error), String(error));
    return error;
  }
  assert.fail("expected a refusal");
}

/** The refusal, which must carry `code`. */
export async function refusedWith(code: ErrorCode, call: Promise<unknown>): Promise<DomainError> {
  const error = await refused(call);
  assert.equal(error.code, code, error.message);
  return error;
}

/**
 * What the store holds of the customer's job `name` — the job (its etag too), its drives (leases too), their
 * sealed keys, its history and packages — with the newest history id (a refused call must add no row to any
 * job); `job` undefined when there is none.
 */
export async function snapshot(w: AppWorld, name: string) {
  const repos = w.deps.store.direct;
  const job = await repos.jobs.findByName(w.sub, "rg", name);
  const lastHistoryId = await repos.history.lastId();
  if (!job) {
    return { job, lastHistoryId };
  }
  const [drives, keys, history, packages] = await Promise.all([
    repos.drives.listByJob(job.id),
    repos.drives.encryptedKeys(job.id),
    repos.history.listByJob(job.id),
    repos.packages.listByJob(job.id),
  ]);
  return { job, drives, keys, history, packages, lastHistoryId };
}

/** A job of the customer as the store holds it (it must exist). */
export type StoredJob = Awaited<ReturnType<typeof snapshot>> & {
  job: Job;
  drives: Drive[];
  history: HistoryEntry[];
};

export async function stored(w: AppWorld, name: string): Promise<StoredJob> {
  const held = await snapshot(w, name);
  assert.ok(held.job, `no job '${name}'`);
  return held as StoredJob;
}

/** The moves recorded between two readings of a job, each as [drive id or "job", from, to, actor, reason]. */
export function movesSince(before: StoredJob, after: StoredJob): (string | null)[][] {
  return after.history
    .slice(before.history.length)
    .map((h) => [h.driveId ?? "job", h.from, h.to, h.actor, h.reason]);
}

/** `call()` is refused, and the job `name` (and the history as a whole) is left exactly as it was. */
export async function refusedLeavingUnchanged(
  w: AppWorld,
  name: string,
  call: () => Promise<unknown>,
): Promise<DomainError> {
  const before = await snapshot(w, name);
  const error = await refused(call());
  assert.deepEqual(await snapshot(w, name), before, `the refused call changed '${name}'`);
  return error;
}

/** `call()` is refused with `code`, and the job `name` is left exactly as it was. Answers the refusal. */
export async function refusedUnchanged(
  w: AppWorld,
  name: string,
  code: ErrorCode,
  call: () => Promise<unknown>,
): Promise<DomainError> {
  const error = await refusedLeavingUnchanged(w, name, call);
  assert.equal(error.code, code, error.message);
  return error;
}

/** Drives as `serial state` lines, ` extra` after an extra drive's. */
export function driveLines(drives: readonly Drive[]): string[] {
  return drives.map((d) => `${d.driveId} ${d.state}${d.extra ? " extra" : ""}`);
}

/** The job as its customer reads it. */
export function read(w: AppWorld, name: string): Promise<JobView> {
  return getJob(w.deps, w.cast.customer, w.address(name));
}

/** The tracking number the setups below ship a job's package under: its name, upper-cased. */
export function trackingOf(name: string): string {
  return name.toUpperCase();
}

/** An import job listing `serials`, shipped, its package received with every one of them: Received. */
export async function receivedImport(w: AppWorld, name: string, serials: string[]): Promise<JobView> {
  await w.createImport(name, serials);
  await w.ship(name, trackingOf(name));
  return (await w.receive(trackingOf(name), serials)).view;
}

/** As `receivedImport`, then each drive copied to Completed by station bay-3: Packaging. */
export async function packagedImport(w: AppWorld, name: string, serials: string[]): Promise<JobView> {
  await receivedImport(w, name, serials);
  for (const serial of serials) {
    await w.copy(serial);
  }
  return read(w, name);
}

/** The station registers (under its label) and claims the drive. */
export async function claimAs(w: AppWorld, station: Principal, serial: string): Promise<Claim> {
  await registerStation(w.deps, station, station.label);
  return claimDrive(w.deps, station, serial);
}

/** What an admin sends to create a location: a complete address accepting FedEx and UPS, named `name`. */
export function locationInput(name: string): LocationInput {
  return {
    name,
    recipientName: "Sneakernet East",
    streetAddress1: "2 Harbor Road",
    city: "Boston",
    postalCode: "02110",
    countryOrRegion: "USA",
    phone: "+1 555 010 0200",
    supportedCarriers: ["FedEx", "UPS"],
  };
}

/** An import job listing `serials` (by default one, named after the job), created as of `at`. */
export async function createImportAt(
  w: AppWorld,
  name: string,
  at: Date,
  serials = [`${name.toUpperCase()}-1`],
): Promise<Job> {
  w.clock.set(at);
  return (await w.createImport(name, serials)).job;
}

/** Tracking recorded as of `at` (→ Shipping), under `trackingOf(name)`. */
export async function shipAt(w: AppWorld, name: string, at: Date): Promise<Job> {
  w.clock.set(at);
  return (await w.ship(name, trackingOf(name))).job;
}

/** A sweep's changes as sorted `action job` lines: reports compared whatever order the sweep took. */
export function sweepSummary(changes: readonly SweepChange[]): string[] {
  return changes.map((c) => `${c.action} ${c.job}`).sort();
}
