/** @module What every use case is given: the store, the clock, the secret box, and the storage-access port. */

import type { Clock } from "../../domain/clock.js";
import type { Store } from "../../store/store.js";
import type { SecretBox } from "./secret-box.js";
import type { StorageAccess } from "./storage-access.js";

export interface AppDeps {
  store: Store;
  clock: Clock;
  secrets: SecretBox;
  /** Absent (commands that never claim, some tests): claims carry no storage access. */
  storageAccess?: StorageAccess;
}

export function nowIso(deps: Pick<AppDeps, "clock">): string {
  return deps.clock.now().toISOString();
}
