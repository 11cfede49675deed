/**
 * @module What an ARM PATCH of a job asks for: to record tracking (`state: Shipping`), to cancel
 * (`cancelRequested: true`), or only to edit — three use cases behind one verb.
 */

import { errors } from "../../domain/errors.js";
import type { JobChanges } from "../../domain/job-edits.js";

export type PatchIntent = "recordTracking" | "cancel" | "edit";

/** Reads the intent off a PATCH body's `state` and `cancelRequested`; anything else they could say is refused. */
export function patchIntent(patch: { state?: string; cancelRequested?: boolean }): PatchIntent {
  const state = patch.state?.trim() ?? "";
  if (state !== "" && state.toLowerCase() !== "shipping") {
    throw errors.stateValueInvalid(patch.state ?? "");
  }
  if (patch.cancelRequested === false) {
    throw errors.cancelRequestFalse();
  }
  if (state !== "" && patch.cancelRequested === true) {
    throw errors.shipAndCancel();
  }
  return state !== "" ? "recordTracking" : patch.cancelRequested === true ? "cancel" : "edit";
}

/** The edits a PATCH carries besides its intent. */
export function patchChanges(patch: JobChanges & { state?: string; cancelRequested?: boolean }): JobChanges {
  const { state: _state, cancelRequested: _cancel, ...changes } = patch;
  return changes;
}
