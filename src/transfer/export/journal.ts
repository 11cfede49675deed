/**
 * @module An ExportJournal in memory: for tests and `drive preview-export`-like dry runs. The station
 * keeps its own in SQLite; both answer the same seam (contract.ts).
 */

import type { ManifestFile } from "../drive/index.js";
import type { ExportJournal, ExportPlan, PlannedBlob } from "./contract.js";

export class MemoryExportJournal implements ExportJournal {
  private saved?: ExportPlan;
  private readonly files = new Map<number, ManifestFile>();
  private readonly snapshots = new Map<number, string>();

  plan(): ExportPlan | undefined {
    return this.saved && structuredClone(this.saved);
  }

  savePlan(plan: ExportPlan): void {
    this.saved = structuredClone(plan);
  }

  replanBlob(blob: PlannedBlob): void {
    if (this.saved) {
      this.saved.blobs = this.saved.blobs.map((old) => (old.seq === blob.seq ? structuredClone(blob) : old));
    }
  }

  written(): Map<number, ManifestFile> {
    return new Map([...this.files].map(([seq, file]) => [seq, structuredClone(file)]));
  }

  recordWritten(entries: { seq: number; file: ManifestFile }[]): void {
    for (const { seq, file } of entries) {
      this.files.set(seq, structuredClone(file));
    }
  }

  forgetWritten(seq: number): void {
    this.files.delete(seq);
  }

  tempSnapshot(seq: number): string | undefined {
    return this.snapshots.get(seq);
  }

  setTempSnapshot(seq: number, snapshot: string | undefined): void {
    if (snapshot === undefined) {
      this.snapshots.delete(seq);
    } else {
      this.snapshots.set(seq, snapshot);
    }
  }
}
