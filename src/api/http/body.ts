/** @module Reading a JSON body against a strict schema: every problem becomes an error naming its field. */

import type { z } from "zod";

import { DomainError } from "../../domain/errors.js";

/** Parses `body`, refusing an absent body, unknown properties (UnknownProperty) and wrong values. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  if (body === undefined || body === null) {
    throw new DomainError("InvalidRequestContent", "The request needs a JSON body.");
  }
  const result = schema.safeParse(body);
  if (!result.success) {
    const details = result.error.issues.slice(0, 10).map((issue) => {
      const target = issue.path.join(".");
      const code = issue.code === "unrecognized_keys" ? "UnknownProperty" : "InvalidRequestContent";
      const message =
        issue.code === "unrecognized_keys"
          ? `Unknown propert${issue.keys.length > 1 ? "ies" : "y"} ${issue.keys.map((k) => `'${k}'`).join(", ")}${target ? ` in '${target}'` : ""}.`
          : `${target || "body"}: ${issue.message}`;
      return { code, message, target: target || "body" };
    });
    const first = details[0]!;
    throw new DomainError(
      first.code as "UnknownProperty" | "InvalidRequestContent",
      first.message,
      first.target,
      details,
    );
  }
  return result.data;
}
