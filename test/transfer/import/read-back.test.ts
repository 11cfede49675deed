/** @module Reading back a batch of small blobs by listing: bounded listings narrowed, not one request per blob. */

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { ReadBack } from "../../../src/transfer/import/read-back.js";
import { startTestAzurite } from "../../support/azurite.js";
import { counting, keyTarget } from "./support.js";

const azurite = await startTestAzurite("import-read-back");
const target = keyTarget(azurite);

const nameOf = (i: number) => `set/${String(i).padStart(3, "0")}.bin`;

// 300 blobs under `set/`: a batch whose names share only `set/` cannot be answered by one bounded listing.
const container = azurite.service().getContainerClient("readback");
await container.create();
for (let at = 0; at < 300; at += 50) {
  await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      container.getBlockBlobClient(nameOf(at + i)).uploadData(Buffer.from(`blob ${at + i}`)),
    ),
  );
}

async function readBack(
  names: string[],
): Promise<{ found: (number | undefined)[]; calls: Map<string, number> }> {
  const sent = counting(target);
  const batch = new ReadBack(sent, { batch: 10_000, waitMs: 10_000 });
  const answers = names.map((name) => batch.properties("readback", name));
  await batch.drain();
  return { found: (await Promise.all(answers)).map((props) => props?.length), calls: sent.calls };
}

describe("a batch read back by listing", () => {
  it("straddling two folders' worth of names past the listing's bound, narrows its prefix instead of asking one by one", async () => {
    // set/190…set/211 share only `set/`, whose bounded listing (4 × 22 + 100 entries) stops at set/187.
    const names = Array.from({ length: 22 }, (_, i) => nameOf(190 + i));
    const { found, calls } = await readBack(names);
    assert.deepEqual(
      found,
      names.map((_, i) => `blob ${190 + i}`.length),
    );
    assert.equal(calls.get("properties") ?? 0, 0);
    assert.ok((calls.get("list") ?? 0) <= 3, `${calls.get("list")} listings`);
  });

  it("answers a missing name as absent and a present one as present, in the same narrowed listings", async () => {
    const names = [nameOf(250), "set/250.bin.missing", nameOf(299), "set/3-missing"];
    const { found, calls } = await readBack(names);
    assert.deepEqual(found, ["blob 250".length, undefined, "blob 299".length, undefined]);
    assert.equal(calls.get("properties") ?? 0, 0);
  });

  it("asks one by one what a failing listing could not answer", async () => {
    const sent = counting(target);
    const failing = { ...sent, list: () => Promise.reject(new Error("listing refused")) };
    const batch = new ReadBack(failing, { batch: 10_000, waitMs: 10_000 });
    const answers = [nameOf(5), "set/none"].map((name) => batch.properties("readback", name));
    await batch.drain();
    assert.deepEqual(
      (await Promise.all(answers)).map((props) => props?.length),
      ["blob 5".length, undefined],
    );
    assert.equal(sent.calls.get("properties"), 2);
  });
});
