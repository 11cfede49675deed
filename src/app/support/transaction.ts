/** @module One use case, one transaction: retried when it loses an optimistic-concurrency race the caller did not pin. */

import { errors, isDomainError } from "../../domain/errors.js";
import type { Repositories } from "../../store/store.js";
import type { AppDeps } from "./deps.js";

export interface TransactionOptions {
  /**
   * The caller pinned a version (If-Match, If-None-Match): losing the race means that version is gone,
   * so the answer is 412, not a retry.
   */
  pinned?: boolean;
  /** How many attempts in all. */
  times?: number;
}

/**
 * Runs `work` in one transaction (everything it writes commits together, or nothing does). When it loses
 * a race (ConcurrentUpdate) it runs again, reading afresh, up to `times`; a pinned caller gets
 * PreconditionFailed instead. Any other refusal ends it at once.
 */
export async function inTransaction<T>(
  deps: Pick<AppDeps, "store">,
  work: (repos: Repositories) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const times = options.times ?? 5;
  for (let i = 1; ; i++) {
    try {
      return await deps.store.transaction(work);
    } catch (error) {
      if (!isDomainError(error) || error.code !== "ConcurrentUpdate") {
        throw error;
      }
      if (options.pinned) {
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
