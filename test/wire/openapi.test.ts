/**
 * @module /ops/v1/openapi.json is the API: every route the server registers under /ops/v1/ is in it and
 * nothing else, each operation has its schemas (request body where it takes one, 200 answer, error
 * envelope), every reference resolves, it is served without a token, and a body its schema refuses is
 * answered 400 with the code and target the envelope promises.
 */

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import { buildServer } from "../../src/api/http/server.js";
import { OPS_COMPONENTS, OPS_OPENAPI, OPS_OPERATIONS } from "../../src/api/ops/openapi.js";
import { errorBody } from "../../src/wire/errors.js";
import { OPS_PREFIX } from "../../src/wire/ids.js";
import { freshSqlite } from "../support/db.js";
import { callJson } from "../support/fixtures.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { problems } from "./json-schema.js";
import { assertShape, type DocumentedOperation } from "./wire-helpers.js";

let server: TestServer;
let cleanup: () => void;

before(async () => {
  const db = freshSqlite("wire-openapi");
  cleanup = db.cleanup;
  server = await startTestServer(db.url);
});

after(async () => {
  await server?.close();
  cleanup?.();
});

/**
 * The routes a Fastify app prints (`printRoutes({ commonPrefix: false })`), as `METHOD /path`: each line
 * of the tree is a path segment under the line above it at the next shallower depth.
 */
function printedRoutes(tree: string): string[] {
  const routes: string[] = [];
  const parents: string[] = [];
  for (const line of tree.split("\n")) {
    const match = /^((?:[│ ] {3})*)[├└]── (\S+)(?: \(([^)]*)\))?$/.exec(line);
    if (!match) {
      continue;
    }
    const depth = match[1]!.length / 4;
    const path = (parents[depth - 1] ?? "") + match[2]!;
    parents[depth] = path;
    parents.length = depth + 1;
    for (const method of match[3]?.split(", ") ?? []) {
      routes.push(`${method} ${path}`);
    }
  }
  return routes;
}

const paths = OPS_OPENAPI.paths as Record<string, Record<string, DocumentedOperation>>;

describe("/ops/v1/openapi.json", () => {
  it("lists every route under /ops/v1/, and only those", async () => {
    // The server's own routes, read off the running instance: what a client can call, not what a table says.
    const app = await buildServer({ deps: server.deps, authenticate: async () => undefined });
    await app.ready();
    const registered = printedRoutes(app.printRoutes({ commonPrefix: false }))
      .filter((route) => route.split(" ")[1]!.startsWith(`${OPS_PREFIX}/`) && !route.startsWith("HEAD "))
      .map((route) => route.replace(/:(\w+)/g, "{$1}"))
      .sort();
    await app.close();
    assert.ok(registered.length > 10, `the route tree was read: ${registered.join(", ")}`);
    const documented = Object.entries(paths)
      .flatMap(([path, methods]) =>
        Object.keys(methods).map((m) => `${m.toUpperCase()} ${OPS_PREFIX}${path}`),
      )
      .sort();
    assert.deepEqual(documented, registered);
    assert.equal(documented.length, OPS_OPERATIONS.length, "one document operation per table row");
  });

  it("each operation has its request body (where it takes one), its answer and the error envelope", () => {
    for (const op of OPS_OPERATIONS) {
      const documented = paths[op.path]![op.method]!;
      const where = `${op.method} ${op.path}`;
      if (op.body) {
        const schema = documented.requestBody?.content["application/json"]?.schema;
        assert.deepEqual(schema, { $ref: `#/components/schemas/${op.body}` }, where);
      } else {
        assert.equal(documented.requestBody, undefined, `${where} takes no body`);
      }
      const answer = Object.values(documented.responses["200"].content)[0]?.schema;
      assert.deepEqual(answer, { $ref: `#/components/schemas/${op.answer}` }, where);
      assert.deepEqual(documented.responses.default?.content["application/json"]?.schema, {
        $ref: "#/components/schemas/ErrorBody",
      });
    }
    // Every component is a wire schema of src/wire/, turned into JSON Schema, and none is left unused.
    const schemas = (OPS_OPENAPI.components.schemas ?? {}) as Record<string, unknown>;
    assert.deepEqual(Object.keys(schemas).sort(), Object.keys(OPS_COMPONENTS).sort());
    const text = JSON.stringify(OPS_OPENAPI);
    for (const name of Object.keys(OPS_COMPONENTS)) {
      assert.ok(text.includes(`"#/components/schemas/${name}"`), `${name} is referenced`);
    }
    for (const ref of text.matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)) {
      assert.ok(ref[1]! in schemas, `${ref[1]} resolves`);
    }
  });

  it("is served without a token, as built", async () => {
    const answer = await fetch(new URL(`${OPS_PREFIX}/openapi.json`, server.url));
    assert.equal(answer.status, 200);
    assert.deepEqual(await answer.json(), JSON.parse(JSON.stringify(OPS_OPENAPI)));
  });

  it("the JSON Schema checker refuses what the document refuses (so a pass means something)", () => {
    const root = OPS_OPENAPI as unknown as Record<string, unknown>;
    const whoami = { tokenId: "t1", label: "ada", role: "customer", subscriptions: [] };
    const check = (value: unknown) => problems({ $ref: "#/components/schemas/WhoAmI" }, value, root);
    assert.deepEqual(check(whoami), []);
    assert.notDeepEqual(check({ ...whoami, extra: 1 }), []);
    assert.notDeepEqual(check({ ...whoami, role: "king" }), []);
    assert.notDeepEqual(check({ ...whoami, label: undefined }), []);
    assert.notDeepEqual(check({ ...whoami, subscriptions: [1] }), []);
  });

  it("a body its schema refuses is answered 400, with the code and the field it names", async () => {
    const [operator, station] = await Promise.all([server.token("operator"), server.token("station")]);
    const cases: [string, string, string, unknown, string, string][] = [
      [
        operator,
        "POST",
        "/packages/receive",
        { carrier: "FedEx", tracking: "T", drives: [], dock: 2 },
        "UnknownProperty",
        "body",
      ],
      [
        operator,
        "POST",
        "/packages/receive",
        { carrier: "FedEx", tracking: "T", drives: "D1" },
        "InvalidRequestContent",
        "drives",
      ],
      [operator, "POST", "/ship", { job: "x", carrier: "UPS" }, "InvalidRequestContent", "tracking"],
      [
        station,
        "POST",
        "/drives/D1/progress",
        { bytesSucceeded: "9", bytesTotal: 10 },
        "InvalidRequestContent",
        "bytesSucceeded",
      ],
      [
        station,
        "POST",
        "/drives/D1/finish",
        { state: "Done", errorCount: 0, warningCount: 0, infoCount: 0 },
        "InvalidRequestContent",
        "state",
      ],
      [station, "POST", "/stations/register", { name: "bay-1", location: "west" }, "UnknownProperty", "body"],
    ];
    for (const [token, method, path, body, code, target] of cases) {
      const answer = await callJson(server.url, method, `${OPS_PREFIX}${path}`, token, body);
      const where = `${method} ${path} ${JSON.stringify(body)}`;
      assert.equal(answer.status, 400, `${where}: ${answer.text}`);
      const { error } = assertShape(errorBody, answer.json, where);
      assert.deepEqual([error.code, error.target], [code, target], where);
    }
    // The messages keep their words: the property named, or the field and what was wrong with it.
    const unknown = await callJson(server.url, "POST", `${OPS_PREFIX}/packages/receive`, operator, {
      carrier: "FedEx",
      tracking: "T",
      drives: [],
      dock: 2,
    });
    assert.equal((unknown.json as { error: { message: string } }).error.message, "Unknown property 'dock'.");
    const wrong = await callJson(server.url, "POST", `${OPS_PREFIX}/drives/D1/progress`, station, {
      bytesSucceeded: "9",
      bytesTotal: 10,
    });
    assert.equal(
      (wrong.json as { error: { message: string } }).error.message,
      "bytesSucceeded: Expected number, received string",
    );
  });
});
