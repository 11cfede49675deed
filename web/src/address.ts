/**
 * @module A postal address as its lines, city, state and postal code in the order its country writes them: the
 * United States and Canada "City, ST 94000", Australia "CITY ST 2000", the United Kingdom the town then the
 * postcode on a line of its own, elsewhere (and for a country not recognised) "75001 Paris". Pure, so a table
 * of countries tests it.
 */

import type { Address } from "./api";

type Order = "cityStatePostal" | "cityStatePostalNoComma" | "postcodeLine" | "postalCity";

/** Countries as people type them (a code or a name, English or French), keyed without case, accents or spaces. */
const ORDERS: Record<string, Order> = {
  US: "cityStatePostal",
  USA: "cityStatePostal",
  UNITEDSTATES: "cityStatePostal",
  UNITEDSTATESOFAMERICA: "cityStatePostal",
  ETATSUNIS: "cityStatePostal",
  ETATSUNISDAMERIQUE: "cityStatePostal",
  CA: "cityStatePostal",
  CAN: "cityStatePostal",
  CANADA: "cityStatePostal",
  AU: "cityStatePostalNoComma",
  AUS: "cityStatePostalNoComma",
  AUSTRALIA: "cityStatePostalNoComma",
  AUSTRALIE: "cityStatePostalNoComma",
  GB: "postcodeLine",
  GBR: "postcodeLine",
  UK: "postcodeLine",
  UNITEDKINGDOM: "postcodeLine",
  GREATBRITAIN: "postcodeLine",
  ENGLAND: "postcodeLine",
  SCOTLAND: "postcodeLine",
  WALES: "postcodeLine",
  NORTHERNIRELAND: "postcodeLine",
  ROYAUMEUNI: "postcodeLine",
};

function orderOf(country: string | undefined): Order {
  const key = (country ?? "")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toUpperCase()
    .replace(/[^A-Z]/g, "");
  return ORDERS[key] ?? "postalCity";
}

const joined = (separator: string, ...parts: (string | undefined)[]) =>
  parts.filter((part) => part?.trim()).join(separator);

/** The lines of the city, state or province and postal code, as `country` writes them. */
export function localityLines(address: Address): string[] {
  const { city, stateOrProvince: state, postalCode: postal } = address;
  switch (orderOf(address.countryOrRegion)) {
    case "cityStatePostal":
      // The comma parts the city from the state; with no state, none is needed.
      return [joined(state?.trim() ? ", " : " ", city, joined(" ", state, postal))];
    case "cityStatePostalNoComma":
      return [joined(" ", city, state, postal)];
    case "postcodeLine":
      return [city ?? "", state ?? "", postal ?? ""];
    case "postalCity":
      return [joined(" ", postal, city), state ?? ""];
  }
}

/** Every line of the address as a label carries it, the empty ones left out; its phone last but for a note. */
export function addressLines(address: Address): string[] {
  return [
    address.recipientName,
    address.streetAddress1,
    address.streetAddress2,
    ...localityLines(address),
    address.countryOrRegion,
    address.phone,
    address.additionalInformation,
  ].filter((line): line is string => Boolean(line?.trim()));
}
