/**
 * @module The portal's address lines (web/src/address.ts): city, state and postal code in the order of the
 * address's country, the country recognised however it is typed, a country it does not know written the most
 * common way.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { loadPortalModule } from "./portal-modules.js";

type Address = Partial<
  Record<
    | "recipientName"
    | "streetAddress1"
    | "streetAddress2"
    | "city"
    | "stateOrProvince"
    | "postalCode"
    | "countryOrRegion"
    | "phone"
    | "additionalInformation",
    string
  >
>;
const { addressLines, localityLines } = await loadPortalModule<{
  addressLines(address: Address): string[];
  localityLines(address: Address): string[];
}>("address.ts");

/** A locality's lines, the empty ones left out as addressLines leaves them out. */
const locality = (address: Address) => localityLines(address).filter(Boolean);

describe("address lines, by country", () => {
  it("writes city, state and postal code in the order of each country", () => {
    const table: [Address, string[]][] = [
      // The embedded data center, which printed "94000 Localhost".
      [
        { city: "Localhost", stateOrProvince: "CA", postalCode: "94000", countryOrRegion: "USA" },
        ["Localhost, CA 94000"],
      ],
      [
        { city: "Quincy", stateOrProvince: "WA", postalCode: "98848", countryOrRegion: "US" },
        ["Quincy, WA 98848"],
      ],
      [
        { city: "Quincy", stateOrProvince: "WA", postalCode: "98848", countryOrRegion: "United States" },
        ["Quincy, WA 98848"],
      ],
      [
        { city: "Quincy", stateOrProvince: "WA", postalCode: "98848", countryOrRegion: "États-Unis" },
        ["Quincy, WA 98848"],
      ],
      [{ city: "Redmond", postalCode: "98007", countryOrRegion: "USA" }, ["Redmond 98007"]], // no state: no comma
      [
        { city: "Ottawa", stateOrProvince: "ON", postalCode: "K1A 0B1", countryOrRegion: "Canada" },
        ["Ottawa, ON K1A 0B1"],
      ],
      [
        { city: "SYDNEY", stateOrProvince: "NSW", postalCode: "2000", countryOrRegion: "Australia" },
        ["SYDNEY NSW 2000"],
      ],
      [{ city: "Paris", postalCode: "75001", countryOrRegion: "France" }, ["75001 Paris"]],
      [{ city: "Paris", postalCode: "75001", countryOrRegion: "FR" }, ["75001 Paris"]],
      [{ city: "Berlin", postalCode: "10115", countryOrRegion: "Germany" }, ["10115 Berlin"]],
      [{ city: "Zürich", postalCode: "8001", countryOrRegion: "CH" }, ["8001 Zürich"]],
      [
        { city: "Madrid", stateOrProvince: "Madrid", postalCode: "28001", countryOrRegion: "Spain" },
        ["28001 Madrid", "Madrid"],
      ],
      [{ city: "London", postalCode: "SW1A 1AA", countryOrRegion: "United Kingdom" }, ["London", "SW1A 1AA"]],
      [{ city: "London", postalCode: "SW1A 1AA", countryOrRegion: "uk" }, ["London", "SW1A 1AA"]],
      [{ city: "Cardiff", postalCode: "CF10 1AA", countryOrRegion: "Royaume-Uni" }, ["Cardiff", "CF10 1AA"]],
      [{ city: "Neverland", postalCode: "12345", countryOrRegion: "Narnia" }, ["12345 Neverland"]], // not known: postal code first
    ];
    for (const [address, expected] of table) {
      assert.deepEqual(locality(address), expected, JSON.stringify(address));
    }
  });

  it("gives the whole address in label order, blank lines left out", () => {
    assert.deepEqual(
      addressLines({
        recipientName: "Sneakernet Data Center",
        streetAddress1: "1 Loopback Way",
        streetAddress2: " ",
        city: "Localhost",
        stateOrProvince: "CA",
        postalCode: "94000",
        countryOrRegion: "USA",
        phone: "+1 555 010 0100",
        additionalInformation: "Write the job name on the package.",
      }),
      [
        "Sneakernet Data Center",
        "1 Loopback Way",
        "Localhost, CA 94000",
        "USA",
        "+1 555 010 0100",
        "Write the job name on the package.",
      ],
    );
    assert.deepEqual(
      addressLines({
        recipientName: "Ada",
        streetAddress1: "1 rue Haute",
        city: "Paris",
        postalCode: "75001",
        countryOrRegion: "France",
      }),
      ["Ada", "1 rue Haute", "75001 Paris", "France"],
    );
  });
});
