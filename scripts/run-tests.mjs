// Runs every suite: builds dist/ (the e2e tests start the real `sneakernet` bin, the browser tests its portal), finds PostgreSQL,
// prepares the template databases once, then hands all test files to Node's test runner, whose
// summary is the last thing printed.
import { spawnSync } from "node:child_process";
import { readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

import pg from "pg";

const root = new URL("..", import.meta.url).pathname;

function run(cmd, args, env = process.env) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env });
  if (result.status !== 0) {
    process.exit(result.status ?? 1);
  }
}

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      out.push(...findTests(path));
    } else if (name.endsWith(".test.ts")) {
      out.push(path);
    }
  }
  return out.sort();
}

/** The PostgreSQL to test against: DATABASE_URL, else the local default if it answers. */
async function findPostgres() {
  const candidates = [process.env.DATABASE_URL, "postgres://postgres@127.0.0.1:5432/test"].filter(Boolean);
  for (const url of candidates) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query("select 1");
      return url;
    } catch {
      // Try the next candidate; the suites say loudly when none answered.
    } finally {
      await client.end().catch(() => {});
    }
  }
  return undefined;
}

/** Drops this run's databases; what a crashed run leaves is dropped by a later run's prepare step. */
async function dropOwnDatabases(url, runId) {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const own = await client.query("SELECT datname FROM pg_database WHERE datname LIKE $1", [
      `sn_%${runId}%`,
    ]);
    for (const { datname } of own.rows) {
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } catch {
    // Best effort: never let cleanup change the run's verdict.
  } finally {
    await client.end().catch(() => {});
  }
}

// A run id that starts with the start time, so a later run can tell a crashed run's leftovers (test/support/db.ts).
const runId = `${Math.floor(Date.now() / 1000).toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const env = { ...process.env, SNEAKERNET_TEST_RUN_ID: runId };
const pgUrl = await findPostgres();

// Suites get PostgreSQL only as SNEAKERNET_TEST_PG_URL and make their own databases from it: a
// DATABASE_URL left in the environment would point every server a test spawns at one shared database.
// The same holds for the service's other settings: each test passes what it needs.
for (const name of [
  "DATABASE_URL",
  "SNEAKERNET_DATA_DIR",
  "SNEAKERNET_PORT",
  "SNEAKERNET_HOST",
  "SNEAKERNET_MASTER_KEY",
  "SNEAKERNET_TOKEN",
  "SNEAKERNET_ENDPOINT",
  "SNEAKERNET_AZURITE",
  "SNEAKERNET_STATION",
  "SNEAKERNET_AZURITE_PORT",
  "SNEAKERNET_STATION_CONCURRENCY",
]) {
  delete env[name];
}
if (pgUrl) {
  env.SNEAKERNET_TEST_PG_URL = pgUrl;
} else {
  console.error("!! PostgreSQL is not reachable: the PostgreSQL suites will be SKIPPED (set DATABASE_URL).");
}

run("npx", ["tsc", "-p", "tsconfig.build.json"], env);
run(process.execPath, ["scripts/build-web.mjs"], env); // the browser tests load the portal from dist/web
run(process.execPath, ["--import", "tsx", "test/support/prepare.ts"], env);

const files = process.argv.slice(2).length > 0 ? process.argv.slice(2) : findTests(join(root, "test"));
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-concurrency=2", "--test-reporter=spec", ...files],
  { cwd: root, stdio: "inherit", env },
);

// This run's databases and files go with it; the summary above stays the last thing printed.
if (pgUrl) {
  await dropOwnDatabases(pgUrl, runId);
}
rmSync(join(root, ".tmp", "test", runId), { recursive: true, force: true });
process.exit(result.status ?? 1);
