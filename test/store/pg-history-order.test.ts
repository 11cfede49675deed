/**
 * @module History ids become visible in commit order on PostgreSQL, so an event stream that reads "every
 * row after the last id I sent" never passes over a row that commits late.
 */

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";

import type { StateChange } from "../../src/domain/model.js";
import { Store } from "../../src/store/store.js";
import { cleanupsAfterAll, postgresForTest } from "../support/db.js";

const cleanups = cleanupsAfterAll();

function change(jobId: number, reason: string): StateChange {
  return { jobId, from: "Creating", to: "Shipping", at: "2026-01-15T12:00:00.000Z", actor: "test", reason };
}

describe("the state history on PostgreSQL", () => {
  it("gives a row appended by a transaction that commits late an id after those committed meanwhile", async (t) => {
    const db = await postgresForTest(t, "pg-history-order", cleanups);
    if (!db) {
      return;
    }
    // Two pools, as two replicas: the slow writer, and the fast writer with the reader.
    const [slow, fast] = [await Store.open(db.url), await Store.open(db.url)];
    cleanups.push(
      () => slow.close(),
      () => fast.close(),
    );
    const sub = randomUUID();
    const start = await fast.direct.history.lastId();

    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let appended!: () => void;
    const slowAppended = new Promise<void>((resolve) => (appended = resolve));
    // The slow transaction appends its row, then goes on with its work before it commits.
    const slowDone = slow.transaction(async (repos) => {
      await repos.history.append(sub, [change(1, "slow")]);
      appended();
      await gate;
    });
    await slowAppended;
    // Meanwhile another transaction appends and commits, and a stream reads what is there.
    await fast.transaction((repos) => repos.history.append(sub, [change(2, "fast")]));
    const firstRead = await fast.direct.history.listAfter(start, 100, { subscriptionId: sub });
    const cursor = firstRead.at(-1)?.id ?? start;
    release();
    await slowDone;
    const secondRead = await fast.direct.history.listAfter(cursor, 100, { subscriptionId: sub });

    const seen = [...firstRead, ...secondRead].map((row) => row.reason);
    assert.deepEqual(seen.sort(), ["fast", "slow"], "the stream sees both rows, each once");
    const all = await fast.direct.history.listAfter(start, 100, { subscriptionId: sub });
    assert.deepEqual(
      all.map((row) => row.reason),
      ["fast", "slow"],
      "ids follow the commits",
    );
  });

  it("writes nothing of a transaction that fails", async (t) => {
    const db = await postgresForTest(t, "pg-history-rollback", cleanups);
    if (!db) {
      return;
    }
    const store = await Store.open(db.url);
    cleanups.push(() => store.close());
    const sub = randomUUID();
    await assert.rejects(
      store.transaction(async (repos) => {
        await repos.history.append(sub, [change(1, "lost")]);
        throw new Error("the use case fails after appending");
      }),
      /fails after appending/,
    );
    assert.deepEqual(await store.direct.history.listAfter(0, 100, { subscriptionId: sub }), []);
  });
});
