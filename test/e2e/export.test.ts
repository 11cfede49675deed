/**
 * @module An export on `serve` with its embedded Azurite and station, as whole processes: prefixes over three
 * containers onto two small drives, then a follow-up job from the incomplete blob list; and `kill -9` of
 * serve's process group at three random points of filling a drive, a restart after each, and the drive
 * still ends holding every selected blob exactly once, each byte exact, read back with `drive extract`.
 */

import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";

import { ApiClient } from "../../src/client/http.js";
import { JobsApi } from "../../src/client/jobs.js";
import { OpsApi } from "../../src/client/ops.js";
import { extractDrive } from "../../src/transfer/export/extract.js";
import { jobId } from "../../src/wire/ids.js";
import { embeddedAccount } from "../support/azurite.js";
import { TMP } from "../support/db.js";
import { RETURN_ADDRESS, storageAccount } from "../support/fixtures.js";
import { cliToken, freePort, startServerProcess } from "../support/server.js";
import { until } from "../support/wait.js";

const SUB = randomUUID();
const work = join(TMP, `e2e-export-${randomUUID().slice(0, 8)}`);
mkdirSync(work, { recursive: true });
after(() => rmSync(work, { recursive: true, force: true }));

const token = (dataDir: string, ...args: string[]) => cliToken(dataDir, args);

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.split(" ").pop()) : 0;
}

interface Parties {
  customer: JobsApi;
  ops: OpsApi;
}

async function parties(url: string, dataDir: string): Promise<Parties> {
  return {
    customer: new JobsApi(
      new ApiClient({
        endpoint: url,
        token: await token(dataDir, "--role", "customer", "--subscription", SUB),
      }),
    ),
    ops: new OpsApi(new ApiClient({ endpoint: url, token: await token(dataDir, "--role", "operator") })),
  };
}

/** The customer creates the export job and ships it; the operator registers each drive (in this order). */
async function exportJob(
  { customer, ops }: Parties,
  name: string,
  exportSpec: { blobList?: { blobPathPrefix?: string[]; blobPath?: string[] }; blobListBlobPath?: string },
  drives: { id: string; capacity?: string }[],
) {
  const address = { subscriptionId: SUB, resourceGroup: "rg1", name };
  await customer.put(address, {
    location: "westus",
    properties: {
      storageAccountId: storageAccount(SUB, "rg1"),
      jobType: "Export",
      returnAddress: RETURN_ADDRESS,
      returnShipping: { carrierName: "FedEx", carrierAccountNumber: "989ffff" },
      export: exportSpec,
    },
  });
  await customer.patch(address, {
    properties: { deliveryPackage: { carrierName: "FedEx", trackingNumber: `T-${name}` }, state: "Shipping" },
  });
  for (const drive of drives) {
    await ops.registerDrive({
      job: jobId(address),
      drive: drive.id,
      ...(drive.capacity !== undefined ? { capacity: drive.capacity } : {}),
    });
  }
  return address;
}

async function packaged(
  customer: JobsApi,
  address: { subscriptionId: string; resourceGroup: string; name: string },
) {
  let seen = "";
  await until(
    async () => {
      const job = await customer.get(address);
      seen = `${job.properties.state} ${JSON.stringify(job.properties.driveList)}`;
      return job.properties.state === "Packaging";
    },
    { timeoutMs: 120_000, everyMs: 200, what: () => `${address.name} to reach Packaging (seen: ${seen})` },
  );
  return customer.get(address);
}

/** Each drive extracted with the key the customer reads, into one folder: output path → bytes. */
async function extractAll(
  customer: JobsApi,
  address: { subscriptionId: string; resourceGroup: string; name: string },
  bays: string,
  drives: string[],
  out: string,
): Promise<Map<string, Buffer>> {
  const keys = await customer.bitLockerKeys(address);
  const found = new Map<string, Buffer>();
  for (const driveId of drives) {
    const key = keys.find((k) => k.driveId === driveId)?.bitLockerKey;
    assert.ok(key, `a key for ${driveId}`);
    const report = await extractDrive({ drive: join(bays, driveId), password: key, to: out });
    assert.equal(report.failed, 0);
    for (const file of report.files) {
      // Extract refuses two entries for one path: a blob written twice would fail above.
      assert.ok(!found.has(file.output!), `${file.output} on two drives`);
      found.set(file.output!, readFileSync(join(out, file.output!)));
    }
  }
  return found;
}

describe("an export on serve", () => {
  it("prefixes over three containers (one with snapshots) onto two small drives, then a follow-up job from the incomplete list: extracted, exactly the selection", async () => {
    const dataDir = join(work, "spread");
    const server = await startServerProcess(["--data-dir", dataDir, "--azurite-port", "0"], {
      SNEAKERNET_AZURITE: "1",
      SNEAKERNET_STATION: "1",
    });
    after(() => server.stop());
    const blobs = embeddedAccount(server);
    const expected = new Map<string, Buffer>();
    const put = async (container: string, name: string, bytes: Buffer) => {
      const client = blobs.getContainerClient(container);
      await client.createIfNotExists();
      await client.getBlockBlobClient(name).uploadData(bytes);
      expected.set(`${container}/${name}`, bytes);
    };
    for (let i = 0; i < 4; i += 1) {
      await put("films", `reel${i}.mov`, randomBytes(400_000));
      await put("filmsextra", `cut${i}.mov`, randomBytes(300_000));
    }
    await put("scripts", "draft.txt", Buffer.from("first draft"));
    const draft = blobs.getContainerClient("scripts").getBlockBlobClient("draft.txt");
    const { snapshot } = await draft.createSnapshot();
    expected.set(`$snapshots/scripts/${snapshot!.replace(/:/g, "-")}/draft.txt`, Buffer.from("first draft"));
    await put("scripts", "draft.txt", Buffer.from("final script"));
    await blobs.getContainerClient("unrelated").createIfNotExists();
    await blobs
      .getContainerClient("unrelated")
      .getBlockBlobClient("x")
      .uploadData(Buffer.from("not selected"));

    const who = await parties(server.url, dataDir);
    const bays = join(dataDir, "bays");
    // Two drives too small for the 2.8 MB selected: the first fills, the second takes what it left.
    const first = await exportJob(who, "spread", { blobList: { blobPathPrefix: ["/films", "/scripts/"] } }, [
      { id: "EXPS1", capacity: "2MB" },
      { id: "EXPS2", capacity: "2MB" },
    ]);
    mkdirSync(join(bays, "EXPS2"), { recursive: true });
    mkdirSync(join(bays, "EXPS1"), { recursive: true });
    const job = await packaged(who.customer, first);
    const [one, two] = ["EXPS1", "EXPS2"].map((id) =>
      job.properties.driveList?.find((d) => d.driveId === id),
    );
    assert.equal(one?.state, "CompletedMoreInfo");
    assert.equal(two?.state, "CompletedMoreInfo", "neither drive held the rest");
    const uri = job.properties.incompleteBlobListUri;
    assert.ok(uri, "the job names what is missing");
    const out = join(work, "spread-out");
    const onBoth = await extractAll(who.customer, first, bays, ["EXPS1", "EXPS2"], out);
    const missing = [...expected.keys()].filter((path) => !onBoth.has(path));
    assert.ok(missing.length > 0);

    // The follow-up job takes the list's URI unchanged, and its drive takes exactly what was missing.
    const followUp = await exportJob(who, "spread-more", { blobListBlobPath: uri }, [{ id: "EXPS3" }]);
    mkdirSync(join(bays, "EXPS3"), { recursive: true });
    const more = await packaged(who.customer, followUp);
    assert.equal(more.properties.driveList?.[0]?.state, "Completed");
    const onThird = await extractAll(who.customer, followUp, bays, ["EXPS3"], join(work, "spread-more-out"));
    assert.deepEqual([...onThird.keys()].sort(), missing.sort());
    const all = new Map([...onBoth, ...onThird]);
    assert.deepEqual([...all.keys()].sort(), [...expected.keys()].sort());
    for (const [path, bytes] of expected) {
      assert.ok(all.get(path)?.equals(bytes), path);
    }
  });

  it("kill -9 of serve's process group at three points of filling a drive, restarted each time: every blob on the drive once, exact", async () => {
    const dataDir = join(work, "crash");
    const args = ["--data-dir", dataDir, "--azurite-port", "0", "--port", String(await freePort())];
    // One blob at a time: a fill of some seconds, so that the three kills land inside it.
    const env = { SNEAKERNET_AZURITE: "1", SNEAKERNET_STATION: "1", SNEAKERNET_STATION_CONCURRENCY: "1" };
    let server = await startServerProcess(args, env, { detached: true });
    // The embedded Azurite keeps its port across restarts only if told: the blobs are uploaded once, here.
    const blobs = embeddedAccount(server);
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

    const { customer, ops } = await parties(server.url, dataDir);
    const address = await exportJob(
      { customer, ops },
      "crashout",
      { blobList: { blobPathPrefix: ["/archive/"] } },
      [{ id: "EXPKILL1" }],
    );
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
    const job = await packaged(customer, address);
    assert.equal(job.properties.driveList?.[0]?.state, "Completed");
    assert.equal(job.properties.incompleteBlobListUri, undefined);
    const found = await extractAll(customer, address, join(dataDir, "bays"), ["EXPKILL1"], join(work, "out"));
    assert.deepEqual([...found.keys()].sort(), [...expected.keys()].sort());
    for (const [path, bytes] of expected) {
      assert.ok(found.get(path)?.equals(bytes), path);
    }
  });
});
