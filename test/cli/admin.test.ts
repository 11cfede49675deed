/**
 * @module `sneakernet admin …` against a real server process: locations and the storage-account registry,
 * each verb's JSON compared with the admin API's answer; secrets never printed.
 */

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";

import { locationId } from "../../src/wire/ids.js";
import type { Location, StorageAccountView as Account } from "../../src/wire/ops.js";
import { createExport } from "../support/customer-api.js";
import { assertOneLineError, CliWorld, tableHeaders } from "./cli-helpers.js";

const w = new CliWorld();
const SECRET = "c2VjcmV0LWtleS1ub2JvZHktc2Vlcw==XY12";
const SAS = "sv=2024-01-01&sig=abcdefSIGN";

const LOCATION_FLAGS = [
  "--name",
  "East US",
  "--recipient",
  "Sneakernet East",
  "--street1",
  "1 Harbor St",
  "--city",
  "Boston",
  "--state-or-province",
  "MA",
  "--postal-code",
  "02110",
  "--country",
  "USA",
  "--phone",
  "+1 617 555 0100",
  "--shipping-info",
  "Dock 4",
  "--carrier",
  "FedEx",
  "--carrier",
  "UPS",
];

before(() => w.start({ customer: "customer", operator: "operator", admin: "admin" }));
after(() => w.stop());

describe("admin location", () => {
  it("set, show, list: --output json is what the admin API returns; tables have their columns", async () => {
    const saved = await w.json<Location>(["admin", "location", "set", "eastus", ...LOCATION_FLAGS], "admin");
    assert.equal(saved.id, "eastus");
    assert.deepEqual(saved.supportedCarriers, ["FedEx", "UPS"]);
    assert.equal(saved.stateOrProvince, "MA");

    const [shown, listed, listTable, showTable] = await Promise.all([
      w.json<Location>(["admin", "location", "show", "eastus"], "admin"),
      w.json<Location[]>(["admin", "location", "list"], "admin"),
      w.table(["admin", "location", "list"], "admin"),
      w.table(["admin", "location", "show", "eastus"], "admin"),
    ]);
    assert.deepEqual(shown, await w.api("GET", "/ops/v1/admin/locations/eastus", "admin"));
    assert.deepEqual(shown, saved);
    assert.deepEqual(
      listed,
      (await w.api<{ value: unknown[] }>("GET", "/ops/v1/admin/locations", "admin")).value,
    );
    assert.deepEqual(listed.map((l) => l.id).sort(), ["eastus", "westus"]);
    assert.deepEqual(tableHeaders(listTable), ["ID", "NAME", "CITY", "COUNTRY", "CARRIERS"]);
    assert.match(listTable, /^eastus\s+East US\s+Boston\s+USA\s+FedEx, UPS$/m);
    assert.match(showTable, /^carriers:\s+FedEx, UPS$/m);
    assert.match(showTable, /^shipping information:\s+Dock 4$/m);

    // A customer can now ship to it.
    const location = await w.arm<{ name: string }>("GET", locationId("eastus"));
    assert.equal(location.name, "East US");
  });

  it("delete: gone afterwards; a location in use is refused (exit 1); operators may not (exit 1)", async () => {
    await createExport(w.server.url, w.tokens.customer!, w.address("uses-westus"), {
      location: "westus",
      returnAddress: null,
    });
    const [deleted, inUse, operator] = await Promise.all([
      w.json<unknown>(["admin", "location", "delete", "eastus"], "admin"),
      w.cli(["admin", "location", "delete", "westus"], "admin"),
      w.cli(["admin", "location", "list"], "operator"),
    ]);
    assert.deepEqual(deleted, { id: "eastus", deleted: true });
    assertOneLineError(inUse, 1, /^error: InvalidLocation: .*westus.*used by 1 job/);
    assertOneLineError(operator, 1, /^error: AuthorizationFailed: /);
    const gone = await w.cli(["admin", "location", "show", "eastus"], "admin");
    assertOneLineError(gone, 1, /^error: ResourceNotFound: /);
  });
});

describe("admin storage-account", () => {
  const sub = randomUUID();

  it("set with each kind of credential: the answer shows its type and hint, never the secret", async () => {
    const [shared, specific, entra] = await Promise.all([
      w.cli(
        [
          "admin",
          "storage-account",
          "set",
          "acmedata",
          "--blob-endpoint",
          "https://acmedata.blob.core.windows.net/",
          "--account-key",
          SECRET,
          "--output",
          "json",
        ],
        "admin",
      ),
      w.cli(
        [
          "admin",
          "storage-account",
          "set",
          "acmedata",
          "--subscription",
          sub,
          "--blob-endpoint",
          "https://acme-eu.blob.core.windows.net",
          "--sas",
          SAS,
          "--output",
          "table",
        ],
        "admin",
      ),
      w.json<Account>(
        [
          "admin",
          "storage-account",
          "set",
          "entradata",
          "--blob-endpoint",
          "https://entra.example",
          "--entra",
        ],
        "admin",
      ),
    ]);
    for (const result of [shared, specific]) {
      assert.equal(result.code, 0, result.stderr);
      assert.ok(!result.stdout.includes(SECRET) && !result.stdout.includes(SAS), result.stdout);
    }
    const account = JSON.parse(shared.stdout) as Account;
    assert.deepEqual(account, {
      name: "acmedata",
      blobEndpoint: "https://acmedata.blob.core.windows.net",
      credential: { type: "accountKey", hint: "…XY12" },
    });
    assert.match(specific.stdout, new RegExp(`^subscription:\\s+${sub}$`, "m"));
    assert.match(specific.stdout, /^credential:\s+sas …SIGN$/m);
    assert.deepEqual(entra.credential, { type: "entra" });
  });

  it("show and list: --output json is what the admin API returns; --subscription picks the specific one", async () => {
    const [shared, specific, listed, table] = await Promise.all([
      w.json<Account>(["admin", "storage-account", "show", "acmedata"], "admin"),
      w.json<Account>(["admin", "storage-account", "show", "acmedata", "--subscription", sub], "admin"),
      w.json<Account[]>(["admin", "storage-account", "list"], "admin"),
      w.table(["admin", "storage-account", "list"], "admin"),
    ]);
    assert.deepEqual(shared, await w.api("GET", "/ops/v1/admin/storage-accounts/acmedata", "admin"));
    assert.deepEqual(
      specific,
      await w.api("GET", `/ops/v1/admin/storage-accounts/acmedata?subscription=${sub}`, "admin"),
    );
    assert.equal(specific.blobEndpoint, "https://acme-eu.blob.core.windows.net");
    assert.deepEqual(
      listed,
      (await w.api<{ value: unknown[] }>("GET", "/ops/v1/admin/storage-accounts", "admin")).value,
    );
    assert.deepEqual(tableHeaders(table), ["NAME", "SUBSCRIPTION", "BLOB ENDPOINT", "CREDENTIAL"]);
    assert.match(
      table,
      /^acmedata\s+\(any\)\s+https:\/\/acmedata\.blob\.core\.windows\.net\s+accountKey …XY12$/m,
    );
    assert.ok(!table.includes(SECRET));
  });

  it("set --connection-string: the blob endpoint is the string's unless given; an unreadable one is refused, its text never echoed", async () => {
    const key = Buffer.alloc(64, 9).toString("base64");
    const text = `DefaultEndpointsProtocol=https;AccountName=csdata;AccountKey=${key};EndpointSuffix=core.windows.net`;
    const account = await w.json<Account>(
      ["admin", "storage-account", "set", "csdata", "--connection-string", text],
      "admin",
    );
    assert.deepEqual(account, {
      name: "csdata",
      blobEndpoint: "https://csdata.blob.core.windows.net",
      credential: { type: "connectionString", hint: `…${key.slice(-4)}` },
    });
    const bad = "AccountName=csdata;AccountKey=not base64!";
    const [local, server] = await Promise.all([
      w.cli(["admin", "storage-account", "set", "csdata2", "--connection-string", bad], "admin"),
      w.cli(
        [
          "admin",
          "storage-account",
          "set",
          "csdata2",
          "--blob-endpoint",
          "https://csdata2.example",
          "--connection-string",
          bad,
        ],
        "admin",
      ),
    ]);
    assertOneLineError(local, 2, /^error: the connection string cannot be read .*--blob-endpoint/);
    assertOneLineError(server, 1, /^error: InvalidCredential: A connectionString credential must hold/);
    for (const result of [local, server]) {
      assert.ok(!result.stderr.includes("not base64"), result.stderr);
    }
    const both = await w.cli(
      ["admin", "storage-account", "set", "csdata3", "--connection-string", text, "--sas", SAS],
      "admin",
    );
    assert.equal(both.code, 2, "one credential at a time");
  });

  it("delete removes one registration; the other stays; a second delete is refused (exit 1)", async () => {
    const deleted = await w.json<unknown>(
      ["admin", "storage-account", "delete", "acmedata", "--subscription", sub],
      "admin",
    );
    assert.deepEqual(deleted, { name: "acmedata", subscriptionId: sub, deleted: true });
    const [again, shared] = await Promise.all([
      w.cli(
        ["admin", "storage-account", "delete", "acmedata", "--subscription", sub, "--output", "table"],
        "admin",
      ),
      w.json<Account>(["admin", "storage-account", "show", "acmedata"], "admin"),
    ]);
    assertOneLineError(again, 1, /^error: ResourceNotFound: /);
    assert.equal(shared.blobEndpoint, "https://acmedata.blob.core.windows.net");
  });
});
