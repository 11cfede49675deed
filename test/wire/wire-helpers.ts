/**
 * @module Holding real answers to the wire's shapes (src/wire/): to a zod schema, strictly, and for
 * /ops/v1/ also to the operation's answer as /ops/v1/openapi.json documents it.
 */

import assert from "node:assert/strict";

import { z } from "zod/v4";

import { OPS_COMPONENTS, OPS_OPENAPI, OPS_OPERATIONS, type OpsOperation } from "../../src/api/ops/openapi.js";
import { OPS_PREFIX } from "../../src/wire/ids.js";
import { problems } from "./json-schema.js";

/** Asserts `value` is exactly what `schema` describes: no field missing, none unknown, each of its type. */
export function assertShape<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    assert.fail(
      `${where} is not the wire's shape:\n${z.prettifyError(result.error)}\n${JSON.stringify(value).slice(0, 3000)}`,
    );
  }
  return result.data;
}

/** An operation's path as a pattern: `{serial}` matches one path segment. */
function pattern(op: OpsOperation): RegExp {
  return new RegExp(`^${OPS_PREFIX}${op.path.replace(/\{\w+\}/g, "[^/]+").replace(/\./g, "\\.")}$`);
}

/** The /ops/v1/ operation a request goes to (a literal path before one with parameters, as the router does). */
export function operationOf(method: string, url: string): OpsOperation {
  const path = url.split("?")[0]!;
  const candidates = OPS_OPERATIONS.filter(
    (op) => op.method === method.toLowerCase() && pattern(op).test(path),
  ).sort((a, b) => a.path.split("{").length - b.path.split("{").length);
  assert.ok(candidates[0], `no operation of /ops/v1/openapi.json is ${method} ${path}`);
  return candidates[0];
}

/** Asserts an /ops/v1/ answer is its operation's 200 answer: by the zod schema, and by the document's JSON Schema. */
export function assertOpsAnswer(method: string, url: string, value: unknown): OpsOperation {
  const op = operationOf(method, url);
  const where = `${method} ${url.split("?")[0]} (${op.answer})`;
  assertShape<unknown>(OPS_COMPONENTS[op.answer], value, where);
  const documented = (OPS_OPENAPI.paths[op.path] as Record<string, DocumentedOperation>)[op.method]!;
  const content = documented.responses["200"].content;
  const schema = Object.values(content)[0]!.schema;
  const found = problems(schema, value, OPS_OPENAPI as unknown as Record<string, unknown>);
  assert.deepEqual(found, [], `${where} does not conform to /ops/v1/openapi.json`);
  return op;
}

export interface DocumentedOperation {
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { content: Record<string, { schema: Record<string, unknown> }> }> & {
    "200": { content: Record<string, { schema: Record<string, unknown> }> };
  };
}
