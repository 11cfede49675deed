/**
 * @module A station in this process against the real API (Fastify on a free port) and a real Azurite:
 * drives prepared by `prepareDrive`, received by the operator, put in a bay, copied, verified and
 * reported (file share items into the station's share root); a corrupted block, a wrong key, a drive that arrives in its bay before it is received, and a
 * station stopped mid-copy then started again.
 */

import assert from "node:assert/strict";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import { getJob } from "../../src/app/get-job.js";
import { setStorageAccount } from "../../src/app/set-storage-account.js";
import { shipBack } from "../../src/app/ship-back.js";
import { ApiClient } from "../../src/client/http.js";
import { StationApi } from "../../src/client/station.js";
import { DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME } from "../../src/serve/azurite.js";
import { systemClock } from "../../src/serve/clock.js";
import { createStationMetrics, type StationMetrics } from "../../src/station/metrics.js";
import { Station, type StationLog } from "../../src/station/station.js";
import { openDrive } from "../../src/transfer/drive/index.js";
import { type DriveListEntry, prepareDrive } from "../../src/transfer/prepare/prepare.js";
import { storageAccountId } from "../../src/wire/ids.js";
import { type AppWorld, makeWorld } from "../support/app.js";
import { SECOND_ACCOUNT, startTestAzurite, type TestAzurite } from "../support/azurite.js";
import { freshSqlite, TMP } from "../support/db.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { startProxy } from "../support/stream-proxy.js";
import { until } from "../support/wait.js";

const HEADER = "BasePath,DstBlobPathOrPrefix,BlobType,Disposition,MetadataFile,PropertiesFile";
const FAST = { scrypt: { n: 2 ** 14 }, blockSize: 16 * 1024 };

// SNEAKERNET_TEST_LOG=1 shows what the station says, when a test fails and the reason is not in the assertion.
const say = (level: string) => (fields: object, message: string) =>
  process.env.SNEAKERNET_TEST_LOG === "1" ? console.error(level, message, JSON.stringify(fields)) : undefined;
const quiet: StationLog = { info: say("info"), warn: say("warn"), error: say("error") };

// At the top: an `after` registered inside a `before` hook would stop it as soon as the hook ends.
const azurite: TestAzurite = await startTestAzurite("station");
let world: AppWorld;
let server: TestServer;
let stationToken: string;
const work = join(TMP, `station-${randomUUID().slice(0, 8)}`);
const bays = join(work, "bays");
const fileShares = join(work, "fileshares");

function folder(label: string): string {
  const path = join(work, `${label}-${randomUUID().slice(0, 6)}`);
  mkdirSync(path, { recursive: true });
  return path;
}

interface PreparedDrive {
  entry: DriveListEntry;
  root: string;
  /** Container-relative blob path → the bytes it must hold. */
  blobs: Map<string, Buffer>;
}

/** A drive of `files` (name → bytes) under `container/prefix/`, all with `disposition`. */
async function prepared(
  label: string,
  container: string,
  files: Record<string, Buffer>,
  disposition = "rename",
): Promise<PreparedDrive> {
  const root = folder(label);
  const tree = join(root, "tree");
  for (const [name, data] of Object.entries(files)) {
    mkdirSync(join(tree, name, ".."), { recursive: true });
    writeFileSync(join(tree, name), data);
  }
  const blobs = new Map(Object.entries(files).map(([name, data]) => [`${container}/in/${name}`, data]));
  return fromDataset(root, `${HEADER}\ntree/,${container}/in/,,${disposition}\n`, blobs);
}

/** `drive prepare` of the dataset `csv` (its paths under `root`), onto `root/drive`. */
async function fromDataset(
  root: string,
  csv: string,
  blobs = new Map<string, Buffer>(),
): Promise<PreparedDrive> {
  writeFileSync(join(root, "dataset.csv"), csv);
  const entry = await prepareDrive({
    dataset: join(root, "dataset.csv"),
    driveRoot: join(root, "drive"),
    driveId: `ST${randomBytes(4).toString("hex").toUpperCase()}`,
    journalPath: join(root, "journal.json"),
    ...FAST,
  });
  return { entry, root: join(root, "drive"), blobs };
}

/** The job `name` importing `drive`, shipped and received: the drive is Received, ready to copy. */
async function received(name: string, drive: PreparedDrive, key = drive.entry.bitLockerKey): Promise<void> {
  await world.createImport(name, [], { driveList: [{ ...drive.entry, bitLockerKey: key }] });
  await world.ship(name, `T-${name}`);
  await world.receive(`T-${name}`, [drive.entry.driveId]);
}

async function jobState(name: string): Promise<{ state: string; drive: Record<string, unknown> }> {
  const view = await getJob(world.deps, world.cast.customer, world.address(name));
  return { state: view.job.state, drive: view.drives[0] as unknown as Record<string, unknown> };
}

async function blobText(container: string, path: string): Promise<Buffer> {
  return azurite.service().getContainerClient(container).getBlobClient(path).downloadToBuffer();
}

async function blobNames(container: string): Promise<string[]> {
  const names: string[] = [];
  for await (const blob of azurite.service().getContainerClient(container).listBlobsFlat()) {
    names.push(blob.name);
  }
  return names.sort();
}

function startStation(
  metrics: StationMetrics = createStationMetrics(),
  more: Partial<ConstructorParameters<typeof Station>[0]> = {},
): Station {
  return new Station({
    api: new StationApi(new ApiClient({ endpoint: server.url, token: stationToken })),
    name: "test-station",
    baysDir: bays,
    stateDir: join(work, "state"),
    fileSharesDir: fileShares,
    clock: systemClock,
    log: quiet,
    metrics,
    concurrency: 4,
    scanIntervalMs: 50,
    progressIntervalMs: 100,
    deviceSerial: () => Promise.resolve(undefined),
    ...more,
  });
}

/** Moves the drive into a new bay, as an operator renames a folder into place. */
function intoBay(drive: PreparedDrive): string {
  const bay = join(bays, `bay-${randomUUID().slice(0, 6)}`);
  renameSync(drive.root, bay);
  return bay;
}

async function settled(
  name: string,
  timeoutMs = 30_000,
): Promise<{ state: string; drive: Record<string, unknown> }> {
  let last = await jobState(name);
  await until(
    async () => {
      last = await jobState(name);
      return ["Completed", "CompletedMoreInfo"].includes(String(last.drive.state));
    },
    {
      timeoutMs,
      everyMs: 50,
      what: () => `job ${name}'s drive to finish (it is ${String(last.drive.state)})`,
    },
  );
  return last;
}

describe("a copy station", () => {
  let station: Station;

  before(async () => {
    mkdirSync(bays, { recursive: true });
    const db = freshSqlite("station");
    ({ world } = await makeWorld("SQLite", db.url));
    // The API runs on the real clock: the storage access it hands out is checked by Azurite against real time.
    server = await startTestServer(db.url, systemClock);
    await setStorageAccount(server.deps, world.cast.admin, DEV_ACCOUNT_NAME, {
      subscriptionId: world.sub,
      blobEndpoint: azurite.endpoint(),
      credential: { type: "accountKey", secret: DEV_ACCOUNT_KEY },
    });
    stationToken = await server.token("station");
    station = startStation();
    await station.start();
  });

  after(async () => {
    await station?.stop();
    await server?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it("copies a received drive: every blob equal to its file, Content-MD5 set, the drive Completed, the job Packaging", async () => {
    const drive = await prepared("exact", "exact", {
      "a.bin": randomBytes(100_000),
      "empty.txt": Buffer.alloc(0),
      "one-block.bin": randomBytes(16 * 1024),
      "nested/deep/été ünïcødé.txt": Buffer.from("bonjour"),
    });
    await received("exact", drive);
    intoBay(drive);
    const { state, drive: done } = await settled("exact");
    assert.equal(done.state, "Completed");
    assert.equal(state, "Packaging");
    assert.equal(done.percentComplete, 100);
    assert.match(
      String(done.errorLogUri),
      /\/waimportexport\/waies\/exact_ST[0-9A-F]+_\d{8}-\d{6}-\d{3}_error\.xml$/,
    );
    assert.deepEqual(
      await blobNames("exact"),
      [...drive.blobs.keys()].map((k) => k.slice("exact/".length)).sort(),
    );
    for (const [path, data] of drive.blobs) {
      const blob = azurite.service().getContainerClient("exact").getBlobClient(path.slice("exact/".length));
      assert.deepEqual(await blob.downloadToBuffer(), data, path);
      const props = await blob.getProperties();
      assert.equal(props.contentLength, data.length);
      assert.equal(Buffer.from(props.contentMD5 ?? []).toString("base64"), md5(data), `${path} Content-MD5`);
    }
  });

  it("copies a drive of file share items (an Azure Files form dataset) into the share root, byte for byte", async () => {
    const root = folder("files");
    const sources: Record<string, Buffer> = {
      "a.bin": randomBytes(70_000),
      "sub/b.txt": Buffer.from("in a folder"),
    };
    for (const [name, data] of Object.entries(sources)) {
      mkdirSync(join(root, "tree", name, ".."), { recursive: true });
      writeFileSync(join(root, "tree", name), data);
    }
    mkdirSync(join(fileShares, "team-share", "in"), { recursive: true });
    writeFileSync(join(fileShares, "team-share", "in", "a.bin"), "was here first");
    const drive = await fromDataset(
      root,
      "BasePath,DstItemPathOrPrefix,ItemType,Disposition\ntree/,team-share/in/,file,rename\n",
    );
    await received("files", drive);
    intoBay(drive);
    const { drive: done } = await settled("files");
    // The rename is a warning, so the drive ends CompletedMoreInfo, as a renamed blob makes it.
    assert.equal(done.state, "CompletedMoreInfo");
    assert.equal(done.errorCount, 0);
    assert.equal(done.warningCount, 1);
    const share = join(fileShares, "team-share", "in");
    assert.deepEqual(readFileSync(join(share, "a (2).bin")), sources["a.bin"]);
    assert.equal(readFileSync(join(share, "a.bin"), "utf8"), "was here first");
    assert.deepEqual(readFileSync(join(share, "sub", "b.txt")), sources["sub/b.txt"]);
    assert.equal(await azurite.service().getContainerClient("team-share").exists(), false, "no blob written");
    const errorLog = (
      await blobText("waimportexport", String(done.errorLogUri).split("/waimportexport/")[1]!)
    ).toString();
    assert.match(errorLog, /<BlobPath>team-share\/in\/a \(2\)\.bin<\/BlobPath>/);
    assert.match(errorLog, /<ImportDisposition Status="Renamed">rename<\/ImportDisposition>/);
  });

  it("writes file share items into the account's own share root when the registry records one", async () => {
    const accountShares = folder("account-shares");
    const register = (fileShareRoot?: string) =>
      setStorageAccount(server.deps, world.cast.admin, DEV_ACCOUNT_NAME, {
        subscriptionId: world.sub,
        blobEndpoint: azurite.endpoint(),
        credential: { type: "accountKey", secret: DEV_ACCOUNT_KEY },
        ...(fileShareRoot !== undefined ? { fileShareRoot } : {}),
      });
    await register(accountShares);
    try {
      const root = folder("files-registry");
      mkdirSync(join(root, "tree"), { recursive: true });
      writeFileSync(join(root, "tree", "c.txt"), "to the account's share");
      const drive = await fromDataset(
        root,
        "BasePath,DstItemPathOrPrefix,ItemType\ntree/,acme-share/,file\n",
      );
      await received("files-registry", drive);
      intoBay(drive);
      const { drive: done } = await settled("files-registry");
      assert.equal(done.state, "Completed");
      assert.equal(
        readFileSync(join(accountShares, "acme-share", "c.txt"), "utf8"),
        "to the account's share",
      );
      assert.equal(existsSync(join(fileShares, "acme-share")), false, "not the station's own folder");
    } finally {
      await register();
    }
  });

  it("one corrupted block: that file is in the error log, the others copied, the drive CompletedMoreInfo, the job Closed after ship-back", async () => {
    const drive = await prepared("corrupt", "corrupt", {
      "good.bin": randomBytes(40_000),
      "bad.bin": randomBytes(50_000),
    });
    // Flip a byte inside the second block of bad.bin's data file (past its first 16 KiB block).
    const opened = await openDrive(drive.root, drive.entry.bitLockerKey);
    const bad = opened.manifest.files.find((f) => f.blobName.endsWith("bad.bin"))!;
    const dataFile = join(drive.root, bad.path);
    const bytes = readFileSync(dataFile);
    bytes[20_000] = (bytes[20_000] ?? 0) ^ 0x40;
    writeFileSync(dataFile, bytes);
    await received("corrupt", drive);
    intoBay(drive);
    const { drive: done } = await settled("corrupt");
    assert.equal(done.state, "CompletedMoreInfo");
    assert.equal(done.errorCount, 1);
    assert.deepEqual(await blobNames("corrupt"), ["in/good.bin"]);
    assert.deepEqual(await blobText("corrupt", "in/good.bin"), drive.blobs.get("corrupt/in/good.bin"));
    const errorLog = (
      await blobText("waimportexport", String(done.errorLogUri).split("/waimportexport/")[1]!)
    ).toString();
    assert.match(errorLog, /<BlobPath>corrupt\/in\/bad\.bin<\/BlobPath>/);
    assert.match(errorLog, /Status="Corrupted"/);
    assert.doesNotMatch(errorLog, /good\.bin/, "the error log keeps only what failed");
    await shipBack(world.deps, {
      principal: world.cast.operator,
      job: world.address("corrupt"),
      carrier: "UPS",
      tracking: "R-corrupt",
    });
    assert.equal((await jobState("corrupt")).state, "Closed");
  });

  it("a wrong key: the drive ends CompletedMoreInfo with BitLockerKeyInvalid in its error log, nothing copied", async () => {
    const drive = await prepared("wrongkey", "wrongkey", { "x.bin": randomBytes(1000) });
    const other = await prepared("otherkey", "otherkey", { "y.bin": randomBytes(10) });
    await received("wrongkey", drive, other.entry.bitLockerKey);
    intoBay(drive);
    const { drive: done } = await settled("wrongkey");
    assert.equal(done.state, "CompletedMoreInfo");
    assert.equal(done.errorCount, 1);
    const errorLog = (
      await blobText("waimportexport", String(done.errorLogUri).split("/waimportexport/")[1]!)
    ).toString();
    assert.match(errorLog, /<Status>BitLockerKeyInvalid<\/Status>/);
    assert.equal(await azurite.service().getContainerClient("wrongkey").exists(), false);
  });

  it("a drive in its bay before it is received waits there, shown as waiting, and is copied once received", async () => {
    const drive = await prepared("early", "early", { "e.bin": randomBytes(30_000) });
    await world.createImport("early", [], { driveList: [drive.entry] });
    await world.ship("early", "T-early");
    const bay = intoBay(drive);
    const bayName = bay.split("/").pop();
    await until(() => station.status().some((b) => b.bay === bayName && b.state === "waiting"), {
      timeoutMs: 5000,
      what: () => `the bay to show waiting: ${JSON.stringify(station.status())}`,
    });
    await world.receive("T-early", [drive.entry.driveId]);
    const { drive: done } = await settled("early");
    assert.equal(done.state, "Completed");
    await until(() => station.status().some((b) => b.bay === bayName && b.state === "done"));
  });

  it("a blank folder named as a received import drive: unreadable, claimed once (its lease left to lapse), copied once its header is there", async () => {
    const drive = await prepared("blank-import", "blankimp", { "b.bin": randomBytes(20_000) });
    await received("blank-import", drive);
    // A station of its own bays, counting its claims.
    const api = new StationApi(new ApiClient({ endpoint: server.url, token: stationToken }));
    let claims = 0;
    const counting = Object.assign(Object.create(api) as StationApi, {
      claim: (serial: string) => {
        claims += 1;
        return api.claim(serial);
      },
    });
    const ownBays = folder("blank-bays");
    const other = startStation(createStationMetrics(), {
      api: counting,
      baysDir: ownBays,
      stateDir: folder("blank-state"),
    });
    await other.start();
    try {
      const bay = join(ownBays, drive.entry.driveId);
      mkdirSync(bay);
      await until(() => other.status().some((b) => b.state === "unreadable"), {
        timeoutMs: 5000,
        what: () => `the blank bay to show unreadable: ${JSON.stringify(other.status())}`,
      });
      await new Promise((resolve) => setTimeout(resolve, 3500));
      assert.equal(claims, 1, "not claimed again and again: the drive may be in another station's bay");
      assert.equal((await jobState("blank-import")).drive.state, "Received");

      // The disk is mounted: its header is there now, and the copy starts without waiting out the lease.
      rmSync(bay, { recursive: true });
      renameSync(drive.root, bay);
      const { drive: done } = await settled("blank-import", 15_000);
      assert.equal(done.state, "Completed");
    } finally {
      await other.stop();
    }
  });

  it("stopped mid-copy and started again: resumes, sends less than the whole drive again, one blob per file", async () => {
    await station.stop();
    const metrics = createStationMetrics();
    station = startStation(metrics);
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 6; i += 1) {
      files[`f${i}.bin`] = randomBytes(200_000);
    }
    const drive = await prepared("resume", "resume", files);
    const total = [...drive.blobs.values()].reduce((sum, b) => sum + b.length, 0);
    await received("resume", drive);
    intoBay(drive);
    await station.start();
    await until(async () => (await metrics.bytesUploaded.get()).values[0]!.value >= total / 3, {
      timeoutMs: 20_000,
      everyMs: 5,
      what: "a third of the drive uploaded",
    });
    await station.stop();
    assert.equal((await jobState("resume")).drive.state, "Transferring", "stopped, not finished");
    const again = createStationMetrics();
    station = startStation(again);
    await station.start();
    const { drive: done } = await settled("resume");
    assert.equal(done.state, "Completed");
    const resent = (await again.bytesUploaded.get()).values[0]?.value ?? 0;
    assert.ok(resent < total, `sent ${resent} of ${total} bytes after the restart`);
    // Each file counted once as committed, by the run that committed it.
    const committed = async (m: StationMetrics) => (await m.filesCommitted.get()).values[0]?.value ?? 0;
    assert.equal((await committed(metrics)) + (await committed(again)), 6);
    assert.deepEqual(
      await blobNames("resume"),
      Object.keys(files)
        .map((f) => `in/${f}`)
        .sort(),
    );
    for (const [path, data] of drive.blobs) {
      assert.deepEqual(await blobText("resume", path.slice("resume/".length)), data, path);
    }
  });
  it("storage out of reach mid-copy: the copy waits holding its lease, then goes on; the drive ends Completed, every file exact", async () => {
    await station.stop();
    let down = false;
    const proxy = await startProxy(
      azurite.origin,
      (_request, answer, response) => answer.pipe(response),
      (request, response) => {
        if (!down) {
          return false;
        }
        request.resume();
        request.on("end", () => {
          response.writeHead(503, { "x-ms-error-code": "ServerBusy" });
          response.end();
        });
        return true;
      },
    );
    after(() => proxy.close());
    await setStorageAccount(server.deps, world.cast.admin, SECOND_ACCOUNT.name, {
      subscriptionId: world.sub,
      blobEndpoint: `${proxy.url}/${SECOND_ACCOUNT.name}`,
      credential: { type: "accountKey", secret: SECOND_ACCOUNT.key },
    });
    const warnings: string[] = [];
    const metrics = createStationMetrics();
    station = startStation(metrics, {
      log: { ...quiet, warn: (_fields, message) => warnings.push(message) },
      storageRetry: { maxTries: 2, retryDelayMs: 5, maxRetryDelayMs: 20 },
      storagePauses: { firstMs: 200 },
    });
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 6; i += 1) {
      files[`f${i}.bin`] = randomBytes(200_000);
    }
    const drive = await prepared("outage", "outage", files);
    const total = [...drive.blobs.values()].reduce((sum, b) => sum + b.length, 0);
    await world.createImport("outage", [], {
      driveList: [drive.entry],
      storageAccountId: storageAccountId(world.sub, "rg", SECOND_ACCOUNT.name),
    });
    await world.ship("outage", "T-outage");
    await world.receive("T-outage", [drive.entry.driveId]);
    intoBay(drive);
    await station.start();
    await until(async () => (await metrics.bytesUploaded.get()).values[0]!.value >= total / 3, {
      timeoutMs: 20_000,
      everyMs: 5,
      what: "a third of the drive uploaded",
    });
    down = true;
    await until(async () => warnings.some((w) => w.includes("out of reach")), {
      timeoutMs: 20_000,
      everyMs: 20,
      what: "the station to say storage is out of reach",
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal((await jobState("outage")).drive.state, "Transferring", "waiting, not finished");
    down = false;
    const { drive: done } = await settled("outage");
    assert.equal(done.state, "Completed");
    assert.equal(done.errorCount ?? 0, 0);
    const client = azurite.service(SECOND_ACCOUNT.name).getContainerClient("outage");
    for (const [path, data] of drive.blobs) {
      const blob = path.slice("outage/".length);
      assert.deepEqual(await client.getBlobClient(blob).downloadToBuffer(), data, path);
    }
  });
});

function md5(data: Buffer): string {
  return createHash("md5").update(data).digest("base64");
}
