/**
 * @module Use-case tests on both engines: `describeOnEngines` runs one suite against a fresh SQLite and a
 * fresh PostgreSQL (template copies, one each per test file), with a settable clock, the people who act,
 * and job setups made through the use cases themselves — no HTTP in between.
 */

import { randomUUID } from "node:crypto";
import { after, before, describe } from "node:test";

import { claimDrive } from "../../src/app/claim-drive.js";
import { createJob, type CreateJobInput } from "../../src/app/create-job.js";
import { finishDrive } from "../../src/app/finish-drive.js";
import { readHistory } from "../../src/app/read-history.js";
import { receivePackage, type ReceivePackageResult } from "../../src/app/receive-package.js";
import { recordTracking } from "../../src/app/record-tracking.js";
import { registerStation } from "../../src/app/register-station.js";
import { reportProgress } from "../../src/app/report-progress.js";
import type { AppDeps } from "../../src/app/support/deps.js";
import type { JobAddress, JobView } from "../../src/app/support/job-view.js";
import type { Principal } from "../../src/app/support/principal.js";
import type { FinishReport } from "../../src/domain/copy.js";
import type { Drive } from "../../src/domain/model.js";
import { freshPostgres, freshSqlite, postgresUrl, requireAll } from "./db.js";
import { driveList, RETURN_ADDRESS, storageAccount } from "./fixtures.js";
import { openTestDeps, TestClock } from "./server.js";

export type Engine = "SQLite" | "PostgreSQL";

/** The people of a test: each a principal, labelled so the history's actors are known in advance. */
export interface Cast {
  customer: Principal;
  /** A customer of another subscription: must learn nothing of `customer`'s jobs. */
  stranger: Principal;
  operator: Principal;
  stationA: Principal;
  stationB: Principal;
  admin: Principal;
}

export interface AppWorld {
  engine: Engine;
  /** The database's URL, for a second store on it (another replica) or one closed on purpose. */
  url: string;
  deps: AppDeps;
  clock: TestClock;
  /** The customer's subscription (and the stranger's). */
  sub: string;
  otherSub: string;
  cast: Cast;
  /** Where a job of `customer` named `name` lives (resource group `rg`). */
  address(name: string): JobAddress;
  /** The storage account id every job of `customer` names (the shared embedded account). */
  storageAccountId: string;
  /** Every BitLocker key handed to the service, by drive serial. */
  keys: Map<string, string>;
  /** Creates an import job listing these serials (each with a fresh key), in Creating. */
  createImport(name: string, serials: string[], more?: Partial<CreateJobInput>): Promise<JobView>;
  /** Creates an export job of the blobs under `/photos/`, in Creating. */
  createExport(name: string, more?: Partial<CreateJobInput>): Promise<JobView>;
  /** Records tracking with a return address and the delivery package `FedEx <tracking>`: → Shipping. */
  ship(name: string, tracking: string): Promise<JobView>;
  /** The operator receives the package `FedEx <tracking>` holding these serials. */
  receive(tracking: string, serials: string[]): Promise<ReceivePackageResult>;
  /** A station claims, reports half, then finishes the drive (Completed unless told otherwise). */
  copy(serial: string, station?: Principal, finish?: Partial<FinishReport>): Promise<{ drive: Drive }>;
  /** The job's history as `from→to` lines (`drive:` before a drive's), oldest first. */
  moves(name: string): Promise<string[]>;
}

function principal(role: Principal["role"], label: string, subscriptions: string[] = []): Principal {
  return { tokenId: `${role}-${label}`, label, role, subscriptions };
}

/** One engine's world on the database at `url` (`describeOnEngines` makes one per suite; a whole-process test its own). */
export async function makeWorld(
  engine: Engine,
  url: string,
): Promise<{ world: AppWorld; close: () => Promise<void> }> {
  const clock = new TestClock();
  const deps = await openTestDeps(url, clock);
  const sub = randomUUID();
  const otherSub = randomUUID();
  const cast: Cast = {
    customer: principal("customer", "ada", [sub]),
    stranger: principal("customer", "mallory", [otherSub]),
    operator: principal("operator", "alice"),
    stationA: principal("station", "bay-3"),
    stationB: principal("station", "bay-4"),
    admin: principal("admin", "root"),
  };
  const address = (name: string): JobAddress => ({ subscriptionId: sub, resourceGroup: "rg", name });
  const storageAccountId = storageAccount(sub, "rg");
  const keys = new Map<string, string>();
  const create = async (name: string, input: CreateJobInput) =>
    (await createJob(deps, { principal: cast.customer, address: address(name), input })).view;
  const world: AppWorld = {
    engine,
    url,
    deps,
    clock,
    sub,
    otherSub,
    cast,
    address,
    storageAccountId,
    keys,
    createImport: (name, serials, more = {}) =>
      create(name, {
        location: "West US",
        storageAccountId,
        jobType: "Import",
        driveList: driveList(serials, keys),
        ...more,
      }),
    createExport: (name, more = {}) =>
      create(name, {
        location: "West US",
        storageAccountId,
        jobType: "Export",
        export: { blobPaths: [], blobPathPrefixes: ["/photos/"] },
        ...more,
      }),
    ship: (name, tracking) =>
      recordTracking(deps, {
        principal: cast.customer,
        address: address(name),
        changes: {
          returnAddress: RETURN_ADDRESS,
          deliveryPackage: { carrierName: "FedEx", trackingNumber: tracking },
        },
      }),
    receive: (tracking, serials) =>
      receivePackage(deps, { principal: cast.operator, carrier: "FedEx", tracking, drives: serials }),
    async copy(serial, station = cast.stationA, finish = {}) {
      await registerStation(deps, station, station.label);
      await claimDrive(deps, station, serial);
      await reportProgress(deps, station, serial, { bytesSucceeded: 500, bytesTotal: 1000 });
      return finishDrive(deps, station, serial, {
        state: "Completed",
        errorCount: 0,
        warningCount: 0,
        infoCount: 0,
        ...finish,
      });
    },
    async moves(name) {
      return (await readHistory(deps, cast.operator, address(name))).map(
        (h) => `${h.driveId !== undefined ? `${h.driveId}:` : ""}${h.from ?? "∅"}→${h.to}`,
      );
    },
  };
  return { world, close: () => deps.store.close() };
}

/**
 * Runs `suite` once per engine, as `<title> (SQLite)` and `<title> (PostgreSQL)`. `world()` answers that
 * engine's world inside the suite's tests (made before them, closed after). Without PostgreSQL the
 * PostgreSQL run is skipped loudly, and fails under SNEAKERNET_REQUIRE_ALL=1.
 */
export function describeOnEngines(title: string, suite: (world: () => AppWorld) => void): void {
  for (const engine of ["SQLite", "PostgreSQL"] as const) {
    const base = postgresUrl();
    const missing = engine === "PostgreSQL" && base === undefined;
    if (missing && !requireAll()) {
      console.error(`!! SKIPPED (no PostgreSQL): ${title} (PostgreSQL)`);
    }
    describe(`${title} (${engine})`, { skip: missing && !requireAll() }, () => {
      let current: { world: AppWorld; close: () => Promise<void> } | undefined;
      let cleanup: (() => void | Promise<void>) | undefined;
      before(async () => {
        if (missing) {
          throw new Error("PostgreSQL is required (SNEAKERNET_REQUIRE_ALL=1) but none was reachable.");
        }
        const db = engine === "SQLite" ? freshSqlite(title) : await freshPostgres(base!, title);
        cleanup = db.cleanup;
        current = await makeWorld(engine, db.url);
      });
      after(async () => {
        await current?.close();
        await cleanup?.();
      });
      suite(() => {
        if (!current) {
          throw new Error("The world is made in before(): call world() inside a test.");
        }
        return current.world;
      });
    });
  }
}
