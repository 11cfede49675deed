/** @module Tables that fit the terminal, without a server: how wide, which columns give way, how a date reads. */

import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";

import { cut, DEFAULT_TABLE_WIDTH, localMinute, tableLines, tableWidth } from "../../src/cli/output.js";

describe("tableWidth", () => {
  it("a terminal's own width first, then COLUMNS, then the default", () => {
    assert.equal(tableWidth({ isTTY: true, columns: 93 }, { COLUMNS: "200" }), 93);
    assert.equal(tableWidth({ isTTY: false }, { COLUMNS: "80" }), 80);
    assert.equal(tableWidth({}, {}), DEFAULT_TABLE_WIDTH);
    for (const columns of ["", "0", "-5", "wide", "80.5"]) {
      assert.equal(tableWidth({}, { COLUMNS: columns }), DEFAULT_TABLE_WIDTH, `COLUMNS=${columns}`);
    }
  });
});

describe("tableLines", () => {
  const rows = [
    { name: "a-job-with-a-long-name", state: "Transferring", reason: "copied by bay-3, 40 of 100 files" },
    { name: "short", state: "Creating", reason: "created" },
  ];
  const columns = ["name", "state", "reason"];

  it("a table that fits is aligned, columns two spaces apart, as it always was", () => {
    assert.deepEqual(tableLines(rows, columns, 200), [
      "NAME                    STATE         REASON",
      "a-job-with-a-long-name  Transferring  copied by bay-3, 40 of 100 files",
      "short                   Creating      created",
    ]);
  });

  it("too wide: the first column named gives way to its least, then the next; the others keep theirs", () => {
    // 22 + 12 + 32 + 4 = 70 wide; 50 leaves 20 to take: reason gives 20 (of its 32, down to 12 at least).
    assert.deepEqual(tableLines(rows, columns, 50, { shrink: { reason: 12, name: 8 } }), [
      "NAME                    STATE         REASON",
      "a-job-with-a-long-name  Transferring  copied by b…",
      "short                   Creating      created",
    ]);
    // 40: reason down to 12, then name gives the other 10 it needs.
    const lines = tableLines(rows, columns, 40, { shrink: { reason: 12, name: 8 } });
    assert.deepEqual(lines, [
      "NAME          STATE         REASON",
      "a-job-with-…  Transferring  copied by b…",
      "short         Creating      created",
    ]);
    assert.ok(lines.every((l) => [...l].length <= 40));
  });

  it("then leaves columns out, the first named first, and cuts lines only as a last resort", () => {
    const fit = { shrink: { reason: 12, name: 8 }, drop: ["reason"] };
    // Down to 8 + 12 + 12, still too wide: reason goes, and name has 2 of what it freed back.
    assert.deepEqual(tableLines(rows, columns, 24, fit), [
      "NAME        STATE",
      "a-job-wit…  Transferring",
      "short       Creating",
    ]);
    const cutLines = tableLines(rows, columns, 15, fit);
    assert.deepEqual(cutLines, ["NAME      STATE", "a-job-w…  Tran…", "short     Crea…"]);
  });

  it("a row stays on one line: line breaks in a cell become spaces; undefined and null are empty", () => {
    assert.deepEqual(tableLines([{ a: "two\nlines", b: undefined, c: null }], ["a", "b", "c"], 80), [
      "A          B  C",
      "two lines",
    ]);
  });
});

describe("cut and localMinute", () => {
  it("cut: whole when it fits, else its start and …, counting characters as a terminal does", () => {
    assert.equal(cut("westus", 6), "westus");
    assert.equal(cut("westus2", 6), "westu…");
    assert.equal(cut("Zürich-Süd", 8), "Zürich-…");
  });

  it("localMinute: the instant in the local zone, to the minute; anything else as it is", (t: TestContext) => {
    const zone = process.env.TZ;
    t.after(() => {
      if (zone === undefined) {
        delete process.env.TZ;
      } else {
        process.env.TZ = zone;
      }
    });
    process.env.TZ = "Asia/Kolkata";
    assert.equal(localMinute("2026-01-15T12:00:59.999Z"), "2026-01-15 17:30");
    assert.equal(localMinute("2026-12-31T20:00:00Z"), "2027-01-01 01:30");
    process.env.TZ = "UTC";
    assert.equal(localMinute("2026-01-15T12:00:59.999Z"), "2026-01-15 12:00");
    assert.equal(localMinute(undefined), "-");
    assert.equal(localMinute("soon"), "soon");
  });
});
