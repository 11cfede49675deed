/**
 * @module `sneakernet drive preview-export`: before ordering drives for an export, how many drives of a
 * size it needs, which blobs go on which, and what cannot be exported and why — from a real listing of
 * the storage account (the original's PreviewExport, formats.md §2.5).
 */

import { readFile } from "node:fs/promises";

import { StorageSharedKeyCredential } from "@azure/storage-blob";
import { type Command, Option } from "commander";

import type { Clock } from "../domain/clock.js";
import { parseConnectionString } from "../domain/connection-string.js";
import { formatByteSize, parseByteSize } from "../domain/size.js";
import { systemClock } from "../serve/clock.js";
import { isBlobTargetError } from "../transfer/blob/errors.js";
import { createBlobTarget } from "../transfer/blob/target.js";
import { listSelection } from "../transfer/export/plan.js";
import { type ExportPreview, previewExport } from "../transfer/export/preview.js";
import {
  parseBlobList,
  type Selection,
  SelectionError,
  selectionFromLists,
} from "../transfer/export/selection.js";
import { printJson } from "./common.js";
import { outputFormat, printTable, UsageError } from "./output.js";

/** Blobs listed per drive in the table; JSON lists them all. */
const SHOWN_PER_DRIVE = 20;

export function registerPreviewExport(drive: Command): void {
  drive
    .command("preview-export")
    .description(
      "How many export drives of a size an export needs, which blobs go on which, and what cannot be exported and why, from a listing of the storage account.",
    )
    .addOption(
      new Option(
        "--connection-string <text>",
        "the storage account's connection string (AccountName, AccountKey and BlobEndpoint or EndpointSuffix)",
      )
        .env("AZURE_STORAGE_CONNECTION_STRING")
        .makeOptionMandatory(),
    )
    .option(
      "--blob-prefix <prefix...>",
      "a BlobPathPrefix (/container/ or /container/name-start), repeatable",
    )
    .option("--blob-path <path...>", "a BlobPath (container/blob), repeatable; with its snapshots")
    .option("--blob-list <file>", "a blob-list XML file (<BlobList> of BlobPath and BlobPathPrefix)")
    .addOption(
      new Option(
        "--drive-size <size>",
        "the size of each drive, e.g. 8TB, 500GB, 2TiB",
      ).makeOptionMandatory(),
    )
    .option("--output <format>", "table | json (table on a terminal, json otherwise)")
    .addHelpText(
      "after",
      [
        "",
        "The drives are packed as a station fills them: blobs in listing order, each on the first drive with room,",
        "a drive's file system overhead and its manifest counted. Archive-tier blobs cannot be exported.",
        "",
        "Examples:",
        '  npx sneakernet drive preview-export --connection-string "$AZURE_STORAGE_CONNECTION_STRING" --blob-prefix /photos/ --drive-size 8TB',
        "  npx sneakernet drive preview-export --blob-list export.xml --drive-size 500GB --output json",
      ].join("\n"),
    )
    .action(
      async (flags: {
        connectionString: string;
        blobPrefix?: string[];
        blobPath?: string[];
        blobList?: string;
        driveSize: string;
        output?: string;
      }) => {
        const format = outputFormat(flags.output);
        let driveSize: number;
        try {
          driveSize = parseByteSize(flags.driveSize);
        } catch (error) {
          throw new UsageError(`--drive-size: ${(error as Error).message}`);
        }
        const account = parseConnectionString(flags.connectionString);
        if (!account) {
          throw new UsageError(
            "--connection-string: it needs AccountName and AccountKey (and BlobEndpoint or EndpointSuffix).",
          );
        }
        const selection = await selectionOf(flags);
        const storage = createBlobTarget({
          blobEndpoint: account.blobEndpoint,
          credential: new StorageSharedKeyCredential(account.accountName, account.accountKey),
          retry: { maxTries: 3, tryTimeoutMs: 60_000 },
        });
        let preview: ExportPreview;
        try {
          const progress = listingProgress();
          const listed = await listSelection(storage, selection, progress.update).finally(progress.end);
          preview = previewExport(selection, listed, driveSize);
        } catch (error) {
          if (isBlobTargetError(error)) {
            throw new Error(`listing the storage account failed: ${error.code}: ${error.message}`);
          }
          throw error;
        }
        if (format === "json") {
          printJson(preview);
        } else {
          printPreview(preview);
        }
      },
    );
}

/**
 * Progress on stderr while the account is listed (a large one takes minutes): redrawn in place on a
 * terminal at most 10 times a second, otherwise a line every 2 s; nothing for a listing done sooner.
 */
export function listingProgress(
  clock: Clock = systemClock,
  tty = process.stderr.isTTY === true,
  write: (text: string) => void = (text) => process.stderr.write(text),
): { update: (listed: number, taken: number) => void; end: () => void } {
  let last = clock.now().getTime();
  let drawn = false;
  return {
    update(listed, taken) {
      const now = clock.now().getTime();
      if (now - last < (tty ? 100 : 2000)) {
        return;
      }
      last = now;
      drawn = true;
      const text = `Listing the account: ${listed} blob(s) listed, ${taken} selected`;
      write(tty ? `\r${text}\x1b[K` : `${text}\n`);
    },
    end() {
      if (tty && drawn) {
        write("\n"); // The bar's line is kept; what follows starts below it.
      }
    },
  };
}

async function selectionOf(flags: {
  blobPrefix?: string[];
  blobPath?: string[];
  blobList?: string;
}): Promise<Selection> {
  const inline = (flags.blobPrefix?.length ?? 0) + (flags.blobPath?.length ?? 0) > 0;
  if (inline === (flags.blobList !== undefined)) {
    throw new UsageError("give --blob-prefix and/or --blob-path, or --blob-list (one of the two).");
  }
  try {
    if (flags.blobList !== undefined) {
      const text = await readFile(flags.blobList, "utf8").catch((error: NodeJS.ErrnoException) => {
        throw new UsageError(
          `--blob-list: ${flags.blobList} cannot be read (${error.code ?? error.message}).`,
        );
      });
      return parseBlobList(text);
    }
    return selectionFromLists({ blobPath: flags.blobPath ?? [], blobPathPrefix: flags.blobPrefix ?? [] });
  } catch (error) {
    if (error instanceof SelectionError) {
      throw new UsageError(`${error.code}: ${error.message}`);
    }
    throw error;
  }
}

function printPreview(preview: ExportPreview): void {
  const { selection, exportable, drives } = preview;
  console.log(
    `Selection: ${selection.paths} path(s), ${selection.prefixes} prefix(es), ${selection.duplicates} duplicate(s), ${selection.unmatched.length} matching nothing.`,
  );
  for (const entry of selection.unmatched) {
    console.log(`  matches nothing: ${entry}`);
  }
  console.log(
    `Exportable: ${exportable.blobs} blob(s), ${formatByteSize(exportable.bytes)}; not exportable: ${preview.notExportable.length}.`,
  );
  console.log(`Drives of ${formatByteSize(preview.driveSizeBytes)} needed: ${drives.length}.`);
  printTable(
    drives.map((drive, index) => ({
      drive: String(index + 1),
      blobs: String(drive.blobs.length),
      data: formatByteSize(drive.bytes),
      occupied: formatByteSize(drive.occupiedBytes),
    })),
    ["drive", "blobs", "data", "occupied"],
  );
  drives.forEach((drive, index) => {
    console.log(`Drive ${index + 1}:`);
    for (const blob of drive.blobs.slice(0, SHOWN_PER_DRIVE)) {
      console.log(`  ${blob.container}/${blob.name}${blob.snapshot ? ` (snapshot ${blob.snapshot})` : ""}`);
    }
    if (drive.blobs.length > SHOWN_PER_DRIVE) {
      console.log(`  … and ${drive.blobs.length - SHOWN_PER_DRIVE} more (--output json lists them all)`);
    }
  });
  if (preview.notExportable.length > 0) {
    console.log("Not exportable:");
    for (const out of preview.notExportable) {
      console.log(`  ${out.blob.container}/${out.blob.name}: ${out.code}: ${out.message}`);
    }
  }
}
