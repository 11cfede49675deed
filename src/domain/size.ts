/**
 * @module Sizes as people write them (`8TB`, `1.5TB`, `512MiB`, or plain bytes): a drive's capacity as the
 * operator records it, and the drive size a station or `drive preview-export` is told.
 */

import { errors } from "./errors.js";

/** Decimal units count in powers of 1000, as drive makers label drives; binary ones in powers of 1024. */
const UNITS: Readonly<Record<string, number>> = Object.freeze({
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  PB: 1e15,
  KIB: 2 ** 10,
  MIB: 2 ** 20,
  GIB: 2 ** 30,
  TIB: 2 ** 40,
  PIB: 2 ** 50,
});

/** No drive holds more: a larger figure is a typo (a unit too many), not a drive. */
export const MAX_BYTE_SIZE = 1e15;

/**
 * The bytes `text` names: a plain integer of bytes, or a number (decimals allowed) and a unit, any case,
 * a space allowed between them. Refused (InvalidDriveCapacity) when it is anything else, rounds to no
 * whole byte, is zero, or is over 1 PB.
 */
export function parseByteSize(text: string): number {
  const refuse = (): never => {
    throw errors.driveCapacityInvalid(text);
  };
  if (typeof text !== "string") {
    return refuse();
  }
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!match) {
    return refuse();
  }
  const [, number, unit] = match as unknown as [string, string, string];
  const factor = unit === "" ? undefined : UNITS[unit.toUpperCase()];
  if (unit !== "" && factor === undefined) {
    return refuse();
  }
  if (factor === undefined && number.includes(".")) {
    return refuse(); // plain bytes are whole
  }
  const bytes = Math.round(Number(number) * (factor ?? 1));
  if (!Number.isSafeInteger(bytes) || bytes <= 0 || bytes > MAX_BYTE_SIZE) {
    return refuse();
  }
  return bytes;
}

/** Decimal units from the largest down: how a size is shown (drives are labelled in them). */
const SHOWN_UNITS: readonly [string, number][] = [
  ["PB", 1e15],
  ["TB", 1e12],
  ["GB", 1e9],
  ["MB", 1e6],
  ["KB", 1e3],
];

/** A size for a person, in the largest decimal unit it fills, to at most 2 decimals: `8 TB`, `1.5 TB`, `512 B`. */
export function formatByteSize(bytes: number): string {
  const [unit, factor] = SHOWN_UNITS.find(([, f]) => bytes >= f) ?? ["B", 1];
  return `${Number((bytes / factor).toFixed(2))} ${unit}`;
}
