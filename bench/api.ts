/** @module `npm run bench:api`: req/s and latency of the job API and the sweep's time, on SQLite and PostgreSQL. */

// What it does, per engine: a fresh database (a SQLite file under .tmp/bench/, or a new PostgreSQL
// database), BENCH_JOBS jobs bulk-loaded through Kysely, one timed lifecycle sweep with nothing due, then
// the API in a child process (bench/server.ts) under autocannon: an empty route as the baseline, GET
// job, a first list page, a list page deep in the list (reached by following nextLinks) and PATCH.
// Figures are printed, aims are judged PASS/MISS in the output; nothing here ever fails on a figure.
//
//   BENCH_JOBS=100000 BENCH_SECONDS=5 BENCH_ENGINES=sqlite,postgres BENCH_PG_URL=postgres://… npm run bench:api

import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

import { sql } from "kysely";
import pg from "pg";

import { createToken } from "../src/app/create-token.js";
import type { AppDeps } from "../src/app/support/deps.js";
import { sweep } from "../src/app/sweep.js";
import type { Drive, Job } from "../src/domain/model.js";
import type { DriveState, JobState } from "../src/domain/states.js";
import { driveToRow, jobToRow } from "../src/store/rows.js";
import { ROOT, withDatabase } from "../test/support/db.js";
import { openTestDeps, TestClock } from "../test/support/server.js";
import { positiveInt } from "./settings.js";

// ---------------------------------------------------------------------------------------------------
// Settings

type Engine = "sqlite" | "postgres";

function engines(): Engine[] {
  const listed = (process.env.BENCH_ENGINES ?? "sqlite,postgres")
    .split(",")
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e !== "");
  for (const e of listed) {
    if (e !== "sqlite" && e !== "postgres") {
      throw new Error(`BENCH_ENGINES lists '${e}'; the engines are sqlite and postgres.`);
    }
  }
  return [...new Set(listed)] as Engine[];
}

const JOBS = positiveInt("BENCH_JOBS", 100_000);
const SECONDS = positiveInt("BENCH_SECONDS", 5);
const ENGINES = engines();
const PG_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
// 2 cores here: 10 connections keep the server busy without the load generator starving it.
const CONNECTIONS = 10;
// Long enough for JIT, the token cache and the database's caches to settle; not measured.
const WARMUP_SECONDS = 1;
const BATCH = 1000;
// A fixed "now" (the test suite's default instant): the data is generated relative to it, the child
// server's clock reads it, and the sweep runs as of it, so nothing is ever due by accident.
const BENCH_NOW = new TestClock().now();
const SUBSCRIPTION = "5ea4c0de-0000-4000-8000-00000000be9c";
const RESOURCE_GROUPS = ["bench-east", "bench-west", "bench-archive", "bench-media"];
const PROVIDER = "Microsoft.ImportExport";
const API_VERSION = "api-version=2021-01-01";
const PAGE = 100;
const AIM_GET_RATIO = 0.4;
const AIM_LIST_P50_MS = 5;

// ---------------------------------------------------------------------------------------------------
// autocannon has no type declarations; this is the part of its API (its README) that we use.

interface CannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: CannonRequest) => CannonRequest;
}

interface CannonOptions {
  url: string;
  connections: number;
  duration: number;
  pipelining: number;
  timeout: number;
  headers: Record<string, string>;
  requests: CannonRequest[];
}

interface CannonResult {
  errors: number;
  timeouts: number;
}

interface CannonInstance extends PromiseLike<CannonResult> {
  on(
    event: "response",
    listener: (client: unknown, statusCode: number, bytes: number, responseMs: number) => void,
  ): this;
}

const autocannon = createRequire(import.meta.url)("autocannon") as (options: CannonOptions) => CannonInstance;

// ---------------------------------------------------------------------------------------------------
// Small helpers

const started = performance.now();

function log(line: string): void {
  console.log(line);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A seeded generator, so every run loads the same jobs and figures stay comparable across runs. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Things to undo, most recent first, whatever happens (including Ctrl-C). */
const cleanups: (() => Promise<void> | void)[] = [];

async function cleanUp(): Promise<void> {
  while (cleanups.length > 0) {
    const undo = cleanups.pop()!;
    try {
      await undo();
    } catch (error) {
      console.error(`!! cleanup step failed: ${(error as Error).message}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// The data: one subscription, a few resource groups, one drive per job, most jobs in a final state.

const DAY = 24 * 60 * 60 * 1000;

/** The state mix; the timestamps below keep every timer short of due as of BENCH_NOW. */
const STATE_MIX: readonly [JobState, number][] = [
  ["Creating", 0.02],
  ["Shipping", 0.03],
  ["Received", 0.01],
  ["Transferring", 0.02],
  ["Packaging", 0.02],
  ["Completed", 0.7],
  ["Closed", 0.08],
  ["Canceled", 0.12],
];

const DRIVE_STATE: Record<JobState, DriveState> = {
  Creating: "Specified",
  Shipping: "Specified",
  Canceled: "Specified",
  Received: "Received",
  Transferring: "Transferring",
  Packaging: "Completed",
  Completed: "ShippedBack",
  Closed: "ShippedBack",
};

const TEAMS = ["finance", "media", "research", "backup", "legal"];

function jobName(i: number): string {
  return `job-${String(i).padStart(6, "0")}`;
}

function resourceGroupOf(i: number): string {
  return RESOURCE_GROUPS[i % RESOURCE_GROUPS.length]!;
}

interface Generated {
  job: Omit<Job, "id">;
  drive: Omit<Drive, "jobId">;
  sealedKey: string;
}

function generate(i: number, random: () => number, deps: AppDeps): Generated {
  const now = BENCH_NOW.getTime();
  const between = (lo: number, hi: number) => lo + (hi - lo) * random();
  const iso = (ms: number) => new Date(Math.round(ms)).toISOString();
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join("");

  let roll = random();
  const state = STATE_MIX.find(([, share]) => (roll -= share) < 0)?.[0] ?? "Completed";
  // Creating and Shipping stay well inside their 14 days, final states inside their 90 days of
  // retention: the sweep finds nothing due and we time its scan alone.
  let createdAt: number;
  let trackingAt: number | undefined;
  let changedAt: number;
  switch (state) {
    case "Creating":
      createdAt = changedAt = now - between(0.05, 12) * DAY;
      break;
    case "Shipping":
      trackingAt = changedAt = now - between(0.05, 12) * DAY;
      createdAt = trackingAt - between(0.1, 3) * DAY;
      break;
    case "Received":
    case "Transferring":
    case "Packaging":
      changedAt = now - between(0.05, 10) * DAY;
      trackingAt = changedAt - between(1, 10) * DAY;
      createdAt = trackingAt - between(0.1, 3) * DAY;
      break;
    case "Canceled":
      changedAt = now - between(0.5, 85) * DAY;
      createdAt = changedAt - between(0.05, 10) * DAY;
      break;
    default:
      changedAt = now - between(0.5, 85) * DAY;
      trackingAt = changedAt - between(5, 30) * DAY;
      createdAt = trackingAt - between(0.1, 3) * DAY;
  }

  const resourceGroup = resourceGroupOf(i);
  const type = random() < 0.1 ? "Export" : "Import";
  const job: Omit<Job, "id"> = {
    subscriptionId: SUBSCRIPTION,
    resourceGroup,
    name: jobName(i),
    location: "westus",
    type,
    state,
    storageAccountId: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${resourceGroup}/providers/Microsoft.Storage/storageAccounts/devstoreaccount1`,
    returnAddress: {
      recipientName: `Recipient ${i % 500}`,
      streetAddress1: `${1 + (i % 9000)} Market Street`,
      city: "Seattle",
      stateOrProvince: "WA",
      postalCode: "98101",
      countryOrRegion: "USA",
      phone: "+1 206 555 0100",
      email: `ops${i % 500}@example.com`,
    },
    returnShipping: { carrierName: "FedEx", carrierAccountNumber: String(100_000_000 + (i % 1000)) },
    diagnosticsPath: "waimportexport",
    logLevel: "Error",
    backupDriveManifest: false,
    cancelRequested: state === "Canceled",
    encryptionKey: { kekType: "MicrosoftManaged" },
    tags: { team: TEAMS[i % TEAMS.length]!, costCenter: String(1000 + (i % 37)) },
    createdAt: iso(createdAt),
    createdBy: "customer:bench",
    lastModifiedAt: iso(changedAt),
    lastModifiedBy: trackingAt === undefined ? "customer:bench" : "station:bench-station",
    stateChangedAt: iso(changedAt),
    etag: hex(16),
  };
  if (type === "Export") {
    job.export = { blobPaths: [], blobPathPrefixes: [`/backups/${TEAMS[i % TEAMS.length]}/`] };
  }
  if (trackingAt !== undefined) {
    job.trackingRecordedAt = iso(trackingAt);
    job.deliveryPackage = {
      carrierName: "FedEx",
      trackingNumber: `7${String(i).padStart(11, "0")}`,
      driveCount: 1,
      shipDate: iso(trackingAt).slice(0, 10),
    };
  }
  if (state === "Completed" || state === "Closed") {
    job.returnPackage = {
      carrierName: "FedEx",
      trackingNumber: `8${String(i).padStart(11, "0")}`,
      driveCount: 1,
      shipDate: iso(changedAt).slice(0, 10),
    };
  }

  const driveState = DRIVE_STATE[state];
  const copied = driveState === "Completed" || driveState === "ShippedBack";
  const percent = copied ? 100 : driveState === "Transferring" ? Math.floor(random() * 100) : 0;
  const bytesTotal = Math.round(between(0.5, 8) * 1e12);
  const driveId = `WDBENCH${String(i).padStart(7, "0")}`;
  const drive: Omit<Drive, "jobId"> = {
    driveId,
    extra: false,
    state: driveState,
    manifestFile: "\\DriveManifest.xml",
    manifestHash: hex(32).toUpperCase(),
    driveHeaderHash: hex(32).toUpperCase(),
    percentComplete: percent,
    bytesSucceeded: Math.round((bytesTotal * percent) / 100),
    bytesTotal,
    // Closed means the job met an error: here a drive that shipped back with errors.
    errorCount: state === "Closed" ? 1 + Math.floor(random() * 20) : 0,
    warningCount: copied ? Math.floor(random() * 5) : 0,
    infoCount: copied ? 1 : 0,
    stateChangedAt: iso(changedAt),
  };
  if (driveState === "Transferring" || copied) {
    drive.copyStatus = state === "Closed" ? "CompletedWithErrors" : copied ? "Completed" : "InProgress";
  }
  if (copied) {
    drive.verboseLogUri = `http://127.0.0.1:10000/devstoreaccount1/waimportexport/${driveId}_verbose.log`;
    drive.errorLogUri = `http://127.0.0.1:10000/devstoreaccount1/waimportexport/${driveId}_error.log`;
  }
  const bitLockerKey = Array.from({ length: 8 }, () =>
    String(Math.floor(random() * 1_000_000)).padStart(6, "0"),
  ).join("-");
  return { job, drive, sealedKey: deps.secrets.seal(bitLockerKey) };
}

/** Inserts the jobs and their drives straight through Kysely, 1000 jobs per transaction. */
async function load(deps: AppDeps, count: number): Promise<void> {
  const random = mulberry32(20260115);
  for (let first = 0; first < count; first += BATCH) {
    const batch: Generated[] = [];
    for (let i = first; i < Math.min(count, first + BATCH); i++) {
      batch.push(generate(i, random, deps));
    }
    await deps.store.db.transaction().execute(async (trx) => {
      // RETURNING's row order is not promised on every engine: match ids to jobs by name.
      const inserted = await trx
        .insertInto("jobs")
        .values(batch.map((g) => jobToRow(g.job)))
        .returning(["id", "name_key"])
        .execute();
      const idOf = new Map(inserted.map((row) => [row.name_key, row.id]));
      await trx
        .insertInto("drives")
        .values(
          batch.map((g) => ({
            ...driveToRow({ ...g.drive, jobId: idOf.get(g.job.name.toLowerCase())! }, 0),
            bitlocker_key_enc: g.sealedKey,
          })),
        )
        .execute();
    });
  }
}

// ---------------------------------------------------------------------------------------------------
// Databases

interface BenchDatabase {
  url: string;
  drop: () => Promise<void> | void;
}

function sqliteDatabase(): BenchDatabase {
  const file = join(ROOT, ".tmp", "bench", `sn_bench_${randomBytes(4).toString("hex")}.sqlite`);
  return {
    url: file,
    drop: () => {
      for (const suffix of ["", "-wal", "-shm", "-journal"]) {
        rmSync(file + suffix, { force: true });
      }
    },
  };
}

async function onPostgres(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function postgresDatabase(): Promise<BenchDatabase> {
  const name = `sn_bench_${randomBytes(4).toString("hex")}`;
  await onPostgres(PG_URL, `CREATE DATABASE "${name}"`);
  return {
    url: withDatabase(PG_URL, name),
    // FORCE: a connection left behind by a crashed child must not keep the database alive.
    drop: () => onPostgres(PG_URL, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

// ---------------------------------------------------------------------------------------------------
// The server child

interface ServerChild {
  url: string;
  pid: number;
  stop: () => Promise<void>;
}

function startServer(databaseUrl: string): Promise<ServerChild> {
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", join(ROOT, "bench", "server.ts"), databaseUrl, BENCH_NOW.toISOString()],
    { cwd: ROOT, stdio: ["pipe", "pipe", "inherit"] },
  );
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        done();
        return;
      }
      const kill = setTimeout(() => child.kill("SIGKILL"), 10_000);
      child.once("exit", () => {
        clearTimeout(kill);
        done();
      });
      child.kill("SIGTERM");
    });
  return new Promise((resolve, reject) => {
    const timeout = setTimeout(() => {
      void stop();
      reject(new Error("the bench server did not start within 60 s"));
    }, 60_000);
    const lines = createInterface({ input: child.stdout! });
    let listening = false;
    lines.on("line", (line) => {
      const match = listening ? null : /^listening (\S+)/.exec(line);
      if (match) {
        listening = true;
        clearTimeout(timeout);
        resolve({ url: match[1]!, pid: child.pid!, stop });
      } else {
        // The server's own log (warnings and errors only): a 500's stack shows up here.
        process.stderr.write(`[server] ${line}\n`);
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timeout);
      reject(new Error(`the bench server exited (${signal ?? code}) before listening`));
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// Measuring

interface Operation {
  name: string;
  method: "GET" | "PATCH";
  /** Called for every request: a path (and body) of its own spreads the load over the jobs. */
  path: () => string;
  body?: () => string;
}

interface Measurement {
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  failed: number;
  errors: number;
  /** Set when the operation could not be measured: the answer to the one request tried first. */
  failure?: string;
}

/** A figure, or "-" when there is none (an operation that failed). */
function figure(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : "-";
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) {
    return Number.NaN;
  }
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

async function cannon(
  base: string,
  token: string,
  op: Operation,
  duration: number,
  connections = CONNECTIONS,
): Promise<Measurement> {
  // autocannon's own latency histogram counts whole milliseconds; the `response` event gives the
  // exact time, and sub-millisecond figures matter for the empty route and GET.
  const latencies: number[] = [];
  let failed = 0;
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (op.body) {
    headers["content-type"] = "application/json";
  }
  const instance = autocannon({
    url: base,
    connections,
    pipelining: 1,
    duration,
    timeout: 30,
    headers,
    requests: [
      {
        method: op.method,
        setupRequest: (request) => ({
          ...request,
          path: op.path(),
          ...(op.body ? { body: op.body() } : {}),
        }),
      },
    ],
  });
  instance.on("response", (_client, status, _bytes, ms) => {
    if (status >= 200 && status < 300) {
      latencies.push(ms);
    } else {
      failed++;
    }
  });
  const t0 = performance.now();
  const result = await instance;
  const elapsed = (performance.now() - t0) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  return {
    rps: latencies.length / elapsed,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    ok: latencies.length,
    failed,
    errors: result.errors,
  };
}

/** One request by hand first: an operation that fails is reported as failed, not measured as fast 4xx/5xx. */
async function probe(base: string, token: string, op: Operation): Promise<string | undefined> {
  const response = await fetch(base + op.path(), {
    method: op.method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(op.body ? { "content-type": "application/json" } : {}),
    },
    ...(op.body ? { body: op.body() } : {}),
  });
  if (!response.ok) {
    return `${response.status} ${(await response.text()).slice(0, 200)}`;
  }
  await response.arrayBuffer();
  return undefined;
}

async function measure(base: string, token: string, op: Operation): Promise<Measurement> {
  const failure = await probe(base, token, op);
  if (failure !== undefined) {
    log(`    ${op.name.padEnd(22)} !! not measured: the first request got ${failure}`);
    const none = Number.NaN;
    return { rps: none, p50: none, p99: none, ok: 0, failed: 1, errors: 0, failure };
  }
  await cannon(base, token, op, WARMUP_SECONDS);
  const m = await cannon(base, token, op, SECONDS);
  const trouble = m.failed + m.errors > 0 ? `  !! ${m.failed} non-2xx, ${m.errors} socket errors` : "";
  log(
    `    ${op.name.padEnd(22)} ${Math.round(m.rps).toString().padStart(6)} req/s  p50 ${m.p50.toFixed(2)} ms  p99 ${m.p99.toFixed(2)} ms${trouble}`,
  );
  return m;
}

/** Follows nextLink from the first page to the end, as a client would; returns every link seen. */
async function walkList(base: string, token: string, firstPath: string) {
  const links: string[] = [];
  let url: string | undefined = base + firstPath;
  let jobs = 0;
  const t0 = performance.now();
  while (url !== undefined) {
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) {
      throw new Error(`listing ${url}: ${response.status} ${(await response.text()).slice(0, 300)}`);
    }
    const page = (await response.json()) as { value: unknown[]; nextLink?: string };
    jobs += page.value.length;
    url = page.nextLink;
    if (url !== undefined) {
      links.push(url);
    }
  }
  return { links, jobs, pages: links.length + 1, ms: performance.now() - t0 };
}

// ---------------------------------------------------------------------------------------------------
// One engine, end to end

interface Row {
  engine: Engine;
  operation: string;
  m: Measurement;
  ratio: number;
  aim: string;
  /** List pages only: the same request from one connection, so with no queue in front of it. */
  alone?: Measurement;
}

interface EngineReport {
  engine: Engine;
  rows: Row[];
  notes: string[];
}

function verdict(pass: boolean): string {
  return pass ? "PASS" : "MISS";
}

/** The engine's figures, or undefined when its database cannot be had (PostgreSQL not running). */
async function benchEngine(engine: Engine): Promise<EngineReport | undefined> {
  const notes: string[] = [];
  log(`\n== ${engine}`);
  let database: BenchDatabase;
  try {
    database = engine === "sqlite" ? sqliteDatabase() : await postgresDatabase();
  } catch (error) {
    log(
      `!! ${engine} skipped: cannot create a database at ${PG_URL} (${(error as Error).message}); set BENCH_PG_URL`,
    );
    return undefined;
  }
  cleanups.push(database.drop);

  const deps = await openTestDeps(database.url, new TestClock(BENCH_NOW));
  let depsOpen = true;
  const closeDeps = async () => {
    if (depsOpen) {
      depsOpen = false;
      await deps.store.close();
    }
  };
  cleanups.push(closeDeps);

  let t0 = performance.now();
  await load(deps, JOBS);
  const loadMs = performance.now() - t0;
  if (engine === "postgres") {
    // What autovacuum would do within a minute of a bulk load; without it the planner guesses.
    // SQLite gets no ANALYZE: the service never runs one, so the bench does not either.
    await sql`analyze`.execute(deps.store.db);
  }
  const stored = await deps.store.direct.jobs.count();
  notes.push(
    `load: ${stored} jobs (1 drive each) in ${seconds(loadMs)} (${Math.round(stored / (loadMs / 1000))} jobs/s, ${BATCH} a transaction)`,
  );
  log(`  ${notes.at(-1)}`);

  // The sweep, as `sneakernet serve` runs it on its timer: once cold, then a few more for a steady figure.
  const sweepMs: number[] = [];
  let examined = 0;
  let changes = 0;
  for (let i = 0; i < 5; i++) {
    t0 = performance.now();
    const report = await sweep(deps, BENCH_NOW);
    sweepMs.push(performance.now() - t0);
    examined = report.examined;
    changes += report.changes.length;
  }
  const steady = [...sweepMs.slice(1)].sort((a, b) => a - b);
  notes.push(
    `sweep over ${stored} jobs, nothing due: first ${sweepMs[0]!.toFixed(1)} ms, median of next 4 ${percentile(Float64Array.from(steady), 0.5).toFixed(1)} ms; examined ${examined} jobs, ${changes} changes`,
  );
  log(`  ${notes.at(-1)}`);

  const { token } = await createToken(deps, {
    role: "customer",
    subscriptions: [SUBSCRIPTION],
    label: "bench",
  });
  // The server child gets the database to itself.
  await closeDeps();

  const server = await startServer(database.url);
  cleanups.push(server.stop);
  log(`  server: pid ${server.pid} at ${server.url}`);

  const jobsPath = `/subscriptions/${SUBSCRIPTION}/providers/${PROVIDER}/jobs`;
  const firstPage = `${jobsPath}?${API_VERSION}&$top=${PAGE}`;
  const walk = await walkList(server.url, token, firstPage);
  notes.push(
    `list walk (one client, following nextLink): ${walk.jobs} jobs in ${walk.pages} pages, ${seconds(walk.ms)} (${(walk.ms / walk.pages).toFixed(2)} ms a page)`,
  );
  log(`  ${notes.at(-1)}`);
  if (walk.jobs !== stored) {
    notes.push(`!! the list walk saw ${walk.jobs} jobs of ${stored}`);
    log(`  ${notes.at(-1)}`);
  }
  // 90% of the way through the list: the keyset query must be as quick there as on page one.
  const deepLink = walk.links[Math.floor(walk.links.length * 0.9)];
  const deepPage = deepLink === undefined ? undefined : new URL(deepLink);

  const randomJobPath = () => {
    const i = Math.floor(Math.random() * JOBS);
    return `/subscriptions/${SUBSCRIPTION}/resourceGroups/${resourceGroupOf(i)}/providers/${PROVIDER}/jobs/${jobName(i)}?${API_VERSION}`;
  };
  let tag = 0;
  const operations: Operation[] = [
    { name: "empty route", method: "GET", path: () => "/bench/empty" },
    { name: "GET job", method: "GET", path: randomJobPath },
    { name: `list page 1 ($top=${PAGE})`, method: "GET", path: () => firstPage },
    ...(deepPage
      ? [
          {
            name: `list page ${Math.floor(walk.links.length * 0.9) + 2} (nextLink)`,
            method: "GET" as const,
            path: () => deepPage.pathname + deepPage.search,
          },
        ]
      : []),
    // What the portal's job list asks: twenty at a time, by state, and a search by name.
    {
      name: "list portal page ($top=20, by state)",
      method: "GET",
      path: () =>
        `${jobsPath}?${API_VERSION}&$top=20&$filter=${encodeURIComponent("state eq 'Transferring'")}`,
    },
    {
      name: "list portal search (contains name)",
      method: "GET",
      path: () =>
        `${jobsPath}?${API_VERSION}&$top=20&$filter=${encodeURIComponent(`contains(name,'${String(Math.floor(Math.random() * JOBS)).padStart(6, "0")}')`)}`,
    },
    {
      name: "PATCH tags (no If-Match)",
      method: "PATCH",
      path: randomJobPath,
      body: () => JSON.stringify({ tags: { team: "bench", run: String(tag++) } }),
    },
  ];

  log(`  measuring (${WARMUP_SECONDS} s warm-up + ${SECONDS} s each, ${CONNECTIONS} connections):`);
  const rows: Row[] = [];
  // The empty route first and again last: on a shared machine the load can drift during a run, so
  // the ratios are against the mean of the two, and the pair shows how much it drifted.
  const emptyRoute = operations[0]!;
  for (const op of [...operations, { ...emptyRoute, name: "empty route (again)" }]) {
    const m = await measure(server.url, token, op);
    rows.push({ engine, operation: op.name, m, ratio: Number.NaN, aim: "" });
  }
  const baseline = (rows[0]!.m.rps + rows.at(-1)!.m.rps) / 2;
  for (const row of rows) {
    row.ratio = row.m.rps / baseline;
    if (row.operation === "GET job") {
      row.aim = `≥ ${AIM_GET_RATIO}× empty: ${verdict(row.ratio >= AIM_GET_RATIO)}`;
    } else if (row.operation.startsWith("list")) {
      row.aim = `p50 ≤ ${AIM_LIST_P50_MS} ms: ${verdict(row.m.p50 <= AIM_LIST_P50_MS)}`;
    }
  }

  // With 10 connections a page's p50 is mostly time spent queued behind the other nine (p50 ≈
  // connections ÷ throughput); one connection shows what a single client waits. Already warm.
  log(`  list pages again from 1 connection (${SECONDS} s each):`);
  for (const row of rows.filter((r) => r.operation.startsWith("list") && r.m.failure === undefined)) {
    const op = operations.find((o) => o.name === row.operation)!;
    row.alone = await cannon(server.url, token, op, SECONDS, 1);
    const a = row.alone;
    notes.push(
      `${row.operation} from 1 connection: ${Math.round(a.rps)} req/s, p50 ${a.p50.toFixed(2)} ms, p99 ${a.p99.toFixed(2)} ms`,
    );
    log(`    ${notes.at(-1)}`);
  }

  await server.stop();
  return { engine, rows, notes };
}

// ---------------------------------------------------------------------------------------------------
// Report

function table(reports: EngineReport[]): string {
  const header = ["engine", "operation", "req/s", "vs empty", "p50 ms", "p99 ms", "aim"];
  const body = reports.flatMap((r) =>
    r.rows.map((row) => [
      row.engine,
      row.operation,
      figure(row.m.rps, 0),
      `${figure(row.ratio, 2)}×`,
      figure(row.m.p50, 2),
      figure(row.m.p99, 2),
      row.aim +
        (row.m.failure !== undefined
          ? `  !! failed: HTTP ${row.m.failure.slice(0, 3)}`
          : row.m.failed + row.m.errors > 0
            ? `  !! ${row.m.failed} non-2xx, ${row.m.errors} errors`
            : ""),
    ]),
  );
  const numeric = new Set([2, 3, 4, 5]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((cells) => cells[c]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (numeric.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}

async function main(): Promise<void> {
  log(
    `Sneakernet API bench: ${JOBS} jobs, engines ${ENGINES.join(", ")}; autocannon with ${CONNECTIONS} connections, ` +
      `pipelining 1, ${WARMUP_SECONDS} s warm-up then ${SECONDS} s per measurement.`,
  );
  log(
    `The server runs in a child process (bench/server.ts), autocannon in this one; ${cpus().length} CPU cores, ` +
      "shared with whatever else runs on this machine. Ratios are against an empty route on the same server, same run (the mean of its two measurements, first and last).",
  );
  const reports: EngineReport[] = [];
  for (const engine of ENGINES) {
    try {
      const report = await benchEngine(engine);
      if (report) {
        reports.push(report);
      }
    } finally {
      await cleanUp();
    }
  }

  log(`\n${table(reports)}`);
  for (const report of reports) {
    log(`\n${report.engine}:`);
    for (const note of report.notes) {
      log(`  ${note}`);
    }
  }
  log(
    `\nAim: GET ≥ ${AIM_GET_RATIO}× the empty route; a list page p50 ≤ ${AIM_LIST_P50_MS} ms  ` +
      `(judged on the table, ${CONNECTIONS} connections)`,
  );
  for (const report of reports) {
    for (const row of report.rows.filter((r) => r.aim !== "")) {
      const alone = row.alone
        ? `   (1 connection: p50 ${row.alone.p50.toFixed(2)} ms, ${verdict(row.alone.p50 <= AIM_LIST_P50_MS)})`
        : "";
      log(`  ${report.engine.padEnd(8)} ${row.operation.padEnd(24)} ${row.aim}${alone}`);
    }
  }
  log(`\nWhole bench: ${seconds(performance.now() - started)}.`);
}

process.on("SIGINT", () => {
  console.error("\ninterrupted: cleaning up");
  void cleanUp().finally(() => process.exit(130));
});

try {
  await main();
} finally {
  await cleanUp();
}
