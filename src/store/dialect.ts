/** @module Opening a database: SQLite (a file, WAL) or PostgreSQL (a URL); the only engine-specific setup. */

import { mkdirSync } from "node:fs";
import { dirname } from "node:path";

import SqliteDatabase from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";

import type { Database } from "./schema.js";

export type Dialect = "sqlite" | "postgres";

export function dialectOf(url: string): Dialect {
  return /^postgres(ql)?:\/\//i.test(url) ? "postgres" : "sqlite";
}

/** int8 (bigint) columns hold byte counts well below 2^53: read them as numbers, not strings. */
function pgTypeParser(oid: number, format?: string) {
  if (oid === 20) {
    return (value: string) => Number(value);
  }
  return pg.types.getTypeParser(oid, format as "text");
}

/** How long a SQLite writer waits for another process's write lock before failing. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

export interface OpenOptions {
  /** PostgreSQL pool size. */
  poolSize?: number;
}

/** `url` is `postgres://…` or a SQLite file path (optionally `sqlite:` / `file:` prefixed). */
export function openKysely(
  url: string,
  options: OpenOptions = {},
): { db: Kysely<Database>; dialect: Dialect } {
  const dialect = dialectOf(url);
  if (dialect === "postgres") {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      types: { getTypeParser: pgTypeParser } as pg.CustomTypesConfig,
    });
    return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), dialect };
  }
  const file = url.replace(/^(sqlite|file):/, "");
  if (file !== ":memory:") {
    mkdirSync(dirname(file), { recursive: true });
  }
  const database = new SqliteDatabase(file);
  // WAL lets readers go on while one writer commits; busy_timeout makes a second process wait instead
  // of failing at once when it meets the write lock.
  database.pragma("journal_mode = WAL");
  database.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  database.pragma("synchronous = NORMAL");
  database.pragma("foreign_keys = ON");
  return { db: new Kysely<Database>({ dialect: new SqliteDialect({ database }) }), dialect };
}
