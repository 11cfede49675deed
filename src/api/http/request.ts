/** @module What every route reads off a request the same way: the caller, conditional headers, query parameters. */

import type { FastifyRequest } from "fastify";

import type { Principal } from "../../app/support/principal.js";
import { errors } from "../../domain/errors.js";

declare module "fastify" {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** The authenticated caller (set by the server's authentication hook); AuthenticationFailed without one. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) {
    throw errors.notAuthenticated();
  }
  return request.principal;
}

/** A header's value; one sent several times is joined with commas, as HTTP lists are. */
export function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

/**
 * The etags of an If-Match or If-None-Match header (`"etag"`, `W/"etag"`, `*`, comma-separated), without
 * their quotes; undefined when the header is absent.
 */
export function etagsOf(request: FastifyRequest, name: "if-match" | "if-none-match"): string[] | undefined {
  const value = header(request, name);
  if (value === undefined) {
    return undefined;
  }
  return value
    .split(",")
    .map((v) =>
      v
        .trim()
        .replace(/^W\//, "")
        .replace(/^"(.*)"$/, "$1"),
    )
    .filter((v) => v.length > 0);
}

/** A query parameter, if given; one sent twice reaches us as an array and is refused, so every reader gets one string. */
export function queryParam(request: FastifyRequest, name: string): string | undefined {
  const value = (request.query as Record<string, unknown>)[name];
  if (Array.isArray(value)) {
    throw errors.queryParameterTwice(name, value.length);
  }
  return value as string | undefined;
}

/** A query parameter that must be there, once, not empty. */
export function requiredQueryParam(request: FastifyRequest, name: string): string {
  const value = (request.query as Record<string, unknown>)[name];
  if (typeof value !== "string" || value === "") {
    throw errors.queryParameterRequired(name);
  }
  return value;
}
