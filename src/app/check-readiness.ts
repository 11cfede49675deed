/** @module Readiness: the database answers. */

import type { AppDeps } from "./support/deps.js";

export async function checkReadiness(deps: Pick<AppDeps, "store">): Promise<boolean> {
  try {
    await deps.store.direct.locations.get("westus");
    return true;
  } catch {
    return false;
  }
}
