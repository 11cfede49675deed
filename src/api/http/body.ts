/** @module Reading a JSON body against a strict wire schema (src/wire/): every problem becomes an error naming its field. */

import type { z } from "zod/v4";

import { errors } from "../../domain/errors.js";

/** The schema library's names of types, where the messages always used other words. */
const NAMES: Record<string, string> = { int: "integer", record: "object" };

/** What a value is, in the words of the messages (`received array`, `received float`). */
function kind(value: unknown, expected: string): string {
  if (value === null) {
    return "null";
  }
  if (Array.isArray(value)) {
    return "array";
  }
  if (expected === "int" && typeof value === "number" && !Number.isInteger(value)) {
    return "float";
  }
  return typeof value;
}

/**
 * The message of one problem, worded as our refusals always were (`Expected string, received number`,
 * `Required`, `String must contain at most 4096 character(s)`), not in the schema library's words.
 */
function message(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type": {
      if (issue.input === undefined) {
        return "Required";
      }
      const expected = NAMES[issue.expected] ?? issue.expected;
      return `Expected ${expected}, received ${kind(issue.input, issue.expected)}`;
    }
    case "invalid_value": {
      const expected = issue.values.map((v) => `'${String(v)}'`).join(" | ");
      return `Invalid enum value. Expected ${expected}, received '${String(issue.input).slice(0, 40)}'`;
    }
    case "too_big":
    case "too_small": {
      const limit = issue.code === "too_big" ? issue.maximum : issue.minimum;
      const most = issue.code === "too_big";
      switch (issue.origin) {
        case "string":
          return `String must contain at ${most ? "most" : "least"} ${limit} character(s)`;
        case "array":
          return `Array must contain at ${most ? "most" : "least"} ${limit} element(s)`;
        default:
          return `Number must be ${most ? "less" : "greater"} than or equal to ${limit}`;
      }
    }
    default:
      return undefined;
  }
}

/** Parses `body`, refusing an absent body, unknown properties (UnknownProperty) and wrong values. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  if (body === undefined || body === null) {
    throw errors.bodyRequired();
  }
  const result = schema.safeParse(body, { error: message });
  if (!result.success) {
    const details = result.error.issues.slice(0, 10).map((issue) => {
      const target = issue.path.join(".");
      const code = issue.code === "unrecognized_keys" ? "UnknownProperty" : "InvalidRequestContent";
      const text =
        issue.code === "unrecognized_keys"
          ? `Unknown propert${issue.keys.length > 1 ? "ies" : "y"} ${issue.keys.map((k) => `'${k}'`).join(", ")}${target ? ` in '${target}'` : ""}.`
          : `${target || "body"}: ${issue.message}`;
      return { code, message: text, target: target || "body" };
    });
    throw errors.bodyRefused(details);
  }
  return result.data;
}
