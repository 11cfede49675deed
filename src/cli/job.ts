/** @module `sneakernet job …`: the customer's verbs over the ARM API (create, list, show, ship, update, cancel, delete, keys, logs, watch). */

import { type Command, Option } from "commander";

import { ApiError } from "../client/http.js";
import { JobsApi, storageAccountId } from "../client/jobs.js";
import type {
  ArmDrive,
  ArmJob,
  DriveLog,
  JobAddress,
  JobState,
  JobType,
  LogLevel,
  PatchJobBody,
  PutJobBody,
  ReturnAddress,
  ReturnShipping,
} from "../client/types.js";
import { JOB_STATES, JOB_TYPES, LOG_LEVELS } from "../domain/states.js";
import { systemClock } from "../serve/clock.js";
import { readJournal } from "../transfer/prepare/journal.js";
import { parseJobId } from "../wire/ids.js";
import {
  collect,
  examples,
  type GlobalFlags,
  listCell,
  oneOf,
  oneOfEach,
  open,
  positiveInteger,
  positiveNumber,
  printFields,
  printHistory,
  printJson,
  readDocument,
  subscriptionId,
  subscriptionOf,
  verb,
} from "./common.js";
import { watchJob } from "./job-watch.js";
import { localMinute, type OutputFormat, printTable, type TableFit, UsageError } from "./output.js";

/** The flags of every verb that names one job. */
interface JobFlags extends GlobalFlags {
  subscription?: string;
  resourceGroup: string;
}

const SUB = "6f1d2a3b-0000-4000-8000-000000000001";
const KEY = "238810-662376-448998-450120-652806-203390-606320-483076";
const ACCOUNT = "devstoreaccount1";

/** A verb naming one job: NAME, -g (required), --subscription (optional with a one-subscription token). */
function jobVerb(parent: Command, name: string, description: string): Command {
  return verb(parent, `${name} <name>`, description)
    .requiredOption("-g, --resource-group <group>", "the job's resource group")
    .option(
      "--subscription <uuid>",
      "the job's subscription (default: the token's, if it has just one)",
      subscriptionId,
    );
}

/** open() for the customer, and the job's address (its subscription asked of the server when not given). */
async function openJob(
  name: string,
  flags: JobFlags,
): Promise<{ api: JobsApi; address: JobAddress; format: OutputFormat }> {
  const { client, api, format } = open(flags, "customer", JobsApi);
  const subscriptionId = await subscriptionOf(client, flags.subscription);
  return { api, address: { subscriptionId, resourceGroup: flags.resourceGroup, name }, format };
}

function percent(value: number | undefined): string {
  return `${value ?? 0}%`;
}

function jobRow(job: ArmJob): Record<string, unknown> {
  return {
    name: job.name,
    group: parseJobId(job.id)?.resourceGroup,
    type: job.properties.jobType,
    state: job.properties.state,
    location: job.location,
    drives: job.properties.driveList?.length ?? 0,
    percent: percent(job.properties.percentComplete),
    created: localMinute(job.systemData?.createdAt),
  };
}

/**
 * A table of jobs too wide for the terminal gives up the location's width, then cuts the resource group
 * and the name; then leaves out the location, the drive count and the date. The name, the group (which
 * `job show` needs with it), the type, the state and the percent stay.
 */
const JOB_FIT: TableFit = {
  shrink: { location: 8, group: 10, name: 16 },
  drop: ["location", "drives", "created"],
};

/** The short form of a job after a change: one row, what changed is the state. */
function printJob(job: ArmJob, format: OutputFormat): void {
  if (format === "json") {
    printJson(job);
    return;
  }
  printTable([jobRow(job)], ["name", "type", "state", "location", "drives"], JOB_FIT);
}

function driveRows(drives: readonly ArmDrive[] = []): Record<string, unknown>[] {
  return drives.map((d) => ({
    drive: d.driveId,
    state: d.state,
    "copy status": d.copyStatus ?? "-",
    percent: percent(d.percentComplete),
    bytes: d.bytesSucceeded ?? 0,
    capacity: d.capacityBytes ?? "",
  }));
}

/**
 * A drive's links (its manifest backup, what it could not fit), each whole on its own line: a URI cut to
 * fit a table column could not be opened or copied.
 */
function driveLinkLines(drives: readonly ArmDrive[] = []): string[] {
  return drives.flatMap((d) => [
    ...(d.manifestUri ? [`${d.driveId} manifest backup: ${d.manifestUri}`] : []),
    ...(d.incompleteBlobListUri ? [`${d.driveId} incomplete blob list: ${d.incompleteBlobListUri}`] : []),
  ]);
}

function addressLine(address: Partial<Record<string, string | undefined>> | undefined): string | undefined {
  if (!address) {
    return undefined;
  }
  return [
    address.recipientName,
    address.streetAddress1,
    address.streetAddress2,
    address.city,
    address.stateOrProvince,
    address.postalCode,
    address.countryOrRegion,
    address.phone,
  ]
    .filter((part) => part !== undefined && part !== "")
    .join(", ");
}

function packageLine(
  p: { carrierName?: string; trackingNumber?: string; driveCount?: number; shipDate?: string } | undefined,
): string | undefined {
  if (!p) {
    return undefined;
  }
  const count = p.driveCount !== undefined ? `, ${p.driveCount} drive(s)` : "";
  const date = p.shipDate ? `, shipped ${p.shipDate}` : "";
  return `${p.carrierName ?? "?"} ${p.trackingNumber ?? "?"}${count}${date}`;
}

/** A file holding a ReturnAddress (JSON or YAML); its fields are checked by the server. */
async function returnAddressFrom(file: string): Promise<ReturnAddress> {
  return (await readDocument(file, "return address file")) as unknown as ReturnAddress;
}

function returnShippingFrom(
  carrier: string | undefined,
  account: string | undefined,
): ReturnShipping | undefined {
  if (carrier === undefined && account === undefined) {
    return undefined;
  }
  if (carrier === undefined || account === undefined) {
    throw new UsageError("--return-carrier and --return-account go together: give both.");
  }
  return { carrierName: carrier, carrierAccountNumber: account };
}

function driveFrom(spec: string): { driveId: string; bitLockerKey: string } {
  const at = spec.indexOf("=");
  if (at <= 0 || at === spec.length - 1) {
    throw new UsageError(`--drive takes SERIAL=BITLOCKER-KEY, not '${spec}'.`);
  }
  return { driveId: spec.slice(0, at).trim(), bitLockerKey: spec.slice(at + 1).trim() };
}

/** A driveList entry as the CLI sends it: the id, and the key and hashes it knows. */
type DriveEntry = { driveId: string } & Record<string, string>;

/**
 * The driveList entries of every drive a `drive prepare` journal finished: id, key, manifest file and the
 * two hashes a station checks the drive against. A drive still being prepared is refused: shipping it
 * would ship a drive whose manifest does not yet list all its files.
 */
async function drivesFromJournal(path: string): Promise<DriveEntry[]> {
  let journal;
  try {
    journal = await readJournal(path);
  } catch (error) {
    throw new UsageError(`--journal: ${(error as Error).message}`);
  }
  if (!journal) {
    throw new UsageError(`--journal: ${path} does not exist.`);
  }
  if (journal.drives.length === 0) {
    throw new UsageError(`--journal: ${path} records no drive: run sneakernet drive prepare first.`);
  }
  return journal.drives.map((drive) => {
    if (!drive.finished) {
      throw new UsageError(
        `--journal: drive ${drive.driveId} is not finished: run the same sneakernet drive prepare again to finish it.`,
      );
    }
    return { driveId: drive.driveId, bitLockerKey: drive.bitLockerKey, ...drive.finished };
  });
}

// ---- create -----------------------------------------------------------------------------------------

interface CreateFlags extends JobFlags {
  location?: string;
  type?: JobType;
  storageAccount?: string;
  drive?: string[];
  journal?: string;
  blobPrefix?: string[];
  blobPath?: string[];
  returnAddress?: string;
  returnCarrier?: string;
  returnAccount?: string;
  logLevel?: LogLevel;
  fromFile?: string;
}

/** The PUT body: the --from-file document, then each flag given over it. */
async function createBody(flags: CreateFlags, address: JobAddress): Promise<PutJobBody> {
  const body: PutJobBody = flags.fromFile !== undefined ? await readDocument(flags.fromFile, "job file") : {};
  if (body.properties !== undefined && (typeof body.properties !== "object" || body.properties === null)) {
    throw new UsageError(`job file '${flags.fromFile}': 'properties' must be an object.`);
  }
  const properties: Record<string, unknown> = { ...body.properties };
  if (flags.location !== undefined) {
    body.location = flags.location;
  }
  if (flags.type !== undefined) {
    properties.jobType = flags.type;
  }
  if (flags.storageAccount !== undefined) {
    // A bare account name is taken to live in the job's subscription and resource group.
    properties.storageAccountId = flags.storageAccount.includes("/")
      ? flags.storageAccount
      : storageAccountId(address.subscriptionId, address.resourceGroup, flags.storageAccount);
  }
  const drives = flags.drive ?? [];
  const prefixes = flags.blobPrefix ?? [];
  const paths = flags.blobPath ?? [];
  const listed: Record<string, string>[] = drives.map(driveFrom);
  if (flags.journal !== undefined) {
    listed.push(...(await drivesFromJournal(flags.journal)));
  }
  if (listed.length > 0) {
    properties.driveList = listed;
  }
  if (prefixes.length > 0 || paths.length > 0) {
    const current = (properties.export ?? {}) as { blobList?: Record<string, unknown> };
    properties.export = {
      ...current,
      blobList: {
        ...current.blobList,
        ...(prefixes.length > 0 ? { blobPathPrefix: prefixes } : {}),
        ...(paths.length > 0 ? { blobPath: paths } : {}),
      },
    };
  }
  if (flags.returnAddress !== undefined) {
    properties.returnAddress = await returnAddressFrom(flags.returnAddress);
  }
  const shipping = returnShippingFrom(flags.returnCarrier, flags.returnAccount);
  if (shipping) {
    properties.returnShipping = shipping;
  }
  if (flags.logLevel !== undefined) {
    properties.logLevel = flags.logLevel;
  }
  body.properties = properties;
  // Said here rather than by the server, so the message names the flag to add.
  const missing = [
    body.location ? undefined : "--location",
    properties.jobType ? undefined : "--type",
    properties.storageAccountId ? undefined : "--storage-account",
  ].filter((m): m is string => m !== undefined);
  if (missing.length > 0) {
    throw new UsageError(`${missing.join(", ")} required (as flags or in --from-file).`);
  }
  return body;
}

function registerCreate(job: Command): void {
  const command = jobVerb(job, "create", "Create an import or export job (it starts in Creating).")
    .option("--location <location>", "the data center to ship to (westus or 'West US')")
    .addOption(new Option("--type <type>", "Import | Export").argParser(oneOf<JobType>(JOB_TYPES)))
    .option(
      "--storage-account <id>",
      "the storage account's ARM id, or just its name (then in this subscription and resource group)",
    )
    .option("--drive <serial=key>", "an import drive and its BitLocker recovery key (repeatable)", collect)
    .option(
      "--journal <file>",
      "import: the drives a `sneakernet drive prepare` journal finished (id, key, manifest and header hashes)",
    )
    .option("--blob-prefix <prefix>", "export: blobs whose path starts with this (repeatable)", collect)
    .option("--blob-path <path>", "export: one blob to export (repeatable)", collect)
    .option(
      "--return-address <file>",
      "where the drives go back: a JSON or YAML file with the address fields",
    )
    .option("--return-carrier <carrier>", "the carrier that ships the drives back (with --return-account)")
    .option("--return-account <number>", "your account number with that carrier")
    .addOption(new Option("--log-level <level>", "Error | Verbose").argParser(oneOf<LogLevel>(LOG_LEVELS)))
    .option("--from-file <file>", "a whole job (the API's PUT body) in JSON or YAML; flags override it");
  examples(command, [
    `sneakernet job create job1 -g rg1 --location westus --type Import --storage-account ${ACCOUNT} \\`,
    `    --drive 9CA995BB=${KEY} --return-address address.yaml --return-carrier FedEx --return-account 989ffff`,
    `sneakernet job create photos -g rg1 --location westus --type Export --storage-account ${ACCOUNT} --blob-prefix /photos/`,
    `sneakernet job create job3 -g rg1 --location westus --type Import --storage-account ${ACCOUNT} --journal disk1.json`,
    "sneakernet job create job2 -g rg1 --from-file job2.yaml --subscription " + SUB,
    "address.yaml: {recipientName: Ada, streetAddress1: 1 Main St, city: Redmond, postalCode: '98007',",
    "               countryOrRegion: USA, phone: '4250000000', email: ada@example.com}",
  ]);
  command.action(async (name: string, flags: CreateFlags) => {
    const { api, address, format } = await openJob(name, flags);
    const body = await createBody(flags, address);
    printJob(await api.put(address, body, { createOnly: true }), format);
  });
}

// ---- list -------------------------------------------------------------------------------------------

function registerList(job: Command): void {
  const command = job
    .command("list")
    .description(
      "List jobs (every page), of the subscription or of one resource group (GROUP, what -g takes).",
    )
    .option("-g, --resource-group <group>", "only this resource group")
    .option(
      "--subscription <uuid>",
      "the subscription (default: the token's, if it has just one)",
      subscriptionId,
    )
    .addOption(
      new Option(
        "--state <state>",
        `only jobs in this state (repeatable): ${JOB_STATES.join(", ")}`,
      ).argParser(oneOfEach<JobState>(JOB_STATES)),
    )
    .addOption(
      new Option("--type <type>", "only Import or Export jobs").argParser(oneOfEach<JobType>(JOB_TYPES)),
    );
  examples(command, [
    "sneakernet job list",
    "sneakernet job list -g rg1 --state Shipping --state Received",
    "sneakernet job list --type Export --output json | jq -r '.[].name'",
  ]);
  command.action(
    async (
      flags: GlobalFlags & {
        resourceGroup?: string;
        subscription?: string;
        state?: JobState[];
        type?: JobType[];
      },
    ) => {
      const { client, api, format } = open(flags, "customer", JobsApi);
      const subscriptionId = await subscriptionOf(client, flags.subscription);
      const jobs = await api.list(subscriptionId, flags.resourceGroup, {
        states: flags.state ?? [],
        types: flags.type ?? [],
      });
      if (format === "json") {
        printJson(jobs);
        return;
      }
      printTable(
        jobs.map(jobRow),
        ["name", "group", "type", "state", "location", "drives", "percent", "created"],
        JOB_FIT,
      );
    },
  );
}

// ---- show -------------------------------------------------------------------------------------------

function registerShow(job: Command): void {
  const command = jobVerb(job, "show", "Show a job, its drives and its state history.");
  examples(command, [
    "sneakernet job show job1 -g rg1",
    "sneakernet job show job1 -g rg1 --output json | jq .properties.state",
    '(json: the job as the API returns it, with its state history under "history")',
  ]);
  command.action(async (name: string, flags: JobFlags) => {
    const { api, address, format } = await openJob(name, flags);
    const [found, history] = await Promise.all([api.get(address), api.history(address)]);
    if (format === "json") {
      printJson({ ...found, history });
      return;
    }
    const p = found.properties;
    const blobs = p.export?.blobList;
    printFields([
      ["job", found.name],
      ["id", found.id],
      ["type", p.jobType],
      ["state", p.cancelRequested && p.state !== "Canceled" ? `${p.state} (cancel requested)` : p.state],
      ["percent complete", percent(p.percentComplete)],
      ["location", found.location],
      ["storage account", p.storageAccountId],
      ["export", blobs ? listCell([...(blobs.blobPathPrefix ?? []), ...(blobs.blobPath ?? [])]) : undefined],
      ["ship drives to", addressLine(p.shippingInformation)],
      ["delivery package", packageLine(p.deliveryPackage)],
      ["return address", addressLine(p.returnAddress as unknown as Record<string, string>)],
      [
        "return shipping",
        p.returnShipping && `${p.returnShipping.carrierName} ${p.returnShipping.carrierAccountNumber}`,
      ],
      ["return package", packageLine(p.returnPackage)],
      // What did not fit on the drives: the blobPath list of a follow-up export job.
      ["incomplete blob list", p.incompleteBlobListUri],
      ["log level", p.logLevel],
      ["created", found.systemData?.createdAt],
      ["modified", found.systemData?.lastModifiedAt],
    ]);
    console.log("\nDrives:");
    // An export drive's capacity, when recorded: a column only then (an import's drives have none).
    const capacity = p.driveList.some((d) => d.capacityBytes !== undefined);
    printTable(
      driveRows(p.driveList),
      ["drive", "state", "copy status", "percent", "bytes", ...(capacity ? ["capacity"] : [])],
      { shrink: { "copy status": 11, drive: 12 } },
    );
    for (const line of driveLinkLines(p.driveList)) {
      console.log(line);
    }
    console.log("\nHistory:");
    printHistory(history);
  });
}

// ---- ship, update, cancel, delete, keys --------------------------------------------------------------

function registerShip(job: Command): void {
  const command = jobVerb(job, "ship", "Record the delivery package's tracking: the job moves to Shipping.")
    .requiredOption("--carrier <carrier>", "the carrier you ship the drives with")
    .requiredOption("--tracking <number>", "its tracking number")
    .option("--drive-count <n>", "how many drives are in the package", positiveInteger);
  examples(command, [
    "sneakernet job ship job1 -g rg1 --carrier FedEx --tracking 781234567890",
    "sneakernet job ship job1 -g rg1 --carrier UPS --tracking 1Z999AA10123456784 --drive-count 2",
  ]);
  command.action(
    async (name: string, flags: JobFlags & { carrier: string; tracking: string; driveCount?: number }) => {
      const { api, address, format } = await openJob(name, flags);
      const job = await api.patch(address, {
        properties: {
          state: "Shipping",
          deliveryPackage: {
            carrierName: flags.carrier,
            trackingNumber: flags.tracking,
            ...(flags.driveCount !== undefined ? { driveCount: flags.driveCount } : {}),
          },
        },
      });
      printJob(job, format);
    },
  );
}

/**
 * The drive list a job gets when a journal's drives are added to it: the job's drives as they are (id and
 * hashes, no key: the service keeps the key it holds for a drive sent without one), then the journal's
 * finished drives the job does not list yet, with their keys. A PATCH replaces the whole list, so the
 * drives already there are re-sent, and a journal drive already there is not sent twice.
 */
function driveListWithJournal(
  listed: readonly ArmDrive[],
  journal: readonly DriveEntry[],
): { driveList: DriveEntry[]; added: string[] } {
  const ids = new Set(listed.map((d) => d.driveId.toUpperCase()));
  const added = journal.filter((d) => !ids.has(d.driveId.toUpperCase()));
  const kept = listed.map((d) => {
    const entry: DriveEntry = { driveId: d.driveId };
    for (const field of ["manifestFile", "manifestHash", "driveHeaderHash"] as const) {
      const value = d[field];
      if (typeof value === "string") {
        entry[field] = value;
      }
    }
    return entry;
  });
  return { driveList: [...kept, ...added], added: added.map((d) => d.driveId) };
}

function registerUpdate(job: Command): void {
  const command = jobVerb(
    job,
    "update",
    "Change a job's return address, return shipping or log level; add the drives of a `drive prepare` journal while it is Creating.",
  )
    .option("--return-address <file>", "a JSON or YAML file with the address fields")
    .option("--return-carrier <carrier>", "the carrier that ships the drives back (with --return-account)")
    .option("--return-account <number>", "your account number with that carrier")
    .addOption(new Option("--log-level <level>", "Error | Verbose").argParser(oneOf<LogLevel>(LOG_LEVELS)))
    .option(
      "--journal <file>",
      "import, while the job is Creating: add the drives a `sneakernet drive prepare` journal finished that the job does not list yet (drives already listed stay as they are)",
    );
  examples(command, [
    "sneakernet job update job1 -g rg1 --return-address address.json",
    "sneakernet job update job1 -g rg1 --return-carrier UPS --return-account 12345 --log-level Verbose",
    "sneakernet job update job3 -g rg1 --journal disk2.json",
  ]);
  command.action(
    async (
      name: string,
      flags: JobFlags & {
        returnAddress?: string;
        returnCarrier?: string;
        returnAccount?: string;
        logLevel?: LogLevel;
        journal?: string;
      },
    ) => {
      const properties: PatchJobBody["properties"] = {};
      const shipping = returnShippingFrom(flags.returnCarrier, flags.returnAccount);
      if (shipping) {
        properties.returnShipping = shipping;
      }
      if (flags.logLevel !== undefined) {
        properties.logLevel = flags.logLevel;
      }
      if (flags.returnAddress !== undefined) {
        properties.returnAddress = await returnAddressFrom(flags.returnAddress);
      }
      const journal = flags.journal !== undefined ? await drivesFromJournal(flags.journal) : undefined;
      if (Object.keys(properties).length === 0 && journal === undefined) {
        throw new UsageError(
          "nothing to update: give --return-address, --return-carrier/--return-account, --log-level or --journal.",
        );
      }
      const { api, address, format } = await openJob(name, flags);
      // The drive list is read, grown and sent back whole: sent only if the job is still as read, so a
      // change made meanwhile (another update, a drive added) is never overwritten.
      let ifMatch: string | undefined;
      if (journal !== undefined) {
        const { job: current, etag } = await api.getWithEtag(address);
        ifMatch = etag;
        const { driveList, added } = driveListWithJournal(current.properties.driveList ?? [], journal);
        if (added.length > 0) {
          properties.driveList = driveList;
        } else {
          // Not an error: the same command run twice adds nothing the second time.
          console.error(`Every drive of ${flags.journal} is already in the job: none added.`);
          if (Object.keys(properties).length === 0) {
            printJob(current, format);
            return;
          }
        }
      }
      try {
        printJob(await api.patch(address, { properties }, ifMatch !== undefined ? { ifMatch } : {}), format);
      } catch (error) {
        if (ifMatch !== undefined && error instanceof ApiError && error.code === "PreconditionFailed") {
          throw new ApiError(
            error.code,
            `Job '${name}' changed while its drives were being added; nothing was changed: run the same command again.`,
            error.status,
          );
        }
        throw error;
      }
    },
  );
}

function registerCancel(job: Command): void {
  const command = jobVerb(job, "cancel", "Cancel a job (only while it is Creating).");
  examples(command, ["sneakernet job cancel job2 -g rg1"]);
  command.action(async (name: string, flags: JobFlags) => {
    const { api, address, format } = await openJob(name, flags);
    printJob(await api.patch(address, { properties: { cancelRequested: true } }), format);
  });
}

function registerDelete(job: Command): void {
  const command = jobVerb(job, "delete", "Delete a job (in Creating, Completed, Closed or Canceled).");
  examples(command, ["sneakernet job delete job2 -g rg1"]);
  command.action(async (name: string, flags: JobFlags) => {
    const { api, address, format } = await openJob(name, flags);
    await api.delete(address);
    if (format === "json") {
      printJson({
        name,
        resourceGroup: address.resourceGroup,
        subscriptionId: address.subscriptionId,
        deleted: true,
      });
    } else {
      console.log(`Deleted job ${name} (resource group ${address.resourceGroup}).`);
    }
  });
}

function registerKeys(job: Command): void {
  const command = jobVerb(
    job,
    "keys",
    "List the BitLocker keys of a job's drives (only to the job's owner).",
  );
  examples(command, ["sneakernet job keys job1 -g rg1", "sneakernet job keys job1 -g rg1 --output json"]);
  command.action(async (name: string, flags: JobFlags) => {
    const { api, address, format } = await openJob(name, flags);
    const keys = await api.bitLockerKeys(address);
    if (format === "json") {
      printJson(keys);
      return;
    }
    // A key is of no use cut: only the drive gives up width.
    printTable(
      keys.map((k) => ({ drive: k.driveId, key: k.bitLockerKey })),
      ["drive", "key"],
      { shrink: { drive: 12 } },
    );
  });
}

// ---- logs -------------------------------------------------------------------------------------------

/** `rename → Renamed`: what the customer asked for and what it did. */
function dispositionCell(blob: DriveLog["blobs"][number]): string {
  if (blob.disposition === undefined) {
    return "";
  }
  return blob.dispositionStatus ? `${blob.disposition} → ${blob.dispositionStatus}` : blob.disposition;
}

/** `drive D1 (CompletedMoreInfo): error log, CompletedWithErrors; 2 blobs: 1 Completed, 1 CompletedWithErrors`. */
export function driveLogSummary(log: DriveLog): string {
  const counts = new Map<string, number>();
  for (const blob of log.blobs) {
    counts.set(blob.status, (counts.get(blob.status) ?? 0) + 1);
  }
  const byStatus = [...counts].map(([status, n]) => `${n} ${status}`).join(", ");
  const blobs = `${log.blobs.length} blob${log.blobs.length === 1 ? "" : "s"}${byStatus ? `: ${byStatus}` : ""}`;
  return `drive ${log.driveId} (${log.driveState}): ${log.kind} log, ${log.status}; ${blobs}`;
}

/**
 * A table of a log's blobs too wide for the terminal cuts the message, the paths, then leaves out the file
 * on the drive, the disposition and an export's Last-Modified: the status, the blob (with its snapshot)
 * and the length stay.
 */
const LOG_FIT: TableFit = {
  shrink: { message: 24, "file path": 12, "blob path": 24 },
  drop: ["file path", "disposition", "last modified"],
};

function printDriveLog(log: DriveLog): void {
  console.log(driveLogSummary(log));
  if (log.message !== undefined) {
    // A drive that could not be read at all: its log holds the reason and no blob.
    console.log(`message: ${log.message}`);
  }
  if (log.blobs.length === 0) {
    return;
  }
  // An export's log names each blob's snapshot and Last-Modified: a column only when some row has one.
  const snapshots = log.blobs.some((blob) => blob.snapshot !== undefined);
  const modified = log.blobs.some((blob) => blob.lastModified !== undefined);
  printTable(
    log.blobs.map((blob) => ({
      status: blob.status,
      "blob path": blob.blobPath,
      snapshot: blob.snapshot ?? "",
      "file path": blob.filePath,
      length: blob.length,
      "last modified": blob.lastModified ?? "",
      disposition: dispositionCell(blob),
      message: blob.message ?? "",
    })),
    [
      "status",
      "blob path",
      ...(snapshots ? ["snapshot"] : []),
      "file path",
      "length",
      ...(modified ? ["last modified"] : []),
      "disposition",
      "message",
    ],
    LOG_FIT,
  );
}

function registerLogs(job: Command): void {
  const command = jobVerb(
    job,
    "logs",
    "Show drives' copy logs as tables (read by the service from the job's storage account): a row per blob the log names, with a summary line per drive. Without --drive, every drive that has a log.",
  )
    .option("--drive <id>", "only this drive (an error when it has no log yet)")
    .option(
      "--verbose",
      "the verbose log (every blob; the job's log level must be Verbose) instead of the error log",
    );
  examples(command, [
    "sneakernet job logs job1 -g rg1",
    "sneakernet job logs job1 -g rg1 --drive 9CA995BB --verbose",
    "sneakernet job logs job1 -g rg1 --output json | jq '.[].blobs[] | select(.status != \"Completed\")'",
  ]);
  command.action(async (name: string, flags: JobFlags & { drive?: string; verbose?: boolean }) => {
    const { api, address, format } = await openJob(name, flags);
    const kind = flags.verbose ? "verbose" : "error";
    let driveIds: string[];
    if (flags.drive !== undefined) {
      driveIds = [flags.drive];
    } else {
      const found = await api.get(address);
      const drives = found.properties.driveList ?? [];
      driveIds = drives
        .filter((d) => (kind === "verbose" ? d.verboseLogUri : d.errorLogUri))
        .map((d) => d.driveId);
      if (driveIds.length === 0) {
        // Not a failure: a job whose drives are not copied yet has no log to show.
        const why =
          kind === "verbose" && found.properties.logLevel !== "Verbose"
            ? " (the job's log level is Error: only error logs are written)"
            : "";
        console.error(`No drive of job ${name} has a ${kind} log yet${why}.`);
        if (format === "json") {
          printJson([]);
        }
        return;
      }
    }
    // One after the other: a log can be megabytes, and the service reads each from storage.
    const logs: DriveLog[] = [];
    for (const driveId of driveIds) {
      logs.push(await api.driveLog(address, driveId, kind));
    }
    if (format === "json") {
      printJson(logs);
      return;
    }
    logs.forEach((log, index) => {
      if (index > 0) {
        console.log("");
      }
      printDriveLog(log);
    });
  });
}

// ---- watch ------------------------------------------------------------------------------------------

function registerWatch(job: Command): void {
  const command = jobVerb(
    job,
    "watch",
    "Print a job's moves, from its first, each on a line with the time it happened, then each new one until the job ends (Completed, Closed or Canceled); a progress bar per drive on a terminal. A lost connection resumes where it stopped; a server away is waited for up to 30 s.",
  )
    .option(
      "--interval <seconds>",
      "how often to read the job's state and progress (its moves come as they happen)",
      positiveNumber,
      2,
    )
    .addOption(
      new Option(
        "--until <state>",
        "also stop when the job reaches this state (e.g. Packaging: its drives are copied)",
      ).argParser(oneOf<JobState>(JOB_STATES)),
    );
  examples(command, [
    "sneakernet job watch job1 -g rg1",
    "sneakernet job watch job1 -g rg1 --output json   # a JSON object per move: at, job, driveId, from, to, actor, reason",
    "sneakernet job watch job1 -g rg1 --until Packaging   # returns once every drive is copied",
  ]);
  command.action(async (name: string, flags: JobFlags & { interval: number; until?: JobState }) => {
    const { api, address, format } = await openJob(name, flags);
    await watchJob(api, address, {
      intervalSeconds: flags.interval,
      format,
      // Bars only for a person at a terminal; a log or a pipe gets plain lines it can keep.
      bars: format === "table" && process.stdout.isTTY === true,
      clock: systemClock,
      ...(flags.until !== undefined ? { until: flags.until } : {}),
    });
  });
}

export function registerJob(program: Command): void {
  const job = program
    .command("job")
    .description("Import/export jobs: create, follow and ship them (customer token).");
  registerCreate(job);
  registerList(job);
  registerShow(job);
  registerShip(job);
  registerUpdate(job);
  registerCancel(job);
  registerDelete(job);
  registerKeys(job);
  registerLogs(job);
  registerWatch(job);
}
