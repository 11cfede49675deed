/** @module A station's copy lease: five minutes long, held until it runs out, and who may claim or report. */

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  isLeaseExpired,
  isLeaseLive,
  LEASE_MS,
  leaseUntil,
  throwIfLeasedToOther,
  throwIfLeaseNotHeld,
} from "../../src/domain/lease.js";
import type { Drive } from "../../src/domain/model.js";
import { newDrive } from "../support/fixtures.js";
import { refusal } from "./helpers.js";

const UNTIL = "2026-01-01T00:05:00.000Z";
const BEFORE = "2026-01-01T00:04:59.999Z";
const AFTER = "2026-01-01T00:05:00.001Z";

/** A drive being copied, claimed by `claimedBy` until `leaseExpiresAt` (null: no end recorded). */
function leased(claimedBy: string | undefined, leaseExpiresAt: string | null = UNTIL): Drive {
  return newDrive({
    driveId: "WD-7",
    state: "Transferring",
    ...(claimedBy === undefined ? {} : { claimedBy }),
    ...(leaseExpiresAt === null ? {} : { leaseExpiresAt }),
  });
}

describe("leaseUntil", () => {
  it("is five minutes", () => {
    assert.equal(LEASE_MS, 300_000);
  });
  for (const [now, until] of [
    ["2026-01-01T00:00:00.000Z", UNTIL],
    ["2026-12-31T23:58:30.250Z", "2027-01-01T00:03:30.250Z"],
  ] as const) {
    it(`taken at ${now}, runs to ${until}`, () => {
      assert.equal(leaseUntil(new Date(now)), until);
    });
  }
});

describe("isLeaseLive and isLeaseExpired, around the end of the lease", () => {
  const rows: [string, Drive, string, boolean, boolean][] = [
    ["1 ms before its end", leased("st-1"), BEFORE, true, false],
    ["at its end (it ran out)", leased("st-1"), UNTIL, false, true],
    ["1 ms after its end", leased("st-1"), AFTER, false, true],
    ["a day before its end", leased("st-1"), "2025-12-31T00:05:00.000Z", true, false],
    ["a drive nobody claimed", leased(undefined, null), BEFORE, false, false],
    [
      "an end without a station (released): not held, and past its end expired",
      leased(undefined),
      AFTER,
      false,
      true,
    ],
    ["an end without a station, before it: neither", leased(undefined), BEFORE, false, false],
    ["a station without an end: never held", leased("st-1", null), BEFORE, false, false],
  ];
  for (const [name, drive, at, live, expired] of rows) {
    it(`${name}: ${live ? "live" : "not live"}, ${expired ? "expired" : "not expired"}`, () => {
      assert.equal(isLeaseLive(drive, at), live);
      assert.equal(isLeaseExpired(drive, at), expired);
    });
  }

  it("a claimed lease is never both live and expired, nor neither, at any instant", () => {
    const end = Date.parse(UNTIL);
    for (let offset = -3; offset <= 3; offset++) {
      const at = new Date(end + offset).toISOString();
      const drive = leased("st-1");
      assert.notEqual(isLeaseLive(drive, at), isLeaseExpired(drive, at), at);
    }
  });
});

describe("throwIfLeasedToOther: who may claim a drive", () => {
  const rows: [string, Drive, string, string, boolean][] = [
    ["a drive nobody holds", leased(undefined, null), "st-2", BEFORE, true],
    ["a drive whose lease ran out (its station died)", leased("st-1"), "st-2", UNTIL, true],
    ["a drive it holds itself (a restart)", leased("st-1"), "st-1", BEFORE, true],
    ["a drive another station holds", leased("st-1"), "st-2", BEFORE, false],
  ];
  for (const [name, drive, station, at, allowed] of rows) {
    it(`${name}: ${allowed ? "claimable" : "DriveNotClaimable, saying until when"}`, () => {
      const error = refusal(() => throwIfLeasedToOther(drive, station, at));
      if (allowed) {
        assert.equal(error, undefined);
        return;
      }
      assert.equal(error?.code, "DriveNotClaimable");
      assert.equal(error.target, "WD-7");
      assert.ok(error.message.includes(UNTIL), error.message);
      assert.ok(!error.message.includes("st-1"), "another station's name is not shown");
    });
  }
});

describe("throwIfLeaseNotHeld: who may report on a drive", () => {
  const rows: [string, Drive, string, RegExp | undefined][] = [
    ["the station holding it", leased("st-1"), "st-1", undefined],
    [
      "the station holding it, its lease run out (no other claimed it)",
      leased("st-1", BEFORE),
      "st-1",
      undefined,
    ],
    ["another station", leased("st-1"), "st-2", /held by another station/],
    ["a station, the drive unclaimed", leased(undefined, null), "st-1", /is not claimed/],
  ];
  for (const [name, drive, station, refused] of rows) {
    it(`${name}: ${refused ? "LeaseNotHeld" : "may report"}`, () => {
      const error = refusal(() => throwIfLeaseNotHeld(drive, station));
      if (!refused) {
        assert.equal(error, undefined);
        return;
      }
      assert.equal(error?.code, "LeaseNotHeld");
      assert.equal(error.target, "WD-7");
      assert.match(error.message, refused);
      assert.match(error.message, /claim it before reporting/);
    });
  }
});
