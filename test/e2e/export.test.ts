/**
 * @module An export on `serve` with its embedded Azurite and station, as whole processes: `kill -9` of
 * serve's process group at three random points of filling a drive, a restart after each, and the drive
 * still ends holding every selected blob exactly once, each byte exact, read back with `drive extract`.
 */

import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";

import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";

import { ApiClient } from "../../src/client/http.js";
import { JobsApi } from "../../src/client/jobs.js";
import { OpsApi } from "../../src/client/ops.js";
import { DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME } from "../../src/serve/azurite.js";
import { extractDrive } from "../../src/transfer/export/extract.js";
import { jobId } from "../../src/wire/ids.js";
import { TMP } from "../support/db.js";
import { RETURN_ADDRESS, storageAccount } from "../support/fixtures.js";
import { freePort, runCli, startServerProcess } from "../support/server.js";
import { until } from "../support/wait.js";

const SUB = randomUUID();
const work = join(TMP, `e2e-export-${randomUUID().slice(0, 8)}`);
mkdirSync(work, { recursive: true });
after(() => rmSync(work, { recursive: true, force: true }));

async function token(dataDir: string, ...args: string[]): Promise<string> {
  const made = await runCli(["token", "create", ...args, "--data-dir", dataDir]);
  assert.equal(made.code, 0, made.stderr);
  return made.stdout.trim();
}

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.split(" ").pop()) : 0;
}

describe("an export on serve", () => {
  it("kill -9 of serve's process group at three points of filling a drive, restarted each time: every blob on the drive once, exact", async () => {
    const dataDir = join(work, "crash");
    const args = ["--data-dir", dataDir, "--azurite-port", "0", "--port", String(await freePort())];
    // One blob at a time: a fill of some seconds, so that the three kills land inside it.
    const env = { SNEAKERNET_AZURITE: "1", SNEAKERNET_STATION: "1", SNEAKERNET_STATION_CONCURRENCY: "1" };
    let server = await startServerProcess(args, env, { detached: true });
    const endpoint = /Blob endpoint: (http:\/\/\S+\/devstoreaccount1)/.exec(server.output())?.[1];
    assert.ok(endpoint, server.output());
    // The embedded Azurite keeps its port across restarts only if told: the blobs are uploaded once, here.
    const blobs = new BlobServiceClient(
      endpoint,
      new StorageSharedKeyCredential(DEV_ACCOUNT_NAME, DEV_ACCOUNT_KEY),
    );
    const expected = new Map<string, Buffer>();
    const container = blobs.getContainerClient("archive");
    await container.create();
    for (let i = 0; i < 400; i += 1) {
      const data = randomBytes(8_000 + ((i * 37) % 5000));
      await container.getBlockBlobClient(`set/${String(i).padStart(3, "0")}.bin`).uploadData(data);
      expected.set(`archive/set/${String(i).padStart(3, "0")}.bin`, data);
    }
    const big = randomBytes(12 * 1024 * 1024);
    await container.getBlockBlobClient("big.bin").uploadData(big);
    expected.set("archive/big.bin", big);
    // Azurite keeps its metadata in memory and saves it every 5 s: the uploads must survive the first kill.
    await new Promise((resolve) => setTimeout(resolve, 6000));

    const customer = new JobsApi(
      new ApiClient({
        endpoint: server.url,
        token: await token(dataDir, "--role", "customer", "--subscription", SUB),
      }),
    );
    const ops = new OpsApi(
      new ApiClient({ endpoint: server.url, token: await token(dataDir, "--role", "operator") }),
    );
    const address = { subscriptionId: SUB, resourceGroup: "rg1", name: "crashout" };
    await customer.put(address, {
      location: "westus",
      properties: {
        storageAccountId: storageAccount(SUB, "rg1"),
        jobType: "Export",
        returnAddress: RETURN_ADDRESS,
        returnShipping: { carrierName: "FedEx", carrierAccountNumber: "989ffff" },
        export: { blobList: { blobPathPrefix: ["/archive/"] } },
      },
    });
    await customer.patch(address, {
      properties: {
        deliveryPackage: { carrierName: "FedEx", trackingNumber: "T-crashout" },
        state: "Shipping",
      },
    });
    await ops.registerDrive({ job: jobId(address), drive: "EXPKILL1" });
    mkdirSync(join(dataDir, "bays", "EXPKILL1"), { recursive: true });

    for (let kill = 1; kill <= 3; kill += 1) {
      // Each kill after a random number of blobs written in this run: wherever a write, a flush or a
      // journal record is.
      const files = 20 + Math.floor(Math.random() * 60);
      await until(
        async () => {
          const state = (await customer.get(address)).properties.state;
          assert.notEqual(state, "Packaging", `the export ended before kill ${kill}`);
          return (await metric(server.url, "sneakernet_station_files_exported_total")) >= files;
        },
        { timeoutMs: 60_000, everyMs: 5, what: `kill ${kill}: ${files} blobs written` },
      );
      process.kill(-server.child.pid!, "SIGKILL");
      await server.stop();
      server = await startServerProcess(args, env, { detached: true });
    }
    after(() => server.stop());
    let seen = "";
    await until(
      async () => {
        const job = await customer.get(address);
        seen = `${job.properties.state} ${JSON.stringify(job.properties.driveList)}`;
        return job.properties.state === "Packaging";
      },
      { timeoutMs: 120_000, everyMs: 200, what: () => `the export to finish (seen: ${seen})` },
    );
    const job = await customer.get(address);
    assert.equal(job.properties.driveList?.[0]?.state, "Completed");
    assert.equal(job.properties.incompleteBlobListUri, undefined);

    const key = (await customer.bitLockerKeys(address)).find((k) => k.driveId === "EXPKILL1")?.bitLockerKey;
    assert.ok(key);
    const out = join(work, "out");
    const report = await extractDrive({ drive: join(dataDir, "bays", "EXPKILL1"), password: key, to: out });
    assert.equal(report.failed, 0);
    // Extract refuses two entries for one path: a blob written twice would fail here.
    assert.deepEqual(
      report.files.map((f) => `${f.container}/${f.blobName}`).sort(),
      [...expected.keys()].sort(),
    );
    for (const [path, bytes] of expected) {
      assert.ok(readFileSync(join(out, path)).equals(bytes), path);
    }
  });
});
