/**
 * @module The station's per-drive export journal in SQLite: the plan (saved whole, once, in one
 * transaction), the files written and durable on the drive, and the snapshots the export made. It
 * survives a kill -9 (WAL), and it is only a hint about the drive: the engine reads back what it claims.
 */

import { mkdirSync } from "node:fs";
import { join } from "node:path";

import Database from "better-sqlite3";

import type { ManifestFile } from "../transfer/drive/index.js";
import type { ExportJournal, ExportPlan, LeftOut, PlannedBlob } from "../transfer/export/contract.js";

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS plan (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS planned (seq INTEGER PRIMARY KEY, blob TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS left_out (n INTEGER PRIMARY KEY, item TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS written (seq INTEGER PRIMARY KEY, file TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS temp_snapshots (seq INTEGER PRIMARY KEY, snapshot TEXT NOT NULL);
`;

export class SqliteExportJournal implements ExportJournal {
  private readonly db: Database.Database;
  private readonly statements;

  private constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma("journal_mode = WAL");
    // NORMAL: a killed process loses nothing committed; the engine re-reads the drive on resume anyway.
    this.db.pragma("synchronous = NORMAL");
    this.db.exec(SCHEMA);
    this.statements = {
      getPlan: this.db.prepare<[string], { value: string }>("SELECT value FROM plan WHERE key = ?"),
      setPlan: this.db.prepare("INSERT OR REPLACE INTO plan (key, value) VALUES (?, ?)"),
      planned: this.db.prepare<[], { blob: string }>("SELECT blob FROM planned ORDER BY seq"),
      plan: this.db.prepare("INSERT OR REPLACE INTO planned (seq, blob) VALUES (?, ?)"),
      leftOut: this.db.prepare<[], { item: string }>("SELECT item FROM left_out ORDER BY n"),
      leave: this.db.prepare("INSERT INTO left_out (item) VALUES (?)"),
      written: this.db.prepare<[], { seq: number; file: string }>("SELECT seq, file FROM written"),
      write: this.db.prepare("INSERT OR REPLACE INTO written (seq, file) VALUES (?, ?)"),
      forget: this.db.prepare("DELETE FROM written WHERE seq = ?"),
      snapshot: this.db.prepare<[number], { snapshot: string }>(
        "SELECT snapshot FROM temp_snapshots WHERE seq = ?",
      ),
      setSnapshot: this.db.prepare("INSERT OR REPLACE INTO temp_snapshots (seq, snapshot) VALUES (?, ?)"),
      dropSnapshot: this.db.prepare("DELETE FROM temp_snapshots WHERE seq = ?"),
    };
  }

  /** Opens (or creates) the journal at `path`, its folder too. */
  static open(path: string): SqliteExportJournal {
    mkdirSync(join(path, ".."), { recursive: true, mode: 0o700 });
    return new SqliteExportJournal(path);
  }

  plan(): ExportPlan | undefined {
    const saved = this.statements.getPlan.get("plan");
    if (!saved) {
      return undefined;
    }
    const head = JSON.parse(saved.value) as Pick<ExportPlan, "capacityBytes" | "unmatched">;
    return {
      ...head,
      blobs: this.statements.planned.all().map((row) => JSON.parse(row.blob) as PlannedBlob),
      leftOut: this.statements.leftOut.all().map((row) => JSON.parse(row.item) as LeftOut),
    };
  }

  savePlan(plan: ExportPlan): void {
    this.db.transaction(() => {
      for (const blob of plan.blobs) {
        this.statements.plan.run(blob.seq, JSON.stringify(blob));
      }
      for (const item of plan.leftOut) {
        this.statements.leave.run(JSON.stringify(item));
      }
      // Last: a plan is there only once all of it is.
      this.statements.setPlan.run(
        "plan",
        JSON.stringify({ capacityBytes: plan.capacityBytes, unmatched: plan.unmatched ?? [] }),
      );
    })();
  }

  replanBlob(blob: PlannedBlob): void {
    this.statements.plan.run(blob.seq, JSON.stringify(blob));
  }

  written(): Map<number, ManifestFile> {
    return new Map(
      this.statements.written.all().map((row) => [row.seq, JSON.parse(row.file) as ManifestFile]),
    );
  }

  recordWritten(entries: { seq: number; file: ManifestFile }[]): void {
    this.db.transaction(() => {
      for (const { seq, file } of entries) {
        this.statements.write.run(seq, JSON.stringify(file));
      }
    })();
  }

  forgetWritten(seq: number): void {
    this.statements.forget.run(seq);
  }

  tempSnapshot(seq: number): string | undefined {
    return this.statements.snapshot.get(seq)?.snapshot;
  }

  setTempSnapshot(seq: number, snapshot: string | undefined): void {
    if (snapshot === undefined) {
      this.statements.dropSnapshot.run(seq);
    } else {
      this.statements.setSnapshot.run(seq, snapshot);
    }
  }

  /** A value about the export as a whole (when its reports were stamped). */
  get(key: string): string | undefined {
    return this.statements.getPlan.get(`value:${key}`)?.value;
  }

  set(key: string, value: string): void {
    this.statements.setPlan.run(`value:${key}`, value);
  }

  close(): void {
    this.db.close();
  }
}
