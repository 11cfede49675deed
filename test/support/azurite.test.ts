// The test Azurite answers both accounts through the real SDK, each only with its own key.
import assert from "node:assert/strict";
import { test } from "node:test";

import { SECOND_ACCOUNT, startTestAzurite } from "./azurite.js";

test("Azurite serves the development account and a second one", async () => {
  const azurite = await startTestAzurite();
  for (const account of ["devstoreaccount1", SECOND_ACCOUNT.name]) {
    const container = azurite.service(account).getContainerClient("probe");
    await container.create();
    await container.getBlockBlobClient("a.txt").upload("hi", 2);
    const names = [];
    for await (const blob of container.listBlobsFlat()) {
      names.push(blob.name);
    }
    assert.deepEqual(names, ["a.txt"]);
  }
});
