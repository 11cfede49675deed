/**
 * @module Helpers for the operations stories (test/api/operations.test.ts): one in-process server, the
 * customer API and the `/ops/v1/` API (docs/ops-api.md) as the people of the data center use them, and
 * a record of every job and drive state any customer GET has shown.
 */

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";

import { createToken } from "../../src/app/create-token.js";
import type { ArmDrive, ArmJob } from "../../src/wire/arm.js";
import type { HistoryRow } from "../../src/wire/common.js";
import type { ErrorBody } from "../../src/wire/errors.js";
import { jobPath as armJobPath } from "../../src/wire/ids.js";
import type {
  ClaimAnswer,
  DriveAnswer,
  FinishAnswer,
  FinishBody,
  ProgressAnswer,
  ProgressBody,
  ReceiveAnswer,
  ShipAnswer,
  Station,
  WorkQueue,
} from "../../src/wire/ops.js";
import { exportBody, importBody, shippingBody, withVersion } from "../support/customer-api.js";
import { driveList, storageAccount } from "../support/fixtures.js";
import type { TestClock, TestServer } from "../support/server.js";

export type { ArmDrive, ArmJob, ClaimAnswer, ErrorBody, HistoryRow, ReceiveAnswer };

export const SUB = randomUUID();
export const OTHER_SUB = randomUUID();
export const RG = "rg-ops";
export const STORAGE = storageAccount(SUB, RG);
export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

export interface Answer<T = unknown> {
  status: number;
  text: string;
  json: T;
}

export type Queue = WorkQueue;
export type QueueSection = Exclude<keyof Queue, "at" | "stations">;

/** The URL path of a job of the stories (resource group RG). */
export function jobPath(name: string, sub: string = SUB): string {
  return armJobPath({ subscriptionId: sub, resourceGroup: RG, name });
}

/**
 * How the operator names a job, and how the API's answers must name it: its ARM id, written out here so
 * that what the answers are compared with is not built by the code under test.
 */
export function armId(name: string, sub: string = SUB): string {
  return `/subscriptions/${sub}/resourceGroups/${RG}/providers/Microsoft.ImportExport/jobs/${name}`;
}

export function errorOf(answer: Answer): ErrorBody["error"] {
  return (answer.json as ErrorBody).error;
}

/** Asserts a refusal: this status and code, in the envelope; returns the error. */
export function refused(answer: Answer, status: number, code: string): ErrorBody["error"] {
  assert.equal(answer.status, status, `expected ${status} ${code}, got ${answer.status}: ${answer.text}`);
  const error = errorOf(answer);
  assert.equal(error.code, code, answer.text);
  return error;
}

/** Asserts success (200 unless told) and returns the body. */
export function ok<T>(answer: Answer, status = 200): T {
  assert.equal(answer.status, status, answer.text);
  return answer.json as T;
}

/** Asserts that a message names every one of these states, quoted as the service quotes them or bare. */
export function assertNames(message: string, ...states: string[]): void {
  for (const state of states) {
    assert.ok(new RegExp(`\\b${state}\\b`).test(message), `'${message}' does not name '${state}'`);
  }
}

/** True if some entry of a queue section mentions this value (a serial, a tracking number, a job id). */
export function mentions(entries: readonly unknown[], value: string): boolean {
  return entries.some((entry) => JSON.stringify(entry).includes(JSON.stringify(value)));
}

/** The people of the stories, each with a token whose label is the name the history should show. */
export interface Cast {
  customer: string;
  otherCustomer: string;
  operator: string;
  /** A second operator, for races and identities. */
  operator2: string;
  stationA: string;
  stationB: string;
}

export const NAMES = {
  customer: "ada",
  operator: "alice",
  operator2: "bob",
  stationA: "bay-3",
  stationB: "bay-4",
} as const;

export class World {
  readonly observedJobStates = new Set<string>();
  readonly observedDriveStates = new Set<string>();
  /** Every key handed to the service: no answer but a claim (or listBitLockerKeys) may show one. */
  readonly keys = new Map<string, string>();
  cast!: Cast;

  constructor(
    readonly server: TestServer,
    readonly clock: TestClock,
  ) {}

  async init(): Promise<void> {
    const make = async (role: "customer" | "operator" | "station", label: string, subs: string[] = []) =>
      (await createToken(this.server.deps, { role, label, subscriptions: subs })).token;
    this.cast = {
      // Labelled tokens, so the history's actors are known in advance (`operator:alice`).
      customer: await make("customer", NAMES.customer, [SUB]),
      otherCustomer: await make("customer", "mallory", [OTHER_SUB]),
      operator: await make("operator", NAMES.operator),
      operator2: await make("operator", NAMES.operator2),
      // The token's label and the registered name agree, so `station:bay-3` holds whichever is used.
      stationA: await make("station", NAMES.stationA),
      stationB: await make("station", NAMES.stationB),
    };
  }

  /** One request; checks what holds for every answer (no 5xx, the error envelope, no key shown). */
  async call<T = unknown>(
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = {};
    if (token !== null) {
      headers.authorization = `Bearer ${token}`;
    }
    if (body !== undefined) {
      headers["content-type"] = "application/json";
    }
    const response = await fetch(new URL(path, this.server.url), {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(signal ? { signal } : {}),
    });
    const text = await response.text();
    const where = `${method} ${path}`;
    assert.ok(response.status < 500, `${where} answered ${response.status}: ${text.slice(0, 400)}`);
    let json: unknown;
    if (text !== "" && (response.headers.get("content-type") ?? "").includes("json")) {
      json = JSON.parse(text);
    }
    if (response.status >= 400) {
      const error = (json as Partial<ErrorBody> | undefined)?.error;
      assert.equal(typeof error?.code, "string", `${where}: ${response.status} not in the envelope: ${text}`);
      assert.equal(typeof error?.message, "string", `${where}: no error message: ${text}`);
      assert.ok((error?.message ?? "").length > 0, `${where}: empty error message`);
    }
    if (!/\/claim$/.test(path.split("?")[0]!)) {
      for (const [serial, key] of this.keys) {
        assert.ok(!text.includes(key), `${where} shows the BitLocker key of ${serial}`);
      }
    }
    return { status: response.status, text, json: json as T };
  }

  customerCall<T = unknown>(method: string, path: string, body?: unknown, token = this.cast.customer) {
    return this.call<T>(method, withVersion(path), token, body);
  }

  // ---- the customer -------------------------------------------------------------------------------

  /** An import job of these serials (each key kept in `keys`), with a return address and return shipping. */
  async createImport(name: string, serials: string[]): Promise<ArmJob> {
    const drives = driveList(serials, this.keys);
    const returnShipping = { carrierName: "UPS", carrierAccountNumber: "989ffff" };
    const body = importBody({ subscriptionId: SUB, resourceGroup: RG }, drives, {
      properties: { returnShipping },
    });
    const job = ok<ArmJob>(await this.customerCall<ArmJob>("PUT", jobPath(name), body), 201);
    this.observe(job);
    return job;
  }

  /** An export job of every blob, with a return address. */
  async createExport(name: string): Promise<ArmJob> {
    const body = exportBody({ subscriptionId: SUB, resourceGroup: RG });
    const job = ok<ArmJob>(await this.customerCall<ArmJob>("PUT", jobPath(name), body), 201);
    this.observe(job);
    return job;
  }

  /** The customer records the delivery package's tracking: the job moves to Shipping. */
  recordTracking(name: string, trackingNumber: string, carrier = "FedEx"): Promise<Answer<ArmJob>> {
    return this.customerCall<ArmJob>("PATCH", jobPath(name), shippingBody(trackingNumber, { carrier }));
  }

  async ship(name: string, trackingNumber: string, carrierName = "FedEx"): Promise<ArmJob> {
    const job = ok<ArmJob>(await this.recordTracking(name, trackingNumber, carrierName));
    this.observe(job);
    return job;
  }

  /** GET as the customer; every state shown is recorded. */
  async job(name: string): Promise<ArmJob> {
    const job = ok<ArmJob>(await this.customerCall("GET", jobPath(name)));
    this.observe(job);
    return job;
  }

  /** Asserts the job's state and its drives' states (the customer's driveList, in any order). */
  async expect(name: string, state: string, drives: Record<string, string>, step = ""): Promise<ArmJob> {
    const job = await this.job(name);
    const shown = Object.fromEntries((job.properties.driveList ?? []).map((d) => [d.driveId, d.state]));
    assert.deepEqual(
      { state: job.properties.state, drives: shown },
      { state, drives },
      `${name}${step ? ` after ${step}` : ""}`,
    );
    return job;
  }

  drive(job: ArmJob, serial: string): ArmDrive {
    const drive = job.properties.driveList?.find((d) => d.driveId === serial);
    assert.ok(drive, `drive ${serial} not in ${job.name}'s driveList`);
    return drive;
  }

  async history(
    name: string,
    token = this.cast.customer,
    sub = SUB,
  ): Promise<Answer<{ value: HistoryRow[] }>> {
    return this.customerCall<{ value: HistoryRow[] }>(
      "GET",
      `${jobPath(name, sub)}/history`,
      undefined,
      token,
    );
  }

  async historyRows(name: string): Promise<HistoryRow[]> {
    const rows = ok<{ value: HistoryRow[] }>(await this.history(name)).value;
    for (const row of rows) {
      assert.ok(
        typeof row.reason === "string" && row.reason.trim().length > 0,
        `no reason: ${JSON.stringify(row)}`,
      );
      assert.ok(typeof row.actor === "string" && row.actor.length > 0, `no actor: ${JSON.stringify(row)}`);
      assert.ok(Number.isFinite(Date.parse(row.at)), `no time: ${JSON.stringify(row)}`);
    }
    return rows;
  }

  observe(job: ArmJob): void {
    this.observedJobStates.add(job.properties.state);
    for (const drive of job.properties.driveList ?? []) {
      this.observedDriveStates.add(drive.state);
    }
  }

  // ---- the operator -------------------------------------------------------------------------------

  receive(
    tracking: string,
    drives: string[],
    options: { carrier?: string; reason?: string; token?: string; signal?: AbortSignal } = {},
  ): Promise<Answer<ReceiveAnswer>> {
    return this.call<ReceiveAnswer>(
      "POST",
      "/ops/v1/packages/receive",
      options.token ?? this.cast.operator,
      {
        carrier: options.carrier ?? "FedEx",
        tracking,
        drives,
        ...(options.reason !== undefined ? { reason: options.reason } : {}),
      },
      options.signal,
    );
  }

  shipBack(
    name: string,
    tracking: string,
    options: { carrier?: string; shipDate?: string } = {},
  ): Promise<Answer<ShipAnswer>> {
    return this.call("POST", "/ops/v1/ship", this.cast.operator, {
      job: armId(name),
      carrier: options.carrier ?? "UPS",
      tracking,
      ...(options.shipDate !== undefined ? { shipDate: options.shipDate } : {}),
    });
  }

  found(serial: string, tracking: string, carrier = "FedEx"): Promise<Answer<DriveAnswer>> {
    return this.call("POST", "/ops/v1/drives/found", this.cast.operator, { serial, carrier, tracking });
  }

  async queue(): Promise<Queue> {
    const queue = ok<Queue>(await this.call("GET", "/ops/v1/queue", this.cast.operator));
    for (const section of [
      "packagesExpected",
      "waitingToCopy",
      "copying",
      "waitingToShip",
      "extraDrives",
    ] as const) {
      assert.ok(Array.isArray(queue[section]), `queue.${section} is not a list: ${JSON.stringify(queue)}`);
    }
    return queue;
  }

  // ---- the stations -------------------------------------------------------------------------------

  async registerStations(): Promise<void> {
    for (const [token, name] of [
      [this.cast.stationA, NAMES.stationA],
      [this.cast.stationB, NAMES.stationB],
    ] as const) {
      const answer = ok<Station>(await this.call("POST", "/ops/v1/stations/register", token, { name }));
      assert.equal(answer.name, name);
      assert.ok(answer.id, "a station id");
    }
  }

  claim(station: string, serial: string): Promise<Answer<ClaimAnswer>> {
    return this.call<ClaimAnswer>("POST", `/ops/v1/drives/${encodeURIComponent(serial)}/claim`, station);
  }

  progress(station: string, serial: string, body: ProgressBody): Promise<Answer<ProgressAnswer>> {
    return this.call("POST", `/ops/v1/drives/${encodeURIComponent(serial)}/progress`, station, body);
  }

  finish(station: string, serial: string, body: Partial<FinishBody> = {}): Promise<Answer<FinishAnswer>> {
    return this.call("POST", `/ops/v1/drives/${encodeURIComponent(serial)}/finish`, station, {
      state: "Completed",
      errorCount: 0,
      warningCount: 0,
      infoCount: 0,
      ...body,
    });
  }

  /** A whole copy by one station: claim, one progress report to the end, finish. */
  async copy(
    station: string,
    serial: string,
    bytes = 1000,
    outcome: Parameters<World["finish"]>[2] = {},
  ): Promise<void> {
    ok(await this.claim(station, serial));
    this.clock.advance(MINUTE);
    ok(
      await this.progress(station, serial, {
        bytesSucceeded: bytes,
        bytesTotal: bytes,
        copyStatus: "InProgress",
      }),
    );
    this.clock.advance(MINUTE);
    ok(await this.finish(station, serial, outcome));
    this.clock.advance(MINUTE);
  }
}

/** What the queue says of an expected package: its carrier, tracking, since and delivery timeout. */
export interface ExpectedPackage {
  carrier: unknown;
  tracking: unknown;
  since: unknown;
  deliveryTimeoutAt: unknown;
}

/**
 * The `packagesExpected` entry of this tracking number. The spec names what an entry tells (carrier,
 * tracking, since, deliveryTimeoutAt) for "jobs Shipping"; the entry (src/wire/ops.ts) says it through
 * the job it carries (deliveryPackage, trackingRecordedAt). All four must be there.
 */
export function expectedPackage(queue: Queue, tracking: string): ExpectedPackage {
  const entry = queue.packagesExpected.find((p) => mentions([p], tracking));
  assert.ok(entry, `${tracking} not among the packages expected: ${JSON.stringify(queue.packagesExpected)}`);
  return {
    carrier: entry.job.deliveryPackage?.carrierName,
    tracking: entry.job.deliveryPackage?.trackingNumber,
    since: entry.job.trackingRecordedAt,
    deliveryTimeoutAt: entry.deliveryTimeoutAt,
  };
}
