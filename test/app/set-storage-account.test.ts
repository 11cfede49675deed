/**
 * @module setStorageAccount: the admin registers a storage account — shared, or one subscription's own —
 * with its blob endpoint and a credential sealed at rest (the view shows its kind and a hint, never it).
 */

import assert from "node:assert/strict";
import { it } from "node:test";

import { getStorageAccount } from "../../src/app/get-storage-account.js";
import { listStorageAccounts } from "../../src/app/list-storage-accounts.js";
import { DEV_STORAGE_ACCOUNT } from "../../src/app/seed-defaults.js";
import { setStorageAccount, type StorageAccountInput } from "../../src/app/set-storage-account.js";
import { Store } from "../../src/store/store.js";
import { type AppWorld, describeOnEngines } from "../support/app.js";
import { claimAs, receivedImport, refusedWith } from "../support/app-ops.js";

const SECRET = "c2VjcmV0LWtleS1mb3ItdGVzdHM9WXZa";

/** Registers the account and answers its view. */
const set = async (w: AppWorld, name: string, input: StorageAccountInput, who = w.cast.admin) =>
  (await setStorageAccount(w.deps, who, name, input)).view;

describeOnEngines("set a storage account", (world) => {
  it("registers a shared account: the endpoint without its trailing slash, the credential sealed — its type and last four characters shown", async () => {
    const w = world();
    const view = await set(w, "ssshared", {
      blobEndpoint: "https://ssshared.blob.example.com/",
      credential: { type: "accountKey", secret: SECRET },
    });
    assert.deepEqual(view, {
      name: "ssshared",
      blobEndpoint: "https://ssshared.blob.example.com",
      credential: { type: "accountKey", hint: "…WXZa" },
    });
    assert.deepEqual(await getStorageAccount(w.deps, w.cast.admin, "ssshared"), view);

    const row = await w.deps.store.direct.storageAccounts.get("ssshared");
    assert.ok(row?.credentialEnc, "a credential is stored");
    assert.ok(!row.credentialEnc.includes(SECRET), "sealed: the database alone does not hold the secret");
    assert.deepEqual(JSON.parse(w.deps.secrets.open(row.credentialEnc)), {
      type: "accountKey",
      secret: SECRET,
    });
  });

  it("an SAS shows its hint, an Entra credential needs no secret and shows none", async () => {
    const w = world();
    const sas = await set(w, "sssas", {
      blobEndpoint: "http://127.0.0.1:10000/sssas",
      credential: { type: "sas", secret: "sv=2024&sig=abcd1234" },
    });
    assert.deepEqual(sas.credential, { type: "sas", hint: "…1234" });
    const entra = await set(w, "ssentra", {
      blobEndpoint: "https://ssentra.blob.example.com",
      credential: { type: "entra" },
    });
    assert.deepEqual(entra.credential, { type: "entra" });
  });

  it("a connection string is checked when registered and shows its key's hint, never the string", async () => {
    const w = world();
    const text = `DefaultEndpointsProtocol=https;AccountName=sscs;AccountKey=${SECRET};EndpointSuffix=core.windows.net`;
    const view = await set(w, "sscs", {
      blobEndpoint: "https://sscs.blob.core.windows.net",
      credential: { type: "connectionString", secret: text },
    });
    assert.deepEqual(view.credential, { type: "connectionString", hint: "…WXZa" });
    const row = await w.deps.store.direct.storageAccounts.get("sscs");
    assert.deepEqual(JSON.parse(w.deps.secrets.open(row!.credentialEnc!)), {
      type: "connectionString",
      secret: text,
    });

    const before = await listStorageAccounts(w.deps, w.cast.admin);
    for (const secret of [
      "AccountName=sscs2",
      `AccountKey=${SECRET}`,
      "AccountName=sscs2;AccountKey=not base64!",
      `AccountName=sscs2;AccountKey=${SECRET};BlobEndpoint=ftp://x`,
      "just some text",
    ]) {
      const error = await refusedWith(
        "InvalidCredential",
        set(w, "sscs2", {
          blobEndpoint: "https://sscs2.example.com",
          credential: { type: "connectionString", secret },
        }),
      );
      assert.equal(error.target, "credential.secret");
      assert.match(error.message, /AccountName and AccountKey/);
      assert.ok(!error.message.includes("sscs2;"), "the string is not quoted back");
    }
    assert.deepEqual(await listStorageAccounts(w.deps, w.cast.admin), before, "nothing registered");
  });

  it("never shows a short secret whole in its hint", async () => {
    const w = world();
    const view = await set(w, "ssshort", {
      blobEndpoint: "https://ssshort.example.com",
      credential: { type: "sas", secret: "sig1" },
    });
    assert.ok(!JSON.stringify(view).includes("sig1"), JSON.stringify(view));
  });

  it("registers a subscription's own account beside the shared one: that subscription's claims go to its own endpoint", async () => {
    const w = world();
    const own = await set(w, DEV_STORAGE_ACCOUNT.name, {
      subscriptionId: w.sub.toUpperCase(),
      blobEndpoint: "https://own.example.com/devstoreaccount1",
    });
    assert.deepEqual(own, {
      name: DEV_STORAGE_ACCOUNT.name,
      subscriptionId: w.sub,
      blobEndpoint: "https://own.example.com/devstoreaccount1",
    });
    assert.deepEqual(
      await getStorageAccount(w.deps, w.cast.admin, DEV_STORAGE_ACCOUNT.name),
      { name: DEV_STORAGE_ACCOUNT.name, blobEndpoint: DEV_STORAGE_ACCOUNT.blobEndpoint },
      "the shared registration is untouched",
    );
    await receivedImport(w, "ss-own", ["SS3-A"]);
    assert.equal(
      (await claimAs(w, w.cast.stationA, "SS3-A")).blobEndpoint,
      "https://own.example.com/devstoreaccount1",
    );
  });

  it("records where the account's file shares are mounted on the stations, and a claim hands it over", async () => {
    const w = world();
    const view = await set(w, DEV_STORAGE_ACCOUNT.name, {
      subscriptionId: w.sub,
      blobEndpoint: "https://own.example.com/devstoreaccount1",
      fileShareRoot: "/mnt/acme-shares",
    });
    assert.equal(view.fileShareRoot, "/mnt/acme-shares");
    await receivedImport(w, "ss-shares", ["SS5-A"]);
    assert.equal((await claimAs(w, w.cast.stationA, "SS5-A")).fileShareRoot, "/mnt/acme-shares");
    for (const fileShareRoot of [
      "relative/path",
      "",
      "/mnt/../etc",
      "/mnt/./x",
      "/mnt/\u0001x",
      `/${"x".repeat(1024)}`,
    ]) {
      await refusedWith(
        "InvalidFileShareRoot",
        set(w, "ssroot", { blobEndpoint: "https://ssroot.example.com", fileShareRoot }),
      );
    }
    for (const fileShareRoot of ["C:\\shares", "\\\\nas\\exports", "/srv/shares/"]) {
      assert.equal(
        (await set(w, "ssroot", { blobEndpoint: "https://ssroot.example.com", fileShareRoot })).fileShareRoot,
        fileShareRoot,
      );
    }
  });

  it("registering again replaces the registration: sent without a credential, it has none", async () => {
    const w = world();
    const first = await setStorageAccount(w.deps, w.cast.admin, "ssagain", {
      blobEndpoint: "https://one.example.com",
      credential: { type: "accountKey", secret: SECRET },
    });
    assert.equal(first.created, true, "the first registration creates it");
    const replaced = await setStorageAccount(w.deps, w.cast.admin, "ssagain", {
      blobEndpoint: "https://two.example.com",
    });
    assert.equal(replaced.created, false, "the second replaces it");
    const again = replaced.view;
    assert.deepEqual(again, { name: "ssagain", blobEndpoint: "https://two.example.com" });
    assert.deepEqual(await getStorageAccount(w.deps, w.cast.admin, "ssagain"), again);
    assert.equal((await w.deps.store.direct.storageAccounts.get("ssagain"))?.credentialEnc, undefined);
  });

  it("registered at once on two replicas: one registration creates it, the other replaces it", async () => {
    const w = world();
    // A second store on the same database: another server process's transactions.
    const replica = { ...w.deps, store: await Store.open(w.url, { migrate: false }) };
    try {
      for (const [i, subscriptionId] of [undefined, w.sub, undefined, w.sub].entries()) {
        const name = `ssrace${i}`;
        const results = await Promise.all(
          [w.deps, replica].map((deps, d) =>
            setStorageAccount(deps, w.cast.admin, name, {
              blobEndpoint: `https://${name}-${d}.example.com`,
              ...(subscriptionId !== undefined ? { subscriptionId } : {}),
            }),
          ),
        );
        assert.deepEqual(results.map((r) => r.created).sort(), [false, true], name);
        // The replacement came last: its endpoint is the one kept.
        const replaced = results.find((r) => !r.created)!.view;
        assert.deepEqual(await getStorageAccount(w.deps, w.cast.admin, name, subscriptionId), replaced);
      }
    } finally {
      await replica.store.close();
    }
  });

  it("refuses a bad name, endpoint, credential or subscription, and anyone but an admin — registering nothing", async () => {
    const w = world();
    const before = await listStorageAccounts(w.deps, w.cast.admin);
    const ok: StorageAccountInput = { blobEndpoint: "https://ssrefused.example.com" };
    for (const name of ["ss_refused", "SSREFUSED", "ss", "s".repeat(25)]) {
      await refusedWith("InvalidStorageAccountId", set(w, name, ok));
    }
    for (const blobEndpoint of ["not a url", "ftp://ssrefused.example.com", ""]) {
      await refusedWith("InvalidBlobEndpoint", set(w, "ssrefused", { blobEndpoint }));
    }
    for (const credential of [{ type: "accountKey" as const }, { type: "sas" as const, secret: "" }]) {
      const error = await refusedWith("InvalidCredential", set(w, "ssrefused", { ...ok, credential }));
      assert.match(error.message, new RegExp(`${credential.type} credential needs its secret`));
    }
    await refusedWith("InvalidSubscriptionId", set(w, "ssrefused", { ...ok, subscriptionId: "not-a-guid" }));
    for (const who of [w.cast.operator, w.cast.customer, w.cast.stationA]) {
      await refusedWith("AuthorizationFailed", set(w, "ssrefused", ok, who));
    }
    assert.deepEqual(await listStorageAccounts(w.deps, w.cast.admin), before);
  });
});
