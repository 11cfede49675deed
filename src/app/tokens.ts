/** @module Creating tokens and recognizing them: `snk_` + 32 random bytes, stored as a SHA-256 hash. */

import { createHash, randomBytes } from "node:crypto";

import { DomainError } from "../domain/errors.js";
import { validateSubscriptionId } from "../domain/names.js";
import type { AppDeps } from "./deps.js";
import { nowIso } from "./deps.js";
import type { Principal, Role } from "./principal.js";
import { ROLES } from "./principal.js";

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export interface CreateTokenInput {
  role: string;
  subscriptions?: readonly string[];
  label?: string;
}

/** Creates a token and returns it in the clear: the only time it is ever shown. */
export async function createToken(
  deps: Pick<AppDeps, "store" | "clock">,
  input: CreateTokenInput,
): Promise<{ token: string; id: string; role: Role; subscriptions: string[] }> {
  if (!(ROLES as readonly string[]).includes(input.role)) {
    throw new DomainError("InvalidRole", `Unknown role '${input.role}'. Roles: ${ROLES.join(", ")}.`);
  }
  const role = input.role as Role;
  const subscriptions = [...new Set((input.subscriptions ?? []).map((s) => s.toLowerCase()))];
  subscriptions.forEach(validateSubscriptionId);
  if (role === "customer" && subscriptions.length === 0) {
    throw new DomainError("InvalidSubscriptionId", "A customer token needs at least one --subscription.");
  }
  if (role !== "customer" && subscriptions.length > 0) {
    throw new DomainError(
      "InvalidSubscriptionId",
      `Only customer tokens are scoped to subscriptions, not ${role}.`,
    );
  }
  const token = `snk_${randomBytes(32).toString("base64url")}`;
  const hash = hashToken(token);
  const id = hash.slice(0, 12);
  const label = input.label?.trim() || `${role}-${id.slice(0, 6)}`;
  if (!/^[\w.@-]{1,64}$/.test(label)) {
    throw new DomainError(
      "InvalidRequestContent",
      "A token label is 1–64 letters, digits, '.', '@', '_' or '-'.",
    );
  }
  await deps.store.read.tokens.insert({ id, hash, role, subscriptions, label, createdAt: nowIso(deps) });
  return { token, id, role, subscriptions };
}

/** Looks tokens up by hash; a short cache keeps one database read off the path of every request. */
export function createAuthenticator(
  deps: Pick<AppDeps, "store">,
  cacheMs = 30_000,
  clock = () => performance.now(),
) {
  const cache = new Map<string, { principal: Principal | undefined; until: number }>();
  return async function authenticate(token: string): Promise<Principal | undefined> {
    if (!token.startsWith("snk_") || token.length > 200) {
      return undefined;
    }
    const hash = hashToken(token);
    const hit = cache.get(hash);
    if (hit && hit.until > clock()) {
      return hit.principal;
    }
    const record = await deps.store.read.tokens.findByHash(hash);
    const principal = record
      ? { tokenId: record.id, label: record.label, role: record.role, subscriptions: record.subscriptions }
      : undefined;
    if (cache.size > 10_000) {
      cache.clear();
    }
    cache.set(hash, { principal, until: clock() + cacheMs });
    return principal;
  };
}
