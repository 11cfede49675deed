/** @module A benchmark's settings from the environment, refused in one clear line when malformed. */

/** `name`'s whole number ≥ 1, or `fallback` when it is unset or blank. */
export function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new Error(`${name} must be a whole number ≥ 1, not '${raw}'.`);
  }
  return value;
}
