/**
 * @module A copy station: watches its bays (each subfolder of the bays folder holds at most one drive),
 * claims each drive the control plane has received, copies it, and tells what each bay holds.
 */

import { type FSWatcher, watch } from "node:fs";
import { mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";

import { ApiError, UnreachableError } from "../client/http.js";
import type { StationApi } from "../client/station.js";
import type { Clock } from "../domain/clock.js";
import { LEASE_MS } from "../domain/lease.js";
import { BAY_STATES, type BayReport, type BayState } from "../domain/station.js";
import { deviceSerial as readDeviceSerial } from "../transfer/drive/device-serial.js";
import { isDriveError, readHeader } from "../transfer/drive/index.js";
import { copyDrive, type CopyDriveOptions, type CopyEnd } from "./copy-drive.js";
import { fillDrive } from "./fill-drive.js";
import type { StationMetrics } from "./metrics.js";

/**
 * What a bay holds (domain/station.ts): empty; unreadable (a header the station cannot read); waiting (a
 * drive the control plane does not, or not yet, let it copy: not received, unknown, held elsewhere);
 * copying; done (copied and reported, or past copying when it arrived: the operator can take it out);
 * stopped (the copy stopped before the end: the station stopping, the lease lost; it resumes later).
 */
export type { BayState };

export type BayStatus = BayReport;

/** Where the station writes what it does: pino fits. */
export interface StationLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface StationOptions {
  api: StationApi;
  name: string;
  baysDir: string;
  /** The station's own files: the per-drive journals. */
  stateDir: string;
  /**
   * The file share root: a drive's file share items (Azure Files form datasets) land in
   * `<fileSharesDir>/<share>/<path>`; an existing local folder or a mounted SMB/NFS share (never made
   * here: while it is missing or unmounted, such copies wait). Without it such items fail.
   */
  fileSharesDir?: string;
  clock: Clock;
  log: StationLog;
  metrics: StationMetrics;
  /** Blocks in flight per drive. */
  concurrency?: number;
  /** How often bays are looked at without a change seen (a mount does not always tell a watcher). */
  scanIntervalMs?: number;
  /** How often a copy reports progress (and renews its lease). */
  progressIntervalMs?: number;
  /**
   * How long storage may keep a write in memory before it is durable: the copy waits this long after its
   * last write before it reports the drive finished. 0 for Azure Storage (a committed blob is durable);
   * the embedded Azurite saves its metadata every 5 s, so serve sets a little more.
   */
  storageSettleMs?: number;
  /** The serial of the disk mounted at a bay (lsblk); replaced in tests. */
  deviceSerial?: (folder: string) => Promise<string | undefined>;
  /** Tests: shorter waits while storage is out of reach, and fewer retries before it is taken for down. */
  storagePauses?: CopyDriveOptions["storagePauses"];
  storageRetry?: CopyDriveOptions["storageRetry"];
}

interface Bay extends BayStatus {
  path: string;
  /** When to ask the control plane again about a waiting drive. */
  nextTryAt: number;
  tries: number;
  /** The bay had no drive header when last looked at. */
  blank?: boolean;
  copy?: Promise<void>;
}

/** Bays are reported when they change, and at least this often as a heartbeat. */
const REPORT_EVERY_MS = 30_000;

/** How often a bay without a drive header asks whether a blank drive of that name is registered. */
const BLANK_RETRY_MS = 5_000;

/** Backoff for a waiting drive: quick at first (the operator just received it), then every 15 s. */
const RETRY_MS = [1000, 2000, 5000, 10_000, 15_000];

export class Station {
  private readonly bays = new Map<string, Bay>();
  private readonly stopping = new AbortController();
  private watcher?: FSWatcher;
  private timer?: NodeJS.Timeout;
  private scanning?: Promise<void>;
  private rescan = false;
  private reported?: { text: string; at: number };

  constructor(private readonly options: StationOptions) {}

  /** Registers the station and starts watching; resolves once the first look at the bays is done. */
  async start(): Promise<void> {
    await mkdir(this.options.baysDir, { recursive: true });
    await mkdir(this.options.stateDir, { recursive: true, mode: 0o700 });
    await this.options.api.register(this.options.name);
    try {
      // A folder renamed into place shows here at once; the timer catches what a watcher misses (mounts).
      this.watcher = watch(this.options.baysDir, () => this.scanSoon());
      this.watcher.on("error", () => undefined);
    } catch {
      // Some filesystems cannot be watched: the timer alone does the work.
    }
    await this.scan();
    this.schedule();
  }

  /** Stops claiming, lets every copy finish its blocks in flight (they resume on the next start). */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.watcher?.close();
    clearTimeout(this.timer);
    await this.scanning;
    await Promise.all([...this.bays.values()].map((bay) => bay.copy));
  }

  /** What each bay holds, by bay name. */
  status(): BayStatus[] {
    return [...this.bays.values()]
      .map(({ bay, state, driveId, message }) => ({
        bay,
        state,
        ...(driveId !== undefined ? { driveId } : {}),
        ...(message !== undefined ? { message } : {}),
      }))
      .sort((a, b) => a.bay.localeCompare(b.bay));
  }

  /** Resolves when no copy is running and no scan is pending (tests, and a clean stop). */
  async idle(): Promise<void> {
    await this.scanning;
    await Promise.all([...this.bays.values()].map((bay) => bay.copy));
  }

  private schedule(): void {
    if (this.stopping.signal.aborted) {
      return;
    }
    this.timer = setTimeout(() => {
      void this.scan().finally(() => this.schedule());
    }, this.options.scanIntervalMs ?? 1000);
    this.timer.unref();
  }

  private scanSoon(): void {
    if (this.scanning) {
      this.rescan = true;
      return;
    }
    void this.scan();
  }

  private scan(): Promise<void> {
    if (this.scanning) {
      this.rescan = true;
      return this.scanning;
    }
    this.scanning = this.scanOnce()
      .catch((error: unknown) =>
        this.options.log.error({ err: messageOf(error) }, "could not look at the bays"),
      )
      .then(() => this.reportBays())
      .finally(() => {
        this.scanning = undefined;
        this.updateGauge();
        if (this.rescan && !this.stopping.signal.aborted) {
          this.rescan = false;
          void this.scan();
        }
      });
    return this.scanning;
  }

  private async scanOnce(): Promise<void> {
    const entries = await readdir(this.options.baysDir, { withFileTypes: true });
    // Dot-folders are not bays: a station's own state, or a drive still being moved in under a hidden name.
    const names = new Set(
      entries.filter((e) => e.isDirectory() && !e.name.startsWith(".")).map((e) => e.name),
    );
    for (const [name, bay] of this.bays) {
      if (!names.has(name) && !bay.copy) {
        this.bays.delete(name);
      }
    }
    for (const name of [...names].sort()) {
      if (this.stopping.signal.aborted) {
        return;
      }
      let bay = this.bays.get(name);
      if (!bay) {
        bay = { bay: name, path: join(this.options.baysDir, name), state: "empty", nextTryAt: 0, tries: 0 };
        this.bays.set(name, bay);
      }
      if (!bay.copy) {
        await this.look(bay);
      }
    }
  }

  /**
   * Reads the bay's drive header; for a drive, asks to copy it when its turn to ask has come. A bay
   * without a header may hold a blank export drive: its id is its disk's serial, else the bay's name.
   */
  private async look(bay: Bay): Promise<void> {
    let driveId: string;
    let blank = false;
    try {
      driveId = (await readHeader(bay.path)).header.driveId;
    } catch (error) {
      if (!(isDriveError(error) && error.code === "DriveHeaderNotFound")) {
        this.settle(bay, "unreadable", undefined, messageOf(error));
        return;
      }
      if (
        bay.state === "empty" &&
        bay.driveId === undefined &&
        this.options.clock.now().getTime() < bay.nextTryAt
      ) {
        // Still nothing registered under this name: asked (and its disk's serial read) now and then only.
        return;
      }
      const serial = await (this.options.deviceSerial ?? readDeviceSerial)(bay.path).catch(() => undefined);
      driveId = serial ?? bay.bay;
      blank = true;
    }
    // An empty bay asking again is no new drive: its backoff stays.
    const askingAgain = blank && bay.state === "empty" && bay.driveId === undefined;
    if (!askingAgain && (bay.driveId !== driveId || bay.blank !== blank)) {
      // Another drive in this bay (or its header appeared): its own story starts now.
      bay.driveId = driveId;
      bay.blank = blank;
      bay.tries = 0;
      bay.nextTryAt = 0;
      bay.state = "waiting";
      delete bay.message;
    }
    const now = this.options.clock.now().getTime();
    if (now < bay.nextTryAt) {
      return;
    }
    await this.claim(bay, driveId, blank);
  }

  private async claim(bay: Bay, driveId: string, blank: boolean): Promise<void> {
    const { api, log } = this.options;
    let claim;
    try {
      claim = await api.claim(driveId);
    } catch (error) {
      if (blank && error instanceof ApiError && error.code === "DriveNotFound") {
        // An empty bay, or a blank drive no export job has registered (yet): nothing to do with it.
        this.settle(bay, "empty");
        bay.nextTryAt = this.options.clock.now().getTime() + BLANK_RETRY_MS;
        return;
      }
      if (error instanceof ApiError || error instanceof UnreachableError) {
        const state: BayState = error instanceof ApiError && isPastCopying(error) ? "done" : "waiting";
        this.later(bay, state, error.message);
        return;
      }
      throw error;
    }
    if (blank && claim.job.type !== "Export") {
      // An import drive's bay without its header (a disk not mounted yet?): never copied as if empty.
      this.later(
        bay,
        "unreadable",
        `Drive '${driveId}' of import job '${claim.job.name}' has no drive header here: is the disk mounted?`,
      );
      // Not claimed again while blank: each claim renews the lease, and the drive may be in another
      // station's bay, which may claim it once this lease has lapsed. A header seen here is looked at at once.
      bay.driveId = driveId;
      bay.blank = true;
      bay.nextTryAt = this.options.clock.now().getTime() + LEASE_MS + BLANK_RETRY_MS;
      return;
    }
    bay.state = "copying";
    delete bay.message;
    bay.tries = 0;
    log.info({ bay: bay.bay, driveId, job: claim.job.name }, "drive claimed: copying");
    const copy = claim.job.type === "Export" ? fillDrive : copyDrive;
    bay.copy = copy({
      ...this.options,
      claim,
      drivePath: bay.path,
      signal: this.stopping.signal,
      deviceSerial: this.options.deviceSerial ?? readDeviceSerial,
    })
      .then((end: CopyEnd) => {
        if (end.finished) {
          this.settle(bay, "done", driveId, end.message);
        } else {
          this.later(bay, "stopped", end.message ?? "The copy stopped before the end; it resumes later.");
        }
      })
      .catch((error: unknown) => {
        // A copy that broke (the control plane unreachable at the end, a bug): it resumes on a later claim.
        log.error(
          { bay: bay.bay, driveId, err: messageOf(error) },
          "copy stopped by an error; it resumes later",
        );
        this.later(bay, "stopped", messageOf(error));
      })
      .finally(() => {
        delete bay.copy;
        this.updateGauge();
      });
    this.updateGauge();
  }

  /** Tells the control plane what the bays hold when that changed, or when the last report is getting old. */
  private async reportBays(): Promise<void> {
    const bays = this.status();
    const text = JSON.stringify(bays);
    const now = this.options.clock.now().getTime();
    if (this.reported && this.reported.text === text && now - this.reported.at < REPORT_EVERY_MS) {
      return;
    }
    try {
      await this.options.api.reportBays({ bays });
      this.reported = { text, at: now };
    } catch (error) {
      // Only the stations view waits for this; the copies do not.
      this.options.log.warn(
        { err: messageOf(error) },
        "could not report the bays; trying again at the next look",
      );
    }
  }

  private settle(bay: Bay, state: BayState, driveId?: string, message?: string): void {
    bay.state = state;
    if (driveId === undefined) {
      delete bay.driveId;
    } else {
      bay.driveId = driveId;
    }
    if (message === undefined) {
      delete bay.message;
    } else {
      bay.message = message;
    }
    // A drive that is done is asked about again only now and then: it may come back in a new job.
    bay.nextTryAt = this.options.clock.now().getTime() + (state === "done" ? 60_000 : 0);
  }

  private later(bay: Bay, state: BayState, message: string): void {
    bay.state = state;
    bay.message = message;
    const wait = state === "done" ? 60_000 : (RETRY_MS[Math.min(bay.tries, RETRY_MS.length - 1)] ?? 15_000);
    bay.tries += 1;
    bay.nextTryAt = this.options.clock.now().getTime() + wait;
  }

  private updateGauge(): void {
    const counts = new Map<BayState, number>(BAY_STATES.map((s) => [s, 0]));
    for (const bay of this.bays.values()) {
      counts.set(bay.state, (counts.get(bay.state) ?? 0) + 1);
    }
    for (const [state, n] of counts) {
      this.options.metrics.drivesInBays.set({ state }, n);
    }
  }
}

/** A refusal that means the drive's copy is over (Completed, shipped back…), not that it is not yet due. */
function isPastCopying(error: ApiError): boolean {
  return error.code === "DriveNotClaimable" && /Completed|NeverReceived|ShippedBack/i.test(error.message);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
