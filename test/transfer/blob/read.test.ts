/**
 * @module Reading a small blob with a registered credential (transfer/blob/read.ts) against a real Azurite:
 * an account key, a connection string and a SAS each read; a blob past the cap, a wrong key, a missing
 * blob, an endpoint away and an Entra ID credential are answered as reasons, with no secret in them.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME } from "../../../src/serve/azurite.js";
import { readBlobText } from "../../../src/transfer/blob/read.js";
import { accountSas } from "../../../src/transfer/blob/sas.js";
import { readDriveLog } from "../../../src/transfer/import/index.js";
import { startTestAzurite } from "../../support/azurite.js";

const azurite = await startTestAzurite("blob-read");
const container = azurite.service().getContainerClient("waimportexport");
await container.create();
await container.getBlockBlobClient("waies/small.xml").upload("<DriveLog/>", 11);
await container.getBlockBlobClient("waies/big.xml").upload(Buffer.alloc(5000, 97), 5000);
await container.getBlockBlobClient("waies/empty.xml").upload("", 0);

const endpoint = azurite.endpoint();
const keyed = {
  name: DEV_ACCOUNT_NAME,
  blobEndpoint: endpoint,
  credential: { type: "accountKey" as const, secret: DEV_ACCOUNT_KEY },
};
const at = (blobName: string) => ({ container: "waimportexport", blobName });

describe("readBlobText", () => {
  it("reads with an account key, a connection string, a SAS", async () => {
    const connectionString = `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT_NAME};AccountKey=${DEV_ACCOUNT_KEY};BlobEndpoint=${endpoint};`;
    const sas = accountSas(
      endpoint,
      DEV_ACCOUNT_NAME,
      DEV_ACCOUNT_KEY,
      new Date(),
      new Date(Date.now() + 3_600_000),
    ).sas;
    for (const credential of [
      keyed.credential,
      { type: "connectionString" as const, secret: connectionString },
      { type: "sas" as const, secret: `?${sas}` },
    ]) {
      const read = await readBlobText({ ...keyed, credential }, at("waies/small.xml"), { maxBytes: 100 });
      assert.deepEqual(read, { ok: true, text: "<DriveLog/>" }, credential.type);
    }
  });

  it("a blob past the cap is refused as too large, at the cap it is read", async () => {
    const over = await readBlobText(keyed, at("waies/big.xml"), { maxBytes: 4999 });
    assert.equal(over.ok, false);
    assert.equal(!over.ok && over.reason, "tooLarge");
    assert.match(!over.ok ? over.message : "", /5000 bytes, more than the 4999/);
    const exact = await readBlobText(keyed, at("waies/big.xml"), { maxBytes: 5000 });
    assert.equal(exact.ok && exact.text.length, 5000);
    assert.deepEqual(await readBlobText(keyed, at("waies/empty.xml"), { maxBytes: 10 }), {
      ok: true,
      text: "",
    });
  });

  it("a wrong key is forbidden, a missing blob not found, an endpoint away unreachable; no secret in a message", async () => {
    const wrongKey = Buffer.alloc(64, 3).toString("base64");
    const forbidden = await readBlobText(
      { ...keyed, credential: { type: "accountKey", secret: wrongKey } },
      at("waies/small.xml"),
      { maxBytes: 100 },
    );
    assert.equal(!forbidden.ok && forbidden.reason, "forbidden");
    assert.ok(!JSON.stringify(forbidden).includes(wrongKey));
    const missing = await readBlobText(keyed, at("waies/none.xml"), { maxBytes: 100 });
    assert.equal(!missing.ok && missing.reason, "notFound");
    const away = await readBlobText(
      { ...keyed, blobEndpoint: "http://127.0.0.1:9/devstoreaccount1" },
      at("waies/small.xml"),
      { maxBytes: 100, tryTimeoutMs: 2000 },
    );
    assert.equal(!away.ok && away.reason, "unreachable");
  });

  it("an Entra ID credential cannot read yet: said so, nothing sent", async () => {
    const read = await readBlobText({ ...keyed, credential: { type: "entra" } }, at("waies/small.xml"), {
      maxBytes: 100,
    });
    assert.equal(!read.ok && read.reason, "credentialUnsupported");
    assert.match(!read.ok ? read.message : "", /Entra ID/);
  });
});

describe("readDriveLog", () => {
  it("a blob that is not a DriveLog is refused as such", async () => {
    const read = await readDriveLog(keyed, at("waies/big.xml"), { maxBytes: 10_000 });
    assert.equal(!read.ok && read.reason, "notADriveLog");
  });
});
