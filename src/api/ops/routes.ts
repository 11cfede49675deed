/** @module The operator and station API under /ops/v1/ (docs/ops-api.md): thin, it parses and calls app. */

import type { FastifyInstance, FastifyRequest } from "fastify";

import { claimDrive } from "../../app/claim-drive.js";
import { findPackage } from "../../app/find-package.js";
import { finishDrive } from "../../app/finish-drive.js";
import { followEvents } from "../../app/follow-events.js";
import { readHistory } from "../../app/read-history.js";
import { readWorkQueue } from "../../app/read-work-queue.js";
import { receiveFoundDrive } from "../../app/receive-found-drive.js";
import { receivePackage } from "../../app/receive-package.js";
import { registerExportDrive } from "../../app/register-export-drive.js";
import { registerStation } from "../../app/register-station.js";
import { reportBays } from "../../app/report-bays.js";
import { reportProgress } from "../../app/report-progress.js";
import { shipBack } from "../../app/ship-back.js";
import type { AppDeps } from "../../app/support/deps.js";
import { errors } from "../../domain/errors.js";
import type { JobAddress } from "../../domain/model.js";
import { OPS_PREFIX, parseJobId } from "../../wire/ids.js";
import {
  driveFoundBody,
  finishBody,
  progressBody,
  receivePackageBody,
  registerDriveBody,
  registerStationBody,
  reportBaysBody,
  shipBody,
} from "../../wire/ops.js";
import { historyJson } from "../arm/map.js";
import { parseBody } from "../http/body.js";
import { principalOf, requiredQueryParam } from "../http/request.js";
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

function serialOf(request: FastifyRequest): string {
  return (request.params as { serial: string }).serial;
}

/** Operators name a job by its ARM id; `target` names the field it came in. */
function jobNamed(id: string, target: string): JobAddress {
  const address = parseJobId(id);
  if (!address) {
    throw errors.jobIdInvalid(target);
  }
  return address;
}

export function registerOpsRoutes(app: FastifyInstance, deps: AppDeps, eventPollMs: number): void {
  const p = OPS_PREFIX;

  app.get(`${p}/openapi.json`, async () => OPS_OPENAPI);
  registerAdminRoutes(app, deps, p);

  // Who the token is: the CLI uses it to default --subscription when a customer token has just one.
  app.get(`${p}/whoami`, async (request) => whoAmIJson(principalOf(request)));

  app.get(`${p}/packages`, async (request) => {
    const views = await findPackage(
      deps,
      principalOf(request),
      requiredQueryParam(request, "carrier"),
      requiredQueryParam(request, "tracking"),
    );
    return { value: views.map(jobSummary) };
  });

  app.post(`${p}/packages/receive`, async (request) => {
    const body = parseBody(receivePackageBody, request.body);
    const { view, views, found, ...result } = await receivePackage(deps, {
      principal: principalOf(request),
      carrier: body.carrier,
      tracking: body.tracking,
      drives: body.drives,
      ...(body.reason !== undefined ? { reason: body.reason } : {}),
    });
    return receiveAnswer({ ...result, view, views, found });
  });

  app.post(`${p}/drives/found`, async (request) => {
    const body = parseBody(driveFoundBody, request.body);
    const view = await receiveFoundDrive(deps, { principal: principalOf(request), ...body });
    const drive = view.drives.find((d) => d.driveId.toUpperCase() === body.serial.toUpperCase() && !d.extra);
    return { job: jobSummary(view), drive: drive && driveJson(drive) };
  });

  app.post(`${p}/drives/register`, async (request) => {
    const body = parseBody(registerDriveBody, request.body);
    const view = await registerExportDrive(deps, {
      principal: principalOf(request),
      job: jobNamed(body.job, "job"),
      serial: body.drive,
      // A number is bytes: read as the text of it, so one reader (and one refusal) serves both.
      ...(body.capacity !== undefined ? { capacity: String(body.capacity) } : {}),
    });
    const drive = view.drives.find((d) => d.driveId === body.drive);
    return { job: jobSummary(view), drive: drive && driveJson(drive) };
  });

  app.post(`${p}/ship`, async (request) => {
    const body = parseBody(shipBody, request.body);
    const view = await shipBack(deps, {
      principal: principalOf(request),
      job: jobNamed(body.job, "job"),
      carrier: body.carrier,
      tracking: body.tracking,
      ...(body.shipDate !== undefined ? { shipDate: body.shipDate } : {}),
    });
    return { job: jobSummary(view) };
  });

  app.get(`${p}/queue`, async (request) => queueJson(await readWorkQueue(deps, principalOf(request))));

  app.get(`${p}/events`, async (request, reply) => {
    const source = await followEvents(deps, principalOf(request), { all: true });
    streamEvents(app, request, reply, source, { pollMs: eventPollMs, clock: deps.clock });
  });

  app.get(`${p}/history`, async (request) => {
    const address = jobNamed(requiredQueryParam(request, "job"), "job");
    return { value: (await readHistory(deps, principalOf(request), address)).map(historyJson) };
  });

  app.post(`${p}/stations/register`, async (request) => {
    const body = parseBody(registerStationBody, request.body);
    return registerStation(deps, principalOf(request), body.name);
  });

  app.post(`${p}/stations/bays`, async (request) => {
    const body = parseBody(reportBaysBody, request.body);
    await reportBays(deps, principalOf(request), body.bays);
    return { bays: body.bays };
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
      ...(body.filesSucceeded !== undefined ? { filesSucceeded: body.filesSucceeded } : {}),
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
      ...(body.incompleteBlobListUri !== undefined
        ? { incompleteBlobListUri: body.incompleteBlobListUri }
        : {}),
    });
    return { drive: driveJson(drive), job: jobBrief(job) };
  });
}
