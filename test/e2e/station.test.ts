/**
 * @module The data center on one machine, as whole processes: `serve` with its embedded Azurite and
 * station copies a prepared drive dropped in `data/bays/`; `kill -9` of serve's whole process group
 * (Azurite included) at five points of a copy, each followed by a restart, still ends with every byte
 * exact and one blob per file; and two `station run` processes beside a `serve --no-station` share a
 * job of two drives, each drive copied once.
 */

import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";

import { ApiClient } from "../../src/client/http.js";
import { JobsApi } from "../../src/client/jobs.js";
import { OpsApi } from "../../src/client/ops.js";
import { type DriveListEntry, prepareDrive } from "../../src/transfer/prepare/prepare.js";
import { embeddedAccount } from "../support/azurite.js";
import { assertExact, readBack } from "../support/blobs.js";
import { TMP } from "../support/db.js";
import { RETURN_ADDRESS, storageAccount } from "../support/fixtures.js";
import { cliToken, freePort, type RunningProcess, startCli, startServerProcess } from "../support/server.js";
import { until } from "../support/wait.js";

const HEADER = "BasePath,DstBlobPathOrPrefix,BlobType,Disposition,MetadataFile,PropertiesFile";
const SUB = randomUUID();
const work = join(TMP, `e2e-station-${randomUUID().slice(0, 8)}`);
mkdirSync(work, { recursive: true });
after(() => rmSync(work, { recursive: true, force: true }));

interface Prepared {
  entry: DriveListEntry;
  root: string;
  /** Blob name (in the container) → bytes. */
  blobs: Map<string, Buffer>;
  bytes: number;
}

async function prepared(
  container: string,
  files: Record<string, Buffer>,
  blockSize = 64 * 1024,
): Promise<Prepared> {
  const root = join(work, `src-${randomUUID().slice(0, 6)}`);
  for (const [name, data] of Object.entries(files)) {
    mkdirSync(join(root, "tree", name, ".."), { recursive: true });
    writeFileSync(join(root, "tree", name), data);
  }
  writeFileSync(join(root, "dataset.csv"), `${HEADER}\ntree/,${container}/,,rename\n`);
  const entry = await prepareDrive({
    dataset: join(root, "dataset.csv"),
    driveRoot: join(root, "drive"),
    driveId: `E2E${randomBytes(4).toString("hex").toUpperCase()}`,
    journalPath: join(root, "journal.json"),
    scrypt: { n: 2 ** 14 },
    blockSize,
  });
  const blobs = new Map(Object.entries(files));
  const bytes = [...blobs.values()].reduce((sum, b) => sum + b.length, 0);
  return { entry, root: join(root, "drive"), blobs, bytes };
}

const token = (dataDir: string, ...args: string[]) => cliToken(dataDir, args);

/** The customer creates the job from the drives, ships it, and the operator receives the package. */
async function receivedJob(url: string, dataDir: string, name: string, drives: Prepared[]): Promise<JobsApi> {
  const customer = new JobsApi(
    new ApiClient({
      endpoint: url,
      token: await token(dataDir, "--role", "customer", "--subscription", SUB),
    }),
  );
  const ops = new OpsApi(new ApiClient({ endpoint: url, token: await token(dataDir, "--role", "operator") }));
  const address = { subscriptionId: SUB, resourceGroup: "rg1", name };
  await customer.put(address, {
    location: "westus",
    properties: {
      storageAccountId: storageAccount(SUB, "rg1"),
      jobType: "Import",
      returnAddress: RETURN_ADDRESS,
      returnShipping: { carrierName: "FedEx", carrierAccountNumber: "989ffff" },
      driveList: drives.map((d) => d.entry),
    },
  });
  await customer.patch(address, {
    properties: { deliveryPackage: { carrierName: "FedEx", trackingNumber: `T-${name}` }, state: "Shipping" },
  });
  await ops.receivePackage({
    carrier: "FedEx",
    tracking: `T-${name}`,
    drives: drives.map((d) => d.entry.driveId),
  });
  return customer;
}

/** Waits for the job to reach `state`, telling what it was last seen as if it does not. */
async function reaches(customer: JobsApi, name: string, state: string, timeoutMs = 60_000): Promise<void> {
  const address = { subscriptionId: SUB, resourceGroup: "rg1", name };
  let seen = "";
  await until(
    async () => {
      // The server is up whenever this is asked: a refusal or no answer fails the test at once.
      const job = await customer.get(address);
      seen = `${job.properties.state} ${JSON.stringify(job.properties.driveList?.map((d) => [d.state, d.percentComplete]))}`;
      return job.properties.state === state;
    },
    { timeoutMs, everyMs: 200, what: () => `job ${name} to reach ${state} (seen: ${seen})` },
  );
}

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.split(" ").pop()) : 0;
}

const WITH_STATION = { SNEAKERNET_AZURITE: "1", SNEAKERNET_STATION: "1" };

describe("serve with its embedded blob endpoint and station", () => {
  it("copies a drive put in data/bays/: the job reaches Packaging, every blob exact with its Content-MD5", async () => {
    const dataDir = join(work, "one");
    const server = await startServerProcess(["--data-dir", dataDir, "--azurite-port", "0"], WITH_STATION);
    after(() => server.stop());
    assert.match(server.output(), /Drive bays: .*bays/);
    const drive = await prepared("photos", {
      "2024/sunrise.raw": randomBytes(300_000),
      "2024/empty.txt": Buffer.alloc(0),
      "notes.txt": Buffer.from("notes"),
    });
    const customer = await receivedJob(server.url, dataDir, "holiday", [drive]);
    renameSync(drive.root, join(dataDir, "bays", "bay-1"));
    await reaches(customer, "holiday", "Packaging");
    assertExact(await readBack(embeddedAccount(server), "photos"), drive.blobs);
    const job = await customer.get({ subscriptionId: SUB, resourceGroup: "rg1", name: "holiday" });
    const copied = job.properties.driveList?.[0];
    assert.equal(copied?.state, "Completed");
    assert.equal(copied?.percentComplete, 100);
    assert.match(copied?.errorLogUri ?? "", /\/waimportexport\/waies\/holiday_E2E/);
  });

  it("kill -9 of serve's process group at five points of a copy, restarted each time: Packaging, bytes exact, no (2), less than the drive sent after the last restart", async () => {
    const dataDir = join(work, "crash");
    const files: Record<string, Buffer> = { "big.bin": randomBytes(24 * 1024 * 1024) };
    for (let i = 0; i < 40; i += 1) {
      files[`small/${i}.bin`] = randomBytes(20_000 + i);
    }
    // Small blocks, one in flight: a copy of some seconds, so that all five kills land inside it.
    const drive = await prepared("crash", files, 4 * 1024);
    // The same API port after each restart: the customer's client keeps its endpoint.
    const args = ["--data-dir", dataDir, "--azurite-port", "0", "--port", String(await freePort())];
    const env = { ...WITH_STATION, SNEAKERNET_STATION_CONCURRENCY: "1" };
    let server = await startServerProcess(args, env, { detached: true });
    const customer = await receivedJob(server.url, dataDir, "crashy", [drive]);
    const address = { subscriptionId: SUB, resourceGroup: "rg1", name: "crashy" };
    renameSync(drive.root, join(dataDir, "bays", "bay-1"));
    for (let kill = 1; kill <= 5; kill += 1) {
      const started = Date.now();
      // Four kills at a random point early in a run (256 KiB to 1.5 MiB sent), wherever a block or a
      // commit is; the last one after more than Azurite's 5 s between metadata saves, so that the run
      // after it has something kept to resume from.
      const bytes = 256 * 1024 + Math.floor(Math.random() * 1.25 * 1024 * 1024);
      const afterMs = kill === 5 ? 6000 + Math.floor(Math.random() * 1500) : 0;
      let polls = 0;
      await until(
        async () => {
          const sent = await metric(server.url, "sneakernet_station_bytes_uploaded_total");
          if (sent >= bytes && Date.now() - started >= afterMs) {
            return true;
          }
          if (++polls % 50 === 0) {
            const state = (await customer.get(address)).properties.state;
            assert.notEqual(state, "Packaging", `the copy ended before kill ${kill}`);
          }
          return false;
        },
        { timeoutMs: 60_000, everyMs: 5, what: `kill ${kill}: ${bytes} bytes sent and ${afterMs} ms` },
      );
      process.kill(-server.child.pid!, "SIGKILL");
      await server.stop();
      server = await startServerProcess(args, env, { detached: true });
    }
    after(() => server.stop());
    await reaches(customer, "crashy", "Packaging", 120_000);
    const sent = await metric(server.url, "sneakernet_station_bytes_uploaded_total");
    assert.ok(
      sent < drive.bytes,
      `after the last restart ${sent} bytes were sent, less than the drive's ${drive.bytes}`,
    );
    assertExact(await readBack(embeddedAccount(server), "crash"), drive.blobs);
    assert.equal((await customer.get(address)).properties.driveList?.[0]?.state, "Completed");
  });
});

describe("two stations beside serve --no-station", () => {
  it("a job of two drives, one in each station's bays: each drive copied once, by its station", async () => {
    const dataDir = join(work, "two");
    const server = await startServerProcess(["--data-dir", dataDir, "--azurite-port", "0", "--no-station"], {
      SNEAKERNET_AZURITE: "1",
    });
    after(() => server.stop());
    const first = await prepared("twin", { "a/one.bin": randomBytes(200_000) });
    const second = await prepared("twin", { "b/two.bin": randomBytes(300_000) });
    const customer = await receivedJob(server.url, dataDir, "twins", [first, second]);
    const stations: { process: RunningProcess; bays: string; port: number }[] = [];
    for (const name of ["dock-1", "dock-2"]) {
      const bays = join(work, `${name}-bays`);
      mkdirSync(bays, { recursive: true });
      const port = await freePort();
      const process_ = startCli(
        [
          "station",
          "run",
          "--bays",
          bays,
          "--name",
          name,
          "--endpoint",
          server.url,
          "--metrics-port",
          String(port),
        ],
        { SNEAKERNET_TOKEN: await token(dataDir, "--role", "station", "--name", name) },
      );
      stations.push({ process: process_, bays, port });
    }
    after(async () => {
      for (const s of stations) {
        s.process.kill();
        await s.process.done;
      }
    });
    renameSync(first.root, join(stations[0]!.bays, "bay-1"));
    renameSync(second.root, join(stations[1]!.bays, "bay-1"));
    await reaches(customer, "twins", "Packaging");
    const both = await readBack(embeddedAccount(server), "twin");
    assertExact(both, new Map([...first.blobs, ...second.blobs]));
    const sentBy = await Promise.all(
      stations.map((s) => metric(`http://127.0.0.1:${s.port}`, "sneakernet_station_bytes_uploaded_total")),
    );
    assert.deepEqual(sentBy, [first.bytes, second.bytes], "each station sent its own drive, once");
  });
});
