/**
 * @module The OpenAPI description of /ops/v1/, generated: a table of the operations names each one's
 * request and answer schema, and the schemas are the wire's own (src/wire/), turned into JSON Schema.
 */

import { z } from "zod/v4";

import { historyList, historyRow, progressEvent, stateEvent, streamEvent } from "../../wire/common.js";
import { errorBody } from "../../wire/errors.js";
import { jobId, OPS_PREFIX } from "../../wire/ids.js";
import {
  bayReport,
  claimAnswer,
  deleted,
  driveAnswer,
  driveFoundBody,
  exportAfter,
  finishAnswer,
  finishBody,
  jobBrief,
  jobSummary,
  jobSummaryList,
  location,
  locationBody,
  locationList,
  openApiDocument,
  opsDrive,
  progressAnswer,
  progressBody,
  queueDrive,
  receiveAnswer,
  receivePackageBody,
  registerDriveBody,
  registerStationBody,
  reportBaysBody,
  shipAnswer,
  shipBody,
  station,
  stationBrief,
  stationStatus,
  storageAccount,
  storageAccountBody,
  storageAccountList,
  storageGrant,
  whoAmI,
  workQueue,
} from "../../wire/ops.js";

/** The named schemas of the document (`#/components/schemas/{name}`): every body and answer, and their parts. */
export const OPS_COMPONENTS = {
  ErrorBody: errorBody,
  OpsDrive: opsDrive,
  JobBrief: jobBrief,
  JobSummary: jobSummary,
  JobSummaryList: jobSummaryList,
  HistoryRow: historyRow,
  HistoryList: historyList,
  StateEvent: stateEvent,
  ProgressEvent: progressEvent,
  StreamEvent: streamEvent,
  ReceivePackageBody: receivePackageBody,
  ReceiveAnswer: receiveAnswer,
  DriveFoundBody: driveFoundBody,
  RegisterDriveBody: registerDriveBody,
  DriveAnswer: driveAnswer,
  ShipBody: shipBody,
  ShipAnswer: shipAnswer,
  WorkQueue: workQueue,
  QueueDrive: queueDrive,
  StationBrief: stationBrief,
  WhoAmI: whoAmI,
  RegisterStationBody: registerStationBody,
  ReportBaysBody: reportBaysBody,
  BayReport: bayReport,
  StationStatus: stationStatus,
  Station: station,
  ClaimAnswer: claimAnswer,
  ExportAfter: exportAfter,
  StorageGrant: storageGrant,
  ProgressBody: progressBody,
  ProgressAnswer: progressAnswer,
  FinishBody: finishBody,
  FinishAnswer: finishAnswer,
  Location: location,
  LocationList: locationList,
  LocationBody: locationBody,
  StorageAccount: storageAccount,
  StorageAccountList: storageAccountList,
  StorageAccountBody: storageAccountBody,
  Deleted: deleted,
  OpenApiDocument: openApiDocument,
} satisfies Record<string, z.ZodType>;

export type ComponentName = keyof typeof OPS_COMPONENTS;

export interface OpsOperation {
  method: "get" | "post" | "put" | "delete";
  /** Under /ops/v1, path parameters as OpenAPI writes them (`{serial}`). */
  path: string;
  /** Who may call it: a token role, "any" token, or "none" (served without a token). */
  role: string;
  summary: string;
  /** The query parameters, each with what it means; `?` after a name marks it optional. */
  query?: Record<string, string>;
  /** The JSON body it takes, if any. */
  body?: ComponentName;
  /** The 200 answer: a JSON document, or for an event stream the data of each event. */
  answer: ComponentName;
  stream?: true;
  /** A PUT that answers 201 with the same document when it creates, 200 when it replaces. */
  creates?: true;
}

const JOB_ID = `The job's ARM id: ${jobId({ subscriptionId: "{sub}", resourceGroup: "{rg}", name: "{name}" })}`;
const SUBSCRIPTION = "A subscription's own registration, rather than the one shared by all";

/** Every operation under /ops/v1/; the tests hold this table and the server's routes to each other. */
export const OPS_OPERATIONS: readonly OpsOperation[] = [
  { method: "get", path: "/openapi.json", role: "none", summary: "This document", answer: "OpenApiDocument" },
  {
    method: "get",
    path: "/whoami",
    role: "any",
    summary: "The calling token's role, label and subscriptions",
    answer: "WhoAmI",
  },
  {
    method: "get",
    path: "/packages",
    role: "operator",
    summary: "The jobs whose delivery package has this carrier and tracking number",
    query: { carrier: "The carrier (any case)", tracking: "The tracking number (case and spaces ignored)" },
    answer: "JobSummaryList",
  },
  {
    method: "post",
    path: "/packages/receive",
    role: "operator",
    summary: "Receive a package: drives present, missing, extra; held while its job is Creating",
    body: "ReceivePackageBody",
    answer: "ReceiveAnswer",
  },
  {
    method: "post",
    path: "/drives/found",
    role: "operator",
    summary: "A NeverReceived drive turned up in another package: receive it into its job",
    body: "DriveFoundBody",
    answer: "DriveAnswer",
  },
  {
    method: "post",
    path: "/drives/register",
    role: "operator",
    summary: "Register a drive of an export job",
    body: "RegisterDriveBody",
    answer: "DriveAnswer",
  },
  {
    method: "post",
    path: "/ship",
    role: "operator",
    summary: "Ship the drives back; the job completes or closes",
    body: "ShipBody",
    answer: "ShipAnswer",
  },
  { method: "get", path: "/queue", role: "operator", summary: "The work queue", answer: "WorkQueue" },
  {
    method: "get",
    path: "/events",
    role: "operator",
    summary:
      "Every job's state changes (event: state) and copy progress (event: progress, a ProgressEvent) as server-sent events (resume with Last-Event-ID)",
    answer: "StreamEvent",
    stream: true,
  },
  {
    method: "get",
    path: "/history",
    role: "operator, or the job's customer",
    summary: "A job's state history",
    query: { job: JOB_ID },
    answer: "HistoryList",
  },
  {
    method: "get",
    path: "/admin/locations",
    role: "admin",
    summary: "List the locations (data centers)",
    answer: "LocationList",
  },
  { method: "get", path: "/admin/locations/{id}", role: "admin", summary: "A location", answer: "Location" },
  {
    method: "put",
    path: "/admin/locations/{id}",
    role: "admin",
    summary: "Create or replace a location",
    body: "LocationBody",
    answer: "Location",
  },
  {
    method: "delete",
    path: "/admin/locations/{id}",
    role: "admin",
    summary: "Delete a location no job uses",
    answer: "Deleted",
  },
  {
    method: "get",
    path: "/admin/storage-accounts",
    role: "admin",
    summary: "List the storage-account registry (credentials shown as type and hint)",
    answer: "StorageAccountList",
  },
  {
    method: "get",
    path: "/admin/storage-accounts/{name}",
    role: "admin",
    summary: "One registration",
    query: { "subscription?": SUBSCRIPTION },
    answer: "StorageAccount",
  },
  {
    method: "put",
    path: "/admin/storage-accounts/{name}",
    role: "admin",
    summary: "Register an account, or replace its registration (credential sealed at rest)",
    query: { "subscription?": "The subscription it is for, when the body names none" },
    body: "StorageAccountBody",
    answer: "StorageAccount",
    creates: true,
  },
  {
    method: "delete",
    path: "/admin/storage-accounts/{name}",
    role: "admin",
    summary: "Remove a registration",
    query: { "subscription?": SUBSCRIPTION },
    answer: "Deleted",
  },
  {
    method: "post",
    path: "/stations/register",
    role: "station",
    summary: "Register this station",
    body: "RegisterStationBody",
    answer: "Station",
  },
  {
    method: "post",
    path: "/stations/bays",
    role: "station",
    summary: "Report what this station's bays hold (also a heartbeat)",
    body: "ReportBaysBody",
    answer: "ReportBaysBody",
  },
  {
    method: "post",
    path: "/drives/{serial}/claim",
    role: "station",
    summary: "Claim a drive's copy lease (again, to renew it and the storage SAS)",
    answer: "ClaimAnswer",
  },
  {
    method: "post",
    path: "/drives/{serial}/progress",
    role: "station",
    summary: "Report progress; renews the lease",
    body: "ProgressBody",
    answer: "ProgressAnswer",
  },
  {
    method: "post",
    path: "/drives/{serial}/finish",
    role: "station",
    summary: "Finish the copy",
    body: "FinishBody",
    answer: "FinishAnswer",
  },
];

const ref = (name: ComponentName) => ({ $ref: `#/components/schemas/${name}` });

/** The components as JSON Schema (2020-12, which OpenAPI 3.1 speaks), each part named once and referenced. */
function components(): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(OPS_COMPONENTS)) {
    registry.add(schema, { id });
  }
  const { schemas } = z.toJSONSchema(registry, {
    uri: (id) => `#/components/schemas/${id}`,
    // What the format and JSON's numbers already say, spelled out at every field, would bury the shapes.
    override: ({ jsonSchema }) => {
      if (jsonSchema.format === "date-time") {
        delete jsonSchema.pattern;
      }
      if (jsonSchema.type === "integer") {
        if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) {
          delete jsonSchema.minimum;
        }
        if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) {
          delete jsonSchema.maximum;
        }
      }
    },
  });
  // In a document the components are addressed by their key: their own $schema and $id would only repeat it.
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _schema, $id: _id, ...schema }]) => [id, schema]),
  );
}

function operation(op: OpsOperation): Record<string, unknown> {
  const parameters = [
    ...[...op.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
      name,
      in: "path",
      required: true,
      schema: { type: "string" },
    })),
    ...Object.entries(op.query ?? {}).map(([name, description]) => ({
      name: name.replace(/\?$/, ""),
      in: "query",
      required: !name.endsWith("?"),
      description,
      schema: { type: "string" },
    })),
  ];
  return {
    summary: op.summary,
    description: `Role: ${op.role}.`,
    security: op.role === "none" ? [] : [{ bearer: [] }],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(op.body
      ? { requestBody: { required: true, content: { "application/json": { schema: ref(op.body) } } } }
      : {}),
    responses: {
      "200": {
        description: op.stream
          ? "A stream of server-sent events; each event's data is the schema's (a StateEvent for `event: state`, a ProgressEvent for `event: progress`)."
          : op.creates
            ? "Replaced"
            : "OK",
        content: { [op.stream ? "text/event-stream" : "application/json"]: { schema: ref(op.answer) } },
      },
      ...(op.creates
        ? { "201": { description: "Created", content: { "application/json": { schema: ref(op.answer) } } } }
        : {}),
      default: {
        description: "A refusal, in the error envelope",
        content: { "application/json": { schema: ref("ErrorBody") } },
      },
    },
  };
}

function document() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPS_OPERATIONS) {
    (paths[op.path] ??= {})[op.method] = operation(op);
  }
  return {
    openapi: "3.1.0",
    info: { title: "Sneakernet operator and station API", version: "v1" },
    servers: [{ url: OPS_PREFIX }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      schemas: components(),
    },
    paths,
  };
}

/** Built once, at start: it changes only with the code. */
export const OPS_OPENAPI = document();
