/**
 * @module `sneakernet drive prepare|show`: the customer's side of an import, offline. `prepare` writes a
 * dataset onto a drive and prints its `driveList` entry; `show` says what a drive holds and, with its
 * key, verifies every block before it ships.
 */

import { type Command, Option } from "commander";

import { systemClock } from "../serve/clock.js";
import {
  isDriveError,
  parseRecoveryPassword,
  readHeader,
  verifyDrive,
  type VerifyProgress,
} from "../transfer/drive/index.js";
import { DatasetError } from "../transfer/prepare/dataset.js";
import { JournalError, readJournal } from "../transfer/prepare/journal.js";
import { prepareDrive, PrepareError, type PrepareProgress } from "../transfer/prepare/prepare.js";
import { printJson } from "./common.js";
import { outputFormat, printTable, UsageError } from "./output.js";

export function registerDrive(program: Command): void {
  const drive = program
    .command("drive")
    .description("Prepare import drives and check them before shipping (offline, no server needed).");

  drive
    .command("prepare")
    .description(
      "Write a dataset onto a drive (a disk's mount point, or any folder), encrypted, and print its driveList entry as JSON. Run the same command again to resume.",
    )
    .addOption(
      new Option(
        "--dataset <file>",
        "the v2 dataset CSV (BasePath,DstBlobPathOrPrefix,…)",
      ).makeOptionMandatory(),
    )
    .addOption(
      new Option(
        "--drive <dir>",
        "the drive: an empty folder, or this journal's drive to resume",
      ).makeOptionMandatory(),
    )
    .addOption(
      new Option(
        "--drive-id <id>",
        "the drive's serial number, as printed on its label",
      ).makeOptionMandatory(),
    )
    .addOption(
      new Option(
        "--journal <file>",
        "the journal: the drive's key and what is written (keep it secret, keep it safe)",
      ).makeOptionMandatory(),
    )
    .addHelpText(
      "after",
      [
        "",
        "The journal holds the drive's key (its recovery password): anyone with both can read the drive.",
        "Progress goes to stderr (a bar on a terminal, lines otherwise); the driveList entry to stdout.",
        "",
        "Examples:",
        "  npx sneakernet drive prepare --dataset dataset.csv --drive /media/disk1 --drive-id WD-WMATV123456 --journal disk1.json",
        "  npx sneakernet drive prepare --dataset dataset.csv --drive /media/disk1 --drive-id WD-WMATV123456 --journal disk1.json > drive.json",
      ].join("\n"),
    )
    .action(async (flags: { dataset: string; drive: string; driveId: string; journal: string }) => {
      const progress = progressReporter("Writing", true);
      try {
        const entry = await prepareDrive({
          dataset: flags.dataset,
          driveRoot: flags.drive,
          driveId: flags.driveId,
          journalPath: flags.journal,
          clock: systemClock,
          onProgress: (p: PrepareProgress) => progress.update(p, p.skipped),
        });
        progress.end();
        printJson(entry);
      } catch (error) {
        progress.end();
        throw cliError(error);
      }
    });

  drive
    .command("show <dir>")
    .description(
      "What a drive holds (files, bytes, destinations); with its key (--key, or from --journal) every block is verified: exit 1 names the first problem.",
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
        container: file.container,
        blobName: file.blobName,
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
        printTable(files, ["container", "blobName", "size", "blobType", "disposition", "sourcePath"], {
          shrink: { sourcePath: 12, blobName: 20 },
          drop: ["sourcePath"],
        });
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
  if (isDriveError(error)) {
    return new Error(`${error.code}: ${error.message}`);
  }
  return error;
}

interface Counts {
  files: number;
  filesTotal: number;
  bytes: number;
  bytesTotal: number;
}

/**
 * Progress on stderr: a bar redrawn in place on a terminal (at most 10 times a second), otherwise a
 * plain line every 2 s and one at the end, so a log stays readable.
 */
function progressReporter(
  verb: string,
  resuming: boolean,
): { update(counts: Counts, skipped: number): void; end(): void } {
  const tty = process.stderr.isTTY === true;
  const now = () => systemClock.now().getTime();
  const since = now();
  let started = false;
  // The rate counts this run's bytes: a resumed prepare starts from what the journal had (its first report).
  let startBytes: number | undefined = resuming ? undefined : 0;
  let last = 0;
  let latest: Counts | undefined;
  let shown = false;
  const line = (counts: Counts) => {
    const seconds = Math.max((now() - since) / 1000, 0.001);
    const moved = counts.bytes - (startBytes ?? 0);
    const rate = moved / seconds;
    const left = rate > 0 ? Math.ceil((counts.bytesTotal - counts.bytes) / rate) : undefined;
    const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
    const text = `${verb} ${counts.files}/${counts.filesTotal} files, ${mb(counts.bytes)}/${mb(counts.bytesTotal)} MB, ${mb(rate)} MB/s${left === undefined ? "" : `, ${clockTime(left)} left`}`;
    if (!tty) {
      return text;
    }
    const width = 24;
    const done = counts.bytesTotal === 0 ? width : Math.round((counts.bytes / counts.bytesTotal) * width);
    return `[${"#".repeat(done)}${"-".repeat(width - done)}] ${text}`;
  };
  const print = (counts: Counts) => {
    if (tty) {
      process.stderr.write(`\r${line(counts)}\x1b[K`);
    } else {
      process.stderr.write(`${line(counts)}\n`);
    }
    shown = true;
  };
  return {
    update(counts, skipped) {
      if (startBytes === undefined) {
        startBytes = counts.bytes;
      }
      if (!started) {
        started = true;
        if (skipped > 0) {
          process.stderr.write(`Resuming: ${skipped} file(s) already written, per the journal.\n`);
        }
      }
      latest = counts;
      const at = now();
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
        process.stderr.write("\n");
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
