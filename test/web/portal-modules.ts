/**
 * @module Unit tests' access to the portal's own modules, loaded by path (the type checker of this Node project
 * does not follow imports into the browser's code, so each test declares what it uses), and to the targets of
 * the server's refusals, which the portal's forms read.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

import { isDomainError } from "../../src/domain/errors.js";
import { ROOT } from "../support/db.js";

/** A module of web/src, e.g. `loadPortalModule<Routes>("routes.ts")`. */
export async function loadPortalModule<T>(path: string): Promise<T> {
  return (await import(pathToFileURL(join(ROOT, "web/src", path)).href)) as T;
}

/** The target of the server's refusal, or undefined when it accepts. */
export function refusalTarget(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    assert.ok(isDomainError(error), String(error));
    return error.target;
  }
}

/** web/src/error-target.ts's fieldOf: the field of a form that a refusal's target names. */
export const { fieldOf } = await loadPortalModule<{
  fieldOf(
    target: string | undefined,
    fields: ReadonlySet<string>,
    rows?: Record<string, readonly number[]>,
  ): string | undefined;
}>("error-target.ts");
