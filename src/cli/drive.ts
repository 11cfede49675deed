/**
 * @module `sneakernet drive prepare|show|extract`: the customer's side of a drive, offline but for one
 * key look-up. `prepare` writes a dataset onto a drive (or spreads it over a driveset) and prints the
 * `driveList` entries; `show` says what a drive holds and, with its key, verifies every block before it
 * ships; `extract` reads a returned export drive into a folder.
 */

import { type Command, Option } from "commander";

import { JobsApi } from "../client/jobs.js";
import type { Clock } from "../domain/clock.js";
import { systemClock } from "../serve/clock.js";
import {
  isDriveError,
  parseRecoveryPassword,
  readHeader,
  verifyDrive,
  type VerifyProgress,
} from "../transfer/drive/index.js";
import {
  extractDrive,
  type ExtractProgress,
  isExtractError,
  STATE_FILE,
} from "../transfer/export/extract.js";
import { DatasetError } from "../transfer/prepare/dataset.js";
import { JournalError, readJournal } from "../transfer/prepare/journal.js";
import { prepareDrive, PrepareError, type PrepareProgress } from "../transfer/prepare/prepare.js";
import { prepareDriveSet } from "../transfer/prepare/prepare-set.js";
import { type GlobalFlags, open, printJson, subscriptionId, subscriptionOf, withGlobals } from "./common.js";
import { registerPreviewExport } from "./drive-preview-export.js";
import { outputFormat, printTable, UsageError } from "./output.js";
import { RateWindow } from "./rate.js";

export function registerDrive(program: Command): void {
  const drive = program
    .command("drive")
    .description(
      "The customer's drives: prepare import drives and check them before shipping, size an export, read a returned export drive.",
    );

  drive
    .command("prepare")
    .description(
      "Write a dataset onto a drive (a disk's mount point, or any folder), encrypted, and print its driveList entry as JSON; with --driveset, spread it over several drives and print their entries as a JSON array. Run the same command again to resume.",
    )
    .addOption(
      new Option(
        "--dataset <file>",
        "the v2 dataset CSV (BasePath,DstBlobPathOrPrefix,… or, to a file share, BasePath,DstItemPathOrPrefix,ItemType,…)",
      ).makeOptionMandatory(),
    )
    .addOption(
      new Option("--drive <dir>", "the drive: an empty folder, or this journal's drive to resume").conflicts(
        "driveset",
      ),
    )
    .addOption(
      new Option(
        "--drive-id <id>",
        "the drive's serial number, as printed on its label (default: read with lsblk when --drive is a disk's mount point)",
      ).conflicts("driveset"),
    )
    .option(
      "--driveset <file>",
      "several drives: a CSV of Path,DriveId rows (an empty DriveId is read with lsblk); files are spread over them by size",
    )
    .addOption(
      new Option(
        "--journal <file>",
        "the journal: the drives' keys and what is written (keep it secret, keep it safe)",
      ).makeOptionMandatory(),
    )
    .addHelpText(
      "after",
      [
        "",
        "The journal holds each drive's key (its recovery password): anyone with both can read the drive.",
        "The drive id is the disk's serial number: read with lsblk when the drive is a disk's mount point,",
        "required (--drive-id, or the DriveId cell) for a plain folder.",
        "With --driveset every file keeps its own destination, so the drives converge into the dataset's layout on import.",
        "Progress goes to stderr (a bar on a terminal, lines otherwise); the driveList entries to stdout.",
        "",
        "Examples:",
        "  npx sneakernet drive prepare --dataset dataset.csv --drive /media/disk1 --journal disk1.json",
        "  npx sneakernet drive prepare --dataset dataset.csv --drive /media/disk1 --drive-id WD-WMATV123456 --journal disk1.json > drive.json",
        "  npx sneakernet drive prepare --dataset dataset.csv --driveset driveset.csv --journal set1.json > drives.json",
        "driveset.csv: Path,DriveId",
        "              /media/disk1,WD-WMATV123456",
        "              /media/disk2,",
      ].join("\n"),
    )
    .action(
      async (flags: {
        dataset: string;
        drive?: string;
        driveId?: string;
        driveset?: string;
        journal: string;
      }) => {
        if ((flags.drive === undefined) === (flags.driveset === undefined)) {
          throw new UsageError("give --drive (one drive) or --driveset (several drives).");
        }
        const progress = progressReporter("Writing", true);
        const common = {
          dataset: flags.dataset,
          journalPath: flags.journal,
          clock: systemClock,
          onProgress: (p: PrepareProgress) => progress.update(p, p.skipped),
        };
        try {
          const entries =
            flags.driveset !== undefined
              ? await prepareDriveSet({ ...common, driveset: flags.driveset })
              : await prepareDrive({
                  ...common,
                  driveRoot: flags.drive!,
                  ...(flags.driveId !== undefined ? { driveId: flags.driveId } : {}),
                });
          progress.end();
          printJson(entries);
        } catch (error) {
          progress.end();
          throw cliError(error);
        }
      },
    );

  registerExtract(drive);
  registerPreviewExport(drive);

  drive
    .command("show <dir>")
    .description(
      "What a drive holds (files, bytes, destinations, snapshot times on an export drive); with its key (--key, or from --journal) every block is verified: exit 1 names the first problem.",
    )
    .option("--journal <file>", "the journal that prepared the drive (its key is taken from it)")
    .option("--key <key>", "the drive's recovery password (48 digits)")
    .option("--output <format>", "table | json (table on a terminal, json otherwise)")
    .addHelpText(
      "after",
      [
        "",
        "Without a key only the plain header can be read (drive id and driveHeaderHash): file names are encrypted.",
        "",
        "Examples:",
        "  npx sneakernet drive show /media/disk1 --journal disk1.json",
        "  npx sneakernet drive show /media/disk1 --key 123456-…-654321 --output json",
        "  npx sneakernet drive show /media/disk1",
      ].join("\n"),
    )
    .action(async (dir: string, flags: { journal?: string; key?: string; output?: string }) => {
      const format = outputFormat(flags.output);
      if (flags.journal !== undefined && flags.key !== undefined) {
        throw new UsageError("give --journal or --key, not both.");
      }
      if (flags.key !== undefined) {
        try {
          parseRecoveryPassword(flags.key);
        } catch (error) {
          throw new UsageError(`--key: ${(error as Error).message}`);
        }
      }
      const { header, headerHash } = await readHeader(dir).catch((error: unknown) => {
        throw cliError(error);
      });
      let key = flags.key;
      if (flags.journal !== undefined) {
        const journal = await readJournal(flags.journal).catch((error: unknown) => {
          throw cliError(error);
        });
        if (!journal) {
          throw new UsageError(`--journal: ${flags.journal} does not exist.`);
        }
        const entry = journal.drives.find((d) => d.driveId === header.driveId);
        if (!entry) {
          throw new UsageError(
            `the journal ${flags.journal} has no drive ${header.driveId} (it has ${journal.drives.map((d) => d.driveId).join(", ") || "none"}).`,
          );
        }
        key = entry.bitLockerKey;
      }
      if (key === undefined) {
        if (format === "json") {
          printJson({ driveId: header.driveId, driveHeaderHash: headerHash });
        } else {
          console.log(`Drive ${header.driveId}, driveHeaderHash ${headerHash}.`);
        }
        console.error("Give --key or --journal to list its files and verify every block.");
        return;
      }
      const progress = progressReporter("Verifying", false);
      const report = await verifyDrive(dir, key, {
        onProgress: (p: VerifyProgress) => progress.update(p, 0),
      });
      progress.end();
      const opened = report.drive;
      const files = (opened?.manifest.files ?? []).map((file) => ({
        // `file`: a file share item, `container` naming the share and `blobName` the path in it.
        ...(file.itemType === undefined ? {} : { itemType: file.itemType }),
        container: file.container,
        blobName: file.blobName,
        ...(file.snapshot === undefined ? {} : { snapshot: file.snapshot }),
        size: file.size,
        blobType: file.blobType,
        disposition: file.disposition,
        ...(file.sourcePath === undefined ? {} : { sourcePath: file.sourcePath }),
      }));
      const bytes = files.reduce((sum, file) => sum + file.size, 0);
      if (format === "json") {
        printJson({
          driveId: header.driveId,
          driveHeaderHash: headerHash,
          ...(opened ? { manifestFile: opened.manifestFile, manifestHash: opened.manifestHash } : {}),
          files,
          bytes,
          verified: report.problems.length === 0,
          problems: report.problems,
        });
      } else if (opened) {
        const containers = [...new Set(files.map((file) => file.container))].sort();
        console.log(
          `Drive ${header.driveId}: ${files.length} file(s), ${bytes} bytes, to ${containers.join(", ") || "nothing"}; driveHeaderHash ${headerHash}, manifestHash ${opened.manifestHash}.`,
        );
        // The item type column only on a drive that has file share items, the snapshot column only on
        // one with snapshots (an export's blob beside its snapshots): a plain blob drive's table is as it was.
        const shareItems = files.some((file) => file.itemType !== undefined) ? ["itemType"] : [];
        const snapshots = files.some((file) => file.snapshot !== undefined) ? ["snapshot"] : [];
        printTable(
          files,
          [
            ...shareItems,
            "container",
            "blobName",
            ...snapshots,
            "size",
            "blobType",
            "disposition",
            "sourcePath",
          ],
          {
            shrink: { sourcePath: 12, blobName: 20 },
            drop: ["sourcePath"],
          },
        );
      }
      const first = report.problems[0];
      if (first) {
        const where = first.file
          ? ` (${first.file.container}/${first.file.blobName}${first.block === undefined ? "" : `, block ${first.block}`})`
          : "";
        console.error(
          `error: ${first.code}: ${first.message}${where}${report.problems.length > 1 ? ` (and ${report.problems.length - 1} more problem(s))` : ""}`,
        );
        process.exitCode = 1;
      } else if (format === "table") {
        console.log("Verified: every block's tag and MD5, and every file's MD5.");
      }
    });
}

/**
 * The error a command line shows: a dataset, journal or folder that cannot be used is a usage error
 * (exit 2, nothing was written); a drive problem keeps its code (exit 1).
 */
function cliError(error: unknown): unknown {
  if (error instanceof DatasetError || error instanceof PrepareError || error instanceof JournalError) {
    return new UsageError(error.message);
  }
  if (isDriveError(error) || isExtractError(error)) {
    return new Error(`${error.code}: ${error.message}`);
  }
  return error;
}

interface ExtractFlags extends GlobalFlags {
  to: string;
  key?: string;
  job?: string;
  resourceGroup?: string;
  subscription?: string;
}

/**
 * `drive extract`: the customer reads a returned export drive. No `--journal`: a journal is what
 * `drive prepare` keeps for drives the customer wrote; an export drive was written by the station, with
 * a key the service made, so its key comes from the job (`--job`, as `job keys` shows it) or by hand.
 */
function registerExtract(drive: Command): void {
  const command = drive
    .command("extract <dir>")
    .description(
      "Decrypt a returned export drive into a folder: each blob to OUTDIR/<container>/<blob name>, every block and file checked before it gets its name. Run the same command again to resume.",
    )
    .addOption(
      new Option("--to <outdir>", "the folder to write into (made if missing)").makeOptionMandatory(),
    )
    .addOption(new Option("--key <key>", "the drive's recovery password (48 digits)").conflicts("job"))
    .option("--job <name>", "the export job: the drive's key is asked of the server (as `job keys` shows it)")
    .option("-g, --resource-group <group>", "with --job: the job's resource group")
    .option(
      "--subscription <uuid>",
      "with --job: the job's subscription (default: the token's, if it has just one)",
      subscriptionId,
    );
  withGlobals(command).addHelpText(
    "after",
    [
      "",
      "Each blob goes to OUTDIR/<container>/<blob name> ('/' in a name makes folders; $root is OUTDIR/$root);",
      "a snapshot to OUTDIR/$snapshots/<container>/<time, ':' as '-'>/<blob name>, never over its base blob.",
      "Refused per file, the others going on: a name with '..', '.', an empty segment, a leading '/' or a",
      "backslash; a symlink inside OUTDIR (never followed); two blobs on one path.",
      `What is extracted whole is recorded in OUTDIR/${STATE_FILE}: run the same command again to`,
      "skip those files and write the rest (Ctrl-C stops cleanly between blocks).",
      "The key: --key, or --job (with -g; --endpoint and --token then reach the server). No --journal: the",
      "station wrote this drive, with a key the service made, so no journal of yours holds it.",
      "Progress goes to stderr, the summary to stdout. Exit 1 when the drive cannot be opened (no drive,",
      "a wrong key), OUTDIR cannot be written, or any file failed (each named on stderr).",
      "",
      "Examples:",
      "  npx sneakernet drive extract /media/disk1 --to ./export1 --job export1 -g rg1",
      "  npx sneakernet drive extract /media/disk1 --to ./export1 --key 123456-…-654321",
      "  npx sneakernet drive extract /media/disk1 --to ./export1 --key 123456-…-654321 --output json",
    ].join("\n"),
  );
  command.action(async (dir: string, flags: ExtractFlags) => {
    const format = outputFormat(flags.output);
    if ((flags.key === undefined) === (flags.job === undefined)) {
      throw new UsageError(
        "give --key (the drive's recovery password) or --job (the export job that holds it).",
      );
    }
    if (flags.key !== undefined) {
      try {
        parseRecoveryPassword(flags.key);
      } catch (error) {
        throw new UsageError(`--key: ${(error as Error).message}`);
      }
    }
    if (flags.job !== undefined && flags.resourceGroup === undefined) {
      throw new UsageError("--job needs -g (the job's resource group).");
    }
    const { header } = await readHeader(dir).catch((error: unknown) => {
      if (isDriveError(error) && error.code === "DriveHeaderNotFound") {
        throw new Error(`${error.code}: no Sneakernet drive in ${dir}: ${error.message}`);
      }
      throw cliError(error);
    });
    const key = flags.key ?? (await keyFromJob(flags, header.driveId));
    const progress = progressReporter("Extracting", true);
    let announced = false;
    const controller = new AbortController();
    // Ctrl-C stops between blocks: the file in hand is removed and what is done recorded, for a resume.
    const interrupt = () => controller.abort();
    process.once("SIGINT", interrupt);
    let report;
    try {
      report = await extractDrive({
        drive: dir,
        password: key,
        to: flags.to,
        clock: systemClock,
        signal: controller.signal,
        onProgress: (p: ExtractProgress) => {
          if (!announced) {
            announced = true;
            if (p.skipped > 0) {
              process.stderr.write(
                `Resuming: ${p.skipped} file(s) already extracted whole, per ${STATE_FILE}.\n`,
              );
            }
          }
          progress.update(p, 0);
        },
      });
    } catch (error) {
      progress.end();
      if (controller.signal.aborted) {
        throw new Error(
          "interrupted: what was extracted whole is recorded; run the same command again to resume.",
        );
      }
      throw cliError(error);
    } finally {
      process.removeListener("SIGINT", interrupt);
    }
    progress.end();
    if (format === "json") {
      printJson(report);
    } else {
      console.log(
        `Drive ${report.driveId}: ${report.extracted} file(s) extracted (${report.bytes} bytes), ${report.skipped} skipped as already extracted, ${report.failed} failed; into ${report.to}.`,
      );
    }
    const failed = report.files.filter((file) => file.outcome === "failed");
    for (const file of failed) {
      console.error(`error: ${file.code}: ${file.message}`);
    }
    if (failed.length > 0) {
      process.exitCode = 1;
    }
  });
}

/** The drive's key as the export job holds it: `listBitLockerKeys`, matched on the header's drive id. */
async function keyFromJob(flags: ExtractFlags, driveId: string): Promise<string> {
  const { client, api } = open(flags, "customer", JobsApi);
  const address = {
    subscriptionId: await subscriptionOf(client, flags.subscription),
    resourceGroup: flags.resourceGroup!,
    name: flags.job!,
  };
  const keys = await api.bitLockerKeys(address);
  const found = keys.find((k) => k.driveId.toUpperCase() === driveId.toUpperCase());
  if (!found) {
    throw new Error(
      `job ${flags.job} has no key for drive ${driveId} (it has ${keys.map((k) => k.driveId).join(", ") || "none"}): is this the job's drive?`,
    );
  }
  return found.bitLockerKey;
}

interface Counts {
  files: number;
  filesTotal: number;
  bytes: number;
  bytesTotal: number;
}

/**
 * Progress on stderr: a bar redrawn in place on a terminal (at most 10 times a second), otherwise a
 * plain line every 2 s and one at the end, so a log stays readable. MB/s and the time left come from the
 * last 10 s (RateWindow), read off `clock` (the system's; a test may pass its own).
 */
export function progressReporter(
  verb: string,
  resuming: boolean,
  clock: Clock = systemClock,
  tty = process.stderr.isTTY === true,
  write: (text: string) => void = (text) => process.stderr.write(text),
): { update(counts: Counts, skipped: number): void; end(): void } {
  const now = () => clock.now().getTime();
  const rate = new RateWindow();
  // The rate counts this run's bytes: a resumed prepare starts from what the journal had (its first report).
  if (!resuming) {
    rate.add(now(), 0);
  }
  let started = false;
  let last = 0;
  let latest: Counts | undefined;
  let shown = false;
  const line = (counts: Counts) => {
    const perSecond = rate.perSecond() ?? 0;
    const left = perSecond > 0 ? Math.ceil((counts.bytesTotal - counts.bytes) / perSecond) : undefined;
    const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
    const text = `${verb} ${counts.files}/${counts.filesTotal} files, ${mb(counts.bytes)}/${mb(counts.bytesTotal)} MB, ${mb(perSecond)} MB/s${left === undefined ? "" : `, ${clockTime(left)} left`}`;
    if (!tty) {
      return text;
    }
    const width = 24;
    const done = counts.bytesTotal === 0 ? width : Math.round((counts.bytes / counts.bytesTotal) * width);
    return `[${"#".repeat(done)}${"-".repeat(width - done)}] ${text}`;
  };
  const print = (counts: Counts) => {
    if (tty) {
      write(`\r${line(counts)}\x1b[K`);
    } else {
      write(`${line(counts)}\n`);
    }
    shown = true;
  };
  return {
    update(counts, skipped) {
      if (!started) {
        started = true;
        if (skipped > 0) {
          write(`Resuming: ${skipped} file(s) already written, per the journal.\n`);
        }
      }
      latest = counts;
      const at = now();
      rate.add(at, counts.bytes);
      if (at - last >= (tty ? 100 : 2000)) {
        last = at;
        print(counts);
      }
    },
    end() {
      if (latest && (latest.files === latest.filesTotal || shown)) {
        print(latest);
      }
      if (tty && shown) {
        write("\n");
      }
    },
  };
}

function clockTime(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const two = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}
