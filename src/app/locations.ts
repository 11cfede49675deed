/** @module Reading the data centers that accept packages, by short (`westus`) or display (`West US`) name. */

import { errors } from "../domain/errors.js";
import type { Location } from "../domain/model.js";
import { locationKey } from "../domain/names.js";
import type { AppDeps } from "./deps.js";

/** Locations change only by an admin's hand: a few seconds' cache keeps their read off every job read. */
const CACHE_MS = 5000;
const cache = new WeakMap<object, { until: number; locations: Promise<Location[]> }>();

export function listLocations(deps: Pick<AppDeps, "store">): Promise<Location[]> {
  const hit = cache.get(deps.store);
  if (hit && hit.until > performance.now()) {
    return hit.locations;
  }
  const locations = deps.store.read.locations.list();
  cache.set(deps.store, { until: performance.now() + CACHE_MS, locations });
  // A failed read is not remembered.
  locations.catch(() => cache.delete(deps.store));
  return locations;
}

/** Forgets the cached list: the admin changed a location. (Other replicas see it within CACHE_MS.) */
export function forgetLocations(deps: Pick<AppDeps, "store">): void {
  cache.delete(deps.store);
}

/**
 * The location with this id, from the cached list. Never inside a transaction: a cold cache reads through
 * the store's own connection, which on SQLite the transaction holds (use `repos.locations.get` there).
 */
export async function locationById(deps: Pick<AppDeps, "store">, id: string): Promise<Location | undefined> {
  return (await listLocations(deps)).find((l) => l.id === id);
}

export async function getLocation(deps: Pick<AppDeps, "store">, name: string): Promise<Location> {
  const location = await deps.store.read.locations.get(locationKey(name));
  if (!location) {
    throw errors.notFound("location", name);
  }
  return location;
}
