/** @module The store: one database (SQLite or PostgreSQL), its repositories, and one transaction per use case. */

import type { Kysely } from "kysely";

import { type Dialect, openKysely, type OpenOptions } from "./dialect.js";
import { DriveRepository } from "./drives.js";
import { HistoryRepository } from "./history.js";
import { JobRepository } from "./jobs.js";
import { LocationRepository } from "./locations.js";
import { migrateToLatest } from "./migrate.js";
import { PackageRepository } from "./packages.js";
import type { Database } from "./schema.js";
import { withSqliteWriteLock } from "./sqlite-lock.js";
import { StationRepository } from "./stations.js";
import { StorageAccountRepository } from "./storage-accounts.js";
import { TokenRepository } from "./tokens.js";

export interface Repositories {
  jobs: JobRepository;
  drives: DriveRepository;
  history: HistoryRepository;
  tokens: TokenRepository;
  locations: LocationRepository;
  storageAccounts: StorageAccountRepository;
  packages: PackageRepository;
  stations: StationRepository;
}

function repositories(db: Kysely<Database>, lockRows = false): Repositories {
  return {
    jobs: new JobRepository(db, lockRows),
    drives: new DriveRepository(db, lockRows),
    history: new HistoryRepository(db, lockRows),
    tokens: new TokenRepository(db),
    locations: new LocationRepository(db),
    storageAccounts: new StorageAccountRepository(db),
    packages: new PackageRepository(db),
    stations: new StationRepository(db),
  };
}

export class Store {
  /**
   * Repositories outside any transaction: each call stands alone. For reads that need no consistency
   * across tables, and for single writes that decide nothing (a token, a heartbeat, a registry entry);
   * anything that reads to decide what it writes goes through `transaction`.
   */
  readonly direct: Repositories;

  private constructor(
    readonly db: Kysely<Database>,
    readonly dialect: Dialect,
  ) {
    this.direct = repositories(db);
  }

  /** Opens the database at `url` (a SQLite path or `postgres://…`) and applies pending migrations. */
  static async open(url: string, options: OpenOptions & { migrate?: boolean } = {}): Promise<Store> {
    const { db, dialect } = openKysely(url, options);
    const store = new Store(db, dialect);
    if (options.migrate !== false) {
      try {
        await migrateToLatest(db, dialect);
      } catch (error) {
        await db.destroy();
        throw error;
      }
    }
    return store;
  }

  /**
   * Runs `work` in one transaction: everything it wrote commits together, or nothing does. What it reads
   * of a job cannot go stale before it writes: on SQLite the transaction takes the write lock up front, on
   * PostgreSQL reading a job locks its row until the transaction ends, and so does asking who holds a
   * drive serial lock that serial (a transaction-scoped advisory lock). On PostgreSQL the history it
   * appended is written last, so history ids become visible in commit order.
   */
  transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T> {
    if (this.dialect === "sqlite") {
      return withSqliteWriteLock(this.db, (conn) => work(repositories(conn)));
    }
    return this.db.transaction().execute(async (trx) => {
      const repos = repositories(trx, true);
      const result = await work(repos);
      await repos.history.flush(); // Last, just before the commit: see HistoryRepository.flush.
      return result;
    });
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
