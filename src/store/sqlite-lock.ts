/** @module SQLite's write lock, taken up front and waited for without stalling the process. */

import { type Kysely, sql } from "kysely";

import { SQLITE_BUSY_TIMEOUT_MS } from "./dialect.js";
import type { Database } from "./schema.js";

/** How long a writer polls for the lock before giving up with SQLite's own "database is locked". */
const LOCK_WAIT_MS = 30_000;
const POLL_MS = 10;

function isBusy(error: unknown): boolean {
  return String((error as { code?: unknown } | null)?.code ?? "").startsWith("SQLITE_BUSY");
}

/**
 * Runs `work` in a transaction that holds the write lock from its first statement (BEGIN IMMEDIATE).
 * A deferred BEGIN reads first and asks for the lock at its first write: if another process committed in
 * between, SQLite refuses at once (SQLITE_BUSY_SNAPSHOT, "database is locked") and no busy timeout helps.
 * The wait polls with the busy timeout off, because SQLite's own busy wait blocks the event loop — and
 * with it a lock holder in this same process (a second store, or a migration).
 */
export async function withSqliteWriteLock<T>(
  db: Kysely<Database>,
  work: (conn: Kysely<Database>) => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`pragma busy_timeout = 0`.execute(conn);
    try {
      for (let waited = 0; ; waited += POLL_MS) {
        try {
          await sql`begin immediate`.execute(conn);
          break;
        } catch (error) {
          if (!isBusy(error) || waited >= LOCK_WAIT_MS) {
            throw error;
          }
          await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        }
      }
    } finally {
      // Holding the lock, nothing in the transaction can be busy; other writes keep the usual timeout.
      await sql.raw(`pragma busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`).execute(conn);
    }
    try {
      const result = await work(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (error) {
      // If SQLite already rolled back on its own, the original error is still the one to report.
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw error;
    }
  });
}
