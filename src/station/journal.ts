/**
 * @module The station's per-drive journal in SQLite: the blob each file goes to (decided before its
 * first byte), the blocks staged, the files committed. It survives a kill -9 of the station (WAL: a
 * committed write is in the file before the call returns), and it is only a hint — the engine checks
 * storage on resume.
 */

import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

import Database from "better-sqlite3";

import type { FileDecision, ImportJournal, JournalFile } from "../transfer/import/contract.js";

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS files (
    file_id INTEGER PRIMARY KEY,
    blob_name TEXT NOT NULL,
    status TEXT NOT NULL,
    committed INTEGER NOT NULL DEFAULT 0,
    provisional INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE IF NOT EXISTS blocks (
    file_id INTEGER NOT NULL,
    block INTEGER NOT NULL,
    PRIMARY KEY (file_id, block)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS drive (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

/**
 * Where a drive's journal lives: one file per (job, drive), since a drive can come back in another job;
 * an export's is a file of its own (its schema is another).
 */
export function journalPath(
  stateDir: string,
  jobId: string,
  driveId: string,
  kind: "import" | "export" = "import",
): string {
  const job = createHash("sha256").update(jobId.toLowerCase()).digest("hex").slice(0, 16);
  const name = `${job}-${driveId.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  // The import's name is as it always was: a station updated mid-copy finds its journal.
  return join(stateDir, "journals", kind === "export" ? `${name}.export.sqlite` : `${name}.sqlite`);
}

export class SqliteJournal implements ImportJournal {
  private readonly db: Database.Database;
  private readonly statements;
  /** Blocks read once per file from disk, then kept in step with every write. */
  private readonly blockCache = new Map<number, Set<number>>();

  private constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma("journal_mode = WAL");
    // NORMAL: a process killed at any point loses nothing committed; only a power cut could lose the
    // last writes, and the engine re-checks storage on resume anyway.
    this.db.pragma("synchronous = NORMAL");
    this.db.exec(SCHEMA);
    const columns = this.db.pragma("table_info(files)") as { name: string }[];
    if (!columns.some((column) => column.name === "provisional")) {
      // A journal a station before the small-file fast path started: its copy resumes with the new one.
      this.db.exec("ALTER TABLE files ADD COLUMN provisional INTEGER NOT NULL DEFAULT 0");
    }
    this.statements = {
      file: this.db.prepare<
        [number],
        { blob_name: string; status: string; committed: number; provisional: number }
      >("SELECT blob_name, status, committed, provisional FROM files WHERE file_id = ?"),
      decide: this.db.prepare(
        "INSERT INTO files (file_id, blob_name, status, provisional) VALUES (?, ?, ?, ?) ON CONFLICT (file_id) DO UPDATE SET blob_name = excluded.blob_name, status = excluded.status, provisional = excluded.provisional",
      ),
      blocks: this.db.prepare<[number], { block: number }>("SELECT block FROM blocks WHERE file_id = ?"),
      blockDone: this.db.prepare("INSERT OR IGNORE INTO blocks (file_id, block) VALUES (?, ?)"),
      committed: this.db.prepare("UPDATE files SET committed = 1 WHERE file_id = ?"),
      forget: this.db.prepare("DELETE FROM blocks WHERE file_id = ?"),
      getValue: this.db.prepare<[string], { value: string }>("SELECT value FROM drive WHERE key = ?"),
      setValue: this.db.prepare(
        "INSERT INTO drive (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      ),
    };
  }

  /** Opens (or creates) the journal at `path`, its folder too. */
  static open(path: string): SqliteJournal {
    mkdirSync(join(path, ".."), { recursive: true, mode: 0o700 });
    return new SqliteJournal(path);
  }

  file(fileId: number): JournalFile | undefined {
    const row = this.statements.file.get(fileId);
    return row
      ? {
          blobName: row.blob_name,
          status: row.status as FileDecision["status"],
          committed: row.committed === 1,
          ...(row.provisional === 1 ? { provisional: true } : {}),
        }
      : undefined;
  }

  decide(fileId: number, decision: FileDecision): void {
    this.statements.decide.run(fileId, decision.blobName, decision.status, decision.provisional ? 1 : 0);
  }

  blocksDone(fileId: number): ReadonlySet<number> {
    let blocks = this.blockCache.get(fileId);
    if (!blocks) {
      blocks = new Set(this.statements.blocks.all(fileId).map((row) => row.block));
      this.blockCache.set(fileId, blocks);
    }
    return blocks;
  }

  blockDone(fileId: number, index: number): void {
    this.statements.blockDone.run(fileId, index);
    this.blockCache.get(fileId)?.add(index);
  }

  committed(fileId: number): void {
    this.statements.committed.run(fileId);
    // A committed file's blocks are never asked for again.
    this.statements.forget.run(fileId);
    this.blockCache.delete(fileId);
  }

  forgetBlocks(fileId: number): void {
    this.statements.forget.run(fileId);
    this.blockCache.delete(fileId);
  }

  /** A value about the drive's copy as a whole (when it started, its log names). */
  get(key: string): string | undefined {
    return this.statements.getValue.get(key)?.value;
  }

  set(key: string, value: string): void {
    this.statements.setValue.run(key, value);
  }

  close(): void {
    this.db.close();
  }
}
