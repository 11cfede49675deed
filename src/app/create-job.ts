/**
 * @module The customer creates a job (ARM PUT): a new job in Creating, or — the same PUT sent again — the
 * job it names, with the corrections its state still allows.
 */

import { errors } from "../domain/errors.js";
import {
  applyChanges,
  type JobChanges,
  newJob,
  parseJobType,
  planDriveList,
  throwIfFixedFieldsChanged,
} from "../domain/job-edits.js";
import { driveRecord } from "../domain/job-update.js";
import type { Change, EncryptionKey, Job } from "../domain/model.js";
import { parseStorageAccountId } from "../domain/names.js";
import type { Repositories } from "../store/store.js";
import { type AppDeps, nowIso } from "./support/deps.js";
import { saveEdits, throwIfListedElsewhere } from "./support/edit-job.js";
import {
  type JobAddress,
  type JobView,
  throwIfStale,
  validateJobAddress,
  viewOf,
} from "./support/job-view.js";
import { resolveLocation } from "./support/locations.js";
import { actorName, type Principal, throwIfCannotChange } from "./support/principal.js";
import { inTransaction } from "./support/transaction.js";

/** Everything a PUT may carry: what is fixed at creation, and the editable fields. */
export interface CreateJobInput extends JobChanges {
  location?: string;
  storageAccountId?: string;
  jobType?: string;
  encryptionKey?: EncryptionKey;
}

export interface CreateJobRequest {
  principal: Principal;
  address: JobAddress;
  input: CreateJobInput;
  /** If-Match: the etags the caller read (`*`: any); the job must exist at one of them. */
  ifMatch?: readonly string[];
  /** If-None-Match; `*` creates only a new job. */
  ifNoneMatch?: readonly string[];
}

/**
 * The storage account's ARM id, checked: in the job's own subscription, and registered with this service
 * (as its own or as a shared one). Answered in its canonical spelling.
 */
async function resolveStorageAccount(
  repos: Repositories,
  subscriptionId: string,
  id: string | undefined,
): Promise<string> {
  if (id === undefined) {
    throw errors.storageAccountIdRequired();
  }
  const ref = parseStorageAccountId(id);
  if (ref.subscriptionId.toLowerCase() !== subscriptionId.toLowerCase()) {
    throw errors.storageAccountOfOtherSubscription();
  }
  if (!(await repos.storageAccounts.resolve(ref.accountName, subscriptionId))) {
    throw errors.storageAccountNotRegistered(ref.accountName);
  }
  return `/subscriptions/${subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/${ref.provider}/storageAccounts/${ref.accountName}`;
}

async function create(
  deps: AppDeps,
  repos: Repositories,
  request: CreateJobRequest,
  change: Change,
): Promise<JobView> {
  const { address, input } = request;
  const location = await resolveLocation(repos, input.location);
  const type = parseJobType(input.jobType);
  const storageAccountId = await resolveStorageAccount(
    repos,
    address.subscriptionId.toLowerCase(),
    input.storageAccountId,
  );
  const draft = newJob({
    address,
    location,
    type,
    storageAccountId,
    ...(input.logLevel !== undefined ? { logLevel: input.logLevel } : {}),
    ...(input.export !== undefined ? { export: input.export } : {}),
    ...(input.encryptionKey !== undefined ? { encryptionKey: input.encryptionKey } : {}),
    at: change.at,
    actor: change.actor,
  });
  // The editable fields go through the same checks as an edit of a job in Creating.
  const applied = applyChanges(
    { ...draft, id: 0, etag: "" },
    [],
    { ...input, driveList: undefined },
    location,
    () => undefined,
  );
  const { id: _id, etag: _etag, ...fields } = applied.job;
  const planned = planDriveList({ id: 0, type }, input.driveList ?? [], () => false, change.at);
  await throwIfListedElsewhere(
    repos,
    0,
    planned.map((p) => p.drive.driveId),
  );
  const job = await repos.jobs.insert(fields);
  await repos.drives.replaceAll(
    job.id,
    planned.map(({ drive, bitLockerKey }) => ({
      drive,
      ...(bitLockerKey !== undefined ? { bitLockerKeyEnc: deps.secrets.seal(bitLockerKey) } : {}),
    })),
  );
  const drives = planned.map(({ drive }) => ({ ...drive, jobId: job.id }));
  await repos.history.append(job.subscriptionId, [
    { jobId: job.id, from: null, to: "Creating", ...change },
    ...drives.map((d) => driveRecord(d, null, { ...change, reason: "Listed at job creation" })),
  ]);
  return viewOf(job, drives, location, deps.clock.now());
}

/** The same PUT again: what was fixed at creation may only be re-sent as it is; the rest is an edit. */
async function recreate(
  deps: AppDeps,
  repos: Repositories,
  job: Job,
  request: CreateJobRequest,
  change: Change,
): Promise<JobView> {
  const { input } = request;
  const location = await resolveLocation(repos, input.location ?? job.location);
  throwIfFixedFieldsChanged(job, {
    location: location.id,
    ...(input.jobType !== undefined ? { jobType: input.jobType } : {}),
  });
  if (input.storageAccountId !== undefined) {
    const storageAccountId = await resolveStorageAccount(repos, job.subscriptionId, input.storageAccountId);
    throwIfFixedFieldsChanged(job, { location: location.id, storageAccountId });
  }
  const edited = await saveEdits(deps, repos, { job, changes: input, location, change });
  return viewOf(edited.job, edited.drives, location, deps.clock.now());
}

export async function createJob(
  deps: AppDeps,
  request: CreateJobRequest,
): Promise<{ view: JobView; created: boolean }> {
  validateJobAddress(request.address);
  throwIfCannotChange(request.principal, request.address.subscriptionId);
  return inTransaction(
    deps,
    async (repos) => {
      const change: Change = { at: nowIso(deps), actor: actorName(request.principal), reason: "Job created" };
      const existing = await repos.jobs.findByName(
        request.address.subscriptionId.toLowerCase(),
        request.address.resourceGroup,
        request.address.name,
      );
      if (!existing) {
        if (request.ifMatch !== undefined) {
          throw errors.preconditionFailed();
        }
        return { view: await create(deps, repos, request, change), created: true };
      }
      if (request.ifNoneMatch?.includes("*")) {
        throw errors.jobExists(existing.name);
      }
      throwIfStale(existing, request.ifMatch);
      return { view: await recreate(deps, repos, existing, request, change), created: false };
    },
    { pinned: request.ifMatch !== undefined || request.ifNoneMatch !== undefined },
  );
}
