/** @module Recognizing a bearer token: hashed, looked up, cached briefly; the clear token is never stored. */

import { createHash } from "node:crypto";

import type { AppDeps } from "./deps.js";
import type { Principal } from "./principal.js";

/** A token's SHA-256, as the store keeps it. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * Looks tokens up by hash; a short cache keeps one database read off the path of every request (a revoked
 * token is refused within `cacheMs` of the deps clock).
 */
export function createAuthenticator(deps: Pick<AppDeps, "store" | "clock">, cacheMs = 30_000) {
  const clock = () => deps.clock.now().getTime();
  const cache = new Map<string, { principal: Principal | undefined; until: number }>();
  return async function authenticate(token: string): Promise<Principal | undefined> {
    if (!token.startsWith("snk_") || token.length > 200) {
      return undefined;
    }
    const hash = hashToken(token);
    const hit = cache.get(hash);
    const now = clock();
    // A clock moved back past the entry's start counts as stale: the cache never outlives cacheMs of clock.
    if (hit && hit.until > now && hit.until - cacheMs <= now) {
      return hit.principal;
    }
    const record = await deps.store.direct.tokens.findByHash(hash);
    const principal = record
      ? { tokenId: record.id, label: record.label, role: record.role, subscriptions: record.subscriptions }
      : undefined;
    if (cache.size > 10_000) {
      cache.clear();
    }
    cache.set(hash, { principal, until: now + cacheMs });
    return principal;
  };
}
