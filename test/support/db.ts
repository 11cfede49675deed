/** @module A fresh, migrated database per test file: a copy of the SQLite template, or a PostgreSQL TEMPLATE copy. */

import { randomBytes } from "node:crypto";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, type TestContext } from "node:test";

import pg from "pg";

export const ROOT = new URL("../../", import.meta.url).pathname;
/**
 * Each run of the suite (scripts/run-tests.mjs) has its own id, so two runs on one machine never touch
 * each other's templates or databases. The id starts with the run's start time (base 36, seconds), which
 * lets a later run drop what a crashed one left behind.
 */
export const RUN_ID = process.env.SNEAKERNET_TEST_RUN_ID ?? "adhoc";
export const TMP = join(ROOT, ".tmp", "test", RUN_ID);
export const SQLITE_TEMPLATE = join(TMP, "template.sqlite");
export const PG_TEMPLATE = `sn_tpl_${RUN_ID}`;

/** The PostgreSQL the runner found (scripts/run-tests.mjs), if any. */
export function postgresUrl(): string | undefined {
  return process.env.SNEAKERNET_TEST_PG_URL;
}

export function requireAll(): boolean {
  return process.env.SNEAKERNET_REQUIRE_ALL === "1";
}

/**
 * The PostgreSQL URL, or a loud skip when there is none — and a failure under SNEAKERNET_REQUIRE_ALL=1,
 * so CI never passes with a suite silently left out.
 */
export function postgresOrSkip(t: TestContext): string | undefined {
  const url = postgresUrl();
  if (url) {
    return url;
  }
  if (requireAll()) {
    throw new Error(
      "PostgreSQL is required (SNEAKERNET_REQUIRE_ALL=1) but none was reachable: set DATABASE_URL.",
    );
  }
  console.error(`!! SKIPPED (no PostgreSQL): ${t.name}`);
  t.skip("PostgreSQL not reachable; set DATABASE_URL");
  return undefined;
}

function unique(label: string): string {
  return `${label
    .replace(/[^a-z0-9]/gi, "_")
    .toLowerCase()
    .slice(0, 30)}_${randomBytes(4).toString("hex")}`;
}

/** A copy of the migrated SQLite template; removed by the returned cleanup. */
export function freshSqlite(label: string): { url: string; cleanup: () => void } {
  mkdirSync(TMP, { recursive: true });
  const file = join(TMP, `${unique(label)}.sqlite`);
  copyFileSync(SQLITE_TEMPLATE, file);
  return {
    url: file,
    cleanup: () => {
      for (const suffix of ["", "-wal", "-shm"]) {
        rmSync(file + suffix, { force: true });
      }
    },
  };
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function admin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A new PostgreSQL database copied from the migrated template — or, with `empty`, one never migrated (for
 * tests of migrating itself); dropped by the returned cleanup, or by the runner if the run crashes.
 */
export async function freshPostgres(
  baseUrl: string,
  label: string,
  options: { empty?: boolean } = {},
): Promise<{ url: string; cleanup: () => Promise<void> }> {
  const name = `sn_test_${RUN_ID}_${unique(label)}`.slice(0, 63);
  await admin(baseUrl, async (client) => {
    // Two files copying the template at the same instant can collide; the second simply tries again.
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE "${name}"${options.empty ? "" : ` TEMPLATE "${PG_TEMPLATE}"`}`);
        return;
      } catch (error) {
        if (attempt >= 10) {
          throw error;
        }
        await new Promise((r) => setTimeout(r, 100 * attempt));
      }
    }
  });
  return {
    url: withDatabase(baseUrl, name),
    cleanup: () =>
      admin(baseUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}

/**
 * Cleanups run after every test of the file, last pushed first (a store closes before its database goes).
 * Call it at the top level of a test file.
 */
export function cleanupsAfterAll(): (() => unknown)[] {
  const cleanups: (() => unknown)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) {
      await cleanup();
    }
  });
  return cleanups;
}

/**
 * For a test that needs PostgreSQL: a fresh database of its own (a template copy, or `empty`), dropped by
 * `cleanups`; undefined when there is no PostgreSQL, and the test then skips itself loudly (postgresOrSkip).
 */
export async function postgresForTest(
  t: TestContext,
  label: string,
  cleanups: (() => unknown)[],
  options: { empty?: boolean } = {},
): Promise<{ base: string; url: string } | undefined> {
  const base = postgresOrSkip(t);
  if (base === undefined) {
    return undefined;
  }
  const db = await freshPostgres(base, label, options);
  cleanups.push(db.cleanup);
  return { base, url: db.url };
}

export { withDatabase };
