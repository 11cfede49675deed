import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import http from "node:http";
import { after, before, describe, it } from "node:test";

import { createMetrics } from "../../src/api/http/metrics.js";
import { buildServer } from "../../src/api/http/server.js";
import { createAuthenticator } from "../../src/app/support/authenticate.js";
import { API_VERSION, PROVIDER } from "../../src/wire/ids.js";
import { importBody as jobBody, shippingBody, withVersion } from "../support/customer-api.js";
import { bitLockerKey, type DriveSpec, RETURN_ADDRESS, storageAccount } from "../support/fixtures.js";
import { startSqliteServer, type TestServer } from "../support/server.js";

// What the SDK cannot send: every refusal is a 4xx in the ARM envelope, never a 5xx, and leaves the job as
// it was. Every response passes through `record`, which checks the invariants that hold for all of them.

const SUB = randomUUID();
const OTHER_SUB = randomUUID();
const RG = "rg-edge";
const V = API_VERSION;
const STORAGE = storageAccount(SUB, RG);

/** Every BitLocker key handed to the service: no response but listBitLockerKeys may ever show one. */
const KEYS: string[] = [];
function recordedKey(): string {
  const key = bitLockerKey();
  KEYS.push(key);
  return key;
}

const DELIVERY = { carrierName: "FedEx", trackingNumber: "1Z 999 AA1" };
/** The PATCH that ships an edge job: it has no return address until then. */
const SHIPPING = shippingBody(DELIVERY.trackingNumber, { returnAddress: RETURN_ADDRESS });

/**
 * Paths written out, not escaped (unlike src/wire/ids.ts): these tests send unsafe names, `%2e%2e` and the
 * like, exactly as given.
 */
function jobsPath(sub: string = SUB, rg: string | undefined = RG): string {
  return rg === undefined
    ? `/subscriptions/${sub}/providers/${PROVIDER}/jobs`
    : `/subscriptions/${sub}/resourceGroups/${rg}/providers/${PROVIDER}/jobs`;
}
function jobPath(name: string, sub: string = SUB, rg: string = RG): string {
  return `${jobsPath(sub, rg)}/${name}`;
}
/** A job's path with the api-version. */
function jobUrl(name: string, sub: string = SUB, rg: string = RG): string {
  return withVersion(jobPath(name, sub, rg));
}

/** The body of an edge job: tagged, verbose, with diagnostics, and no return address (it comes with the tracking). */
let drives = 0;

/** A drive of its own for each job made here: a drive is in one live job at a time. */
function ownDrive(): DriveSpec {
  return { driveId: `DRIVE-A${++drives}`, bitLockerKey: recordedKey() };
}

function importBody(drives: DriveSpec[] = [ownDrive()]) {
  return jobBody({ subscriptionId: SUB, resourceGroup: RG }, drives, {
    tags: { team: "edge" },
    returnAddress: null,
    properties: { logLevel: "Verbose", diagnosticsPath: "waimportexport" },
  });
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

let server: TestServer;
let customer: string;
let otherCustomer: string;
let operator: string;
let admin: string;
let station: string;

/** The invariants every answer keeps: no 5xx, a request id, the ARM envelope on refusals, no key shown. */
function record(method: string, path: string, status: number, headers: Headers, text: string): Answer {
  const where = `${method} ${path.slice(0, 160)}`;
  assert.ok(status < 500, `${where} answered ${status}: ${text.slice(0, 300)}`);
  assert.ok(headers.get("x-ms-request-id"), `${where}: no x-ms-request-id`);
  let json: unknown;
  if (text !== "" && (headers.get("content-type") ?? "").includes("json")) {
    json = JSON.parse(text);
  }
  if (status >= 400 && method !== "HEAD") {
    const body = json as { error?: { code?: unknown; message?: unknown } } | undefined;
    assert.ok(
      body && typeof body === "object",
      `${where}: ${status} without a JSON body: ${text.slice(0, 200)}`,
    );
    assert.deepEqual(Object.keys(body), ["error"], `${where}: not the ARM envelope: ${text.slice(0, 200)}`);
    assert.equal(typeof body.error?.code, "string", `${where}: error.code`);
    assert.equal(typeof body.error?.message, "string", `${where}: error.message`);
  }
  const bare = path.split("?")[0]!;
  if (!bare.toLowerCase().endsWith("/listbitlockerkeys")) {
    // The API description names the field, of course; no other answer may.
    if (bare !== "/openapi.json") {
      assert.ok(!/"bitLockerKey"\s*:/i.test(text), `${where} shows a bitLockerKey: ${text.slice(0, 300)}`);
    }
    for (const key of KEYS) {
      assert.ok(!text.includes(key), `${where} shows a BitLocker key`);
    }
  }
  return { status, headers, text, json };
}

interface CallOptions {
  token?: string | null;
  body?: unknown;
  /** Sent as it is, instead of JSON-encoding `body`. */
  raw?: string | Buffer;
  headers?: Record<string, string>;
}

/** A request with plain fetch (which normalizes paths; see `rawRequest` for what it would change). */
async function call(method: string, path: string, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? customer : options.token;
  if (token !== null) {
    headers.authorization = `Bearer ${token}`;
  }
  let body: string | Buffer | undefined = options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const response = await fetch(new URL(path, server.url), {
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  return record(method, path, response.status, response.headers, await response.text());
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

/** A request whose path, method and bytes go out exactly as given (node:http; fetch would normalize). */
function rawRequest(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string | Buffer,
): Promise<Answer> {
  const { hostname, port } = new URL(server.url);
  // node:http sends a GET, DELETE or OPTIONS body with no framing unless told its length.
  const sent =
    body === undefined ? headers : { ...headers, "content-length": String(Buffer.byteLength(body)) };
  return new Promise((resolve, reject) => {
    const request = http.request({ host: hostname, port, method, path, headers: sent, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        const h = new Headers();
        for (const [name, value] of Object.entries(response.headers)) {
          if (value !== undefined) {
            h.set(name, Array.isArray(value) ? value.join(", ") : value);
          }
        }
        try {
          resolve(record(method, path, response.statusCode!, h, Buffer.concat(chunks).toString("utf8")));
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(body);
  });
}

function errorOf(answer: Answer): { code: string; message: string; target?: string } {
  return (answer.json as { error: { code: string; message: string; target?: string } }).error;
}

function assertRefused(answer: Answer, status: number, code: string): { code: string; message: string } {
  const error = errorOf(answer);
  assert.equal(answer.status, status, `expected ${status} ${code}, got ${answer.status}: ${answer.text}`);
  assert.equal(error.code, code, answer.text);
  return error;
}

async function putJob(name: string, body: unknown = importBody()): Promise<Answer> {
  const answer = await call("PUT", jobUrl(name), { body });
  assert.ok(answer.status === 201 || answer.status === 200, answer.text);
  return answer;
}

async function getJob(name: string): Promise<Answer> {
  const answer = await call("GET", jobUrl(name));
  assert.equal(answer.status, 200, answer.text);
  return answer;
}

/** A body sent as these bytes, with this content type. */
function rawBody(raw: string, type = "application/json"): CallOptions {
  return { raw, headers: { "content-type": type } };
}

/** A request on job `name` refused with this status and code, the job left exactly as it was; answers the error. */
async function refusedUnchanged(
  name: string,
  method: string,
  options: CallOptions,
  status: number,
  code: string,
): Promise<{ code: string; message: string }> {
  let error: { code: string; message: string } | undefined;
  await unchanged(name, async () => {
    error = assertRefused(await call(method, jobUrl(name), options), status, code);
  });
  return error!;
}

/** Runs a refused request and checks the job reads exactly as before it (body and ETag). */
async function unchanged(name: string, refused: () => Promise<unknown>): Promise<void> {
  const before = await getJob(name);
  await refused();
  const afterwards = await getJob(name);
  assert.deepEqual(afterwards.json, before.json, `job ${name} changed after a refused request`);
  assert.equal(afterwards.headers.get("etag"), before.headers.get("etag"));
}

/** The job "ship-1" in Shipping, with the body it was created with. */
const shipped = { name: "ship-1", body: importBody() };

before(async () => {
  server = await startSqliteServer("arm-edge");
  customer = await server.token("customer", [SUB]);
  otherCustomer = await server.token("customer", [OTHER_SUB]);
  operator = await server.token("operator");
  admin = await server.token("admin");
  station = await server.token("station");
  await putJob("edge-main");
  await putJob(shipped.name, shipped.body);
  const ship = await call("PATCH", jobUrl(shipped.name), {
    body: SHIPPING,
  });
  assert.equal(ship.status, 200, ship.text);
  assert.equal((ship.json as { properties: { state: string } }).properties.state, "Shipping");
});

after(async () => {
  agent.destroy();
  await server?.close();
});

describe("api-version", () => {
  it("missing → 400 MissingApiVersionParameter, on every kind of operation", async () => {
    for (const [method, path] of [
      ["GET", jobPath("edge-main")],
      ["GET", jobsPath()],
      ["GET", jobsPath(SUB, undefined)],
      ["GET", `/providers/${PROVIDER}/locations`],
      ["GET", `/providers/${PROVIDER}/operations`],
      ["DELETE", jobPath("edge-main")],
      ["POST", `${jobPath("edge-main")}/listBitLockerKeys`],
      ["GET", `${jobPath("edge-main")}?api-version=`],
    ] as const) {
      assertRefused(await call(method, path), 400, "MissingApiVersionParameter");
    }
    await unchanged("edge-main", async () =>
      assertRefused(
        await call("PATCH", jobPath("edge-main"), { body: { tags: { x: "y" } } }),
        400,
        "MissingApiVersionParameter",
      ),
    );
  });

  it("unknown → 400 InvalidApiVersionParameter naming the supported versions", async () => {
    for (const version of [
      "2099-01-01",
      "2021-01-01-preview",
      "latest",
      "2021-1-1",
      "2021-01-01,2020-08-01",
    ]) {
      const error = assertRefused(
        await call("GET", `${jobPath("edge-main")}?api-version=${encodeURIComponent(version)}`),
        400,
        "InvalidApiVersionParameter",
      );
      assert.match(error.message, /2016-11-01, 2020-08-01, 2021-01-01/);
    }
    // Sent twice (the query parser makes an array of it).
    assertRefused(
      await call("GET", `${jobPath("edge-main")}?api-version=${V}&api-version=${V}`),
      400,
      "InvalidApiVersionParameter",
    );
  });

  it("each supported version is accepted", async () => {
    for (const version of ["2016-11-01", "2020-08-01", "2021-01-01"]) {
      assert.equal((await call("GET", withVersion(jobPath("edge-main"), version))).status, 200);
    }
  });
});

describe("request bodies", () => {
  it("malformed JSON → 400 InvalidRequestContent", async () => {
    for (const raw of ['{"location":', "{'location':'West US'}", "{,}", '{"a":1}}', "nul", "\u0000"]) {
      await refusedUnchanged("edge-main", "PUT", rawBody(raw), 400, "InvalidRequestContent");
    }
    assertRefused(
      await call("PATCH", jobUrl("edge-main"), rawBody("{not json")),
      400,
      "InvalidRequestContent",
    );
  });

  it("a content type other than JSON → 415 UnsupportedMediaType", async () => {
    const body = JSON.stringify(importBody());
    for (const type of [
      "text/plain",
      "application/xml",
      "application/x-www-form-urlencoded",
      "multipart/form-data",
    ]) {
      await refusedUnchanged("edge-main", "PUT", rawBody(body, type), 415, "UnsupportedMediaType");
    }
    assertRefused(
      await call("PATCH", jobUrl("edge-main"), rawBody('{"tags":{}}', "text/plain")),
      415,
      "UnsupportedMediaType",
    );
    // A body with no content type at all.
    assertRefused(
      await rawRequest("PUT", jobUrl("edge-main"), { authorization: `Bearer ${customer}` }, body),
      415,
      "UnsupportedMediaType",
    );
  });

  it("a 10 MB body → 413 RequestEntityTooLarge", async () => {
    const big = Buffer.alloc(10 * 1024 * 1024, " ");
    big.write('{"tags":{"a":"');
    await unchanged("edge-main", async () =>
      assertRefused(
        await rawRequest(
          "PUT",
          jobUrl("edge-main"),
          // The server answers before reading it all; this connection is not reused.
          { authorization: `Bearer ${customer}`, "content-type": "application/json", connection: "close" },
          big,
        ),
        413,
        "RequestEntityTooLarge",
      ),
    );
  });

  it("unknown fields, at the top level and nested → 400 UnknownProperty naming the field", async () => {
    const cases: [string, unknown, string][] = [
      ["PUT", { ...importBody(), colour: "blue" }, "colour"],
      ["PUT", { ...importBody(), properties: { ...importBody().properties, priority: 1 } }, "priority"],
      ["PUT", importBody([{ ...ownDrive(), ...{ serial: "x" } }]), "serial"],
      [
        "PUT",
        {
          ...importBody(),
          properties: { ...importBody().properties, returnAddress: { ...RETURN_ADDRESS, fax: "1" } },
        },
        "fax",
      ],
      ["PATCH", { properties: { state: "", color: 1 } }, "color"],
      ["PATCH", { propertiez: {} }, "propertiez"],
      ["PATCH", { properties: { deliveryPackage: { ...DELIVERY, weight: 3 } } }, "weight"],
      // The PATCH body is not the PUT body: fields only a PUT takes are unknown here.
      ["PATCH", { properties: { storageAccountId: STORAGE } }, "storageAccountId"],
      ["PATCH", { location: "West US" }, "location"],
    ];
    for (const [method, body, field] of cases) {
      const error = await refusedUnchanged("edge-main", method, { body }, 400, "UnknownProperty");
      assert.ok(error.message.includes(`'${field}'`), `${error.message} should name '${field}'`);
    }
  });

  it("an empty body on PUT or PATCH → 400 InvalidRequestContent", async () => {
    for (const method of ["PUT", "PATCH"]) {
      await unchanged("edge-main", async () => {
        assertRefused(await call(method, jobUrl("edge-main"), rawBody("")), 400, "InvalidRequestContent");
        assertRefused(
          await call(method, jobUrl("edge-main"), rawBody("  \n ")),
          400,
          "InvalidRequestContent",
        );
        assertRefused(await call(method, jobUrl("edge-main")), 400, "InvalidRequestContent");
      });
    }
    // And on a job that does not exist yet: nothing is created.
    assertRefused(await call("PUT", jobUrl("never-made"), rawBody("")), 400, "InvalidRequestContent");
    assertRefused(await call("GET", jobUrl("never-made")), 404, "ResourceNotFound");
  });

  it("JSON arrays, strings, numbers, booleans and null as the body → 400 InvalidRequestContent", async () => {
    for (const raw of ["[]", "[{}]", '"West US"', "42", "-1.5e300", "true", "null"]) {
      for (const method of ["PUT", "PATCH"]) {
        await refusedUnchanged("edge-main", method, rawBody(raw), 400, "InvalidRequestContent");
      }
    }
  });

  it("wrong types inside the body → 400, never a crash", async () => {
    const base = importBody();
    const bodies: unknown[] = [
      { ...base, location: 5 },
      { ...base, tags: ["a"] },
      { ...base, tags: { a: 1 } },
      { ...base, properties: [] },
      { ...base, properties: { ...base.properties, driveList: {} } },
      { ...base, properties: { ...base.properties, driveList: [null] } },
      { ...base, properties: { ...base.properties, driveList: [{ driveId: 7 }] } },
      { ...base, properties: { ...base.properties, backupDriveManifest: "yes" } },
      { ...base, properties: { ...base.properties, jobType: { a: 1 } } },
      { ...base, properties: { ...base.properties, percentComplete: 1.5 } },
      { ...base, properties: { ...base.properties, encryptionKey: { kekType: "Mine" } } },
      { ...base, properties: { ...base.properties, export: { blobList: "x" } } },
      {
        ...base,
        properties: { ...base.properties, driveList: Array.from({ length: 101 }, () => ({ driveId: "D" })) },
      },
    ];
    for (const body of bodies) {
      await unchanged("edge-main", async () => {
        const answer = await call("PUT", jobUrl("edge-main"), { body });
        assert.equal(answer.status, 400, answer.text);
      });
    }
  });
});

describe("names in the path", () => {
  it("`..`, `%2F`, `%2e%2e`, `%2F..%2F` and other unsafe job names → 400 InvalidJobName", async () => {
    const auth = { authorization: `Bearer ${customer}` };
    for (const name of [
      "..",
      "%2e%2e",
      "%2E%2E",
      "a%2Fb",
      "%2F..%2Fjobs",
      "abc%00",
      "-abc",
      "ab",
      "job.1",
      "job%20x",
    ]) {
      for (const method of ["GET", "DELETE"]) {
        assertRefused(await rawRequest(method, jobUrl(name), auth), 400, "InvalidJobName");
      }
      assertRefused(
        await rawRequest(
          "PUT",
          jobUrl(name),
          { ...auth, "content-type": "application/json" },
          JSON.stringify(importBody()),
        ),
        400,
        "InvalidJobName",
      );
    }
  });

  it("unicode job names → 400 InvalidJobName", async () => {
    for (const name of ["jöb", "ジョブ", "job-😀", "ｊｏｂ"]) {
      assertRefused(await call("GET", jobUrl(encodeURIComponent(name))), 400, "InvalidJobName");
      assertRefused(
        await call("PUT", jobUrl(encodeURIComponent(name)), { body: importBody() }),
        400,
        "InvalidJobName",
      );
    }
  });

  it("over-long names → 4xx", async () => {
    assertRefused(await call("GET", jobUrl("j".repeat(65))), 400, "InvalidJobName");
    assertRefused(await call("PUT", jobUrl("j".repeat(65)), { body: importBody() }), 400, "InvalidJobName");
    assertRefused(await call("GET", jobUrl("okname", SUB, "g".repeat(91))), 400, "InvalidResourceGroupName");
    // Past the router's longest path segment: still our envelope, still a 4xx.
    for (const length of [499, 501, 5000]) {
      const answer = await call("GET", jobUrl("j".repeat(length)));
      assert.ok(answer.status >= 400 && answer.status < 500, answer.text);
    }
  });

  it("bad resource group names → 400 InvalidResourceGroupName", async () => {
    for (const rg of ["..", "rg.", "%2e%2e", "r%2Fg", "r%20g"]) {
      assertRefused(
        await rawRequest("GET", jobUrl("edge-main", SUB, rg), {
          authorization: `Bearer ${customer}`,
        }),
        400,
        "InvalidResourceGroupName",
      );
    }
  });

  it("a non-GUID subscription → 400 InvalidSubscriptionId, on jobs and lists", async () => {
    for (const sub of ["not-a-guid", "12345", `${SUB}0`, "..", "%2e%2e"]) {
      const auth = { authorization: `Bearer ${customer}` };
      assertRefused(await rawRequest("GET", jobUrl("edge-main", sub), auth), 400, "InvalidSubscriptionId");
      assertRefused(await rawRequest("GET", withVersion(jobsPath(sub)), auth), 400, "InvalidSubscriptionId");
      assertRefused(
        await rawRequest("GET", withVersion(jobsPath(sub, undefined)), auth),
        400,
        "InvalidSubscriptionId",
      );
    }
  });

  it("a URL that does not decode → 400 in the ARM envelope", async () => {
    for (const path of [jobUrl("%zz"), jobUrl("ab%"), withVersion(jobsPath("%E0%A4%A"))]) {
      const answer = await rawRequest("GET", path, { authorization: `Bearer ${customer}` });
      assert.equal(answer.status, 400, answer.text);
    }
  });

  it("subscription, resource group and job name are case-insensitive, as in ARM", async () => {
    assert.equal((await call("GET", jobUrl("edge-main", SUB.toUpperCase()))).status, 200);
    const upper = await call("GET", jobUrl("EDGE-MAIN", SUB, RG.toUpperCase()));
    assert.equal(upper.status, 200, upper.text);
    assert.equal((upper.json as { name: string }).name, "edge-main");
    const list = await call("GET", withVersion(jobsPath(SUB, RG.toUpperCase())));
    assert.ok((list.json as { value: { name: string }[] }).value.some((j) => j.name === "edge-main"));
    // A PUT under another casing is the same job: 200, not a second job.
    await putJob("case-job");
    const again = await call("PUT", jobUrl("CASE-JOB", SUB, RG.toUpperCase()), {
      body: importBody(),
    });
    assert.equal(again.status, 200, again.text);
    const all = await call("GET", withVersion(jobsPath()));
    const names = (all.json as { value: { name: string }[] }).value.map((j) => j.name.toLowerCase());
    assert.equal(names.filter((n) => n === "case-job").length, 1);
  });
});

describe("list queries", () => {
  before(async () => {
    for (const name of ["list-1", "list-2", "list-3"]) {
      await putJob(name);
    }
  });

  it("$top outside 1..100 or not a number → 400 InvalidQueryParameter", async () => {
    for (const top of ["0", "101", "abc", "-1", "1.5", "", "1e2", "99999", "100000000000"]) {
      assertRefused(
        await call("GET", withVersion(`${jobsPath()}?$top=${encodeURIComponent(top)}`)),
        400,
        "InvalidQueryParameter",
      );
    }
    assertRefused(
      await call("GET", withVersion(`${jobsPath()}?$top=1&$top=2`)),
      400,
      "InvalidQueryParameter",
    );
    assert.equal((await call("GET", withVersion(`${jobsPath()}?$top=100`))).status, 200);
    assert.equal((await call("GET", withVersion(`${jobsPath()}?$top=1`))).status, 200);
  });

  it("a bad $filter → 400 InvalidFilter", async () => {
    for (const filter of [
      "name eq 'x'",
      "state eq 'Nope'",
      "state eq 'Creating",
      "(state eq 'Creating'",
      "state ne 'Creating'",
      "constructor eq 'x'",
      "__proto__ eq 'x'",
    ]) {
      for (const path of [jobsPath(), jobsPath(SUB, undefined)]) {
        assertRefused(
          await call("GET", withVersion(`${path}?$filter=${encodeURIComponent(filter)}`)),
          400,
          "InvalidFilter",
        );
      }
    }
  });

  it("a $filter or $skiptoken given twice → 400 InvalidQueryParameter, not a crash", async () => {
    const f = encodeURIComponent("state eq 'Creating'");
    for (const path of [jobsPath(), jobsPath(SUB, undefined)]) {
      assertRefused(
        await call("GET", withVersion(`${path}?$filter=${f}&$filter=${f}`)),
        400,
        "InvalidQueryParameter",
      );
      assertRefused(
        await call("GET", withVersion(`${path}?$skiptoken=a&$skiptoken=b`)),
        400,
        "InvalidQueryParameter",
      );
    }
  });

  it("a good $filter works, and a contradictory one matches nothing", async () => {
    const list = async (filter: string) => {
      const answer = await call("GET", withVersion(`${jobsPath()}?$filter=${encodeURIComponent(filter)}`));
      assert.equal(answer.status, 200, answer.text);
      return (answer.json as { value: { name: string }[] }).value.map((j) => j.name);
    };
    assert.deepEqual(await list("state eq 'Shipping'"), [shipped.name]);
    assert.ok((await list("state eq 'creating'")).includes("edge-main"));
    assert.ok(!(await list("state eq 'creating'")).includes(shipped.name));
    assert.deepEqual(await list("state eq 'Creating' and state eq 'Shipping'"), []);
  });

  it("$filter by name: startswith and contains ignore case, take wildcards literally, and nextLink keeps them", async () => {
    for (const name of ["Search-Alpha", "search_beta", "searchXgamma"]) {
      await putJob(name);
    }
    const list = async (filter: string, query = "") => {
      const answer = await call(
        "GET",
        withVersion(`${jobsPath()}?$filter=${encodeURIComponent(filter)}${query}`),
      );
      assert.equal(answer.status, 200, answer.text);
      return (answer.json as { value: { name: string }[] }).value.map((j) => j.name);
    };
    assert.deepEqual(await list("startswith(name,'SEARCH')"), [
      "Search-Alpha",
      "search_beta",
      "searchXgamma",
    ]);
    assert.deepEqual(await list("StartsWith(Name,'search_')"), ["search_beta"]);
    assert.deepEqual(await list("contains(name,'ALPHA')"), ["Search-Alpha"]);
    assert.deepEqual(await list("contains(name,'%')"), []);
    assert.deepEqual(await list("contains(name,'it''s')"), []);
    assert.deepEqual(await list("contains(name,'search') and state eq 'Creating'"), [
      "Search-Alpha",
      "search_beta",
      "searchXgamma",
    ]);
    assert.deepEqual(await list("contains(name,'search') and state eq 'Shipping'"), []);
    assertRefused(
      await call(
        "GET",
        withVersion(
          `${jobsPath()}?$filter=${encodeURIComponent("startswith(name,'a') and contains(name,'b')")}`,
        ),
      ),
      400,
      "InvalidFilter",
    );

    // One a page, by nextLink: the filter rides along, so the pages hold the matches only.
    const filter = "startswith(name,'search')";
    let next: string | undefined = withVersion(
      `${jobsPath(SUB, undefined)}?$top=1&$filter=${encodeURIComponent(filter)}`,
    );
    const pages: string[][] = [];
    while (next !== undefined) {
      const answer = await call("GET", next);
      assert.equal(answer.status, 200, answer.text);
      const page = answer.json as { value: { name: string }[]; nextLink?: string };
      pages.push(page.value.map((j) => j.name));
      if (page.nextLink !== undefined) {
        const url = new URL(page.nextLink);
        assert.equal(url.searchParams.get("$filter"), filter);
        next = url.pathname + url.search;
      } else {
        next = undefined;
      }
    }
    assert.deepEqual(pages, [["Search-Alpha"], ["search_beta"], ["searchXgamma"]]);
  });

  it("$orderby createdAt desc lists newest first, pages by nextLink in that order, and refuses other orders", async () => {
    for (const name of ["order-1", "order-2", "order-3"]) {
      await putJob(name);
    }
    const filter = encodeURIComponent("startswith(name,'order-')");
    const walk = async (orderby: string) => {
      let next: string | undefined = withVersion(
        `${jobsPath(SUB, undefined)}?$top=2&$filter=${filter}&$orderby=${encodeURIComponent(orderby)}`,
      );
      const pages: string[][] = [];
      while (next !== undefined) {
        const answer = await call("GET", next);
        assert.equal(answer.status, 200, answer.text);
        const page = answer.json as { value: { name: string }[]; nextLink?: string };
        pages.push(page.value.map((j) => j.name));
        const url: URL | undefined = page.nextLink === undefined ? undefined : new URL(page.nextLink);
        if (url) {
          assert.equal(url.searchParams.get("$orderby"), orderby);
        }
        next = url && url.pathname + url.search;
      }
      return pages;
    };
    assert.deepEqual(await walk("createdAt desc"), [["order-3", "order-2"], ["order-1"]]);
    assert.deepEqual(await walk("systemData/createdAt DESC"), [["order-3", "order-2"], ["order-1"]]);
    assert.deepEqual(await walk("createdAt asc"), [["order-1", "order-2"], ["order-3"]]);
    assert.deepEqual(await walk("createdAt"), [["order-1", "order-2"], ["order-3"]]);
    for (const bad of ["name desc", "createdAt sideways", "createdAt desc, name"]) {
      assertRefused(
        await call("GET", withVersion(`${jobsPath()}?$orderby=${encodeURIComponent(bad)}`)),
        400,
        "InvalidQueryParameter",
      );
    }
    // A continuation issued for one order is no good for the other: it would skip or repeat jobs.
    const first = await call(
      "GET",
      withVersion(`${jobsPath(SUB, undefined)}?$top=1&$orderby=createdAt%20desc`),
    );
    const token = new URL((first.json as { nextLink: string }).nextLink).searchParams.get("$skiptoken")!;
    assertRefused(
      await call("GET", withVersion(`${jobsPath(SUB, undefined)}?$top=1&$skiptoken=${token}`)),
      400,
      "InvalidSkipToken",
    );
  });

  it("a contradictory $filter is still checked for the subscription and the caller's access", async () => {
    const filter = encodeURIComponent("state eq 'Creating' and state eq 'Shipping'");
    assertRefused(
      await call("GET", withVersion(`${jobsPath("not-a-guid")}?$filter=${filter}`)),
      400,
      "InvalidSubscriptionId",
    );
    assertRefused(
      await call("GET", withVersion(`${jobsPath(OTHER_SUB)}?$filter=${filter}`)),
      403,
      "AuthorizationFailed",
    );
    assertRefused(
      await call("GET", withVersion(`${jobsPath(SUB, "rg.")}?$filter=${filter}`)),
      400,
      "InvalidResourceGroupName",
    );
  });

  it("nextLink pages through; a tampered $skiptoken → 400 InvalidSkipToken", async () => {
    const first = await call("GET", withVersion(`${jobsPath()}?$top=1`));
    const page = first.json as { value: unknown[]; nextLink?: string };
    assert.equal(page.value.length, 1);
    assert.ok(page.nextLink, "a first page of one should have a nextLink");
    const next = new URL(page.nextLink);
    assert.equal(next.searchParams.get("api-version"), V);
    assert.equal(next.searchParams.get("$top"), "1");
    const second = await call("GET", next.pathname + next.search);
    assert.equal(second.status, 200, second.text);
    assert.notDeepEqual((second.json as { value: unknown[] }).value, page.value);

    const token = next.searchParams.get("$skiptoken")!;
    const tampered = [
      `${token}AAAA`,
      token.slice(1),
      token.toUpperCase(),
      "!!!",
      Buffer.from("not json").toString("base64url"),
      Buffer.from('{"after":-1}').toString("base64url"),
      Buffer.from('{"after":1.5}').toString("base64url"),
      Buffer.from('{"after":"5"}').toString("base64url"),
      Buffer.from('{"after":1e300}').toString("base64url"),
      Buffer.from("null").toString("base64url"),
      Buffer.from("[]").toString("base64url"),
      "",
    ];
    for (const bad of tampered) {
      const url = new URL(next);
      url.searchParams.set("$skiptoken", bad);
      assertRefused(await call("GET", url.pathname + url.search), 400, "InvalidSkipToken");
    }
  });
});

describe("PATCH rules", () => {
  before(async () => {
    await putJob("patch-1");
  });

  it("state other than Shipping → 400 InvalidStateValue", async () => {
    for (const state of ["Completed", "Canceled", "Creating", "Received", "nonsense"]) {
      await refusedUnchanged(
        "patch-1",
        "PATCH",
        { body: { properties: { state } } },
        400,
        "InvalidStateValue",
      );
    }
  });

  it("cancelRequested: false → 400 InvalidCancelRequest", async () => {
    await refusedUnchanged(
      "patch-1",
      "PATCH",
      {
        body: { properties: { cancelRequested: false } },
      },
      400,
      "InvalidCancelRequest",
    );
  });

  it("state Shipping together with cancelRequested → 400", async () => {
    await refusedUnchanged(
      "patch-1",
      "PATCH",
      {
        body: {
          properties: {
            state: "Shipping",
            cancelRequested: true,
            returnAddress: RETURN_ADDRESS,
            deliveryPackage: DELIVERY,
          },
        },
      },
      400,
      "InvalidStateValue",
    );
  });

  it("Shipping without a return address → 400 ReturnAddressRequired, and the delivery package sent with it is not kept", async () => {
    await refusedUnchanged(
      "patch-1",
      "PATCH",
      {
        body: { properties: { state: "Shipping", deliveryPackage: DELIVERY, logLevel: "Error" } },
      },
      400,
      "ReturnAddressRequired",
    );
  });

  it("Shipping without a delivery package → 400 DeliveryPackageRequired", async () => {
    await refusedUnchanged(
      "patch-1",
      "PATCH",
      {
        body: { properties: { state: "Shipping", returnAddress: RETURN_ADDRESS } },
      },
      400,
      "DeliveryPackageRequired",
    );
  });

  it('state "" with logLevel edits without moving the job', async () => {
    const answer = await call("PATCH", jobUrl("patch-1"), {
      body: { properties: { state: "", logLevel: "Error", backupDriveManifest: true } },
    });
    assert.equal(answer.status, 200, answer.text);
    const props = (answer.json as { properties: Record<string, unknown> }).properties;
    assert.equal(props.state, "Creating");
    assert.equal(props.logLevel, "Error");
    assert.equal(props.backupDriveManifest, true);
  });

  it("a PATCH of a missing job → 404 ResourceNotFound", async () => {
    assertRefused(
      await call("PATCH", jobUrl("no-such-job"), { body: { tags: {} } }),
      404,
      "ResourceNotFound",
    );
  });
});

describe("ETags and conditional requests", () => {
  before(async () => {
    await putJob("etag-1");
  });

  it("GET, PUT and PATCH answer with an ETag; it changes when the job does", async () => {
    const put = await putJob("etag-2");
    const putTag = put.headers.get("etag");
    assert.match(putTag ?? "", /^"[^"]+"$/);
    const get = await getJob("etag-2");
    assert.equal(get.headers.get("etag"), putTag);
    const patch = await call("PATCH", jobUrl("etag-2"), { body: { tags: { changed: "yes" } } });
    assert.equal(patch.status, 200);
    assert.match(patch.headers.get("etag") ?? "", /^"[^"]+"$/);
    assert.notEqual(patch.headers.get("etag"), putTag);
    assert.equal((await getJob("etag-2")).headers.get("etag"), patch.headers.get("etag"));
  });

  it("If-Match with a stale ETag → 412 PreconditionFailed on PUT, PATCH and DELETE; the current one → 200", async () => {
    const stale = (await getJob("etag-1")).headers.get("etag")!;
    const touched = await call("PATCH", jobUrl("etag-1"), { body: { tags: { v: "2" } } });
    assert.equal(touched.status, 200);
    const current = touched.headers.get("etag")!;
    assert.notEqual(stale, current);

    await unchanged("etag-1", async () => {
      assertRefused(
        await call("PATCH", jobUrl("etag-1"), {
          body: { tags: { v: "3" } },
          headers: { "if-match": stale },
        }),
        412,
        "PreconditionFailed",
      );
      assertRefused(
        await call("PUT", jobUrl("etag-1"), {
          body: importBody(),
          headers: { "if-match": stale },
        }),
        412,
        "PreconditionFailed",
      );
      assertRefused(
        await call("DELETE", jobUrl("etag-1"), { headers: { "if-match": stale } }),
        412,
        "PreconditionFailed",
      );
      assertRefused(
        await call("PATCH", jobUrl("etag-1"), {
          body: { tags: { v: "3" } },
          headers: { "if-match": '"nonsense"' },
        }),
        412,
        "PreconditionFailed",
      );
    });

    const ok = await call("PATCH", jobUrl("etag-1"), {
      body: { tags: { v: "3" } },
      headers: { "if-match": current },
    });
    assert.equal(ok.status, 200, ok.text);
    const weak = await call("PATCH", jobUrl("etag-1"), {
      body: { tags: { v: "4" } },
      headers: { "if-match": `W/${ok.headers.get("etag")}` },
    });
    assert.equal(weak.status, 200, weak.text);
    const star = await call("PATCH", jobUrl("etag-1"), {
      body: { tags: { v: "5" } },
      headers: { "if-match": "*" },
    });
    assert.equal(star.status, 200, star.text);
    const put = await call("PUT", jobUrl("etag-1"), {
      body: importBody(),
      headers: { "if-match": star.headers.get("etag")! },
    });
    assert.equal(put.status, 200, put.text);
  });

  it("If-Match on a PUT of a job that does not exist → 412, and nothing is created", async () => {
    assertRefused(
      await call("PUT", jobUrl("etag-none"), {
        body: importBody(),
        headers: { "if-match": '"x"' },
      }),
      412,
      "PreconditionFailed",
    );
    assertRefused(await call("GET", jobUrl("etag-none")), 404, "ResourceNotFound");
  });

  it("If-None-Match: * on an existing job → 412; on a new one it creates (201)", async () => {
    await refusedUnchanged(
      "etag-1",
      "PUT",
      {
        body: importBody(),
        headers: { "if-none-match": "*" },
      },
      412,
      "PreconditionFailed",
    );
    const created = await call("PUT", jobUrl("etag-3"), {
      body: importBody(),
      headers: { "if-none-match": "*" },
    });
    assert.equal(created.status, 201, created.text);
  });
});

describe("a job in Shipping", () => {
  it("a re-PUT that changes driveList → 409 PropertyChangeNotAllowed", async () => {
    const original = shipped.body.properties.driveList[0]!;
    const changedLists = [
      [original, { driveId: "DRIVE-B2", bitLockerKey: recordedKey() }],
      [{ driveId: "DRIVE-Z9", bitLockerKey: recordedKey() }],
      [{ ...original, bitLockerKey: recordedKey() }],
    ];
    for (const driveList of changedLists) {
      const body = { ...shipped.body, properties: { ...shipped.body.properties, driveList } };
      const error = await refusedUnchanged(shipped.name, "PUT", { body }, 409, "PropertyChangeNotAllowed");
      assert.match(error.message, /Shipping/);
    }
  });

  it("a re-PUT of the identical original body → 200, still Shipping", async () => {
    const answer = await call("PUT", jobUrl(shipped.name), { body: shipped.body });
    assert.equal(answer.status, 200, answer.text);
    const props = (answer.json as { properties: Record<string, unknown> }).properties;
    assert.equal(props.state, "Shipping");
    assert.deepEqual(props.deliveryPackage, DELIVERY);
    assert.deepEqual(props.returnAddress, RETURN_ADDRESS);
  });

  it("a re-PUT that changes what is fixed at creation → 409", async () => {
    for (const body of [
      { ...shipped.body, properties: { ...shipped.body.properties, jobType: "Export" } },
      { ...shipped.body, properties: { ...shipped.body.properties, diagnosticsPath: "elsewhere" } },
    ]) {
      await refusedUnchanged(shipped.name, "PUT", { body }, 409, "PropertyChangeNotAllowed");
    }
  });

  it("cancel → 409 InvalidJobState naming the state", async () => {
    const body = { properties: { cancelRequested: true } };
    const error = await refusedUnchanged(shipped.name, "PATCH", { body }, 409, "InvalidJobState");
    assert.match(error.message, /'Shipping'/);
  });

  it("delete → 409 InvalidJobState naming the state", async () => {
    const error = await refusedUnchanged(shipped.name, "DELETE", {}, 409, "InvalidJobState");
    assert.match(error.message, /'Shipping'/);
  });

  it("Shipping again is the same request retried: 200", async () => {
    const answer = await call("PATCH", jobUrl(shipped.name), {
      body: { properties: { state: "Shipping" } },
    });
    assert.equal(answer.status, 200, answer.text);
  });
});

describe("concurrent requests", () => {
  it("eight PUTs of one new job at once: one 201, the others 200, one job", async () => {
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => call("PUT", jobUrl("race-put"), { body: importBody() })),
    );
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 200, 200, 200, 200, 200, 200, 201]);
    const list = await call("GET", withVersion(jobsPath()));
    const names = (list.json as { value: { name: string }[] }).value.map((j) => j.name);
    assert.equal(names.filter((n) => n === "race-put").length, 1);
  });

  it("eight PATCHes of one job at once all apply", async () => {
    await putJob("race-patch");
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        call("PATCH", jobUrl("race-patch"), { body: { tags: { [`t${i}`]: "x" } } }),
      ),
    );
    assert.deepEqual(
      answers.map((a) => a.status),
      Array.from({ length: 8 }, () => 200),
    );
  });

  it("ship and cancel at once: exactly one wins, and the job shows it", async () => {
    await putJob("race-ship");
    const [ship, cancel] = await Promise.all([
      call("PATCH", jobUrl("race-ship"), {
        body: SHIPPING,
      }),
      call("PATCH", jobUrl("race-ship"), { body: { properties: { cancelRequested: true } } }),
    ]);
    const state = ((await getJob("race-ship")).json as { properties: { state: string } }).properties.state;
    if (ship.status === 200) {
      assertRefused(cancel, 409, "InvalidJobState");
      assert.equal(state, "Shipping");
    } else {
      assert.equal(cancel.status, 200, cancel.text);
      assertRefused(ship, 409, "InvalidJobState");
      assert.equal(state, "Canceled");
    }
  });
});

describe("responses", () => {
  it("a bitLockerKey appears only in listBitLockerKeys", async () => {
    // `record` checks every other response of this file; here the one place the keys do appear.
    const answer = await call("POST", withVersion(`${jobPath(shipped.name)}/listBitLockerKeys`));
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(answer.json, {
      value: [
        {
          driveId: shipped.body.properties.driveList[0]!.driveId,
          bitLockerKey: shipped.body.properties.driveList[0]!.bitLockerKey,
        },
      ],
    });
    const get = await getJob(shipped.name);
    const drives = (get.json as { properties: { driveList: Record<string, unknown>[] } }).properties
      .driveList;
    assert.equal(drives.length, 1);
    assert.ok(!("bitLockerKey" in drives[0]!));
    const list = await call("GET", withVersion(jobsPath()));
    assert.ok(!list.text.includes("bitLockerKey"));
  });

  it("x-ms-request-id on every answer, and x-ms-client-request-id echoed", async () => {
    const clientId = randomUUID();
    const ok = await call("GET", jobUrl("edge-main"), {
      headers: { "x-ms-client-request-id": clientId },
    });
    assert.equal(ok.headers.get("x-ms-client-request-id"), clientId);
    const ids = new Set<string>();
    for (const answer of [
      ok,
      await call("GET", jobUrl("missing-job")),
      await call("GET", jobPath("edge-main")),
      await call("GET", jobUrl("edge-main"), { token: null }),
      await call("GET", "/nowhere"),
      await call("GET", "/healthz", { token: null }),
    ]) {
      ids.add(answer.headers.get("x-ms-request-id")!);
    }
    assert.equal(ids.size, 6, "each request has its own id");
  });

  it("DELETE answers 200 with an empty body; the job is then gone", async () => {
    await putJob("delete-me");
    const answer = await call("DELETE", jobUrl("delete-me"));
    assert.equal(answer.status, 200);
    assert.equal(answer.text, "");
    assertRefused(await call("GET", jobUrl("delete-me")), 404, "ResourceNotFound");
    assertRefused(await call("DELETE", jobUrl("delete-me")), 404, "ResourceNotFound");
  });

  it("an unknown path or method → 404 in the ARM envelope", async () => {
    assertRefused(await call("GET", withVersion("/subscriptions")), 404, "NotFound");
    assertRefused(await call("POST", jobUrl("edge-main")), 404, "NotFound");
    assertRefused(await call("OPTIONS", jobUrl("edge-main")), 404, "NotFound");
    assertRefused(
      await call("GET", withVersion(`${jobPath("edge-main")}/listBitLockerKeys`)),
      404,
      "NotFound",
    );
  });
});

describe("public endpoints and identity", () => {
  it("/healthz, /readyz and /openapi.json need no token", async () => {
    const health = await call("GET", "/healthz", { token: null });
    assert.equal(health.status, 200);
    assert.deepEqual(health.json, { status: "ok" });
    const ready = await call("GET", "/readyz", { token: null });
    assert.equal(ready.status, 200);
    const spec = await call("GET", "/openapi.json", { token: null });
    assert.equal(spec.status, 200);
    const doc = spec.json as { paths: Record<string, unknown>; host: string };
    assert.equal(Object.keys(doc.paths).length, 7, "the document lists the operations' paths");
    assert.ok(Object.keys(doc.paths).some((p) => p.endsWith("/listBitLockerKeys")));
    assert.equal(doc.host, new URL(server.url).host);
  });

  it("/metrics needs no token and counts requests (on a server built with metrics)", async () => {
    const app = await buildServer({
      deps: server.deps,
      authenticate: createAuthenticator(server.deps, 0),
      metrics: createMetrics(),
    });
    try {
      const job = await app.inject({
        method: "GET",
        url: jobUrl("edge-main"),
        headers: { authorization: `Bearer ${customer}` },
      });
      assert.equal(job.statusCode, 200);
      const metrics = await app.inject({ method: "GET", url: "/metrics" });
      assert.equal(metrics.statusCode, 200);
      assert.match(metrics.body, /sneakernet_http_requests_total\{[^}]*status="200"[^}]*\} 1/);
      assert.ok(metrics.body.includes("sneakernet_http_request_duration_seconds"));
    } finally {
      await app.close();
    }
  });

  it("no token → 401 with WWW-Authenticate; a bad token → 401 too", async () => {
    for (const path of [
      jobUrl("edge-main"),
      withVersion(jobsPath()),
      withVersion(`/providers/${PROVIDER}/locations`),
    ]) {
      const none = await call("GET", path, { token: null });
      assertRefused(none, 401, "AuthenticationFailed");
      assert.match(none.headers.get("www-authenticate") ?? "", /^Bearer/);
      const bad = await call("GET", path, { token: "snk_not-a-real-token" });
      assertRefused(bad, 401, "InvalidAuthenticationToken");
      assert.match(bad.headers.get("www-authenticate") ?? "", /^Bearer/);
    }
    for (const header of ["Basic dXNlcjpwYXNz", "Bearer", "Bearer  ", `bearer ${customer} extra`, customer]) {
      const answer = await call("GET", jobUrl("edge-main"), {
        token: null,
        headers: { authorization: header },
      });
      assert.equal(answer.status, 401, `${header}: ${answer.text}`);
    }
    // The bearer scheme is case-insensitive.
    const lower = await call("GET", jobUrl("edge-main"), {
      token: null,
      headers: { authorization: `bearer ${customer}` },
    });
    assert.equal(lower.status, 200);
  });

  it("a customer on another subscription → 403, the same whether or not a job exists there", async () => {
    // otherCustomer owns OTHER_SUB only; SUB holds edge-main.
    const existing = await call("GET", jobUrl("edge-main"), { token: otherCustomer });
    const missing = await call("GET", jobUrl("no-such-job-x"), { token: otherCustomer });
    assertRefused(existing, 403, "AuthorizationFailed");
    assertRefused(missing, 403, "AuthorizationFailed");
    const existingError = errorOf(existing);
    const missingError = errorOf(missing);
    assert.deepEqual(existingError, missingError);
    assert.ok(!existing.text.includes("edge-main"));
    for (const [method, path, body] of [
      ["PATCH", jobUrl("edge-main"), { tags: {} }],
      ["PUT", jobUrl("edge-main"), importBody()],
      ["DELETE", jobUrl("edge-main"), undefined],
      ["POST", withVersion(`${jobPath("edge-main")}/listBitLockerKeys`), undefined],
      ["GET", withVersion(jobsPath()), undefined],
      ["GET", withVersion(jobsPath(SUB, undefined)), undefined],
    ] as const) {
      await unchanged("edge-main", async () =>
        assertRefused(
          await call(method, path, { token: otherCustomer, ...(body !== undefined ? { body } : {}) }),
          403,
          "AuthorizationFailed",
        ),
      );
    }
  });

  it("operator and admin tokens read any subscription", async () => {
    for (const token of [operator, admin]) {
      assert.equal((await call("GET", jobUrl("edge-main"), { token })).status, 200);
      const list = await call("GET", withVersion(jobsPath(SUB, undefined)), { token });
      assert.equal(list.status, 200);
      assert.ok((list.json as { value: { name: string }[] }).value.some((j) => j.name === "edge-main"));
      const other = await call("GET", withVersion(jobsPath(OTHER_SUB, undefined)), { token });
      assert.deepEqual(other.json, { value: [] });
    }
  });

  it("a station token → 403 on jobs", async () => {
    for (const [method, path] of [
      ["GET", jobUrl("edge-main")],
      ["GET", withVersion(jobsPath())],
      ["GET", withVersion(jobsPath(SUB, undefined))],
      ["DELETE", jobUrl("edge-main")],
      ["POST", withVersion(`${jobPath("edge-main")}/listBitLockerKeys`)],
    ] as const) {
      assertRefused(await call(method, path, { token: station }), 403, "AuthorizationFailed");
    }
    assertRefused(
      await call("PUT", jobUrl("station-job"), { token: station, body: importBody() }),
      403,
      "AuthorizationFailed",
    );
  });
});

/** A small seeded generator (mulberry32), so a failing fuzz run can be replayed with its seed. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}

describe("fuzz", () => {
  it("300 random garbage requests under /subscriptions never answer 5xx", async () => {
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
    const { next, int, pick } = generator(seed);
    const anyMethod = ["GET", "PUT", "PATCH", "POST", "DELETE", "HEAD", "OPTIONS", "PROPFIND"];
    // Jobs for the garbage to land on (some requests delete or re-create them).
    for (const name of ["fuzz-job-1", "fuzz-job-2", "fuzz-job-3"]) {
      await putJob(name);
    }
    const strings = [
      "",
      "x",
      "..",
      "%",
      "%00",
      "%zz",
      "%2F",
      "%2e%2e",
      "jöb",
      "ジョブ",
      "a".repeat(70),
      "a".repeat(600),
      "constructor",
      "__proto__",
      "null",
      "-1",
      "1e999",
      "' or 1=1 --",
      "<script>",
      "\\u0000",
    ];
    const scalar = (): unknown =>
      pick<() => unknown>([
        () => pick(strings),
        () => int(2) === 0,
        () => null,
        () => (next() - 0.5) * 10 ** int(320),
        () => int(20) - 5,
        () => "x".repeat(int(5000)),
        () =>
          pick(["Shipping", "Creating", "Completed", "", "Import", "Export", "West US", "westus", "FedEx"]),
        // Key-shaped, but not recorded: echoed back where it is not a key (as a location, say), it is no leak.
        () => Array.from({ length: 8 }, () => String(int(1e6)).padStart(6, "0")).join("-"),
      ])();
    const value = (depth: number): unknown => {
      if (depth <= 0 || next() < 0.4) {
        return scalar();
      }
      if (next() < 0.3) {
        return Array.from({ length: int(4) }, () => value(depth - 1));
      }
      const keys = [
        "location",
        "tags",
        "properties",
        "state",
        "cancelRequested",
        "driveList",
        "driveId",
        "bitLockerKey",
        "returnAddress",
        "deliveryPackage",
        "export",
        "blobList",
        "__proto__",
        "constructor",
        pick(strings),
      ];
      return Object.fromEntries(Array.from({ length: int(5) }, () => [pick(keys), value(depth - 1)]));
    };
    /** A valid body with one leaf replaced by something random: reaches the checks behind the schema. */
    const mutated = (): unknown => {
      const body = JSON.parse(
        JSON.stringify(
          pick([
            importBody(),
            SHIPPING,
            { properties: { cancelRequested: true } },
            { tags: { a: "b" }, properties: { logLevel: "Verbose", backupDriveManifest: true } },
            {
              location: "westus",
              properties: {
                storageAccountId: STORAGE,
                jobType: "Export",
                export: { blobList: { blobPathPrefix: ["/"] } },
              },
            },
          ]),
        ),
      ) as Record<string, unknown>;
      let node: Record<string, unknown> = body;
      for (let depth = 0; depth < 4; depth++) {
        const keys = Object.keys(node);
        if (keys.length === 0) {
          break;
        }
        const key = pick(keys);
        const child = node[key];
        if (child && typeof child === "object" && next() < 0.7) {
          node = child as Record<string, unknown>;
          continue;
        }
        node[key] = next() < 0.2 ? value(2) : scalar();
        break;
      }
      return body;
    };
    const body = (): string | Buffer | undefined =>
      pick<() => string | Buffer | undefined>([
        () => undefined,
        () => "",
        () => JSON.stringify(mutated()),
        () => JSON.stringify(mutated()),
        () => JSON.stringify(mutated()),
        () => JSON.stringify(value(4)),
        () => `${"[".repeat(3000)}${"]".repeat(3000)}`,
        () => `{"tags":${'{"a":'.repeat(2000)}1${"}".repeat(2000)}}`,
        () => Buffer.from(Array.from({ length: int(200) }, () => int(256))),
        () => pick(strings),
        () => JSON.stringify(mutated()).slice(0, int(40)),
      ])();
    const subs = [
      SUB,
      SUB,
      SUB,
      OTHER_SUB,
      SUB.toUpperCase(),
      "not-a-guid",
      "",
      "..",
      "%2e%2e",
      "%zz",
      "ジョブ",
    ];
    const rgs = [RG, RG, RG, "other-rg", "..", "rg.", "grüppe", "(x)", "%2F", "a".repeat(91), ""];
    const names = [
      "fuzz-job-1",
      "fuzz-job-2",
      shipped.name,
      "..",
      "%2e%2e",
      "a%2Fb",
      "jöb",
      "ab",
      "a".repeat(65),
      "%",
    ];
    const providers = [PROVIDER, PROVIDER, PROVIDER.toLowerCase(), "Microsoft.Storage", "x"];
    // Escapes only what node:http cannot send (non-ASCII, spaces, controls); '%' sequences go out as they are.
    const raw = (text: string) => text.replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c));
    /** Garbage everywhere: mostly refused at the edge. */
    const garbagePath = (): string => {
      let p = `/subscriptions/${raw(pick(subs))}`;
      if (next() < 0.8) {
        p += `/resourceGroups/${raw(pick(rgs))}`;
      }
      if (next() < 0.9) {
        p += `/providers/${pick(providers)}/${pick(["jobs", "jobs", "jobs", "locations", "operations", "Jobs"])}`;
        if (next() < 0.7) {
          p += `/${raw(pick(names))}`;
          if (next() < 0.2) {
            p += pick(["/listBitLockerKeys", "/listbitlockerkeys", "/x", "/", "//", "/../.."]);
          }
        }
      }
      return p;
    };
    /** One of the real routes, on our own subscription: the garbage then reaches the use cases. */
    const routePath = (): { method: string; path: string } => {
      const sub = next() < 0.9 ? SUB : raw(pick(subs));
      const name =
        next() < 0.8 ? pick(["fuzz-job-1", "fuzz-job-2", "fuzz-job-3", shipped.name]) : raw(pick(names));
      const [methods, path] = pick<[string[], string]>([
        [["GET"], `/subscriptions/${sub}/providers/${PROVIDER}/jobs`],
        [["GET"], jobsPath(sub)],
        [["GET", "PUT", "PATCH", "DELETE"], jobPath(name, sub)],
        [["GET", "PUT", "PATCH"], jobPath(name, sub)],
        [["PUT", "PATCH"], jobPath(name, sub)],
        [["POST"], `${jobPath(name, sub)}/listBitLockerKeys`],
        [["GET"], `/providers/${PROVIDER}/locations/${pick(["westus", "West%20US", "nowhere", "%2e%2e"])}`],
      ]);
      // Mostly the route's own methods, sometimes any.
      return { method: next() < 0.8 ? pick(methods) : pick(anyMethod), path };
    };
    const target = (): { method: string; path: string } => {
      const { method, path: p } =
        next() < 0.6 ? routePath() : { method: pick(anyMethod), path: garbagePath() };
      const query: string[] = [];
      if (next() < 0.9) {
        query.push(
          `api-version=${pick([V, V, V, V, V, "2016-11-01", "2020-08-01", "2099-01-01", "", "%zz"])}`,
        );
      }
      if (next() < 0.05) {
        query.push(`api-version=${V}`);
      }
      if (next() < 0.3) {
        query.push(`$top=${pick(["1", "0", "100", "101", "abc", "-1", "1.5", "", "99999999999999999999"])}`);
      }
      if (next() < 0.3) {
        query.push(
          `$filter=${encodeURIComponent(
            pick([
              "state eq 'Shipping'",
              "state eq 'Creating' and state eq 'Shipping'",
              "constructor eq 'x'",
              "(state eq 'x'",
              "'",
              pick(strings),
            ]),
          )}`,
        );
      }
      if (next() < 0.15) {
        query.push(`$filter=${encodeURIComponent("jobType eq 'Import'")}`);
      }
      if (next() < 0.2) {
        query.push(
          `$skiptoken=${pick([
            "",
            "abc",
            Buffer.from('{"after":0}').toString("base64url"),
            Buffer.from('{"after":-5}').toString("base64url"),
            Buffer.from('{"after":{"a":1}}').toString("base64url"),
            "%zz",
          ])}`,
        );
      }
      if (next() < 0.1) {
        query.push(`${raw(pick(strings))}=${raw(pick(strings))}`);
      }
      return { method, path: query.length > 0 ? `${p}?${query.join("&")}` : p };
    };
    const tokens = () => [
      customer,
      customer,
      customer,
      customer,
      customer,
      otherCustomer,
      operator,
      admin,
      station,
    ];
    const headers = (): Record<string, string> => {
      const h: Record<string, string> = {};
      const auth = int(20);
      if (auth < 18) {
        h.authorization = `Bearer ${pick(tokens())}`;
      } else if (auth === 18) {
        h.authorization = pick([
          "Bearer",
          "Basic abc",
          "Bearer snk_fake",
          `Bearer ${"x".repeat(300)}`,
          "Bearer  a b",
        ]);
      }
      if (next() < 0.8) {
        h["content-type"] = pick([
          "application/json",
          "application/json",
          "application/json",
          "application/json",
          "application/json",
          "application/json; charset=utf-8",
          "application/json; charset=utf-16",
          "text/plain",
          "application/xml",
          "application/json, text/plain",
          "multipart/form-data; boundary=x",
          "application/x-www-form-urlencoded",
          "*/*",
        ]);
      }
      if (next() < 0.15) {
        h["if-match"] = pick(["*", '"x"', 'W/"x"', "", ",,,", '"a", "b"']);
      }
      if (next() < 0.1) {
        h["if-none-match"] = pick(["*", '"x"', ""]);
      }
      if (next() < 0.1) {
        h["x-ms-client-request-id"] = "r".repeat(int(400));
      }
      if (next() < 0.03) {
        h["content-encoding"] = pick(["gzip", "br", "identity"]);
      }
      if (next() < 0.05) {
        h["x-ms-client-tenant-id"] = raw(pick(strings));
      }
      return h;
    };

    const statuses = new Map<number, number>();
    const requests = Array.from({ length: 300 }, () => {
      const request = { ...target(), headers: headers(), body: body() };
      if (next() < 0.4) {
        // A good part of the requests get past the edge (version, token, content type) with a nearly
        // valid body, so the garbage reaches the schemas and the use cases behind them.
        const url = new URL(request.path, "http://x");
        url.searchParams.set("api-version", V);
        request.path = `${request.path.split("?")[0]}?${url.searchParams.toString()}`;
        request.headers.authorization = `Bearer ${customer}`;
        if (["PUT", "PATCH"].includes(request.method)) {
          request.headers["content-type"] = "application/json";
          request.body = JSON.stringify(mutated());
        }
      }
      return request;
    });
    // Eight at a time: concurrent requests on the same jobs are part of the garbage.
    for (let i = 0; i < requests.length; i += 8) {
      await Promise.all(
        requests.slice(i, i + 8).map(async (r) => {
          let answer: Answer;
          try {
            answer = await rawRequest(r.method, r.path, r.headers, r.body);
          } catch (error) {
            throw new Error(
              `fuzz seed ${seed}: ${r.method} ${r.path.slice(0, 200)} ${JSON.stringify(r.headers)} body ${String(r.body).slice(0, 200)}: ${(error as Error).message}`,
            );
          }
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          if (process.env.FUZZ_VERBOSE) {
            console.log(answer.status, r.method, r.path.slice(0, 120), answer.text.slice(0, 160));
          }
        }),
      );
    }
    // The garbage must reach past the edge often enough, or the loop proves little.
    const passed = [...statuses].filter(([s]) => s < 300).reduce((sum, [, n]) => sum + n, 0);
    assert.ok(passed >= 10, `seed ${seed}: only ${passed} accepted: ${JSON.stringify([...statuses])}`);
    assert.ok(
      [...statuses.keys()].filter((s) => s >= 400).length >= 4,
      `seed ${seed}: ${JSON.stringify([...statuses])}`,
    );
  });
});
