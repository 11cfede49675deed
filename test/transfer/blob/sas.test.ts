/**
 * @module The SAS a claim hands a station, against a real Azurite: an account key's and a connection
 * string's work for the blob service, one past its expiry is refused (403), Entra ID yields none.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { BlobServiceClient, RestError } from "@azure/storage-blob";

import { DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME } from "../../../src/serve/azurite.js";
import { accountSas, grantBlobAccess } from "../../../src/transfer/blob/sas.js";
import { SECOND_ACCOUNT, startTestAzurite } from "../../support/azurite.js";

const HOUR = 60 * 60 * 1000;

/** Creates a container and writes and reads one blob with only the SAS (no key, no other credential). */
async function roundTrip(blobEndpoint: string, sas: string, container: string): Promise<string> {
  const client = new BlobServiceClient(`${blobEndpoint}?${sas}`).getContainerClient(container);
  await client.create();
  await client.getBlockBlobClient("a.txt").upload("hello", 5);
  return (await client.getBlobClient("a.txt").downloadToBuffer()).toString("utf8");
}

describe("blob SAS for stations (transfer/blob/sas.ts)", async () => {
  const azurite = await startTestAzurite("sas");

  it("an account key's SAS lets the SDK create a container, write and read a blob", async () => {
    const access = await grantBlobAccess(
      {
        name: DEV_ACCOUNT_NAME,
        blobEndpoint: azurite.endpoint(),
        credential: { type: "accountKey", secret: DEV_ACCOUNT_KEY },
      },
      new Date(),
    );
    assert.ok(access);
    assert.equal(access.blobEndpoint, azurite.endpoint());
    assert.equal(await roundTrip(access.blobEndpoint, access.sas, "bykey"), "hello");
  });

  it("a connection string's key signs for its own account, whatever the registration's name", async () => {
    const text = `DefaultEndpointsProtocol=http;AccountName=${SECOND_ACCOUNT.name};AccountKey=${SECOND_ACCOUNT.key};BlobEndpoint=${azurite.endpoint(SECOND_ACCOUNT.name)};`;
    const access = await grantBlobAccess(
      {
        name: "registeredname",
        blobEndpoint: azurite.endpoint(SECOND_ACCOUNT.name),
        credential: { type: "connectionString", secret: text },
      },
      new Date(),
    );
    assert.ok(access);
    assert.equal(await roundTrip(access.blobEndpoint, access.sas, "bystring"), "hello");
    const names = [];
    for await (const c of azurite.service(SECOND_ACCOUNT.name).listContainers()) {
      names.push(c.name);
    }
    assert.ok(names.includes("bystring"), "written to the second account, read back with its own key");
  });

  it("a SAS past its expiry is refused by Azurite: 403", async () => {
    const now = new Date();
    const expired = accountSas(
      azurite.endpoint(),
      DEV_ACCOUNT_NAME,
      DEV_ACCOUNT_KEY,
      new Date(now.getTime() - 2 * HOUR),
      new Date(now.getTime() - HOUR),
    );
    await assert.rejects(roundTrip(expired.blobEndpoint, expired.sas, "expired"), (error: unknown) => {
      assert.ok(error instanceof RestError, String(error));
      assert.equal(error.statusCode, 403);
      return true;
    });
  });

  it("a SAS signed with another key is refused too; a registered SAS passes as it is; Entra ID gives none", async () => {
    const forged = accountSas(
      azurite.endpoint(),
      DEV_ACCOUNT_NAME,
      SECOND_ACCOUNT.key,
      new Date(Date.now() - HOUR),
      new Date(Date.now() + HOUR),
    );
    await assert.rejects(roundTrip(forged.blobEndpoint, forged.sas, "forged"), { statusCode: 403 });

    const minted = accountSas(
      azurite.endpoint(),
      DEV_ACCOUNT_NAME,
      DEV_ACCOUNT_KEY,
      new Date(),
      new Date(Date.now() + HOUR),
    );
    const passed = await grantBlobAccess(
      {
        name: DEV_ACCOUNT_NAME,
        blobEndpoint: azurite.endpoint(),
        credential: { type: "sas", secret: `?${minted.sas}` },
      },
      new Date(),
    );
    assert.equal(passed?.sas, minted.sas, "without its leading ?");
    assert.equal(passed.expiresOn.slice(0, 19), minted.expiresOn.slice(0, 19), "its own expiry");
    assert.equal(await roundTrip(passed.blobEndpoint, passed.sas, "registered"), "hello");

    assert.equal(
      await grantBlobAccess(
        { name: DEV_ACCOUNT_NAME, blobEndpoint: azurite.endpoint(), credential: { type: "entra" } },
        new Date(),
      ),
      undefined,
    );
  });
});
