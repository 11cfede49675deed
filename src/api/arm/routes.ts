/** @module The ARM-compatible customer API: every operation of Microsoft.ImportExport, at the same paths. */

import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

import { cancelJob } from "../../app/cancel-job.js";
import { createJob } from "../../app/create-job.js";
import { deleteJob } from "../../app/delete-job.js";
import { followEvents } from "../../app/follow-events.js";
import { getJob } from "../../app/get-job.js";
import { getLocation } from "../../app/get-location.js";
import { listBitLockerKeys } from "../../app/list-bitlocker-keys.js";
import { listJobs, MAX_PAGE_SIZE } from "../../app/list-jobs.js";
import { listLocations } from "../../app/list-locations.js";
import { DRIVE_LOG_KINDS, type DriveLogKind, readDriveLog } from "../../app/read-drive-log.js";
import { readHistory } from "../../app/read-history.js";
import { recordTracking } from "../../app/record-tracking.js";
import type { AppDeps } from "../../app/support/deps.js";
import type { JobAddress } from "../../app/support/job-view.js";
import { updateJob } from "../../app/update-job.js";
import { errors } from "../../domain/errors.js";
import { type ArmJobPage, putJobParameters, updateJobParameters } from "../../wire/arm.js";
import { API_VERSIONS, PROVIDER } from "../../wire/ids.js";
import { parseBody } from "../http/body.js";
import { etagsOf, principalOf, queryParam } from "../http/request.js";
import { streamEvents } from "../http/sse.js";
import { parseJobFilter } from "./filter.js";
import { driveLogJson, historyJson, jobJson, locationJson, OPERATIONS, patchInput, putInput } from "./map.js";
import { patchChanges, patchIntent } from "./patch.js";

type Query = Record<string, string | undefined>;

function apiVersion(request: FastifyRequest): string {
  const value = (request.query as Query)["api-version"];
  if (value === undefined || value === "") {
    throw errors.apiVersionMissing(API_VERSIONS);
  }
  if (!(API_VERSIONS as readonly string[]).includes(value)) {
    throw errors.apiVersionNotSupported(value, API_VERSIONS);
  }
  return value;
}

function address(request: FastifyRequest): JobAddress {
  const p = request.params as { subscriptionId: string; resourceGroupName: string; jobName: string };
  return { subscriptionId: p.subscriptionId, resourceGroup: p.resourceGroupName, name: p.jobName };
}

function sendJob(reply: FastifyReply, status: number, view: Parameters<typeof jobJson>[0]) {
  return reply.code(status).header("etag", `"${view.job.etag}"`).send(jobJson(view));
}

interface SkipToken {
  after: number;
  /** Set on the pages of a newest-first list: a token is good only for the order it was issued in. */
  desc?: true;
}

function readSkipToken(value: string | undefined, newestFirst: boolean): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  try {
    const token = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as SkipToken;
    if (Number.isSafeInteger(token.after) && token.after >= 0 && (token.desc === true) === newestFirst) {
      return token.after;
    }
  } catch {
    // Falls through to the refusal below.
  }
  throw errors.skipTokenInvalid();
}

/**
 * `$orderby`: creation time, oldest first (the default) or newest first. Ours, not the spec's (it
 * defines none); `createdAt` may also be written as ARM's `systemData/createdAt`.
 */
function readOrderBy(value: string | undefined): { newestFirst: boolean } {
  if (value === undefined) {
    return { newestFirst: false };
  }
  const match = /^\s*(?:systemData\/)?createdAt(?:\s+(asc|desc))?\s*$/i.exec(value);
  if (!match) {
    throw errors.orderByNotSupported();
  }
  return { newestFirst: match[1]?.toLowerCase() === "desc" };
}

function readTop(value: string | undefined): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (!/^\d{1,4}$/.test(value)) {
    throw errors.topOutOfRange(MAX_PAGE_SIZE);
  }
  return Number(value);
}

/** nextLink carries everything the next page needs: clients follow it verbatim, adding nothing. */
function nextLink(request: FastifyRequest, version: string, afterId: number, newestFirst: boolean): string {
  const query = request.query as Query;
  const params = new URLSearchParams({ "api-version": version });
  if (query.$top !== undefined) {
    params.set("$top", query.$top);
  }
  if (query.$filter !== undefined) {
    params.set("$filter", query.$filter);
  }
  if (query.$orderby !== undefined) {
    params.set("$orderby", query.$orderby);
  }
  const token: SkipToken = newestFirst ? { after: afterId, desc: true } : { after: afterId };
  params.set("$skiptoken", Buffer.from(JSON.stringify(token)).toString("base64url"));
  const path = request.url.split("?")[0]!;
  return `${request.protocol}://${request.host}${path}?${params.toString()}`;
}

export function registerArmRoutes(app: FastifyInstance, deps: AppDeps, eventPollMs: number): void {
  const base = `/providers/${PROVIDER}`;
  const jobs = `/subscriptions/:subscriptionId/resourceGroups/:resourceGroupName/providers/${PROVIDER}/jobs`;
  const job = `${jobs}/:jobName`;

  app.get(`${base}/locations`, async (request) => {
    apiVersion(request);
    principalOf(request);
    return { value: (await listLocations(deps)).map(locationJson) };
  });

  app.get(`${base}/locations/:locationName`, async (request) => {
    apiVersion(request);
    principalOf(request);
    return locationJson(await getLocation(deps, (request.params as { locationName: string }).locationName));
  });

  app.get(`${base}/operations`, async (request) => {
    apiVersion(request);
    principalOf(request);
    return { value: OPERATIONS };
  });

  const list = async (request: FastifyRequest) => {
    const version = apiVersion(request);
    const principal = principalOf(request);
    const params = request.params as { subscriptionId: string; resourceGroupName?: string };
    const filter = parseJobFilter(queryParam(request, "$filter"));
    const top = readTop(queryParam(request, "$top"));
    const { newestFirst } = readOrderBy(queryParam(request, "$orderby"));
    const afterId = readSkipToken(queryParam(request, "$skiptoken"), newestFirst);
    const page = await listJobs(deps, {
      principal,
      subscriptionId: params.subscriptionId,
      ...(params.resourceGroupName !== undefined ? { resourceGroup: params.resourceGroupName } : {}),
      ...(filter.states ? { states: filter.states } : {}),
      ...(filter.jobTypes ? { jobTypes: filter.jobTypes } : {}),
      ...(filter.name ? { name: filter.name } : {}),
      ...(afterId !== undefined ? { afterId } : {}),
      ...(newestFirst ? { newestFirst } : {}),
      ...(top !== undefined ? { top } : {}),
    });
    const body: ArmJobPage = { value: page.views.map(jobJson) };
    if (page.nextAfterId !== undefined) {
      body.nextLink = nextLink(request, version, page.nextAfterId, newestFirst);
    }
    return body;
  };
  app.get(`/subscriptions/:subscriptionId/providers/${PROVIDER}/jobs`, list);
  app.get(jobs, list);

  app.get(job, async (request, reply) => {
    apiVersion(request);
    return sendJob(reply, 200, await getJob(deps, principalOf(request), address(request)));
  });

  app.put(job, async (request, reply) => {
    apiVersion(request);
    const principal = principalOf(request);
    const body = parseBody(putJobParameters, request.body);
    const ifMatch = etagsOf(request, "if-match");
    const ifNoneMatch = etagsOf(request, "if-none-match");
    const { view, created } = await createJob(deps, {
      principal,
      address: address(request),
      input: putInput(body),
      ...(ifMatch !== undefined ? { ifMatch } : {}),
      ...(ifNoneMatch !== undefined ? { ifNoneMatch } : {}),
    });
    return sendJob(reply, created ? 201 : 200, view);
  });

  // One verb, three use cases: what the body asks decides which.
  const patchers = { recordTracking, cancel: cancelJob, edit: updateJob };
  app.patch(job, async (request, reply) => {
    apiVersion(request);
    const principal = principalOf(request);
    const patch = patchInput(parseBody(updateJobParameters, request.body));
    const ifMatch = etagsOf(request, "if-match");
    const view = await patchers[patchIntent(patch)](deps, {
      principal,
      address: address(request),
      changes: patchChanges(patch),
      ...(ifMatch !== undefined ? { ifMatch } : {}),
    });
    return sendJob(reply, 200, view);
  });

  app.delete(job, async (request, reply) => {
    apiVersion(request);
    const ifMatch = etagsOf(request, "if-match");
    await deleteJob(deps, {
      principal: principalOf(request),
      address: address(request),
      ...(ifMatch !== undefined ? { ifMatch } : {}),
    });
    // The SDK accepts only 200 for a delete, with no body.
    return reply.code(200).send();
  });

  // An extension of the ARM surface: the job's state history (every move of the job and its drives).
  app.get(`${job}/history`, async (request) => {
    apiVersion(request);
    const entries = await readHistory(deps, principalOf(request), address(request));
    return { value: entries.map(historyJson) };
  });

  // Another extension: the job's state changes as server-sent events (the portal and `job watch` follow them).
  app.get(`${job}/events`, async (request, reply) => {
    apiVersion(request);
    const source = await followEvents(deps, principalOf(request), { job: address(request) });
    streamEvents(app, request, reply, source, { pollMs: eventPollMs, clock: deps.clock });
  });

  // And the same for every job of a subscription: one stream for a portal's list of jobs.
  app.get(`/subscriptions/:subscriptionId/providers/${PROVIDER}/events`, async (request, reply) => {
    apiVersion(request);
    const { subscriptionId } = request.params as { subscriptionId: string };
    const source = await followEvents(deps, principalOf(request), { subscriptionId });
    streamEvents(app, request, reply, source, { pollMs: eventPollMs, clock: deps.clock });
  });

  // Another: a drive's copy log as rows, read from the job's storage account with its registered credential
  // (the log's URI on the drive is a link a browser cannot open without a SAS).
  app.get(`${job}/drives/:driveId/log`, async (request) => {
    apiVersion(request);
    const principal = principalOf(request);
    const kind = queryParam(request, "kind") ?? "error";
    if (!(DRIVE_LOG_KINDS as readonly string[]).includes(kind)) {
      throw errors.logKindInvalid(kind);
    }
    const { driveId } = request.params as { driveId: string };
    return driveLogJson(
      await readDriveLog(deps, principal, { address: address(request), driveId, kind: kind as DriveLogKind }),
    );
  });

  app.post(`${job}/listBitLockerKeys`, async (request) => {
    apiVersion(request);
    return { value: await listBitLockerKeys(deps, principalOf(request), address(request)) };
  });
}
