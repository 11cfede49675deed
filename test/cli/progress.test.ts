/** @module `drive prepare`'s progress lines: files, bytes, MB/s over the recent window, and the time left. */

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { progressReporter } from "../../src/cli/drive.js";
import { listingProgress } from "../../src/cli/drive-preview-export.js";

describe("progressReporter", () => {
  it("prints plain lines off a terminal with MB/s and the time left from the recent rate, counting only this run's bytes", () => {
    let at = Date.parse("2026-01-01T00:00:00Z");
    const clock = { now: () => new Date(at) };
    const out: string[] = [];
    const progress = progressReporter("Writing", true, clock, false, (text) => out.push(text));
    const counts = { files: 10, filesTotal: 100, bytes: 50e6, bytesTotal: 150e6 };
    // Resumed with 50 MB written: the rate starts from there, at 2 MB/s.
    progress.update(counts, 10);
    for (let s = 1; s <= 10; s += 1) {
      at += 1000;
      progress.update({ ...counts, files: 10 + s, bytes: 50e6 + s * 2e6 }, 10);
    }
    progress.end();
    assert.equal(out[0], "Resuming: 10 file(s) already written, per the journal.\n");
    assert.equal(out.at(-1), "Writing 20/100 files, 70.0/150.0 MB, 2.0 MB/s, 0:40 left\n");
  });
});

describe("listingProgress (drive preview-export)", () => {
  it("off a terminal: a line every 2 s while the account is listed, none for a short listing", () => {
    let at = 0;
    const clock = { now: () => new Date(at) };
    const out: string[] = [];
    const progress = listingProgress(clock, false, (text) => out.push(text));
    for (let listed = 1; listed <= 5000; listed += 1) {
      at += 1; // 1 ms a blob: 5 s in all
      progress.update(listed, Math.floor(listed / 2));
    }
    progress.end();
    assert.deepEqual(out, [
      "Listing the account: 2000 blob(s) listed, 1000 selected\n",
      "Listing the account: 4000 blob(s) listed, 2000 selected\n",
    ]);
    const quick: string[] = [];
    const short = listingProgress(clock, false, (text) => quick.push(text));
    short.update(1, 1);
    short.end();
    assert.deepEqual(quick, []);
  });

  it("on a terminal: redrawn in place, and the line ended once the listing is done", () => {
    let at = 0;
    const clock = { now: () => new Date(at) };
    const out: string[] = [];
    const progress = listingProgress(clock, true, (text) => out.push(text));
    at += 150;
    progress.update(10, 3);
    progress.end();
    assert.deepEqual(out, ["\rListing the account: 10 blob(s) listed, 3 selected\x1b[K", "\n"]);
  });
});
