/** @module The ARM-compatible customer API: every operation of Microsoft.ImportExport, at the same paths. */

import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

import { deleteJob } from "../../app/delete-job.js";
import type { AppDeps } from "../../app/deps.js";
import { jobEvents, subscriptionEvents } from "../../app/events.js";
import { jobHistory } from "../../app/history.js";
import type { JobAddress } from "../../app/job-view.js";
import { getLocation, listLocations } from "../../app/locations.js";
import type { Principal } from "../../app/principal.js";
import { putJob } from "../../app/put-job.js";
import { getJob, listBitLockerKeys, listJobs } from "../../app/read-jobs.js";
import { updateJob } from "../../app/update-job.js";
import { DomainError } from "../../domain/errors.js";
import { type ArmJobPage, putJobParameters, updateJobParameters } from "../../wire/arm.js";
import { API_VERSIONS, PROVIDER } from "../../wire/ids.js";
import { parseBody } from "../http/body.js";
import { streamEvents } from "../http/sse.js";
import { parseJobFilter } from "./filter.js";
import { historyJson, jobJson, locationJson, OPERATIONS, patchInput, putInput } from "./map.js";

declare module "fastify" {
  interface FastifyRequest {
    principal?: Principal;
  }
}

type Query = Record<string, string | undefined>;

/** A query parameter sent twice reaches us as an array: refused, so every reader gets one string. */
function queryParam(request: FastifyRequest, name: string): string | undefined {
  const value = (request.query as Record<string, unknown>)[name];
  if (Array.isArray(value)) {
    throw new DomainError("InvalidQueryParameter", `Give ${name} once, not ${value.length} times.`, name);
  }
  return value as string | undefined;
}

function apiVersion(request: FastifyRequest): string {
  const value = (request.query as Query)["api-version"];
  if (value === undefined || value === "") {
    throw new DomainError(
      "MissingApiVersionParameter",
      `The api-version query parameter is required. Supported versions: ${API_VERSIONS.join(", ")}.`,
    );
  }
  if (!(API_VERSIONS as readonly string[]).includes(value)) {
    throw new DomainError(
      "InvalidApiVersionParameter",
      `The api-version '${value.slice(0, 40)}' is not supported. Supported versions: ${API_VERSIONS.join(", ")}.`,
    );
  }
  return value;
}

function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) {
    throw new DomainError(
      "AuthenticationFailed",
      "Authentication failed: the request carries no valid bearer token.",
    );
  }
  return request.principal;
}

function address(request: FastifyRequest): JobAddress {
  const p = request.params as { subscriptionId: string; resourceGroupName: string; jobName: string };
  return { subscriptionId: p.subscriptionId, resourceGroup: p.resourceGroupName, name: p.jobName };
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(",") : value;
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
  throw new DomainError(
    "InvalidSkipToken",
    "The $skiptoken is not one this service issued for this $orderby; start again from the first page.",
    "$skiptoken",
  );
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
    throw new DomainError(
      "InvalidQueryParameter",
      "$orderby may only be 'createdAt asc' (the default) or 'createdAt desc'.",
      "$orderby",
    );
  }
  return { newestFirst: match[1]?.toLowerCase() === "desc" };
}

function readTop(value: string | undefined): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (!/^\d{1,4}$/.test(value)) {
    throw new DomainError("InvalidQueryParameter", "$top must be a whole number from 1 to 100.", "$top");
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

export function registerArmRoutes(app: FastifyInstance, deps: AppDeps, eventPollMs = 1000): void {
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
    const ifMatch = header(request, "if-match");
    const ifNoneMatch = header(request, "if-none-match");
    const { view, created } = await putJob(deps, {
      principal,
      address: address(request),
      input: putInput(body),
      ...(ifMatch !== undefined ? { ifMatch } : {}),
      ...(ifNoneMatch !== undefined ? { ifNoneMatch } : {}),
    });
    return sendJob(reply, created ? 201 : 200, view);
  });

  app.patch(job, async (request, reply) => {
    apiVersion(request);
    const principal = principalOf(request);
    const body = parseBody(updateJobParameters, request.body);
    const ifMatch = header(request, "if-match");
    const view = await updateJob(deps, {
      principal,
      address: address(request),
      patch: patchInput(body),
      ...(ifMatch !== undefined ? { ifMatch } : {}),
    });
    return sendJob(reply, 200, view);
  });

  app.delete(job, async (request, reply) => {
    apiVersion(request);
    await deleteJob(deps, principalOf(request), address(request), header(request, "if-match"));
    // The SDK accepts only 200 for a delete, with no body.
    return reply.code(200).send();
  });

  // An extension of the ARM surface: the job's state history (every move of the job and its drives).
  app.get(`${job}/history`, async (request) => {
    apiVersion(request);
    const entries = await jobHistory(deps, principalOf(request), address(request));
    return { value: entries.map(historyJson) };
  });

  // Another extension: the job's state changes as server-sent events (the portal and `job watch` follow them).
  app.get(`${job}/events`, async (request, reply) => {
    apiVersion(request);
    const source = await jobEvents(deps, principalOf(request), address(request));
    streamEvents(app, request, reply, source, eventPollMs);
  });

  // And the same for every job of a subscription: one stream for a portal's list of jobs.
  app.get(`/subscriptions/:subscriptionId/providers/${PROVIDER}/events`, async (request, reply) => {
    apiVersion(request);
    const { subscriptionId } = request.params as { subscriptionId: string };
    const source = await subscriptionEvents(deps, principalOf(request), subscriptionId);
    streamEvents(app, request, reply, source, eventPollMs);
  });

  app.post(`${job}/listBitLockerKeys`, async (request) => {
    apiVersion(request);
    return { value: await listBitLockerKeys(deps, principalOf(request), address(request)) };
  });
}
