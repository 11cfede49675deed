/** @module The OpenAPI description of /ops/v1/ (the request and answer shapes are spelled out in docs/ops-api.md). */

const op = (summary: string, role: string, body?: Record<string, unknown>) => ({
  summary,
  description: `Role: ${role}.`,
  security: [{ bearer: [] }],
  ...(body
    ? {
        requestBody: {
          required: true,
          content: { "application/json": { schema: { type: "object", example: body } } },
        },
      }
    : {}),
  responses: {
    "200": { description: "OK" },
    default: { description: "Error: {error:{code,message,target?}}" },
  },
});

const serialParam = [{ name: "serial", in: "path", required: true, schema: { type: "string" } }];
const JOB = "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ImportExport/jobs/{name}";

export const OPS_OPENAPI = {
  openapi: "3.0.3",
  info: { title: "Sneakernet operator and station API", version: "v1" },
  servers: [{ url: "/ops/v1" }],
  components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
  paths: {
    "/packages": {
      get: {
        ...op("The jobs whose delivery package has this carrier and tracking number", "operator"),
        parameters: [
          { name: "carrier", in: "query", required: true, schema: { type: "string" } },
          { name: "tracking", in: "query", required: true, schema: { type: "string" } },
        ],
      },
    },
    "/packages/receive": {
      post: op(
        "Receive a package: drives present, missing, extra; held while its job is Creating",
        "operator",
        {
          carrier: "FedEx",
          tracking: "781234567890",
          drives: ["9CA995BB"],
        },
      ),
    },
    "/drives/found": {
      post: op("A NeverReceived drive turned up in another package: receive it into its job", "operator", {
        serial: "9CA995BB",
        carrier: "UPS",
        tracking: "1Z999",
      }),
    },
    "/drives/register": {
      post: op("Register a drive of an export job", "operator", { job: JOB, drive: "E1" }),
    },
    "/ship": {
      post: op("Ship the drives back; the job completes or closes", "operator", {
        job: JOB,
        carrier: "FedEx",
        tracking: "RET-1",
      }),
    },
    "/queue": { get: op("The work queue", "operator") },
    "/events": {
      get: op("Every job's state changes as server-sent events (resume with Last-Event-ID)", "operator"),
    },
    "/whoami": { get: op("The calling token's role, label and subscriptions", "any") },
    "/history": {
      get: {
        ...op("A job's state history", "operator, or the job's customer"),
        parameters: [{ name: "job", in: "query", required: true, schema: { type: "string", example: JOB } }],
      },
    },
    "/admin/locations": { get: op("List the locations (data centers)", "admin") },
    "/admin/locations/{id}": {
      get: op("A location", "admin"),
      put: op("Create or replace a location", "admin", {
        name: "East US",
        recipientName: "Data center",
        streetAddress1: "1 Dock Rd",
        city: "Boydton",
        postalCode: "23917",
        countryOrRegion: "USA",
        phone: "+1 555 0100",
        supportedCarriers: ["FedEx", "UPS"],
      }),
      delete: op("Delete a location no job uses", "admin"),
    },
    "/admin/storage-accounts": {
      get: op("List the storage-account registry (credentials shown as type and hint)", "admin"),
    },
    "/admin/storage-accounts/{name}": {
      get: op("One registration (?subscription= for a subscription's own)", "admin"),
      put: op("Register an account (credential sealed at rest)", "admin", {
        blobEndpoint: "https://acct.blob.core.windows.net",
        credential: { type: "accountKey", secret: "…" },
      }),
      delete: op("Remove a registration", "admin"),
    },
    "/stations/register": { post: op("Register this station", "station", { name: "bay-1" }) },
    "/drives/{serial}/claim": {
      post: { ...op("Claim a drive's copy lease", "station"), parameters: serialParam },
    },
    "/drives/{serial}/progress": {
      post: {
        ...op("Report progress; renews the lease", "station", { bytesSucceeded: 1024, bytesTotal: 4096 }),
        parameters: serialParam,
      },
    },
    "/drives/{serial}/finish": {
      post: {
        ...op("Finish the copy", "station", {
          state: "Completed",
          errorCount: 0,
          warningCount: 0,
          infoCount: 0,
        }),
        parameters: serialParam,
      },
    },
  },
};
