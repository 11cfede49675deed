/** @module Readiness: the database answers. */

import type { AppDeps } from "./deps.js";

export async function isReady(deps: Pick<AppDeps, "store">): Promise<boolean> {
  try {
    await deps.store.read.locations.get("westus");
    return true;
  } catch {
    return false;
  }
}
