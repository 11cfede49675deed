/** @module Retrying a use case that lost an optimistic-concurrency race, when the caller did not pin a version. */

import { errors, isDomainError } from "../domain/errors.js";

/**
 * Runs `attempt`; when it loses a race (ConcurrentUpdate) it runs again, up to `times`. With If-Match the
 * caller pinned a version, so losing the race means that version is gone: 412, no retry.
 */
export async function retryOnConflict<T>(
  attempt: () => Promise<T>,
  ifMatch: string | undefined,
  times = 5,
): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isDomainError(error) || error.code !== "ConcurrentUpdate") {
        throw error;
      }
      if (ifMatch !== undefined) {
        throw errors.preconditionFailed();
      }
      if (i >= times) {
        throw error;
      }
      // A short, growing, jittered pause lets the winner commit before we read again.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * i));
    }
  }
}
