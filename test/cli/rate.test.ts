/** @module The sliding-window rate of the progress bars: the recent speed, not the average since the start. */

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { RateWindow } from "../../src/cli/rate.js";

describe("RateWindow", () => {
  it("is unknown before two samples apart, then the speed over the last window only", () => {
    const rate = new RateWindow(10_000);
    assert.equal(rate.perSecond(), undefined);
    rate.add(0, 0);
    assert.equal(rate.perSecond(), undefined);
    // 1 MB/s for 20 s, then 4 MB/s for 10 s: the window sees only the fast part.
    for (let t = 1; t <= 20; t += 1) {
      rate.add(t * 1000, t * 1_000_000);
    }
    assert.equal(rate.perSecond(), 1_000_000);
    for (let t = 21; t <= 30; t += 1) {
      rate.add(t * 1000, 20_000_000 + (t - 20) * 4_000_000);
    }
    assert.equal(rate.perSecond(), 4_000_000);
  });

  it("keeps few samples however often it is told, and still measures from the window's start", () => {
    const rate = new RateWindow(1000);
    // 2 MB/s for 5 s, then 1 MB/s for 2 s, told every millisecond.
    for (let at = 0; at <= 5000; at += 1) {
      rate.add(at, at * 2000);
    }
    assert.equal(rate.perSecond(), 2_000_000);
    for (let at = 5001; at <= 7000; at += 1) {
      rate.add(at, 10_000_000 + (at - 5000) * 1000);
    }
    assert.ok(Math.abs(rate.perSecond()! - 1_000_000) < 100_000, String(rate.perSecond()));
    assert.ok((rate as unknown as { samples: unknown[] }).samples.length <= 12);
  });
});
