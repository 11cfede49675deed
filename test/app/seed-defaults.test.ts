/**
 * @module seedDefaults: a fresh installation gets one location and the embedded storage account; seeding
 * runs at every start and on every replica, so it only ever inserts what is missing.
 */

import assert from "node:assert/strict";
import { it } from "node:test";

import { deleteLocation } from "../../src/app/delete-location.js";
import { deleteStorageAccount } from "../../src/app/delete-storage-account.js";
import { getLocation } from "../../src/app/get-location.js";
import { listStorageAccounts } from "../../src/app/list-storage-accounts.js";
import { DEFAULT_LOCATION, DEV_STORAGE_ACCOUNT, seedDefaults } from "../../src/app/seed-defaults.js";
import { setLocation } from "../../src/app/set-location.js";
import { setStorageAccount } from "../../src/app/set-storage-account.js";
import { Store } from "../../src/store/store.js";
import { type AppWorld, describeOnEngines } from "../support/app.js";

const accounts = (w: AppWorld) => listStorageAccounts(w.deps, w.cast.admin);

describeOnEngines("seed the defaults", (world) => {
  it("a fresh database holds the default location and the embedded account, shared", async () => {
    const w = world();
    assert.deepEqual(await getLocation(w.deps, "westus"), DEFAULT_LOCATION);
    assert.deepEqual(await accounts(w), [DEV_STORAGE_ACCOUNT]);
  });

  it("seeding again, twice, inserts nothing and keeps what an admin changed", async () => {
    const w = world();
    const { id: _id, ...input } = DEFAULT_LOCATION;
    const changed = await setLocation(w.deps, w.cast.admin, "westus", { ...input, phone: "+1 555 010 0199" });
    const { view: account } = await setStorageAccount(w.deps, w.cast.admin, DEV_STORAGE_ACCOUNT.name, {
      blobEndpoint: "https://changed.example.com/devstoreaccount1",
      credential: { type: "entra" },
    });
    await seedDefaults(w.deps);
    await seedDefaults(w.deps);
    assert.deepEqual(await getLocation(w.deps, "westus"), changed);
    assert.deepEqual(await accounts(w), [account]);
  });

  it("seeding from two replicas at once, on a registry emptied, inserts each default exactly once", async () => {
    const w = world();
    const replica = { store: await Store.open(w.url), clock: w.clock };
    try {
      await deleteLocation(w.deps, w.cast.admin, "westus");
      await deleteStorageAccount(w.deps, w.cast.admin, DEV_STORAGE_ACCOUNT.name);
      assert.deepEqual(await accounts(w), []);
      await Promise.all([
        seedDefaults(w.deps),
        seedDefaults(replica),
        seedDefaults(w.deps),
        seedDefaults(replica),
      ]);
      assert.deepEqual(await getLocation(w.deps, "westus"), DEFAULT_LOCATION);
      assert.deepEqual(await accounts(w), [DEV_STORAGE_ACCOUNT]);
    } finally {
      await replica.store.close();
    }
  });
});
