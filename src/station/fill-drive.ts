/**
 * @module One claimed export drive, filled: what the job selects (or what the drive before it left out)
 * read from storage onto the blank drive in the bay, encrypted with the drive's key, progress reported,
 * the logs, incomplete blob list and manifest backup written, and the drive finished with the outcome
 * its counts imply. A stop leaves the lease: the export resumes from its journal on restart.
 */

import { statfs } from "node:fs/promises";

import { copyOutcome } from "../domain/copy.js";
import { exportDrive, type ExportResult, type ExportSource } from "../transfer/export/engine.js";
import {
  exportLogXml,
  writeExportReports,
  type WriteExportReportsOptions,
} from "../transfer/export/reports.js";
import { loadSelection } from "../transfer/export/select.js";
import { blobListLocation } from "../transfer/export/selection.js";
import { writeDriveLogs } from "../transfer/import/index.js";
import {
  beginCopy,
  type CopyDriveOptions,
  type CopyEnd,
  failDrive,
  finish,
  sessionFor,
} from "./copy-drive.js";
import { NOT_SETTLED, storageSettled } from "./copy-session.js";
import { SqliteExportJournal } from "./export-journal.js";
import { journalPath } from "./journal.js";

/** The bytes the drive in the bay can take: its free space, and at most what the operator recorded. */
async function capacityOf(path: string, recorded: number | undefined): Promise<number> {
  const fs = await statfs(path);
  const free = Number(fs.bavail) * Number(fs.bsize);
  return recorded === undefined ? free : Math.min(free, recorded);
}

export async function fillDrive(options: CopyDriveOptions): Promise<CopyEnd> {
  const { api, claim, log, clock } = options;
  const begun = await beginCopy(options);
  if ("ended" in begun) {
    return begun.ended;
  }
  const { driveId, job, fields, storage, target } = begun;
  const password = claim.bitLockerKey;
  if (!password) {
    return failDrive(options, target, {
      code: "BitLockerKeyInvalid",
      message: `Job '${job.name}' holds no key for drive '${driveId}', so nothing can be written on it for the customer to read.`,
    });
  }
  // What this drive was given to take: passed on whole if it can take nothing of it (see passOn).
  let given: WriteExportReportsOptions["passOn"];
  const select = async (): Promise<ExportSource> => {
    if (claim.exportAfter) {
      // An earlier drive of the job was filled first: this one takes what that one left out, if anything.
      const list = claim.exportAfter.incompleteBlobListUri;
      if (list === undefined) {
        return { nothing: true };
      }
      given = { blobListUri: list };
      return { selection: await loadSelection(target, { blobListBlobPath: list }, storage.blobEndpoint) };
    }
    const spec = job.export ?? { blobPaths: [], blobPathPrefixes: [] };
    given = listUri(spec.blobListBlobPath) ?? spec;
    return { selection: await loadSelection(target, spec, storage.blobEndpoint) };
  };
  /** The job's blob list as a URL in its account, which an incomplete blob list URI must be. */
  const listUri = (path: string | undefined): { blobListUri: string } | undefined => {
    if (path === undefined) {
      return undefined;
    }
    try {
      const where = blobListLocation(path, storage.blobEndpoint);
      return { blobListUri: /^https?:\/\//i.test(path) ? path : target.blobUrl(where.container, where.blob) };
    } catch {
      return undefined; // A path that names no blob: nothing the next drive could read either.
    }
  };

  log.info(fields, "export drive claimed: filling it");
  // The first report moves the drive to Transferring (and renews the lease); resumed exports report too.
  await api.progress(driveId, { bytesSucceeded: 0, bytesTotal: 0, copyStatus: "InProgress" });

  const journal = SqliteExportJournal.open(journalPath(options.stateDir, job.id, driveId, "export"));
  const session = sessionFor(options, begun);
  let result: ExportResult;
  try {
    result = await session.run((lastRun) =>
      exportDrive({
        root: options.drivePath,
        driveId,
        password,
        source: target,
        journal,
        clock,
        select,
        capacityBytes: () => capacityOf(options.drivePath, claim.drive.capacityBytes),
        signal: session.signal,
        pauseWhenStorageDown: !lastRun,
        // The station's concurrency counts blocks in flight; an export's counts blobs, each holding a
        // block being sealed and a download's buffers: half as many keeps memory where import's is.
        ...(options.concurrency !== undefined
          ? { concurrency: Math.max(1, Math.floor(options.concurrency / 2)) }
          : {}),
        onProgress: (progress) => session.progress(progress),
        onWritten: (bytes) => {
          options.metrics.bytesExported.inc(bytes);
          options.metrics.filesExported.inc();
        },
      }),
    );
  } catch (error) {
    journal.close();
    throw error;
  }
  try {
    if (result.stopped) {
      const message = session.lostLease ?? "The station stopped; the export resumes where it stopped.";
      log.info({ ...fields, bytesDone: result.bytesDone }, "export stopped before the end");
      return { finished: false, message };
    }
    if (result.driveError) {
      log.warn(
        { ...fields, code: result.driveError.code },
        `export drive cannot be filled: ${result.driveError.message}`,
      );
    }
    // The reports are stamped once: a restart between writing them and finishing writes the same names.
    const stamp = journal.get("reportsAt") ?? clock.now().toISOString();
    journal.set("reportsAt", stamp);
    const at = new Date(stamp);
    const logs = await writeDriveLogs({
      target,
      container: job.diagnosticsPath,
      jobName: job.name,
      driveId,
      at,
      verbose: job.logLevel === "Verbose",
      outcome: (kind) => exportLogXml(result, kind),
    });
    const reports = await writeExportReports({
      target,
      container: job.diagnosticsPath,
      jobName: job.name,
      driveId,
      at,
      result,
      backupManifest: job.backupDriveManifest ?? false,
      ...(given !== undefined ? { passOn: given } : {}),
    });
    if (!(await storageSettled(options))) {
      return { finished: false, message: NOT_SETTLED };
    }
    await finish(options, result.counts, { ...logs, ...reports });
    log.info(
      {
        ...fields,
        ...result.counts,
        bytes: result.bytesDone,
        files: result.files.filter((file) => file.status === "Completed").length,
        leftOut: result.leftOut.length,
        state: copyOutcome(result.counts),
      },
      "export drive filled",
    );
    return { finished: true };
  } finally {
    journal.close();
  }
}
