/**
 * @module An ImportJournal in memory: for tests, and for dry runs that need no restart. The station keeps
 * its own in SQLite; both answer the same seam (contract.ts).
 */

import type { FileDecision, ImportJournal, JournalFile } from "./contract.js";

interface Entry {
  decision?: FileDecision;
  committed: boolean;
  blocks: Set<number>;
}

export class MemoryJournal implements ImportJournal {
  private readonly entries = new Map<number, Entry>();

  private entry(fileId: number): Entry {
    let entry = this.entries.get(fileId);
    if (!entry) {
      entry = { committed: false, blocks: new Set() };
      this.entries.set(fileId, entry);
    }
    return entry;
  }

  file(fileId: number): JournalFile | undefined {
    const entry = this.entries.get(fileId);
    return entry?.decision ? { ...entry.decision, committed: entry.committed } : undefined;
  }

  decide(fileId: number, decision: FileDecision): void {
    this.entry(fileId).decision = { ...decision };
  }

  blocksDone(fileId: number): ReadonlySet<number> {
    return new Set(this.entries.get(fileId)?.blocks ?? []);
  }

  blockDone(fileId: number, index: number): void {
    this.entry(fileId).blocks.add(index);
  }

  committed(fileId: number): void {
    this.entry(fileId).committed = true;
  }

  forgetBlocks(fileId: number): void {
    const entry = this.entry(fileId);
    entry.blocks.clear();
    entry.committed = false;
  }
}
