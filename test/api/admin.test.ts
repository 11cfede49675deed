/** @module The admin API: locations and the storage-account registry, with credentials never shown or stored in the clear. */

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";

import { jobPath, PROVIDER, storageAccountId } from "../../src/wire/ids.js";
import { importBody, withVersion } from "../support/customer-api.js";
import { BITLOCKER_KEY, callJson, STORAGE_ACCOUNT } from "../support/fixtures.js";
import { startSqliteServer, type TestServer } from "../support/server.js";

const SECRET = "c2VjcmV0LWFjY291bnQta2V5LW5vYm9keS1zZWVzLWl0LWV2ZXI=";
let server: TestServer;
let admin: string;
let operator: string;
const sub = randomUUID();
const otherSub = randomUUID();
let customer: string;
let otherCustomer: string;

const eastus = {
  name: "East US",
  recipientName: "Sneakernet East",
  streetAddress1: "1 Dock Rd",
  city: "Boydton",
  stateOrProvince: "VA",
  postalCode: "23917",
  countryOrRegion: "USA",
  phone: "+1 555 0199",
  supportedCarriers: ["UPS"],
};

/** A job's URL path (resource group rg), with its api-version. */
const jobUrl = (name: string, s = sub) =>
  withVersion(jobPath({ subscriptionId: s, resourceGroup: "rg", name }));

/** An import job of one drive at `location`, on `account` of the subscription's resource group rg. */
let drives = 0;

/** A job's PUT body with a drive of its own (a drive is in one live job at a time). */
function jobBody(location: string, account: string, s = sub) {
  return importBody(
    { subscriptionId: s, resourceGroup: "rg" },
    [{ driveId: `A${++drives}`, bitLockerKey: BITLOCKER_KEY }],
    {
      location,
      returnAddress: null,
      properties: { storageAccountId: storageAccountId(s, "rg", account) },
    },
  );
}

const call = (method: string, path: string, token: string, body?: unknown) =>
  callJson(server.url, method, path, token, body);

describe("admin API", () => {
  before(async () => {
    server = await startSqliteServer("admin");
    [admin, operator, customer, otherCustomer] = await Promise.all([
      server.token("admin"),
      server.token("operator"),
      server.token("customer", [sub]),
      server.token("customer", [otherSub]),
    ]);
  });
  after(() => server?.close());

  it("an admin adds a location; customers then see it, create jobs there, and its carriers apply", async () => {
    const put = await call("PUT", "/ops/v1/admin/locations/eastus", admin, eastus);
    assert.equal(put.status, 200, put.text);
    const listed = await call("GET", withVersion(`/providers/${PROVIDER}/locations`), customer);
    const names = (listed.json!.value as { name: string }[]).map((l) => l.name);
    assert.ok(names.includes("East US") && names.includes("West US"), names.join());
    const job = await call("PUT", jobUrl("east1"), customer, jobBody("East US", STORAGE_ACCOUNT));
    assert.equal(job.status, 201, job.text);
    const info = (job.json!.properties as { shippingInformation: { city: string } }).shippingInformation;
    assert.equal(info.city, "Boydton", "shipping information comes from the new location");
    const fedex = await call("PATCH", jobUrl("east1"), customer, {
      properties: { deliveryPackage: { carrierName: "FedEx", trackingNumber: "E-1" } },
    });
    assert.equal(fedex.status, 400, "East US takes UPS only");
    assert.equal((fedex.json!.error as { code: string }).code, "InvalidCarrier");
  });

  it("a location in use cannot be deleted; an unused one can; bad input is refused", async () => {
    const inUse = await call("DELETE", "/ops/v1/admin/locations/eastus", admin);
    assert.equal(inUse.status, 400);
    assert.match((inUse.json!.error as { message: string }).message, /used by 1 job/);
    assert.equal(
      (await call("PUT", "/ops/v1/admin/locations/spare1", admin, { ...eastus, name: "Spare" })).status,
      200,
    );
    assert.equal((await call("DELETE", "/ops/v1/admin/locations/spare1", admin)).status, 200);
    assert.equal((await call("GET", "/ops/v1/admin/locations/spare1", admin)).status, 404);
    assert.equal((await call("PUT", "/ops/v1/admin/locations/Bad-Id", admin, eastus)).status, 400);
    assert.equal(
      (await call("PUT", "/ops/v1/admin/locations/x2", admin, { ...eastus, supportedCarriers: [] })).status,
      400,
    );
    const unknown = await call("PUT", "/ops/v1/admin/locations/x3", admin, { ...eastus, color: "red" });
    assert.equal((unknown.json!.error as { code: string }).code, "UnknownProperty");
  });

  it("only admins administer: operators and customers get 403", async () => {
    for (const token of [operator, customer]) {
      assert.equal((await call("GET", "/ops/v1/admin/locations", token)).status, 403);
      assert.equal(
        (await call("PUT", "/ops/v1/admin/storage-accounts/acct1", token, { blobEndpoint: "https://x" }))
          .status,
        403,
      );
    }
  });

  it("a subscription's own storage account: its credential is sealed, shown only as a hint, and it resolves for that subscription alone", async () => {
    const put = await call("PUT", `/ops/v1/admin/storage-accounts/acme1?subscription=${sub}`, admin, {
      blobEndpoint: "https://acme1.blob.core.windows.net/",
      credential: { type: "accountKey", secret: SECRET },
    });
    assert.equal(put.status, 201, put.text);
    assert.deepEqual(put.json, {
      name: "acme1",
      subscriptionId: sub,
      blobEndpoint: "https://acme1.blob.core.windows.net",
      credential: { type: "accountKey", hint: `…${SECRET.slice(-4)}` },
    });
    // The same PUT again replaces the registration: 200, the same answer.
    const again = await call("PUT", `/ops/v1/admin/storage-accounts/acme1?subscription=${sub}`, admin, {
      blobEndpoint: "https://acme1.blob.core.windows.net/",
      credential: { type: "accountKey", secret: SECRET },
    });
    assert.equal(again.status, 200, again.text);
    assert.deepEqual(again.json, put.json);
    const list = await call("GET", "/ops/v1/admin/storage-accounts", admin);
    assert.ok(!list.text.includes(SECRET.slice(0, 20)), "never the secret in a response");
    const rows = await server.deps.store.db
      .selectFrom("storage_accounts")
      .select("credential_enc")
      .where("name", "=", "acme1")
      .execute();
    assert.equal(rows.length, 1);
    assert.ok(
      rows[0]!.credential_enc && !rows[0]!.credential_enc.includes(SECRET.slice(0, 20)),
      "sealed at rest",
    );

    assert.equal((await call("PUT", jobUrl("acme-job"), customer, jobBody("West US", "acme1"))).status, 201);
    const foreign = await call(
      "PUT",
      jobUrl("acme-job", otherSub),
      otherCustomer,
      jobBody("West US", "acme1", otherSub),
    );
    assert.equal((foreign.json!.error as { code: string }).code, "StorageAccountNotFound");

    assert.equal(
      (await call("GET", `/ops/v1/admin/storage-accounts/acme1?subscription=${sub}`, admin)).status,
      200,
    );
    assert.equal(
      (await call("GET", "/ops/v1/admin/storage-accounts/acme1", admin)).status,
      404,
      "no shared registration of it",
    );
    assert.equal(
      (await call("DELETE", `/ops/v1/admin/storage-accounts/acme1?subscription=${sub}`, admin)).status,
      200,
    );
    assert.equal(
      (await call("DELETE", `/ops/v1/admin/storage-accounts/acme1?subscription=${sub}`, admin)).status,
      404,
    );
  });

  it("operators read customer jobs but do not change them; drive keys go to the owner alone", async () => {
    const job = jobUrl("east1");
    assert.equal((await call("GET", job, operator)).status, 200);
    for (const [method, body] of [
      ["PATCH", { tags: { by: "operator" } }],
      ["PUT", jobBody("East US", STORAGE_ACCOUNT)],
      ["DELETE", undefined],
    ] as const) {
      const refused = await call(method, job, operator, body);
      assert.equal(refused.status, 403, `${method}: ${refused.text}`);
      assert.equal((refused.json!.error as { code: string }).code, "AuthorizationFailed");
    }
    const keys = withVersion(
      `${jobPath({ subscriptionId: sub, resourceGroup: "rg", name: "east1" })}/listBitLockerKeys`,
    );
    for (const token of [operator, admin]) {
      const refused = await call("POST", keys, token);
      assert.equal(refused.status, 403, refused.text);
      assert.ok(!refused.text.includes("111111-222222"), "no key in the refusal");
    }
    const owner = await call("POST", keys, customer);
    assert.equal(owner.status, 200);
    assert.deepEqual(owner.json!.value, [
      { driveId: "A1", bitLockerKey: "111111-222222-333333-444444-555555-666666-777777-888888" },
    ]);
    assert.equal((await call("GET", job, customer)).json!.tags !== undefined, true);
    assert.deepEqual(
      (await call("GET", job, customer)).json!.tags,
      {},
      "the operator's PATCH changed nothing",
    );
  });

  it("refuses bad registrations: names, endpoints, a key without its secret", async () => {
    assert.equal(
      (await call("PUT", "/ops/v1/admin/storage-accounts/Bad_Name", admin, { blobEndpoint: "https://x" }))
        .status,
      400,
    );
    assert.equal(
      (await call("PUT", "/ops/v1/admin/storage-accounts/okname", admin, { blobEndpoint: "ftp://x" })).status,
      400,
    );
    assert.equal(
      (await call("PUT", "/ops/v1/admin/storage-accounts/okname", admin, { blobEndpoint: "not a url" }))
        .status,
      400,
    );
    const noSecret = await call("PUT", "/ops/v1/admin/storage-accounts/okname", admin, {
      blobEndpoint: "https://x",
      credential: { type: "sas" },
    });
    assert.equal(noSecret.status, 400);
    const entra = await call("PUT", "/ops/v1/admin/storage-accounts/okname", admin, {
      blobEndpoint: "https://x",
      credential: { type: "entra" },
    });
    assert.deepEqual(entra.json!.credential, { type: "entra" });
  });
});
