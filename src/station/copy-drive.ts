/**
 * @module One claimed drive, copied: opened with the key the claim handed over, imported into the job's
 * storage account, progress reported every few seconds (which renews the lease), logs written, and the
 * drive finished with the outcome its counts imply. A stop mid-copy leaves the lease: the same station
 * takes it back on restart and resumes from its journal.
 */

import type { StationApi } from "../client/station.js";
import type { ClaimAnswer } from "../client/types.js";
import type { Clock } from "../domain/clock.js";
import { type CopyCounts, copyOutcome } from "../domain/copy.js";
import { type BlobStorage, createBlobTarget, type RetryOptions } from "../transfer/blob/target.js";
import { type Drive, isDriveError, openDrive } from "../transfer/drive/index.js";
import { createFileShareTarget } from "../transfer/fileshare/target.js";
import type { ImportProgress } from "../transfer/import/contract.js";
import { importDrive, type ImportResult, writeDriveLogs } from "../transfer/import/index.js";
import { CopySession, NOT_SETTLED, storageSettled } from "./copy-session.js";
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

/** What every copy of a claimed drive starts from: its names, and the claim's storage access as a target. */
export interface BegunCopy {
  driveId: string;
  job: ClaimAnswer["job"];
  fields: { driveId: string; job: string };
  storage: NonNullable<ClaimAnswer["job"]["storage"]>;
  target: BlobStorage;
}

/**
 * The claim's storage access as a target; without any (no credential the control plane could turn
 * into access) nothing can be written, not even a log, and the drive is failed at once: `ended`.
 */
export async function beginCopy(options: CopyDriveOptions): Promise<BegunCopy | { ended: CopyEnd }> {
  const driveId = options.claim.drive.driveId;
  const job = options.claim.job;
  const storage = job.storage;
  if (!storage) {
    return {
      ended: await failDrive(options, undefined, {
        code: "BlobRequestForbidden",
        message: `The storage account of job '${job.name}' has no credential this service can grant access with.`,
      }),
    };
  }
  const target = createBlobTarget({
    blobEndpoint: storage.blobEndpoint,
    sas: storage.sas,
    ...(options.storageRetry ? { retry: options.storageRetry } : {}),
  });
  return { driveId, job, fields: { driveId, job: job.name }, storage, target };
}

/** The session a begun copy reports through: progress, its lease and storage access renewed, outages. */
export function sessionFor(options: CopyDriveOptions, copy: BegunCopy): CopySession {
  return new CopySession({
    api: options.api,
    driveId: copy.driveId,
    clock: options.clock,
    log: options.log,
    signal: options.signal,
    ...(options.progressIntervalMs !== undefined ? { progressIntervalMs: options.progressIntervalMs } : {}),
    storageExpiresAt: Date.parse(copy.storage.expiresOn),
    onStorage: (sas) => copy.target.setSas(sas),
    fields: copy.fields,
    ...(options.storagePauses ? { pauses: options.storagePauses } : {}),
  });
}

export async function copyDrive(options: CopyDriveOptions): Promise<CopyEnd> {
  const { api, claim, log, clock } = options;
  const begun = await beginCopy(options);
  if ("ended" in begun) {
    return begun.ended;
  }
  const { driveId, job, fields, target } = begun;
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
  // The account's own shares when the registry says where they are mounted, else the station's folder.
  const sharesRoot = job.fileShareRoot ?? options.fileSharesDir;
  const shares = sharesRoot === undefined ? undefined : createFileShareTarget({ root: sharesRoot });
  const session = sessionFor(options, begun);
  let result: ImportResult;
  try {
    result = await session.run((lastRun) =>
      importDrive({
        drive,
        target,
        ...(shares ? { shares } : {}),
        journal,
        clock,
        signal: session.signal,
        pauseWhenStorageDown: !lastRun,
        ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
        onProgress: (progress: ImportProgress) => session.progress(progress),
        onUploaded: (bytes) => options.metrics.bytesUploaded.inc(bytes),
        // Files this run committed: not those skipped, failed, or committed by an earlier run.
        onCommitted: () => options.metrics.filesCommitted.inc(),
      }),
    );
  } catch (error) {
    journal.close();
    throw error;
  }
  try {
    if (result.stopped) {
      const message = session.lostLease ?? "The station stopped; the copy resumes where it stopped.";
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
    if (!(await storageSettled(options))) {
      return { finished: false, message: NOT_SETTLED };
    }
    await finish(options, result.counts, logs);
    log.info({ ...fields, ...result.counts, bytes: result.bytesDone }, "drive copied");
    return { finished: true };
  } finally {
    journal.close();
  }
}

export async function finish(
  options: Pick<CopyDriveOptions, "api" | "claim">,
  counts: CopyCounts,
  logs: {
    errorLogUri?: string;
    verboseLogUri?: string;
    manifestUri?: string;
    incompleteBlobListUri?: string;
  },
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
export async function failDrive(
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
