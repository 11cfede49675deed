/**
 * @module The portal's addresses, each written once: the route table (routes.ts), the links between pages and
 * jobPageHref take them from here. Apart from the table, which imports the pages, so that a page can link to
 * another without importing the table that imports it.
 */

import { parseJobId } from "./api";

export const PATHS = {
  // Where the browser lands, and sign-in's own address: signed in, both lead on to the role's home.
  home: "/",
  signIn: "/signin",
  jobs: "/jobs",
  newJob: "/jobs/new",
  job: "/jobs/:subscription/:resourceGroup/:name",
  incoming: "/operator/incoming",
  receive: "/operator/receive",
  queue: "/operator/queue",
  stations: "/operator/stations",
  found: "/operator/found",
} as const;

/** The names of a pattern's `:params`: "/jobs/:subscription/:name" → "subscription" | "name". */
export type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<Rest>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;
export type Params<P extends string> = Record<ParamNames<P>, string>;

/** The params of `path` (decoded) if it has the pattern's shape, segment by segment; else undefined. */
export function matchPath<P extends string>(pattern: P, path: string): Params<P> | undefined {
  const expected = pattern.split("/");
  const actual = path.split("/");
  if (expected.length !== actual.length) {
    return undefined;
  }
  const params: Record<string, string> = {};
  for (const [i, segment] of expected.entries()) {
    const value = actual[i]!;
    if (segment.startsWith(":")) {
      if (!value) {
        return undefined; // a param is never empty: "/jobs//rg/x" is no job's page
      }
      params[segment.slice(1)] = decodeURIComponent(value);
    } else if (segment !== value) {
      return undefined;
    }
  }
  return params as Params<P>;
}

/** The pattern with its params filled in, each encoded: a name cannot change the address's shape. */
export function fillPath<P extends string>(pattern: P, params: Params<P>): string {
  const values: Record<string, string> = params;
  return pattern.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(values[name] ?? ""));
}

/** The portal page of a job, named by its parts (the ops API's job briefs) or by its ARM id. */
export function jobPageHref(
  job: { subscriptionId: string; resourceGroup: string; name: string } | { id: string },
): string {
  const parts =
    "id" in job
      ? parseJobId(job.id)
      : { subscription: job.subscriptionId, resourceGroup: job.resourceGroup, name: job.name };
  return parts ? fillPath(PATHS.job, parts) : PATHS.jobs;
}
