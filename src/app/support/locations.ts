/** @module The data centers, read through a short cache, and a job's location resolved by its short (`westus`) or display (`West US`) name. */

import { errors } from "../../domain/errors.js";
import type { Location } from "../../domain/model.js";
import { locationKey, namesLocation } from "../../domain/names.js";
import type { Repositories } from "../../store/store.js";
import type { AppDeps } from "./deps.js";

/** Locations change only by an admin's hand: a few seconds' cache keeps their read off every job read. */
const CACHE_MS = 5000;
const cache = new WeakMap<object, { until: number; locations: Promise<Location[]> }>();

/** Every location, from the cache (the deps clock tells when it is stale). */
export function cachedLocations(deps: Pick<AppDeps, "store" | "clock">): Promise<Location[]> {
  const now = deps.clock.now().getTime();
  const hit = cache.get(deps.store);
  // A clock moved back past the entry's start counts as stale too: the cache never outlives CACHE_MS of clock.
  if (hit && hit.until > now && hit.until - CACHE_MS <= now) {
    return hit.locations;
  }
  const locations = deps.store.direct.locations.list();
  cache.set(deps.store, { until: now + CACHE_MS, locations });
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
export async function locationById(
  deps: Pick<AppDeps, "store" | "clock">,
  id: string,
): Promise<Location | undefined> {
  return (await cachedLocations(deps)).find((l) => l.id === id);
}

/** A job's location as the customer names it, inside the caller's transaction: InvalidLocation or LocationNotFound. */
export async function resolveLocation(repos: Repositories, name: string | undefined): Promise<Location> {
  if (name === undefined || name.trim() === "") {
    throw errors.locationRequired();
  }
  const location = await findLocation(repos, name);
  if (!location) {
    throw errors.locationNotServed(
      name,
      (await repos.locations.list()).map((l) => l.name),
    );
  }
  return location;
}

/** The location a person names by its id (`westus`) or its display name (`West US`), if one is served. */
export async function findLocation(repos: Repositories, name: string): Promise<Location | undefined> {
  // By id first: one indexed read for what clients send most (the SDK sends the display name, which
  // reduces to the id for the locations we seed).
  return (
    (await repos.locations.get(locationKey(name))) ??
    (await repos.locations.list()).find((location) => namesLocation(location, name))
  );
}
