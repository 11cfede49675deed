/** @module What every use case is given: the store, the clock and the secret box. */

import type { Clock } from "../../domain/clock.js";
import type { Store } from "../../store/store.js";
import type { SecretBox } from "./secret-box.js";

export interface AppDeps {
  store: Store;
  clock: Clock;
  secrets: SecretBox;
}

export function nowIso(deps: Pick<AppDeps, "clock">): string {
  return deps.clock.now().toISOString();
}
