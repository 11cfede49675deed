/**
 * @module PreviewExport (formats.md §2.5, §3.8): how many drives of a given size an export needs, which
 * blobs go on which, and what cannot be exported and why — packed by the same plan a station fills a
 * drive with, so the preview and the export agree.
 */

import { formatByteSize } from "../../domain/size.js";
import type { SourceBlob } from "../blob/source.js";
import type { LeftOut } from "./contract.js";
import { DRIVE_RESERVE_BYTES, footprintOf, notExportable, planDrive, type SelectedBlobs } from "./plan.js";
import type { Selection } from "./selection.js";

export interface PreviewDrive {
  blobs: SourceBlob[];
  /** Bytes of blob data on the drive. */
  bytes: number;
  /** Bytes the drive's file system gives them, overhead included. */
  occupiedBytes: number;
}

export interface ExportPreview {
  driveSizeBytes: number;
  /** The selection's entries: as given, how many are repeats, which match nothing. */
  selection: { paths: number; prefixes: number; duplicates: number; unmatched: string[] };
  exportable: { blobs: number; bytes: number };
  notExportable: Omit<LeftOut, "kind">[];
  drives: PreviewDrive[];
}

/** Entries of the selection that repeat an earlier one (PreviewExport's "duplicate paths"). */
function duplicatesIn(selection: Selection): number {
  const seen = new Set<string>();
  let duplicates = 0;
  const keys = [
    ...selection.prefixes.map((prefix) => `prefix:${prefix}`),
    ...selection.paths.map(
      (rule) => `path:${rule.container}/${rule.blob}|${rule.includeSnapshots}|${rule.snapshotTime ?? ""}`,
    ),
  ];
  for (const key of keys) {
    if (seen.has(key)) {
      duplicates += 1;
    }
    seen.add(key);
  }
  return duplicates;
}

/** Packs the listed blobs into drives of `driveSizeBytes`, in the order a station fills them. */
export function previewExport(
  selection: Selection,
  selected: SelectedBlobs,
  driveSizeBytes: number,
): ExportPreview {
  const notExportableBlobs: Omit<LeftOut, "kind">[] = [];
  let remaining: SourceBlob[] = [];
  for (const blob of selected.blobs) {
    const refused = notExportable(blob);
    if (refused) {
      notExportableBlobs.push({ blob, code: refused.code, message: refused.message });
    } else if (footprintOf(blob) > driveSizeBytes - DRIVE_RESERVE_BYTES) {
      notExportableBlobs.push({
        blob,
        code: "NotEnoughSpace",
        message: `The blob needs more room than a drive of ${formatByteSize(driveSizeBytes)} has: use larger drives.`,
      });
    } else {
      remaining.push(blob);
    }
  }
  const exportable = {
    blobs: remaining.length,
    bytes: remaining.reduce((sum, blob) => sum + blob.size, 0),
  };
  const drives: PreviewDrive[] = [];
  while (remaining.length > 0) {
    const plan = planDrive(remaining, driveSizeBytes);
    if (plan.blobs.length === 0) {
      break; // Cannot happen: every remaining blob fits an empty drive. Guarded against a loop all the same.
    }
    drives.push({
      blobs: plan.blobs.map(({ seq: _seq, ...blob }) => blob),
      bytes: plan.blobs.reduce((sum, blob) => sum + blob.size, 0),
      occupiedBytes: DRIVE_RESERVE_BYTES + plan.blobs.reduce((sum, blob) => sum + footprintOf(blob), 0),
    });
    remaining = plan.leftOut.map((out) => out.blob);
  }
  return {
    driveSizeBytes,
    selection: {
      paths: selection.paths.length,
      prefixes: selection.prefixes.length,
      duplicates: duplicatesIn(selection),
      unmatched: selected.unmatched,
    },
    exportable,
    notExportable: notExportableBlobs,
    drives,
  };
}
