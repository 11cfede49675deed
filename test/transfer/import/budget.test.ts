/** @module The block budget: the smaller of its two bounds holds, first come first served, one block always fits. */

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { BlockBudget } from "../../../src/transfer/import/budget.js";

describe("block budget", () => {
  it("admits blocks up to the count and the bytes, then in the order they asked", async () => {
    const budget = new BlockBudget(3, 100);
    await budget.acquire(40);
    await budget.acquire(40);
    const order: string[] = [];
    const big = budget.acquire(40).then(() => order.push("big"));
    const small = budget.acquire(10).then(() => order.push("small"));
    await Promise.resolve();
    assert.deepEqual(order, [], "80 + 40 is over 100; the small one waits its turn behind it");
    budget.release(40);
    await big;
    await small;
    assert.deepEqual(order, ["big", "small"]);
    assert.equal(budget.peakBlocks, 3);
    assert.equal(budget.peakBytes, 90);
  });

  it("always admits one block, however large", async () => {
    const budget = new BlockBudget(4, 10);
    await budget.acquire(1000);
    let second = false;
    const next = budget.acquire(5).then(() => (second = true));
    await Promise.resolve();
    assert.equal(second, false);
    budget.release(1000);
    await next;
    assert.equal(second, true);
    assert.throws(() => new BlockBudget(0, 10), RangeError);
  });
});
