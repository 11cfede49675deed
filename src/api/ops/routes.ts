/** @module The operator and station API under /ops/v1/ (docs/ops-api.md): thin, it parses and calls app. */

import type { FastifyInstance, FastifyRequest } from "fastify";

import type { AppDeps } from "../../app/deps.js";
import { driveFound } from "../../app/drive-found.js";
import { allEvents } from "../../app/events.js";
import { jobHistoryById } from "../../app/history.js";
import type { Principal } from "../../app/principal.js";
import { findPackageJobs, receivePackage } from "../../app/receive-package.js";
import { registerExportDrive } from "../../app/register-drive.js";
import { shipBack } from "../../app/ship-back.js";
import { claimDrive, finishDrive, registerStation, reportProgress } from "../../app/stations.js";
import { workQueue } from "../../app/work-queue.js";
import { DomainError } from "../../domain/errors.js";
import { OPS_PREFIX } from "../../wire/ids.js";
import {
  driveFoundBody,
  finishBody,
  progressBody,
  receivePackageBody,
  registerDriveBody,
  registerStationBody,
  shipBody,
} from "../../wire/ops.js";
import { historyJson } from "../arm/map.js";
import { parseBody } from "../http/body.js";
import { streamEvents } from "../http/sse.js";
import { registerAdminRoutes } from "./admin-routes.js";
import {
  claimAnswer,
  driveJson,
  jobBrief,
  jobSummary,
  progressAnswer,
  queueJson,
  receiveAnswer,
  whoAmIJson,
} from "./map.js";
import { OPS_OPENAPI } from "./openapi.js";

function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) {
    throw new DomainError(
      "AuthenticationFailed",
      "Authentication failed: the request carries no valid bearer token.",
    );
  }
  return request.principal;
}

function query(request: FastifyRequest, name: string): string {
  const value = (request.query as Record<string, unknown>)[name];
  if (typeof value !== "string" || value === "") {
    throw new DomainError("InvalidQueryParameter", `The query parameter '${name}' is required, once.`, name);
  }
  return value;
}

function serialOf(request: FastifyRequest): string {
  return (request.params as { serial: string }).serial;
}

export function registerOpsRoutes(app: FastifyInstance, deps: AppDeps, eventPollMs = 1000): void {
  const p = OPS_PREFIX;

  app.get(`${p}/openapi.json`, async () => OPS_OPENAPI);
  registerAdminRoutes(app, deps, p);

  // Who the token is: the CLI uses it to default --subscription when a customer token has just one.
  app.get(`${p}/whoami`, async (request) => whoAmIJson(principalOf(request)));

  app.get(`${p}/packages`, async (request) => {
    const views = await findPackageJobs(
      deps,
      principalOf(request),
      query(request, "carrier"),
      query(request, "tracking"),
    );
    return { value: views.map(jobSummary) };
  });

  app.post(`${p}/packages/receive`, async (request) => {
    const body = parseBody(receivePackageBody, request.body);
    const { view, found, ...result } = await receivePackage(deps, {
      principal: principalOf(request),
      carrier: body.carrier,
      tracking: body.tracking,
      drives: body.drives,
      ...(body.reason !== undefined ? { reason: body.reason } : {}),
    });
    return receiveAnswer({ ...result, view, found });
  });

  app.post(`${p}/drives/found`, async (request) => {
    const body = parseBody(driveFoundBody, request.body);
    const view = await driveFound(deps, { principal: principalOf(request), ...body });
    const drive = view.drives.find((d) => d.driveId.toUpperCase() === body.serial.toUpperCase() && !d.extra);
    return { job: jobSummary(view), drive: drive && driveJson(drive) };
  });

  app.post(`${p}/drives/register`, async (request) => {
    const body = parseBody(registerDriveBody, request.body);
    const view = await registerExportDrive(deps, {
      principal: principalOf(request),
      job: body.job,
      serial: body.drive,
    });
    const drive = view.drives.find((d) => d.driveId === body.drive);
    return { job: jobSummary(view), drive: drive && driveJson(drive) };
  });

  app.post(`${p}/ship`, async (request) => {
    const body = parseBody(shipBody, request.body);
    const view = await shipBack(deps, {
      principal: principalOf(request),
      job: body.job,
      carrier: body.carrier,
      tracking: body.tracking,
      ...(body.shipDate !== undefined ? { shipDate: body.shipDate } : {}),
    });
    return { job: jobSummary(view) };
  });

  app.get(`${p}/queue`, async (request) => queueJson(await workQueue(deps, principalOf(request))));

  app.get(`${p}/events`, async (request, reply) => {
    streamEvents(app, request, reply, await allEvents(deps, principalOf(request)), eventPollMs);
  });

  app.get(`${p}/history`, async (request) => ({
    value: (await jobHistoryById(deps, principalOf(request), query(request, "job"))).map(historyJson),
  }));

  app.post(`${p}/stations/register`, async (request) => {
    const body = parseBody(registerStationBody, request.body);
    return registerStation(deps, principalOf(request), body.name);
  });

  app.post(`${p}/drives/:serial/claim`, async (request) => {
    const claim = await claimDrive(deps, principalOf(request), serialOf(request));
    return claimAnswer(claim);
  });

  app.post(`${p}/drives/:serial/progress`, async (request) => {
    const body = parseBody(progressBody, request.body);
    const drive = await reportProgress(deps, principalOf(request), serialOf(request), {
      bytesSucceeded: body.bytesSucceeded,
      bytesTotal: body.bytesTotal,
      ...(body.copyStatus !== undefined ? { copyStatus: body.copyStatus } : {}),
    });
    return progressAnswer(drive);
  });

  app.post(`${p}/drives/:serial/finish`, async (request) => {
    const body = parseBody(finishBody, request.body);
    const { job, drive } = await finishDrive(deps, principalOf(request), serialOf(request), {
      state: body.state,
      errorCount: body.errorCount,
      warningCount: body.warningCount,
      infoCount: body.infoCount,
      ...(body.verboseLogUri !== undefined ? { verboseLogUri: body.verboseLogUri } : {}),
      ...(body.errorLogUri !== undefined ? { errorLogUri: body.errorLogUri } : {}),
      ...(body.manifestUri !== undefined ? { manifestUri: body.manifestUri } : {}),
    });
    return { drive: driveJson(drive), job: jobBrief(job) };
  });
}
