/**
 * @module For the customer's use-case tests (test/app): a refusal's code, "a refused call changed
 * nothing", and a job walked to any state through the use cases themselves.
 */

import assert from "node:assert/strict";

import { cancelJob } from "../../src/app/cancel-job.js";
import { claimDrive } from "../../src/app/claim-drive.js";
import type { CreateJobInput } from "../../src/app/create-job.js";
import { getJob } from "../../src/app/get-job.js";
import { registerStation } from "../../src/app/register-station.js";
import { reportProgress } from "../../src/app/report-progress.js";
import type { LocationInput } from "../../src/app/set-location.js";
import { shipBack } from "../../src/app/ship-back.js";
import type { AppDeps } from "../../src/app/support/deps.js";
import type { JobAddress, JobView } from "../../src/app/support/job-view.js";
import type { Principal } from "../../src/app/support/principal.js";
import type { JobChanges } from "../../src/domain/job-edits.js";
import type { JobState } from "../../src/domain/states.js";
import type { AppWorld } from "./app.js";
import { refused, refusedLeavingUnchanged } from "./app-ops.js";

/** Resolves the refusal's code (its message matching `message` when given), or fails if the call succeeded. */
export async function refusal(call: Promise<unknown>, message?: RegExp): Promise<string> {
  const error = await refused(call);
  if (message) {
    assert.match(error.message, message);
  }
  return error.code;
}

/**
 * Expects `call` to be refused and the job `name` (and the history as a whole) to be left exactly as it
 * was; resolves the refusal's code, for the test to compare.
 */
export async function refusedUnchanged(
  w: AppWorld,
  name: string,
  call: () => Promise<unknown>,
  message?: RegExp,
): Promise<string> {
  const error = await refusedLeavingUnchanged(w, name, call);
  if (message) {
    assert.match(error.message, message);
  }
  return error.code;
}

/** The tracking number `jobIn` ships a job's package under. */
export const trackingOf = (name: string): string => `T-${name}`;

/** The one drive `jobIn` lists for a job. */
export const serialOf = (name: string): string => `${name}-D1`.toUpperCase();

/**
 * An import job `name` listing one drive (`serialOf(name)`), moved through the use cases to `state`:
 * shipped as `FedEx trackingOf(name)`, received (Closed: received without its drive), copied by station
 * A (Transferring: claimed and half copied), shipped back by the operator (Completed), or cancelled.
 */
export async function jobIn(
  w: AppWorld,
  name: string,
  state: JobState,
  more: Partial<CreateJobInput> = {},
): Promise<JobView> {
  const serial = serialOf(name);
  const tracking = trackingOf(name);
  const address = w.address(name);
  await w.createImport(name, [serial], more);
  if (state === "Canceled") {
    await cancelJob(w.deps, { principal: w.cast.customer, address, changes: {} });
  } else if (state !== "Creating") {
    await w.ship(name, tracking);
  }
  if (state === "Closed") {
    await w.receive(tracking, []);
  } else if (["Received", "Transferring", "Packaging", "Completed"].includes(state)) {
    await w.receive(tracking, [serial]);
  }
  if (state === "Transferring") {
    const station = w.cast.stationA;
    await registerStation(w.deps, station, station.label);
    await claimDrive(w.deps, station, serial);
    await reportProgress(w.deps, station, serial, { bytesSucceeded: 250, bytesTotal: 1000 });
  }
  if (state === "Packaging" || state === "Completed") {
    await w.copy(serial);
  }
  if (state === "Completed") {
    await shipBack(w.deps, {
      principal: w.cast.operator,
      job: address,
      carrier: "UPS",
      tracking: `R-${name}`,
    });
  }
  const view = await getJob(w.deps, w.cast.customer, address);
  assert.equal(view.job.state, state, `${name} walked to ${state}`);
  return view;
}

/** What an admin sends to set a location named `name` (display form), taking these carriers. */
export function locationInput(name: string, supportedCarriers = ["UPS"]): LocationInput {
  return {
    name,
    recipientName: `Sneakernet ${name}`,
    streetAddress1: "2 Loopback Way",
    city: "Localhost",
    postalCode: "10001",
    countryOrRegion: "USA",
    phone: "+1 555 010 0200",
    supportedCarriers,
  };
}

/** What the use cases that carry a customer's edits take (updateJob, recordTracking, cancelJob). */
interface EditRequest {
  principal: Principal;
  address: JobAddress;
  changes: JobChanges;
  ifMatch?: readonly string[];
}

/**
 * `useCase` called on the job `name` with these changes, as the world's customer unless `more` names
 * another principal (and with its If-Match, if any).
 */
export function asCustomer<T>(useCase: (deps: AppDeps, request: EditRequest) => Promise<T>) {
  return (
    w: AppWorld,
    name: string,
    changes: JobChanges = {},
    more: { principal?: Principal; ifMatch?: string[] } = {},
  ): Promise<T> =>
    useCase(w.deps, { principal: w.cast.customer, address: w.address(name), changes, ...more });
}
