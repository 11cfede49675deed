/** @module Creating a job, or re-sending one (ARM PUT): 201 for a new job, 200 for an accepted re-PUT. */

import { DomainError, errors } from "../domain/errors.js";
import type { EncryptionKey, Job, Location } from "../domain/model.js";
import { locationKey, parseStorageAccountId } from "../domain/names.js";
import { JOB_TYPES, type JobType } from "../domain/states.js";
import type { Repositories } from "../store/store.js";
import type { AppDeps } from "./deps.js";
import { nowIso } from "./deps.js";
import {
  applyChanges,
  type JobChanges,
  newDriveRecords,
  validateExport,
  validateLogLevel,
} from "./job-changes.js";
import { type JobAddress, type JobView, throwIfStale, validateJobAddress, viewOf } from "./job-view.js";
import { actorName, type Principal, throwIfCannotChange } from "./principal.js";
import { retryOnConflict } from "./retry.js";
import { driveChange } from "./state-changes.js";

export interface PutJobInput extends JobChanges {
  location?: string;
  storageAccountId?: string;
  jobType?: string;
  encryptionKey?: EncryptionKey;
}

export interface PutJobRequest {
  principal: Principal;
  address: JobAddress;
  input: PutJobInput;
  ifMatch?: string;
  ifNoneMatch?: string;
}

export async function resolveLocation(repos: Repositories, name: string | undefined): Promise<Location> {
  if (name === undefined || name.trim() === "") {
    throw new DomainError("InvalidLocation", 'The job needs a location (for example "West US").', "location");
  }
  const location = await repos.locations.get(locationKey(name));
  if (!location) {
    const known = (await repos.locations.list()).map((l) => `'${l.name}'`).join(", ");
    throw new DomainError(
      "LocationNotFound",
      `The location '${name}' is not served here. Locations: ${known}.`,
      "location",
    );
  }
  return location;
}

function parseJobType(value: string | undefined): JobType {
  const type = JOB_TYPES.find((t) => t.toLowerCase() === (value ?? "").toLowerCase());
  if (!type) {
    throw new DomainError(
      "InvalidJobType",
      "properties.jobType must be 'Import' or 'Export'.",
      "properties.jobType",
    );
  }
  return type;
}

async function resolveStorageAccount(
  repos: Repositories,
  subscriptionId: string,
  id: string | undefined,
): Promise<string> {
  if (id === undefined) {
    throw new DomainError(
      "InvalidStorageAccountId",
      "The job needs properties.storageAccountId.",
      "properties.storageAccountId",
    );
  }
  const ref = parseStorageAccountId(id);
  if (ref.subscriptionId.toLowerCase() !== subscriptionId.toLowerCase()) {
    throw new DomainError(
      "InvalidStorageAccountId",
      "The storage account must belong to the job's own subscription.",
      "properties.storageAccountId",
    );
  }
  if (!(await repos.storageAccounts.resolve(ref.accountName, subscriptionId))) {
    throw new DomainError(
      "StorageAccountNotFound",
      `The storage account '${ref.accountName}' is not registered with this service.`,
      "properties.storageAccountId",
    );
  }
  return `/subscriptions/${subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/${ref.provider}/storageAccounts/${ref.accountName}`;
}

async function createJob(deps: AppDeps, repos: Repositories, request: PutJobRequest): Promise<JobView> {
  const { address, input, principal } = request;
  const at = nowIso(deps);
  const actor = actorName(principal);
  const location = await resolveLocation(repos, input.location);
  const type = parseJobType(input.jobType);
  const subscriptionId = address.subscriptionId.toLowerCase();
  const storageAccountId = await resolveStorageAccount(repos, subscriptionId, input.storageAccountId);
  if (type === "Export") {
    validateExport(input.export);
  } else if (input.export !== undefined) {
    throw new DomainError("InvalidExport", "properties.export is for export jobs only.", "properties.export");
  }
  const draft: Omit<Job, "id" | "etag"> = {
    subscriptionId,
    resourceGroup: address.resourceGroup,
    name: address.name,
    location: location.id,
    type,
    state: "Creating",
    storageAccountId,
    diagnosticsPath: "waimportexport",
    logLevel: input.logLevel !== undefined ? validateLogLevel(input.logLevel) : "Error",
    backupDriveManifest: false,
    cancelRequested: false,
    encryptionKey: input.encryptionKey ?? { kekType: "MicrosoftManaged" },
    tags: {},
    createdAt: at,
    createdBy: actor,
    lastModifiedAt: at,
    lastModifiedBy: actor,
    stateChangedAt: at,
  };
  // The editable fields go through the same checks as an update of a job in Creating.
  const applied = applyChanges(
    { ...draft, id: 0, etag: "" },
    [],
    { ...input, driveList: undefined },
    location,
    () => undefined,
  );
  const { id: _id, etag: _etag, ...fields } = applied.job;
  const records = newDriveRecords({ id: 0, type }, input.driveList ?? [], new Map(), deps.secrets, at);
  const job = await repos.jobs.insert(fields);
  await repos.drives.replaceAll(job.id, records);
  const drives = records.map((r) => ({ ...r.drive, jobId: job.id }));
  await repos.history.append(subscriptionId, [
    { jobId: job.id, from: null, to: "Creating", at, actor, reason: "Job created" },
    ...drives.map((d) => driveChange(d, null, at, actor, "Listed at job creation")),
  ]);
  return viewOf(job, drives, location, deps.clock.now());
}

async function updateByPut(
  deps: AppDeps,
  repos: Repositories,
  job: Job,
  request: PutJobRequest,
): Promise<JobView> {
  const { input, principal } = request;
  const at = nowIso(deps);
  const actor = actorName(principal);
  // What was fixed at creation can only be re-sent as it is.
  const location = await resolveLocation(repos, input.location ?? job.location);
  if (location.id !== job.location) {
    throw new DomainError(
      "PropertyChangeNotAllowed",
      "A job's location cannot change after creation.",
      "location",
    );
  }
  if (input.jobType !== undefined && parseJobType(input.jobType) !== job.type) {
    throw new DomainError(
      "PropertyChangeNotAllowed",
      "A job's jobType cannot change after creation.",
      "properties.jobType",
    );
  }
  if (
    input.storageAccountId !== undefined &&
    (await resolveStorageAccount(repos, job.subscriptionId, input.storageAccountId)).toLowerCase() !==
      job.storageAccountId.toLowerCase()
  ) {
    throw new DomainError(
      "PropertyChangeNotAllowed",
      "A job's storageAccountId cannot change after creation.",
      "properties.storageAccountId",
    );
  }
  return saveChanges(deps, repos, job, input, location, actor, at);
}

/** Shared by PUT and PATCH: apply the allowed changes, replace the drive list if given, save, record. */
export async function saveChanges(
  deps: AppDeps,
  repos: Repositories,
  job: Job,
  changes: JobChanges,
  location: Location | undefined,
  actor: string,
  at: string,
): Promise<JobView> {
  let drives = await repos.drives.listByJob(job.id);
  const sealedKeys = new Map(
    (await repos.drives.encryptedKeys(job.id)).map((k) => [
      k.driveId.toUpperCase(),
      k.bitLockerKeyEnc ?? undefined,
    ]),
  );
  const keyOf = (driveId: string) => {
    const sealed = sealedKeys.get(driveId.toUpperCase());
    return sealed === undefined ? undefined : deps.secrets.open(sealed);
  };
  const applied = applyChanges(job, drives, changes, location, keyOf);
  const next: Job = { ...applied.job, lastModifiedAt: at, lastModifiedBy: actor };
  const saved = await repos.jobs.update(next);
  if (applied.driveList) {
    const known = new Map([...sealedKeys].filter((e): e is [string, string] => e[1] !== undefined));
    const records = newDriveRecords(job, applied.driveList, known, deps.secrets, at);
    const before = new Set(drives.map((d) => d.driveId.toUpperCase()));
    await repos.drives.replaceAll(job.id, records);
    drives = records.map((r) => r.drive);
    const added = drives.filter((d) => !before.has(d.driveId.toUpperCase()));
    await repos.history.append(
      job.subscriptionId,
      added.map((d) => driveChange(d, null, at, actor, "Added to the drive list")),
    );
  }
  return viewOf(saved, drives, location, deps.clock.now());
}

export async function putJob(
  deps: AppDeps,
  request: PutJobRequest,
): Promise<{ view: JobView; created: boolean }> {
  validateJobAddress(request.address);
  throwIfCannotChange(request.principal, request.address.subscriptionId);
  return retryOnConflict(
    () =>
      deps.store.transaction(async (repos) => {
        const existing = await repos.jobs.findByName(
          request.address.subscriptionId.toLowerCase(),
          request.address.resourceGroup,
          request.address.name,
        );
        if (!existing) {
          if (request.ifMatch !== undefined) {
            throw errors.preconditionFailed();
          }
          return { view: await createJob(deps, repos, request), created: true };
        }
        if (request.ifNoneMatch?.trim() === "*") {
          throw new DomainError(
            "PreconditionFailed",
            `A job named '${existing.name}' exists already (If-None-Match: * creates only a new job).`,
          );
        }
        throwIfStale(existing, request.ifMatch);
        return { view: await updateByPut(deps, repos, existing, request), created: false };
      }),
    request.ifMatch ?? request.ifNoneMatch,
  );
}
