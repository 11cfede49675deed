/**
 * @module What an export takes, and what fits: the selection listed from storage (snapshots included,
 * each blob once, in one fixed order), each blob's footprint on a drive, and the plan that fills a drive
 * of a given capacity — the same arithmetic `drive preview-export` packs several drives with.
 */

import { isBlobTargetError } from "../blob/errors.js";
import type { BlobSource, SourceBlob } from "../blob/source.js";
import { blockSizeFor, LIMITS, storedLengthOf } from "../drive/layout.js";
import { blobNameProblem, containerNameProblem, metadataProblem } from "../drive/names.js";
import type { ExportPlan, LeftOut, PlannedBlob } from "./contract.js";
import { type BlobPathRule, type Selection, selects } from "./selection.js";

/** What the selection found in storage, and the parts of it that found nothing. */
export interface SelectedBlobs {
  blobs: SourceBlob[];
  /** BlobPath and BlobPathPrefix entries that matched no blob (PreviewExport's "nonexistent"). */
  unmatched: string[];
}

/** Space every drive keeps for its header, folders and the manifest's envelope. */
export const DRIVE_RESERVE_BYTES = 1024 * 1024;
/** A filesystem allocates whole clusters; 4 KiB is NTFS's and ext4's default. */
const CLUSTER = 4096;

const roundUp = (value: number, to: number) => Math.ceil(value / to) * to;

/**
 * The bytes a blob takes on a drive: its data file (blocks with their nonce and tag) in whole clusters,
 * a cluster for its directory entry, and its manifest entry twice (a manifest is written beside the one
 * it replaces before it takes its name).
 */
export function footprintOf(
  blob: Pick<SourceBlob, "size" | "name" | "metadata"> & { headers?: SourceBlob["headers"] },
): number {
  const blockSize = blockSizeFor(blob.size);
  const data = roundUp(storedLengthOf(blob.size, blockSize), CLUSTER);
  const blocks = Math.ceil(blob.size / blockSize);
  // In bytes, as the manifest holds them; the properties too (a Content-Disposition may be long).
  const entry =
    600 +
    2 * Buffer.byteLength(blob.name) +
    Buffer.byteLength(JSON.stringify(blob.metadata)) +
    Buffer.byteLength(JSON.stringify(blob.headers ?? {})) +
    27 * blocks;
  return data + CLUSTER + 2 * entry;
}

/** The blob list the listing is read in: one order for every run, so a plan made twice is the same. */
function compareBlobs(a: SourceBlob, b: SourceBlob): number {
  const key = (blob: SourceBlob) => [blob.container, blob.name, blob.snapshot ?? "~"] as const;
  const [ka, kb] = [key(a), key(b)];
  for (let i = 0; i < ka.length; i += 1) {
    if (ka[i] !== kb[i]) {
      return ka[i]! < kb[i]! ? -1 : 1;
    }
  }
  return 0;
}

/** The containers and name prefixes to list for a selection: no more of the account than it can match. */
function listingsFor(
  selection: Selection,
): { containerPrefix?: string; container?: string; prefix: string }[] {
  // Each listing once: a repeated entry lists nothing new.
  const listings = new Map<string, { containerPrefix?: string; container?: string; prefix: string }>();
  for (const prefix of selection.prefixes) {
    const rest = prefix.slice(1);
    const slash = rest.indexOf("/");
    if (slash < 0) {
      // `/bob`: every container whose name starts with `bob`, whole.
      listings.set(`*${rest}`, { containerPrefix: rest, prefix: "" });
    } else {
      const container = rest.slice(0, slash);
      const start = rest.slice(slash + 1);
      listings.set(`=${container}/${start}`, { container, prefix: start });
    }
  }
  for (const path of selection.paths) {
    listings.set(`=${path.container}/${path.blob}`, { container: path.container, prefix: path.blob });
  }
  return [...listings.values()];
}

/** Lists every blob and snapshot the selection takes, each once, in a fixed order. */
export async function listSelection(
  source: BlobSource,
  selection: Selection,
  /** After each blob listed (taken or not): a long listing can show that it moves. */
  onListed?: (listed: number, taken: number) => void,
): Promise<SelectedBlobs> {
  let listedCount = 0;
  const found = new Map<string, SourceBlob>();
  const keyOf = (blob: SourceBlob) => `${blob.container}\n${blob.name}\n${blob.snapshot ?? ""}`;
  // The paths by the blob they name: an incomplete blob list has as many paths as blobs, and matching
  // each listed blob against every path would take hours for a follow-up drive.
  const rulesOf = new Map<string, BlobPathRule[]>();
  for (const rule of selection.paths) {
    const key = `${rule.container}\n${rule.blob}`;
    rulesOf.set(key, [...(rulesOf.get(key) ?? []), rule]);
  }
  const matchedPrefixes = new Set<string>();
  const matchedRules = new Set<BlobPathRule>();
  const take = (blob: SourceBlob): boolean => {
    let taken = false;
    const full = `/${blob.container}/${blob.name}`;
    for (const prefix of selection.prefixes) {
      if (full.startsWith(prefix)) {
        matchedPrefixes.add(prefix);
        taken = true;
      }
    }
    for (const rule of rulesOf.get(`${blob.container}\n${blob.name}`) ?? []) {
      if (selects({ paths: [rule], prefixes: [] }, blob)) {
        matchedRules.add(rule);
        taken = true;
      }
    }
    return taken;
  };
  const containerCache = new Map<string, string[]>();
  const containersStarting = async (prefix: string) => {
    let names = containerCache.get(prefix);
    if (!names) {
      names = await source.listContainers(prefix);
      containerCache.set(prefix, names);
    }
    return names;
  };
  for (const listing of listingsFor(selection)) {
    const containers =
      listing.container !== undefined
        ? [listing.container]
        : await containersStarting(listing.containerPrefix ?? "");
    for (const container of containers) {
      if (containerNameProblem(container) !== undefined) {
        continue; // A name storage cannot hold: no such container.
      }
      try {
        for await (const blob of source.listBlobs(container, listing.prefix)) {
          if (take(blob)) {
            found.set(keyOf(blob), blob);
          }
          listedCount += 1;
          onListed?.(listedCount, found.size);
        }
      } catch (error) {
        if (isBlobTargetError(error) && error.status === 404) {
          continue; // The container is not there: the path matches nothing.
        }
        throw error;
      }
    }
  }
  const blobs = [...found.values()].sort(compareBlobs);
  const unmatched = [
    ...selection.prefixes.filter((prefix) => !matchedPrefixes.has(prefix)),
    ...selection.paths
      .filter((rule) => !matchedRules.has(rule))
      .map(
        (rule) =>
          `${rule.container}/${rule.blob}${rule.snapshotTime ? `?snapshot=${rule.snapshotTime}` : ""}`,
      ),
  ];
  return { blobs, unmatched };
}

/** Why a listed blob cannot go on any drive, or undefined when it can. */
export function notExportable(blob: SourceBlob): Omit<LeftOut, "blob"> | undefined {
  if (blob.accessTier?.toLowerCase() === "archive") {
    return {
      code: "BlobArchived",
      kind: "warning",
      message: "The blob is in the Archive tier: rehydrate it to Hot or Cool, then export it.",
    };
  }
  const name = blobNameProblem(blob.container, blob.name) ?? metadataProblem(blob.metadata);
  if (name !== undefined) {
    return {
      code: "FileNameInvalid",
      kind: "error",
      message: `The blob cannot be written on a drive: ${name}.`,
    };
  }
  return undefined;
}

/**
 * Fills a drive of `capacityBytes` from the listing, in its order: each blob that still fits is taken,
 * one that does not is left out (a smaller one after it may still fit). What is left out goes to the
 * incomplete blob list.
 */
export function planDrive(blobs: readonly SourceBlob[], capacityBytes: number): ExportPlan {
  let room = capacityBytes - DRIVE_RESERVE_BYTES;
  const planned: PlannedBlob[] = [];
  const leftOut: LeftOut[] = [];
  for (const blob of blobs) {
    const refused = notExportable(blob);
    if (refused) {
      leftOut.push({ blob, ...refused });
      continue;
    }
    const footprint = footprintOf(blob);
    if (footprint > room || planned.length >= LIMITS.files) {
      leftOut.push({
        blob,
        code: "NotEnoughSpace",
        kind: "info",
        message: "The drive had no room left for this blob: export it with the incomplete blob list.",
      });
      continue;
    }
    room -= footprint;
    planned.push({ ...blob, seq: planned.length + 1 });
  }
  return { capacityBytes, blobs: planned, leftOut };
}
