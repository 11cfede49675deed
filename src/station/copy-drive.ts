/**
 * @module One claimed drive, copied: opened with the key the claim handed over, imported into the job's
 * storage account, progress reported every few seconds (which renews the lease), logs written, and the
 * drive finished with the outcome its counts imply. A stop mid-copy leaves the lease: the same station
 * takes it back on restart and resumes from its journal.
 */

import { setTimeout as sleep } from "node:timers/promises";

import { ApiError } from "../client/http.js";
import type { StationApi } from "../client/station.js";
import type { ClaimAnswer } from "../client/types.js";
import type { Clock } from "../domain/clock.js";
import { type CopyCounts, copyOutcome } from "../domain/copy.js";
import { createBlobTarget, type RetryOptions } from "../transfer/blob/target.js";
import { type Drive, isDriveError, openDrive } from "../transfer/drive/index.js";
import { createFileShareTarget } from "../transfer/fileshare/target.js";
import type { ImportProgress } from "../transfer/import/contract.js";
import { importDrive, type ImportResult, writeDriveLogs } from "../transfer/import/index.js";
import { journalPath, SqliteJournal } from "./journal.js";
import type { StationMetrics } from "./metrics.js";
import type { StationLog } from "./station.js";

export interface CopyDriveOptions {
  api: StationApi;
  claim: ClaimAnswer;
  drivePath: string;
  stateDir: string;
  /** Where file share items land (`<dir>/<share>/<path>`); without it they fail, each with a message. */
  fileSharesDir?: string;
  clock: Clock;
  log: StationLog;
  metrics: StationMetrics;
  signal: AbortSignal;
  concurrency?: number;
  progressIntervalMs?: number;
  storageSettleMs?: number;
  /** Tests: how long to wait while storage is out of reach, and how many runs without progress. */
  storagePauses?: { firstMs?: number; max?: number };
  /** Tests: the storage client's retries (the defaults ride out about a minute of refusals). */
  storageRetry?: RetryOptions;
  deviceSerial: (folder: string) => Promise<string | undefined>;
}

/** How a copy ended: finished (reported to the control plane), or stopped to resume later. */
export interface CopyEnd {
  finished: boolean;
  message?: string;
}

/** Codes of the files whose bytes on the drive failed to verify (the drive is at fault, not storage). */
const VERIFY_CODES = new Set(["Corrupted", "FileUnexpectedEnd", "FileLengthMismatch"]);

/** Waits while storage is out of reach: the first, doubling up to the longest; `max` runs without progress. */
const STORAGE_PAUSES = { firstMs: 15_000, longestMs: 5 * 60_000, max: 6 };

/** Renew the storage access this long before it runs out. */
const SAS_MARGIN_MS = 15 * 60_000;

export async function copyDrive(options: CopyDriveOptions): Promise<CopyEnd> {
  const { api, claim, log, clock } = options;
  const driveId = claim.drive.driveId;
  const job = claim.job;
  const storage = job.storage;
  const fields = { driveId, job: job.name };
  if (!storage) {
    // No credential the control plane could turn into access: nothing can be written, not even a log.
    return failDrive(options, undefined, {
      code: "BlobRequestForbidden",
      message: `The storage account of job '${job.name}' has no credential this service can grant access with.`,
    });
  }
  const target = createBlobTarget({
    blobEndpoint: storage.blobEndpoint,
    sas: storage.sas,
    ...(options.storageRetry ? { retry: options.storageRetry } : {}),
  });
  let drive: Drive;
  try {
    const serial = await options.deviceSerial(options.drivePath);
    if (serial !== undefined && serial.toLowerCase() !== driveId.toLowerCase()) {
      return failDrive(options, target, {
        code: "ManifestDriveIdMismatch",
        message: `The drive's header says '${driveId}', but the disk in the bay has serial '${serial}'.`,
      });
    }
    if (!claim.bitLockerKey) {
      return failDrive(options, target, {
        code: "BitLockerKeyInvalid",
        message: `Job '${job.name}' holds no key for drive '${driveId}'.`,
      });
    }
    drive = await openDrive(options.drivePath, claim.bitLockerKey, {
      ...(claim.drive.manifestFile ? { manifestFile: claim.drive.manifestFile } : {}),
      expect: {
        driveId,
        ...(claim.drive.driveHeaderHash ? { driveHeaderHash: claim.drive.driveHeaderHash } : {}),
        ...(claim.drive.manifestHash ? { manifestHash: claim.drive.manifestHash } : {}),
      },
      log: { warn: (f: object, m: string) => log.warn({ ...fields, ...f }, m) },
    });
  } catch (error) {
    if (isDriveError(error)) {
      return failDrive(options, target, { code: error.code, message: error.message });
    }
    throw error;
  }

  const bytesTotal = drive.manifest.files.reduce((sum, f) => sum + f.size, 0);
  log.info(
    { ...fields, files: drive.manifest.files.length, bytes: bytesTotal },
    "drive opened: copying its files",
  );
  // The first report moves the drive to Transferring (and renews the lease); resumed copies report too.
  await api.progress(driveId, { bytesSucceeded: 0, bytesTotal, copyStatus: "InProgress" });

  const journal = SqliteJournal.open(journalPath(options.stateDir, job.id, driveId));
  const shares =
    options.fileSharesDir === undefined ? undefined : createFileShareTarget({ root: options.fileSharesDir });
  const copying = new AbortController();
  const stop = () => copying.abort();
  options.signal.addEventListener("abort", stop);
  let latest: ImportProgress | undefined;
  let lostLease: string | undefined;
  let storageExpiresAt = Date.parse(storage.expiresOn);

  const report = async () => {
    if (!latest) {
      return;
    }
    const sent = latest;
    try {
      await api.progress(driveId, {
        bytesSucceeded: sent.bytesDone,
        bytesTotal: sent.bytesTotal,
        filesSucceeded: sent.filesDone,
        copyStatus: "InProgress",
      });
      if (storageExpiresAt - clock.now().getTime() < SAS_MARGIN_MS) {
        // A claim by the holder renews its lease and hands fresh storage access.
        const renewed = await api.claim(driveId);
        if (renewed.job.storage) {
          target.setSas(renewed.job.storage.sas);
          storageExpiresAt = Date.parse(renewed.job.storage.expiresOn);
        }
      }
    } catch (error) {
      if (error instanceof ApiError && error.code === "LeaseNotHeld") {
        // Another station may take the drive now: stop writing to its blobs.
        lostLease = error.message;
        copying.abort();
        return;
      }
      // The control plane out of reach: keep copying; the next report tries again within the lease.
      log.warn({ ...fields, err: (error as Error).message }, "could not report progress; copying on");
    }
  };
  let reporting: Promise<void> = Promise.resolve();
  const ticker = setInterval(() => {
    reporting = reporting.then(report);
  }, options.progressIntervalMs ?? 2000);
  ticker.unref();

  const onProgress = (progress: ImportProgress) => {
    latest = progress;
  };

  let result: ImportResult;
  try {
    // Storage out of reach stops a run without failing a file: the station waits, holding its lease
    // (progress reports go on), and runs again from its journal. A run that gets no further than the one
    // before counts toward giving up; the last run then fails the files it cannot write, each with its
    // error, so a drive ends CompletedMoreInfo rather than waiting forever.
    let pauses = 0;
    let reached = -1;
    for (;;) {
      result = await importDrive({
        drive,
        target,
        ...(shares ? { shares } : {}),
        journal,
        clock,
        signal: copying.signal,
        pauseWhenStorageDown: pauses < (options.storagePauses?.max ?? STORAGE_PAUSES.max),
        ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
        onProgress,
        onUploaded: (bytes) => options.metrics.bytesUploaded.inc(bytes),
        // Files this run committed: not those skipped, failed, or committed by an earlier run.
        onCommitted: () => options.metrics.filesCommitted.inc(),
      });
      if (result.storageDown === undefined || copying.signal.aborted) {
        break;
      }
      pauses = result.bytesDone > reached ? 1 : pauses + 1;
      reached = Math.max(reached, result.bytesDone);
      const first = options.storagePauses?.firstMs ?? STORAGE_PAUSES.firstMs;
      const wait = Math.min(first * 2 ** (pauses - 1), STORAGE_PAUSES.longestMs);
      log.warn(
        { ...fields, err: result.storageDown, waitMs: wait },
        "blob storage is out of reach: the copy waits, then goes on from where it stopped",
      );
      const waited = await sleep(wait, true, { signal: copying.signal }).catch(() => false);
      if (!waited) {
        break;
      }
    }
  } finally {
    clearInterval(ticker);
    options.signal.removeEventListener("abort", stop);
    await reporting;
  }
  try {
    if (result.stopped) {
      const message = lostLease ?? "The station stopped; the copy resumes where it stopped.";
      log.info({ ...fields, bytesDone: result.bytesDone }, "copy stopped before the end");
      return { finished: false, message };
    }
    const verifyFailures = result.files.filter((f) => VERIFY_CODES.has(f.status)).length;
    options.metrics.verifyFailures.inc(verifyFailures);
    const at = clock.now();
    const logs = await writeDriveLogs({
      target,
      container: job.diagnosticsPath,
      jobName: job.name,
      driveId,
      at,
      verbose: job.logLevel === "Verbose",
      outcome: result,
    });
    if (options.storageSettleMs) {
      // Reported finished, a drive is never copied again: its blobs must be durable first.
      const settled = await sleep(options.storageSettleMs, true, { signal: options.signal }).catch(
        () => false,
      );
      if (!settled) {
        return {
          finished: false,
          message: "The station stopped before the copy was reported; it is checked again on restart.",
        };
      }
    }
    await finish(options, result.counts, logs);
    log.info({ ...fields, ...result.counts, bytes: result.bytesDone }, "drive copied");
    return { finished: true };
  } finally {
    journal.close();
  }
}

async function finish(
  options: CopyDriveOptions,
  counts: CopyCounts,
  logs: { errorLogUri?: string; verboseLogUri?: string },
): Promise<void> {
  await options.api.finish(options.claim.drive.driveId, {
    state: copyOutcome(counts),
    ...counts,
    ...logs,
  });
}

/**
 * A drive that cannot be read at all: one drive-level error, its log if storage can be reached, and the
 * drive finished CompletedMoreInfo (so the job closes with the problem on record, never Completed).
 */
async function failDrive(
  options: CopyDriveOptions,
  target: ReturnType<typeof createBlobTarget> | undefined,
  problem: { code: string; message: string },
): Promise<CopyEnd> {
  const { api, claim, log, clock } = options;
  const driveId = claim.drive.driveId;
  log.warn(
    { driveId, job: claim.job.name, code: problem.code },
    `drive cannot be copied: ${problem.message}`,
  );
  // Finishing needs the drive Transferring: a first progress report moves it there.
  await api.progress(driveId, { bytesSucceeded: 0, bytesTotal: 0, copyStatus: problem.code });
  let logs: { errorLogUri?: string; verboseLogUri?: string } = {};
  if (target) {
    try {
      logs = await writeDriveLogs({
        target,
        container: claim.job.diagnosticsPath,
        jobName: claim.job.name,
        driveId,
        at: clock.now(),
        verbose: claim.job.logLevel === "Verbose",
        outcome: { driveId, driveError: problem },
      });
    } catch (error) {
      log.warn({ driveId, err: (error as Error).message }, "could not write the drive's error log");
    }
  }
  await finish(options, { errorCount: 1, warningCount: 0, infoCount: 0 }, logs);
  return { finished: true, message: `${problem.code}: ${problem.message}` };
}
