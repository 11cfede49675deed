/** @module `sneakernet ops …`: the data center's verbs (receive packages, found and export drives, ship back, the work queue, history). */

import { type Command, InvalidArgumentError } from "commander";

import { OpsApi } from "../client/ops.js";
import type { JobBrief, JobSummary, OpsDrive, QueueDrive } from "../client/types.js";
import { isDomainError } from "../domain/errors.js";
import { formatByteSize, parseByteSize } from "../domain/size.js";
import {
  collect,
  examples,
  type GlobalFlags,
  jobCell,
  listCell,
  open,
  printFields,
  printHistory,
  printJson,
  verb,
} from "./common.js";
import { localMinute, printTable, type TableFit } from "./output.js";

const JOB_ID =
  "/subscriptions/6f1d2a3b-0000-4000-8000-000000000001/resourceGroups/rg1/providers/Microsoft.ImportExport/jobs/job1";

function tracking(p: { carrierName?: string; trackingNumber?: string } | undefined): string | undefined {
  return p ? `${p.carrierName ?? "?"} ${p.trackingNumber ?? "?"}` : undefined;
}

/**
 * --ship-date: checked as the server checks it (a date, then anything Date.parse reads), so that a typo is
 * a usage error (exit 2) before anything is sent.
 */
function shipDate(value: string): string {
  if (!/^\d{4}-\d\d-\d\d/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new InvalidArgumentError("Expected a date such as 2026-02-01 (or an ISO-8601 instant).");
  }
  return value;
}

/**
 * --capacity: read as the server reads it (parseByteSize), so that a typo is a usage error (exit 2) before
 * anything is sent; the server is sent the bytes.
 */
function capacity(value: string): number {
  try {
    return parseByteSize(value);
  } catch (error) {
    throw isDomainError(error) ? new InvalidArgumentError(error.message) : error;
  }
}

function jobLine(job: JobBrief): string {
  return `${job.id} (${job.type}, ${job.state})`;
}

/** Each drive and its state, and its capacity when the operator recorded it (an export drive). */
function driveStates(drives: readonly OpsDrive[]): string {
  return listCell(
    drives.map(
      (d) =>
        `${d.driveId} ${d.state}${d.capacityBytes !== undefined ? ` (${formatByteSize(d.capacityBytes)})` : ""}`,
    ),
  );
}

function printSummary(job: JobSummary): void {
  printFields([
    ["job", job.id],
    ["type", job.type],
    ["state", job.state],
    ["percent complete", `${job.percentComplete}%`],
    ["delivery package", tracking(job.deliveryPackage)],
    ["return package", tracking(job.returnPackage)],
    ["drives", driveStates(job.drives)],
    ["extra drives", job.extraDrives.length > 0 ? driveStates(job.extraDrives) : undefined],
  ]);
}

// ---- packages ---------------------------------------------------------------------------------------

function registerPackage(ops: Command): void {
  const pkg = ops.command("package").description("Packages arriving at the data center.");

  const receive = verb(
    pkg,
    "receive",
    "Receive a package: its job's listed drives → Received, listed but absent → NeverReceived, unknown serials → extra drives.",
  )
    .requiredOption("--carrier <carrier>", "the package's carrier")
    .requiredOption("--tracking <number>", "its tracking number")
    .requiredOption("--drive <serial>", "a drive serial found in the package (repeatable)", collect)
    .option("--reason <text>", "why, for the state history");
  examples(receive, [
    "sneakernet ops package receive --carrier FedEx --tracking 781234567890 --drive 9CA995BB --drive 9CA995BC",
    "sneakernet ops package receive --carrier UPS --tracking 1Z999 --drive X1 --reason 'box damaged, drive intact'",
  ]);
  receive.action(
    async (flags: GlobalFlags & { carrier: string; tracking: string; drive: string[]; reason?: string }) => {
      const { api, format } = open(flags, "operator", OpsApi);
      const answer = await api.receivePackage({
        carrier: flags.carrier,
        tracking: flags.tracking,
        drives: flags.drive,
        ...(flags.reason !== undefined ? { reason: flags.reason } : {}),
      });
      if (format === "json") {
        printJson(answer);
        return;
      }
      printFields([
        ["package", `${flags.carrier} ${flags.tracking}`],
        [
          "status",
          answer.status === "Held"
            ? "Held (the job is still Creating: processed once the customer records tracking)"
            : answer.status,
        ],
        ["job", jobLine(answer.job)],
        ["received", listCell(answer.received)],
        ["never received", listCell(answer.neverReceived)],
        ["extra", listCell(answer.extra)],
        ["found", listCell(answer.found.map((f) => `${f.serial} (job ${f.job.id})`))],
        ["registered", listCell(answer.registered)],
      ]);
    },
  );

  const find = verb(pkg, "find", "Find the job(s) a package belongs to, by carrier and tracking number.")
    .requiredOption("--carrier <carrier>", "the package's carrier")
    .requiredOption("--tracking <number>", "its tracking number");
  examples(find, ["sneakernet ops package find --carrier FedEx --tracking 781234567890"]);
  find.action(async (flags: GlobalFlags & { carrier: string; tracking: string }) => {
    const { api, format } = open(flags, "operator", OpsApi);
    const jobs = await api.findPackage(flags.carrier, flags.tracking);
    if (format === "json") {
      printJson(jobs);
      return;
    }
    printTable(
      jobs.map((j) => ({
        job: jobCell(j.id),
        type: j.type,
        state: j.state,
        drives: driveStates(j.drives),
        since: localMinute(j.trackingRecordedAt),
      })),
      ["job", "type", "state", "drives", "since"],
      { shrink: { drives: 16, job: 16 } },
    );
  });
}

// ---- drives -----------------------------------------------------------------------------------------

function registerDrive(ops: Command): void {
  const drive = ops
    .command("drive")
    .description("Single drives: found later, or registered to an export job.");

  const found = verb(
    drive,
    "found <serial>",
    "A NeverReceived drive turned up in another package: it becomes Received, re-opening its job.",
  )
    .requiredOption("--carrier <carrier>", "the carrier of the package it came in")
    .requiredOption("--tracking <number>", "that package's tracking number");
  examples(found, ["sneakernet ops drive found 9CA995BC --carrier FedEx --tracking 781234567899"]);
  found.action(async (serial: string, flags: GlobalFlags & { carrier: string; tracking: string }) => {
    const { api, format } = open(flags, "operator", OpsApi);
    const answer = await api.driveFound({ serial, carrier: flags.carrier, tracking: flags.tracking });
    if (format === "json") {
      printJson(answer);
      return;
    }
    printFields([["drive", answer.drive ? `${answer.drive.driveId} ${answer.drive.state}` : serial]]);
    printSummary(answer.job);
  });

  const register = verb(
    drive,
    "register",
    "Register a drive that arrived for an export job: it starts Received, with a key of its own (the customer reads it with 'job keys'). The job's drives are filled one after the other, in the order they are registered.",
  )
    .requiredOption("--job <arm-id>", "the export job's ARM id")
    .requiredOption("--drive <serial>", "the drive's serial")
    .option(
      "--capacity <size>",
      "the drive's capacity: bytes, or a number and a unit (8TB, 500GB, 1.5TB; 512MiB, 2TiB in powers of 1024)",
      capacity,
    );
  examples(register, [
    `sneakernet ops drive register --job ${JOB_ID} --drive WD-0001`,
    `sneakernet ops drive register --job ${JOB_ID} --drive WD-0002 --capacity 8TB`,
  ]);
  register.action(async (flags: GlobalFlags & { job: string; drive: string; capacity?: number }) => {
    const { api, format } = open(flags, "operator", OpsApi);
    const answer = await api.registerDrive({
      job: flags.job,
      drive: flags.drive,
      ...(flags.capacity !== undefined ? { capacity: flags.capacity } : {}),
    });
    if (format === "json") {
      printJson(answer);
      return;
    }
    printFields([
      ["drive", answer.drive ? `${answer.drive.driveId} ${answer.drive.state}` : flags.drive],
      [
        "capacity",
        answer.drive?.capacityBytes !== undefined ? formatByteSize(answer.drive.capacityBytes) : undefined,
      ],
    ]);
    printSummary(answer.job);
  });
}

// ---- ship, queue, history ---------------------------------------------------------------------------

function registerShip(ops: Command): void {
  const ship = verb(
    ops,
    "ship",
    "Ship a Packaging job's drives back (extra drives too): the job becomes Completed or Closed.",
  )
    .requiredOption("--job <arm-id>", "the job's ARM id")
    .requiredOption("--carrier <carrier>", "the return carrier")
    .requiredOption("--tracking <number>", "the return package's tracking number")
    .option("--ship-date <date>", "when it left, e.g. 2026-02-01 (default: now)", shipDate);
  examples(ship, [
    `sneakernet ops ship --job ${JOB_ID} --carrier FedEx --tracking 781234567000`,
    `sneakernet ops ship --job ${JOB_ID} --carrier UPS --tracking 1Z999 --ship-date 2026-02-01`,
  ]);
  ship.action(
    async (flags: GlobalFlags & { job: string; carrier: string; tracking: string; shipDate?: string }) => {
      const { api, format } = open(flags, "operator", OpsApi);
      const answer = await api.shipBack({
        job: flags.job,
        carrier: flags.carrier,
        tracking: flags.tracking,
        ...(flags.shipDate !== undefined ? { shipDate: flags.shipDate } : {}),
      });
      if (format === "json") {
        printJson(answer);
        return;
      }
      printSummary(answer.job);
    },
  );
}

function driveRow(entry: QueueDrive): Record<string, unknown> {
  return {
    drive: entry.drive.driveId,
    job: jobCell(entry.job.id),
    state: entry.drive.state,
    since: localMinute(entry.drive.stateChangedAt),
  };
}

/** The queue's tables, too wide for the terminal, cut the job (group/name), then the drive and station. */
const QUEUE_FIT: TableFit = { shrink: { package: 12, job: 16, station: 10, drive: 12 } };

function registerQueue(ops: Command): void {
  const queue = verb(
    ops,
    "queue",
    "The work of the data center: packages expected, drives to copy and copying, jobs to ship, extra drives (a job as group/name; --output json has its ARM id).",
  );
  examples(queue, [
    "sneakernet ops queue",
    "sneakernet ops queue --output json | jq '.waitingToCopy[].drive.driveId'",
    "sneakernet ops queue --output json | jq -r '.waitingToShip[].id'   # the ARM ids --job takes",
  ]);
  queue.action(async (flags: GlobalFlags) => {
    const { api, format } = open(flags, "operator", OpsApi);
    const work = await api.queue();
    if (format === "json") {
      printJson(work);
      return;
    }
    console.log("Packages expected:");
    printTable(
      work.packagesExpected.map((p) => ({
        job: jobCell(p.job.id),
        package: tracking(p.job.deliveryPackage),
        since: localMinute(p.job.trackingRecordedAt),
        "timeout at": localMinute(p.deliveryTimeoutAt),
      })),
      ["job", "package", "since", "timeout at"],
      QUEUE_FIT,
    );
    console.log("\nWaiting to copy:");
    printTable(work.waitingToCopy.map(driveRow), ["drive", "job", "state", "since"], QUEUE_FIT);
    console.log("\nCopying:");
    printTable(
      work.copying.map((e) => ({
        drive: e.drive.driveId,
        job: jobCell(e.job.id),
        station: e.station?.name ?? e.drive.claimedBy,
        percent: `${e.drive.percentComplete}%`,
        "lease until": localMinute(e.drive.leaseExpiresAt),
      })),
      ["drive", "job", "station", "percent", "lease until"],
      QUEUE_FIT,
    );
    console.log("\nWaiting to ship:");
    printTable(
      work.waitingToShip.map((j) => ({
        job: jobCell(j.id),
        type: j.type,
        since: localMinute(j.stateChangedAt),
      })),
      ["job", "type", "since"],
      QUEUE_FIT,
    );
    console.log("\nExtra drives:");
    printTable(work.extraDrives.map(driveRow), ["drive", "job", "state", "since"], QUEUE_FIT);
  });
}

function registerHistory(ops: Command): void {
  const history = verb(
    ops,
    "history",
    "A job's state history: every move of the job and its drives, who and why.",
  ).requiredOption("--job <arm-id>", "the job's ARM id");
  examples(history, [`sneakernet ops history --job ${JOB_ID}`]);
  history.action(async (flags: GlobalFlags & { job: string }) => {
    const { api, format } = open(flags, "operator", OpsApi);
    const rows = await api.history(flags.job);
    if (format === "json") {
      printJson(rows);
      return;
    }
    printHistory(rows);
  });
}

export function registerOps(program: Command): void {
  const ops = program.command("ops").description("Data-center operations (operator token).");
  registerPackage(ops);
  registerDrive(ops);
  registerShip(ops);
  registerQueue(ops);
  registerHistory(ops);
}
