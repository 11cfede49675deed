/** @module deleteStorageAccount: the admin removes one registration — the shared one, or one subscription's own. */

import assert from "node:assert/strict";
import { it } from "node:test";

import { deleteStorageAccount } from "../../src/app/delete-storage-account.js";
import { getStorageAccount } from "../../src/app/get-storage-account.js";
import { setStorageAccount } from "../../src/app/set-storage-account.js";
import { describeOnEngines } from "../support/app.js";
import { refusedWith } from "../support/app-ops.js";

describeOnEngines("delete a storage account", (world) => {
  it("deletes a subscription's registration (named in any case) and leaves the shared one; then the shared one; a second time is not found", async () => {
    const w = world();
    const { view: shared } = await setStorageAccount(w.deps, w.cast.admin, "dsboth", {
      blobEndpoint: "https://dsboth.example.com",
    });
    await setStorageAccount(w.deps, w.cast.admin, "dsboth", {
      subscriptionId: w.sub,
      blobEndpoint: "https://dsboth-own.example.com",
    });
    await deleteStorageAccount(w.deps, w.cast.admin, "dsboth", w.sub.toUpperCase());
    await refusedWith("ResourceNotFound", getStorageAccount(w.deps, w.cast.admin, "dsboth", w.sub));
    assert.deepEqual(await getStorageAccount(w.deps, w.cast.admin, "dsboth"), shared);

    await deleteStorageAccount(w.deps, w.cast.admin, "dsboth");
    await refusedWith("ResourceNotFound", getStorageAccount(w.deps, w.cast.admin, "dsboth"));
    await refusedWith("ResourceNotFound", deleteStorageAccount(w.deps, w.cast.admin, "dsboth"));
    await refusedWith("ResourceNotFound", deleteStorageAccount(w.deps, w.cast.admin, "dsboth", w.sub));
  });

  it("deleting the shared registration leaves a subscription's own", async () => {
    const w = world();
    await setStorageAccount(w.deps, w.cast.admin, "dskeep", { blobEndpoint: "https://dskeep.example.com" });
    const { view: own } = await setStorageAccount(w.deps, w.cast.admin, "dskeep", {
      subscriptionId: w.sub,
      blobEndpoint: "https://dskeep-own.example.com",
    });
    await deleteStorageAccount(w.deps, w.cast.admin, "dskeep");
    assert.deepEqual(await getStorageAccount(w.deps, w.cast.admin, "dskeep", w.sub), own);
  });

  it("is for admins only: refused, it deletes nothing", async () => {
    const w = world();
    const { view: kept } = await setStorageAccount(w.deps, w.cast.admin, "dskept", {
      blobEndpoint: "https://dskept.example.com",
    });
    for (const who of [w.cast.operator, w.cast.customer, w.cast.stationA]) {
      await refusedWith("AuthorizationFailed", deleteStorageAccount(w.deps, who, "dskept"));
    }
    assert.deepEqual(await getStorageAccount(w.deps, w.cast.admin, "dskept"), kept);
  });
});
