/**
 * @module `serve` with its embedded blob endpoint, as the real bin runs it: the banner, devstoreaccount1
 * pointed at the port Azurite really got, a claim whose SAS lets the Azure SDK write and read blobs, a
 * second serve on the same port refused in one line, and Azurite gone with a serve killed by SIGKILL.
 */

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import { BlobServiceClient } from "@azure/storage-blob";

import { DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME } from "../../src/serve/azurite.js";
import type { ClaimAnswer, StorageAccountList } from "../../src/wire/ops.js";
import { shippedImport } from "../support/customer-api.js";
import { TMP } from "../support/db.js";
import { callJson } from "../support/fixtures.js";
import { runCli, type ServerProcess, startServerProcess } from "../support/server.js";
import { until } from "../support/wait.js";

const SUB = randomUUID();
const dataDir = join(TMP, `blob-endpoint-${randomUUID()}`);
const WITH_AZURITE = { SNEAKERNET_AZURITE: "1" };
/** Debug: the most a log can say, so the claim test can show it says no secret. */
const VERBOSE = { ...WITH_AZURITE, SNEAKERNET_LOG_LEVEL: "debug" };
let server: ServerProcess;
const tokens: Record<"customer" | "operator" | "station" | "admin", string> = {
  customer: "",
  operator: "",
  station: "",
  admin: "",
};

/** Whether something accepts connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

function portOf(endpoint: string): number {
  return Number(new URL(endpoint).port);
}

describe("serve with the embedded blob endpoint (Azurite on a free port)", () => {
  before(async () => {
    mkdirSync(dataDir, { recursive: true });
    // Made offline before the start, as the README shows. Opening the data dir also seeds
    // devstoreaccount1 at port 10000 without a credential: the older registration the start must update.
    for (const role of Object.keys(tokens) as (keyof typeof tokens)[]) {
      const created = await runCli([
        "token",
        "create",
        "--role",
        role,
        ...(role === "customer" ? ["--subscription", SUB] : []),
        "--data-dir",
        dataDir,
      ]);
      assert.equal(created.code, 0, created.stderr);
      tokens[role] = created.stdout.trim();
    }
    server = await startServerProcess(["--data-dir", dataDir], VERBOSE);
  });

  after(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("prints the blob endpoint and the drive bays, and makes the bays folder", () => {
    assert.ok(server.blobEndpoint, server.output());
    assert.match(server.blobEndpoint, /^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/);
    assert.notEqual(portOf(server.blobEndpoint), 0);
    const output = server.output();
    assert.ok(
      output.includes(
        `  Blob endpoint: ${server.blobEndpoint} (embedded Azurite, data in ${join(dataDir, "azurite")})\n`,
      ),
      output,
    );
    assert.ok(
      output.includes(`  Drive bays: ${join(dataDir, "bays")} — put a drive's folder in a subfolder\n`),
      output,
    );
    assert.ok(statSync(join(dataDir, "bays")).isDirectory());
  });

  it("registers devstoreaccount1 at the port Azurite got, with the well-known key as its credential", async () => {
    const answer = await callJson(server.url, "GET", "/ops/v1/admin/storage-accounts", tokens.admin);
    assert.equal(answer.status, 200, answer.text);
    const dev = (answer.json as StorageAccountList).value.filter((a) => a.name === DEV_ACCOUNT_NAME);
    assert.deepEqual(dev, [
      {
        name: DEV_ACCOUNT_NAME,
        blobEndpoint: server.blobEndpoint,
        credential: { type: "accountKey", hint: `…${DEV_ACCOUNT_KEY.slice(-4)}` },
      },
    ]);
  });

  it("a station's claim carries a SAS with which the Azure SDK creates a container, writes and reads a blob", async () => {
    const serial = "E2E-SAS-1";
    const address = { subscriptionId: SUB, resourceGroup: "rg1", name: "sasjob" };
    await shippedImport(server.url, tokens.customer, address, [serial], "T-SAS-1");
    const received = await callJson(server.url, "POST", "/ops/v1/packages/receive", tokens.operator, {
      carrier: "FedEx",
      tracking: "T-SAS-1",
      drives: [serial],
    });
    assert.equal(received.status, 200, received.text);
    const registered = await callJson(server.url, "POST", "/ops/v1/stations/register", tokens.station, {
      name: "e2e-bay",
    });
    assert.equal(registered.status, 200, registered.text);
    const claimed = await callJson(server.url, "POST", `/ops/v1/drives/${serial}/claim`, tokens.station);
    assert.equal(claimed.status, 200, claimed.text);
    const claim = claimed.json as ClaimAnswer;
    assert.equal(claim.job.blobEndpoint, server.blobEndpoint);
    const storage = claim.job.storage;
    assert.ok(storage, claimed.text);
    assert.equal(storage.blobEndpoint, server.blobEndpoint);
    assert.ok(Date.parse(storage.expiresOn) > Date.now() + 50 * 60_000, storage.expiresOn);

    // Only the SAS: an anonymous client, as a station on another machine would hold.
    const service = new BlobServiceClient(`${storage.blobEndpoint}?${storage.sas}`);
    const container = service.getContainerClient("sas-e2e");
    await container.create();
    const body = "copied from a drive\n";
    await container.getBlockBlobClient("docs/notes.txt").upload(body, Buffer.byteLength(body));
    const read = await container.getBlobClient("docs/notes.txt").downloadToBuffer();
    assert.equal(read.toString("utf8"), body);
    const names: string[] = [];
    for await (const blob of container.listBlobsFlat()) {
      names.push(blob.name);
    }
    assert.deepEqual(names, ["docs/notes.txt"]);

    // Secrets never reach a log line, even at debug: neither the SAS's signature nor the drive's key.
    const signature = new URLSearchParams(storage.sas).get("sig");
    assert.ok(signature && claim.bitLockerKey);
    assert.match(server.output(), /"component":"azurite"/, "the log is at debug, Azurite's lines too");
    for (const secret of [signature, encodeURIComponent(signature), claim.bitLockerKey, DEV_ACCOUNT_KEY]) {
      assert.ok(!server.output().includes(secret), "a secret in the log");
    }
  });

  it("a second serve on the same blob port is refused in one line naming the port and the flags; nothing starts", async () => {
    const port = String(portOf(server.blobEndpoint!));
    const otherDir = join(TMP, `blob-endpoint-second-${randomUUID()}`);
    mkdirSync(otherDir, { recursive: true });
    try {
      await assert.rejects(
        startServerProcess(["--data-dir", otherDir, "--azurite-port", port], WITH_AZURITE),
        (error: Error) => {
          assert.match(error.message, /exited with [1-9]\d* before listening/, error.message);
          const lines = error.message.split("\n").filter((l) => l.startsWith("error: "));
          assert.equal(lines.length, 1, error.message);
          assert.match(lines[0]!, new RegExp(`127\\.0\\.0\\.1:${port}\\b.*--azurite-port.*--no-azurite`));
          return true;
        },
      );
      assert.ok(!existsSync(join(otherDir, "sneakernet.db")), "the store was never opened");
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
    assert.ok(await listening(portOf(server.blobEndpoint!)), "the first serve's Azurite is untouched");
  });

  it("with --no-azurite the banner says so, and still shows the drive bays", async () => {
    const otherDir = join(TMP, `blob-endpoint-off-${randomUUID()}`);
    mkdirSync(otherDir, { recursive: true });
    const off = await startServerProcess(["--data-dir", otherDir, "--no-azurite"], WITH_AZURITE);
    try {
      assert.equal(off.blobEndpoint, undefined);
      assert.match(off.output(), /^ {2}Blob endpoint: none embedded \(--no-azurite\)/m);
      assert.match(off.output(), /^ {2}Drive bays: \S+bays — /m);
      assert.ok(!existsSync(join(otherDir, "azurite")));
    } finally {
      await off.stop();
      rmSync(otherDir, { recursive: true, force: true });
    }
  });

  it("serve killed alone (SIGKILL) takes its Azurite with it within seconds", async () => {
    const port = portOf(server.blobEndpoint!);
    assert.ok(await listening(port));
    server.child.kill("SIGKILL");
    await until(async () => !(await listening(port)), {
      timeoutMs: 5_000,
      everyMs: 100,
      what: `Azurite on port ${port} gone`,
    });
  });
});
