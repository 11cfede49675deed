/** @module listStorageAccounts: the admin reads the whole registry, each credential as its kind and a hint. */

import assert from "node:assert/strict";
import { it } from "node:test";

import { listStorageAccounts } from "../../src/app/list-storage-accounts.js";
import { DEV_STORAGE_ACCOUNT } from "../../src/app/seed-defaults.js";
import { setStorageAccount } from "../../src/app/set-storage-account.js";
import { describeOnEngines } from "../support/app.js";
import { refusedWith } from "../support/app-ops.js";

const SECRET = "bGlzdC1zZWNyZXQtdmFsdWU9PUxTVDE=";

describeOnEngines("list storage accounts", (world) => {
  it("lists the seeded shared account, then every registration by name — shared and subscriptions' own — never a secret", async () => {
    const w = world();
    assert.deepEqual(await listStorageAccounts(w.deps, w.cast.admin), [DEV_STORAGE_ACCOUNT]);

    await setStorageAccount(w.deps, w.cast.admin, "lsbeta", {
      blobEndpoint: "https://lsbeta.example.com",
      credential: { type: "accountKey", secret: SECRET },
    });
    await setStorageAccount(w.deps, w.cast.admin, "lsalpha", {
      subscriptionId: w.sub,
      blobEndpoint: "https://lsalpha-own.example.com",
      credential: { type: "sas", secret: "sv=1&sig=LSTsig9" },
    });
    await setStorageAccount(w.deps, w.cast.admin, "lsalpha", { blobEndpoint: "https://lsalpha.example.com" });

    const list = await listStorageAccounts(w.deps, w.cast.admin);
    assert.deepEqual(
      list.map((a) => a.name),
      [DEV_STORAGE_ACCOUNT.name, "lsalpha", "lsalpha", "lsbeta"],
    );
    // The shared registration of a name first, then a subscription's own, on either engine.
    assert.deepEqual(list.slice(1, 3), [
      { name: "lsalpha", blobEndpoint: "https://lsalpha.example.com" },
      {
        name: "lsalpha",
        subscriptionId: w.sub,
        blobEndpoint: "https://lsalpha-own.example.com",
        credential: { type: "sas", hint: "…sig9" },
      },
    ]);
    assert.deepEqual(list[3], {
      name: "lsbeta",
      blobEndpoint: "https://lsbeta.example.com",
      credential: { type: "accountKey", hint: `…${SECRET.slice(-4)}` },
    });
    const text = JSON.stringify(list);
    assert.ok(!text.includes(SECRET) && !text.includes("LSTsig9"), text);
  });

  it("is for admins only", async () => {
    const w = world();
    for (const who of [w.cast.operator, w.cast.customer, w.cast.stationA]) {
      await refusedWith("AuthorizationFailed", listStorageAccounts(w.deps, who));
    }
  });
});
