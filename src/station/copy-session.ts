/**
 * @module What every copy a station runs shares, import or export: progress reported every few seconds
 * (which renews the lease, and the storage access before it runs out), a lost lease stopping the copy,
 * and runs repeated while blob storage is out of reach, waiting longer each time.
 */

import { setTimeout as sleep } from "node:timers/promises";

import { ApiError } from "../client/http.js";
import type { StationApi } from "../client/station.js";
import type { Clock } from "../domain/clock.js";
import type { StationLog } from "./station.js";

/** Waits while storage is out of reach: the first, doubling up to the longest; `max` runs without progress. */
export const STORAGE_PAUSES = { firstMs: 15_000, longestMs: 5 * 60_000, max: 6 };

/** Renew the storage access this long before it runs out. */
const SAS_MARGIN_MS = 15 * 60_000;

export interface SessionProgress {
  bytesDone: number;
  bytesTotal: number;
  filesDone: number;
}

export interface CopySessionOptions {
  api: StationApi;
  driveId: string;
  clock: Clock;
  log: StationLog;
  /** The station stopping. */
  signal: AbortSignal;
  progressIntervalMs?: number;
  /** When the storage access runs out, and what to do with a fresh one. */
  storageExpiresAt: number;
  onStorage: (sas: string) => void;
  fields: object;
  /** Tests: shorter waits while storage is out of reach, and fewer runs without progress. */
  pauses?: { firstMs?: number; max?: number };
}

/**
 * A claimed drive's copy, from its first progress report to its last: `signal` aborts when the station
 * stops or the lease is lost (`lostLease` says which).
 */
export class CopySession {
  private readonly copying = new AbortController();
  private latest?: SessionProgress;
  private ticker?: NodeJS.Timeout;
  private reporting: Promise<void> = Promise.resolve();
  private storageExpiresAt: number;
  lostLease?: string;

  constructor(private readonly options: CopySessionOptions) {
    this.storageExpiresAt = options.storageExpiresAt;
  }

  get signal(): AbortSignal {
    return this.copying.signal;
  }

  /**
   * Runs the copy, again while storage is out of reach (runThroughOutages), reporting its progress all
   * along; `once` runs under this session's signal.
   */
  async run<R extends { storageDown?: string; bytesDone: number }>(
    once: (lastRun: boolean) => Promise<R>,
  ): Promise<R> {
    this.start();
    try {
      return await runThroughOutages(once, {
        signal: this.signal,
        log: this.options.log,
        fields: this.options.fields,
        ...(this.options.pauses ? { pauses: this.options.pauses } : {}),
      });
    } finally {
      await this.end();
    }
  }

  /** Starts reporting; the copy's progress is taken from `progress` calls. */
  private start(): void {
    this.options.signal.addEventListener("abort", this.stop);
    this.ticker = setInterval(() => {
      this.reporting = this.reporting.then(() => this.report());
    }, this.options.progressIntervalMs ?? 2000);
    this.ticker.unref();
  }

  progress(progress: SessionProgress): void {
    this.latest = progress;
  }

  /** Stops reporting; waits for a report in flight. */
  private async end(): Promise<void> {
    clearInterval(this.ticker);
    this.options.signal.removeEventListener("abort", this.stop);
    await this.reporting;
  }

  private readonly stop = () => this.copying.abort();

  private async report(): Promise<void> {
    const { api, driveId, clock, log } = this.options;
    if (!this.latest) {
      return;
    }
    const sent = this.latest;
    try {
      await api.progress(driveId, {
        bytesSucceeded: sent.bytesDone,
        bytesTotal: sent.bytesTotal,
        filesSucceeded: sent.filesDone,
        copyStatus: "InProgress",
      });
      if (this.storageExpiresAt - clock.now().getTime() < SAS_MARGIN_MS) {
        // A claim by the holder renews its lease and hands fresh storage access.
        const renewed = await api.claim(driveId);
        if (renewed.job.storage) {
          this.options.onStorage(renewed.job.storage.sas);
          this.storageExpiresAt = Date.parse(renewed.job.storage.expiresOn);
        }
      }
    } catch (error) {
      if (error instanceof ApiError && error.code === "LeaseNotHeld") {
        // Another station may take the drive now: stop writing.
        this.lostLease = error.message;
        this.copying.abort();
        return;
      }
      // The control plane out of reach: keep copying; the next report tries again within the lease.
      log.warn(
        { ...this.options.fields, err: (error as Error).message },
        "could not report progress; copying on",
      );
    }
  }
}

/**
 * Runs a copy again while storage is out of reach (`storageDown` in its result): the station waits,
 * holding its lease, and goes on from its journal. A run that gets no further than the one before
 * counts toward giving up; the last run (`lastRun`) then fails what it cannot write, each with its
 * error, so a drive ends rather than waiting forever.
 */
export async function runThroughOutages<R extends { storageDown?: string; bytesDone: number }>(
  once: (lastRun: boolean) => Promise<R>,
  options: {
    signal: AbortSignal;
    log: StationLog;
    fields: object;
    pauses?: { firstMs?: number; max?: number };
  },
): Promise<R> {
  let pauses = 0;
  let reached = -1;
  for (;;) {
    const result = await once(pauses >= (options.pauses?.max ?? STORAGE_PAUSES.max));
    if (result.storageDown === undefined || options.signal.aborted) {
      return result;
    }
    pauses = result.bytesDone > reached ? 1 : pauses + 1;
    reached = Math.max(reached, result.bytesDone);
    const first = options.pauses?.firstMs ?? STORAGE_PAUSES.firstMs;
    const wait = Math.min(first * 2 ** (pauses - 1), STORAGE_PAUSES.longestMs);
    options.log.warn(
      { ...options.fields, err: result.storageDown, waitMs: wait },
      "blob storage is out of reach: the copy waits, then goes on from where it stopped",
    );
    const waited = await sleep(wait, true, { signal: options.signal }).catch(() => false);
    if (!waited) {
      return result;
    }
  }
}

export const NOT_SETTLED =
  "The station stopped before the copy was reported; it is checked again on restart.";

/**
 * Waits `storageSettleMs` before a copy is reported finished (a drive reported finished is never copied
 * again: what it wrote to storage must be durable first); false when the station stopped meanwhile.
 */
export async function storageSettled(options: {
  storageSettleMs?: number;
  signal: AbortSignal;
}): Promise<boolean> {
  if (!options.storageSettleMs) {
    return true;
  }
  return sleep(options.storageSettleMs, true, { signal: options.signal }).catch(() => false);
}
