/** @module Who is calling: a token's role and subscriptions, and what that lets it see. */

import { errors } from "../../domain/errors.js";
import type { Role } from "../../store/tokens.js";

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
    throw errors.noAccessToSubscription(principal.label, subscriptionId);
  }
}

/** Refuses a caller whose role is not one of `roles`, naming what it would need. */
export function throwIfNotRole(principal: Principal, roles: readonly Role[], action: string): void {
  if (!roles.includes(principal.role)) {
    throw errors.roleNotAllowed(principal.label, principal.role, action, roles);
  }
}

/** Who acts in the data center; admins may do all an operator does. */
export const OPERATORS: readonly Role[] = ["operator", "admin"];
export const STATIONS: readonly Role[] = ["station"];
export const ADMINS: readonly Role[] = ["admin"];

/** Changing a job is its customer's act (or an admin's); operators see customer jobs but do not edit them. */
export function throwIfCannotChange(principal: Principal, subscriptionId: string): void {
  throwIfNoAccess(principal, subscriptionId);
  if (principal.role === "operator") {
    throw errors.operatorCannotChangeJobs(principal.label);
  }
}

/** Drive keys go to the job's owner alone (stations get one with a claim, never through this door). */
export function throwIfNotOwner(principal: Principal, subscriptionId: string): void {
  throwIfNoAccess(principal, subscriptionId);
  if (principal.role !== "customer") {
    throw errors.keysOnlyToOwner(principal.label, principal.role);
  }
}
