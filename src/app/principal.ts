/** @module Who is calling: a token's role and subscriptions, and what that lets it see. */

import { DomainError } from "../domain/errors.js";
import type { Role } from "../store/tokens.js";

export type { Role };
export const ROLES: readonly Role[] = ["customer", "operator", "station", "admin"];

export interface Principal {
  tokenId: string;
  label: string;
  role: Role;
  subscriptions: readonly string[];
}

/** The name written into history and systemData: role and label, never the token. */
export function actorName(principal: Principal): string {
  return `${principal.role}:${principal.label}`;
}

/**
 * Customers act on their own subscriptions only; operators and admins on any. The refusal is the same
 * whether or not anything exists there, so a customer learns nothing about other subscriptions.
 */
export function throwIfNoAccess(principal: Principal, subscriptionId: string): void {
  const allowed =
    principal.role === "admin" ||
    principal.role === "operator" ||
    (principal.role === "customer" && principal.subscriptions.includes(subscriptionId.toLowerCase()));
  if (!allowed) {
    throw new DomainError(
      "AuthorizationFailed",
      `The client '${principal.label}' does not have authorization to perform this action on subscription '${subscriptionId}'.`,
    );
  }
}

/** Refuses a caller whose role is not one of `roles`, naming what it would need. */
export function throwIfNotRole(principal: Principal, roles: readonly Role[], action: string): void {
  if (!roles.includes(principal.role)) {
    throw new DomainError(
      "AuthorizationFailed",
      `The client '${principal.label}' (role ${principal.role}) may not ${action}; that needs the role ${roles.join(" or ")}.`,
    );
  }
}

export const OPERATORS: readonly Role[] = ["operator", "admin"];
