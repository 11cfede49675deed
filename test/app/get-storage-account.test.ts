/** @module getStorageAccount: the admin reads one registration — the shared one, or exactly one subscription's own. */

import assert from "node:assert/strict";
import { it } from "node:test";

import { getStorageAccount } from "../../src/app/get-storage-account.js";
import { setStorageAccount } from "../../src/app/set-storage-account.js";
import { describeOnEngines } from "../support/app.js";
import { refusedWith } from "../support/app-ops.js";

describeOnEngines("get a storage account", (world) => {
  it("reads the shared registration by name, a subscription's by name and subscription (in any case)", async () => {
    const w = world();
    const { view: shared } = await setStorageAccount(w.deps, w.cast.admin, "gsboth", {
      blobEndpoint: "https://gsboth.example.com",
      credential: { type: "accountKey", secret: "Z3MtYm90aC1rZXk=GSB1" },
    });
    const { view: own } = await setStorageAccount(w.deps, w.cast.admin, "gsboth", {
      subscriptionId: w.sub,
      blobEndpoint: "https://gsboth-own.example.com",
    });
    assert.deepEqual(await getStorageAccount(w.deps, w.cast.admin, "gsboth"), shared);
    assert.deepEqual(shared.credential, { type: "accountKey", hint: "…GSB1" });
    assert.deepEqual(await getStorageAccount(w.deps, w.cast.admin, "gsboth", w.sub), own);
    assert.deepEqual(await getStorageAccount(w.deps, w.cast.admin, "gsboth", w.sub.toUpperCase()), own);
  });

  it("answers exactly the registration asked for: no shared one in place of a subscription's, nor the other way", async () => {
    const w = world();
    await setStorageAccount(w.deps, w.cast.admin, "gsshared", {
      blobEndpoint: "https://gsshared.example.com",
    });
    await setStorageAccount(w.deps, w.cast.admin, "gsown", {
      subscriptionId: w.sub,
      blobEndpoint: "https://gsown.example.com",
    });
    await refusedWith("ResourceNotFound", getStorageAccount(w.deps, w.cast.admin, "gsshared", w.sub));
    await refusedWith("ResourceNotFound", getStorageAccount(w.deps, w.cast.admin, "gsown"));
    await refusedWith("ResourceNotFound", getStorageAccount(w.deps, w.cast.admin, "gsown", w.otherSub));
    const unknown = await refusedWith("ResourceNotFound", getStorageAccount(w.deps, w.cast.admin, "gsnone"));
    assert.match(unknown.message, /'gsnone'/);
  });

  it("is for admins only", async () => {
    const w = world();
    await setStorageAccount(w.deps, w.cast.admin, "gsadmin", { blobEndpoint: "https://gsadmin.example.com" });
    for (const who of [w.cast.operator, w.cast.customer, w.cast.stationA]) {
      await refusedWith("AuthorizationFailed", getStorageAccount(w.deps, who, "gsadmin"));
    }
  });
});
