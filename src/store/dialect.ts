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

/**
 * Kysely prepares every query anew; preparing costs more than running our small queries. Statements are
 * reusable (SQLite re-prepares them itself after a schema change), and every query here runs to
 * completion before the next starts on this one connection, so one statement per SQL text is safe.
 */
function cachePreparedStatements(database: SqliteDatabase.Database): void {
  const prepare = database.prepare.bind(database);
  const cache = new Map<string, SqliteDatabase.Statement>();
  database.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (!statement) {
      statement = prepare(source);
      if (cache.size >= 1000) {
        cache.clear(); // Queries are built from a fixed set of shapes; this only bounds a surprise.
      }
      cache.set(source, statement);
    }
    return statement;
  }) as typeof database.prepare;
}

export interface OpenOptions {
  /** PostgreSQL pool size. */
  poolSize?: number;
  /** Told when PostgreSQL ends an idle pooled connection (the pool recovers by itself). */
  onIdleError?: (error: Error) => void;
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
    // An idle connection that the server ends (a restart, an administrator, idle_session_timeout) is
    // reported on the pool. Unheard, that event would crash the process; the pool has already dropped
    // the broken client, the next query connects afresh, and a query in flight fails on its own.
    pool.on("error", (error) => options.onIdleError?.(error));
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
  cachePreparedStatements(database);
  return { db: new Kysely<Database>({ dialect: new SqliteDialect({ database }) }), dialect };
}
