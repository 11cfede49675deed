/** @module Creating a token (`sneakernet token create`, where the service's data is): `snk_` + 32 random bytes, shown once, stored only as its SHA-256 hash. */

import { randomBytes } from "node:crypto";

import { errors } from "../domain/errors.js";
import { validateSubscriptionId } from "../domain/names.js";
import { hashToken } from "./support/authenticate.js";
import { type AppDeps, nowIso } from "./support/deps.js";
import { type Role, ROLES } from "./support/principal.js";

export interface CreateTokenInput {
  role: string;
  subscriptions?: readonly string[];
  label?: string;
}

/**
 * The role, subscriptions and label a token asks for, checked and normalised; refused with the rule it
 * breaks. Needs nothing opened, so a command checks its flags before it touches the data dir.
 */
export function checkTokenRequest(input: CreateTokenInput): { role: Role; subscriptions: string[] } {
  if (!(ROLES as readonly string[]).includes(input.role)) {
    throw errors.roleUnknown(input.role, ROLES);
  }
  const role = input.role as Role;
  const subscriptions = [...new Set((input.subscriptions ?? []).map((s) => s.toLowerCase()))];
  subscriptions.forEach(validateSubscriptionId);
  if (role === "customer" && subscriptions.length === 0) {
    throw errors.customerTokenNeedsSubscription();
  }
  if (role !== "customer" && subscriptions.length > 0) {
    throw errors.onlyCustomerTokensScoped(role);
  }
  const label = input.label?.trim();
  if (label && !LABEL.test(label)) {
    throw errors.tokenLabelInvalid();
  }
  return { role, subscriptions };
}

const LABEL = /^[\w.@-]{1,64}$/;

/** Creates a token and returns it in the clear: the only time it is ever shown. */
export async function createToken(
  deps: Pick<AppDeps, "store" | "clock">,
  input: CreateTokenInput,
): Promise<{ token: string; id: string; role: Role; subscriptions: string[] }> {
  const { role, subscriptions } = checkTokenRequest(input);
  const token = `snk_${randomBytes(32).toString("base64url")}`;
  const hash = hashToken(token);
  const id = hash.slice(0, 12);
  const label = input.label?.trim() || `${role}-${id.slice(0, 6)}`;
  await deps.store.direct.tokens.insert({ id, hash, role, subscriptions, label, createdAt: nowIso(deps) });
  return { token, id, role, subscriptions };
}
