// Runs every suite: builds dist/ (the e2e tests start the real `sneakernet` bin), finds PostgreSQL,
// prepares the template databases once, then hands all test files to Node's test runner, whose
// summary is the last thing printed.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
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

const env = { ...process.env };
const pgUrl = await findPostgres();
if (pgUrl) {
  env.SNEAKERNET_TEST_PG_URL = pgUrl;
} else {
  console.error("!! PostgreSQL is not reachable: the PostgreSQL suites will be SKIPPED (set DATABASE_URL).");
}

run("npx", ["tsc", "-p", "tsconfig.build.json"], env);
run(process.execPath, ["--import", "tsx", "test/support/prepare.ts"], env);

const files = process.argv.slice(2).length > 0 ? process.argv.slice(2) : findTests(join(root, "test"));
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-concurrency=2", "--test-reporter=spec", ...files],
  { cwd: root, stdio: "inherit", env },
);
process.exit(result.status ?? 1);
