/** @module Sizes as people write them: decimal and binary units, plain bytes, and what is refused. */

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { formatByteSize, MAX_BYTE_SIZE, parseByteSize } from "../../src/domain/size.js";
import { refusal } from "./helpers.js";

describe("parseByteSize", () => {
  const accepted: [string, number][] = [
    ["8TB", 8e12],
    ["500GB", 500e9],
    ["3MB", 3e6],
    ["1.5TB", 1.5e12],
    ["512MiB", 512 * 2 ** 20],
    ["2TiB", 2 * 2 ** 40],
    ["4KiB", 4096],
    ["1kb", 1000],
    ["8 tb", 8e12],
    [" 2GiB ", 2 * 2 ** 30],
    ["12B", 12],
    ["1", 1],
    ["8000000000000", 8e12],
    ["1PB", MAX_BYTE_SIZE],
    ["0.5KB", 500],
  ];
  for (const [text, bytes] of accepted) {
    it(`reads ${JSON.stringify(text)} as ${bytes} bytes`, () => {
      assert.equal(parseByteSize(text), bytes);
    });
  }

  const refused: unknown[] = [
    "",
    "TB",
    "8XB",
    "8 T B",
    "8T",
    "-8TB",
    "0",
    "0TB",
    "0.0000001KB",
    "1.5",
    "1e12",
    "8TB extra",
    "1.1PB",
    "2PiB",
    "1000000000000001",
    "99999999999999999999999",
    "8,000GB",
    "0x10",
    12,
    null,
  ];
  for (const text of refused) {
    it(`refuses ${JSON.stringify(text)} as InvalidDriveCapacity, naming the capacity`, () => {
      const error = refusal(() => parseByteSize(text as string));
      assert.equal(error?.code, "InvalidDriveCapacity");
      assert.equal(error?.target, "capacity");
      assert.match(error?.message ?? "", /8TB, 500GB/);
    });
  }
});

describe("formatByteSize", () => {
  const rows: [number, string][] = [
    [8e12, "8 TB"],
    [1.5e12, "1.5 TB"],
    [2 * 2 ** 40, "2.2 TB"],
    [512 * 2 ** 20, "536.87 MB"],
    [999, "999 B"],
    [1000, "1 KB"],
    [1e15, "1 PB"],
  ];
  for (const [bytes, text] of rows) {
    it(`shows ${bytes} bytes as ${text}`, () => {
      assert.equal(formatByteSize(bytes), text);
    });
  }
});
