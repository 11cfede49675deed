/**
 * @module The carriers a data center takes (its location's supportedCarriers), to offer wherever a carrier is
 * given: a choice where the server takes only those (the customer's package to the data center), a suggestion
 * where it takes any name (the return carrier, an operator's package).
 */

import { api, type ArmLocation } from "./api";
import { useLoad } from "./hooks";

/** A location named by its display name (`West US`), its short id (`westus`) or its resource id, as one key. */
const placeKey = (name: string) => (name.split("/").pop() ?? "").replace(/\s+/g, "").toLowerCase();

/**
 * The carriers of `location` (any of its names), none for a location not listed; with no location, every
 * location's, each once, in the order the locations list them.
 */
export function carriersAt(locations: readonly ArmLocation[], location?: string): string[] {
  if (location === undefined) {
    const all = new Map<string, string>();
    for (const carrier of locations.flatMap((l) => l.properties.supportedCarriers)) {
      all.set(carrier.toLowerCase(), all.get(carrier.toLowerCase()) ?? carrier);
    }
    return [...all.values()];
  }
  const wanted = placeKey(location);
  const found = locations.find((l) => placeKey(l.name) === wanted || placeKey(l.id) === wanted);
  return found?.properties.supportedCarriers ?? [];
}

/** The carrier of `list` that `typed` names, whatever its case, in the list's spelling. */
export function listedCarrier(list: readonly string[], typed: string): string | undefined {
  return list.find((carrier) => carrier.toLowerCase() === typed.trim().toLowerCase());
}

/**
 * The carriers of `location` (every location's when none is given): `list` once the locations are read,
 * undefined while they load (`loading`) and when they could not be read, where the caller falls back to free text.
 */
export function useCarriers(location?: string): { list: string[] | undefined; loading: boolean } {
  const locations = useLoad(() => api.locations(), []);
  return {
    list: locations.data ? carriersAt(locations.data.value, location) : undefined,
    loading: !locations.data && !locations.error,
  };
}
