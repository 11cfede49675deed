/**
 * @module A station filling export drives, in this process against the real API and a real Azurite:
 * two registered drives of small capacity filled in registration order from prefixes over three
 * containers (one with snapshots), extracted byte for byte; a drive too small for the set, whose
 * incomplete blob list a follow-up job takes unchanged; a blob list that is not XML.
 */

import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import { getJob } from "../../src/app/get-job.js";
import { listBitLockerKeys } from "../../src/app/list-bitlocker-keys.js";
import { registerExportDrive } from "../../src/app/register-export-drive.js";
import { setStorageAccount } from "../../src/app/set-storage-account.js";
import { ApiClient } from "../../src/client/http.js";
import { StationApi } from "../../src/client/station.js";
import { DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME } from "../../src/serve/azurite.js";
import { systemClock } from "../../src/serve/clock.js";
import { createStationMetrics } from "../../src/station/metrics.js";
import { Station, type StationLog } from "../../src/station/station.js";
import { extractDrive } from "../../src/transfer/export/extract.js";
import { parseBlobList } from "../../src/transfer/export/selection.js";
import { type AppWorld, makeWorld } from "../support/app.js";
import { startTestAzurite, type TestAzurite } from "../support/azurite.js";
import { freshSqlite, TMP } from "../support/db.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { until } from "../support/wait.js";

const say = (level: string) => (fields: object, message: string) =>
  process.env.SNEAKERNET_TEST_LOG === "1" ? console.error(level, message, JSON.stringify(fields)) : undefined;
const quiet: StationLog = { info: say("info"), warn: say("warn"), error: say("error") };

const azurite: TestAzurite = await startTestAzurite("station-export");
let world: AppWorld;
let server: TestServer;
let station: Station;
const work = join(TMP, `station-export-${randomUUID().slice(0, 8)}`);
const bays = join(work, "bays");

async function put(container: string, name: string, data: Buffer): Promise<void> {
  const client = azurite.service().getContainerClient(container);
  await client.createIfNotExists();
  await client.getBlockBlobClient(name).uploadData(data);
}

/** A blank drive put in a bay: an empty folder named as the drive (no disk serial to read). */
function blankInBay(driveId: string): string {
  const path = join(bays, driveId);
  mkdirSync(path, { recursive: true });
  return path;
}

async function exportJob(
  name: string,
  exportSpec: { blobPaths?: string[]; blobPathPrefixes?: string[]; blobListBlobPath?: string },
) {
  await world.createExport(name, {
    export: { blobPaths: [], blobPathPrefixes: [], ...exportSpec },
    logLevel: "Verbose",
    backupDriveManifest: true,
  });
  await world.ship(name, `T-${name}`);
}

async function register(name: string, serial: string, capacity?: string): Promise<void> {
  await registerExportDrive(world.deps, {
    principal: world.cast.operator,
    job: world.address(name),
    serial,
    ...(capacity !== undefined ? { capacity } : {}),
  });
}

async function view(name: string) {
  return getJob(world.deps, world.cast.customer, world.address(name));
}

async function filled(name: string, count: number, timeoutMs = 60_000) {
  let last = await view(name);
  await until(
    async () => {
      last = await view(name);
      return last.drives.filter((d) => ["Completed", "CompletedMoreInfo"].includes(d.state)).length === count;
    },
    {
      timeoutMs,
      everyMs: 100,
      what: () =>
        `job ${name}'s drives to be filled (${last.drives.map((d) => `${d.driveId} ${d.state}`).join(", ")})`,
    },
  );
  return last;
}

/** Every file of the drives, extracted with their keys: path under OUTDIR → bytes. */
async function extracted(name: string, drives: string[]): Promise<Map<string, Buffer>> {
  const keys = await listBitLockerKeys(world.deps, world.cast.customer, world.address(name));
  const out = new Map<string, Buffer>();
  for (const driveId of drives) {
    const key = keys.find((k) => k.driveId === driveId)?.bitLockerKey;
    assert.ok(key, `a key for ${driveId}`);
    const to = join(work, `out-${driveId}`);
    const report = await extractDrive({ drive: join(bays, driveId), password: key, to });
    assert.equal(report.failed, 0);
    for (const file of report.files) {
      assert.ok(!out.has(file.output!), `${file.output} on two drives`);
      out.set(file.output!, readFileSync(join(to, file.output!)));
    }
  }
  return out;
}

describe("a station filling export drives", () => {
  before(async () => {
    mkdirSync(bays, { recursive: true });
    const db = freshSqlite("station-export");
    ({ world } = await makeWorld("SQLite", db.url));
    server = await startTestServer(db.url, systemClock);
    await setStorageAccount(server.deps, world.cast.admin, DEV_ACCOUNT_NAME, {
      subscriptionId: world.sub,
      blobEndpoint: azurite.endpoint(),
      credential: { type: "accountKey", secret: DEV_ACCOUNT_KEY },
    });
    station = new Station({
      api: new StationApi(new ApiClient({ endpoint: server.url, token: await server.token("station") })),
      name: "export-station",
      baysDir: bays,
      stateDir: join(work, "state"),
      clock: systemClock,
      log: quiet,
      metrics: createStationMetrics(),
      concurrency: 4,
      scanIntervalMs: 50,
      progressIntervalMs: 100,
      deviceSerial: () => Promise.resolve(undefined),
    });
    await station.start();
  });

  after(async () => {
    await station?.stop();
    await server?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it("fills two small drives in registration order from prefixes over three containers; extracted, they are the selection", async () => {
    const expected = new Map<string, Buffer>();
    for (let i = 0; i < 6; i += 1) {
      const data = randomBytes(150_000 + i * 1000);
      await put("pics", `2026/img${i}.jpg`, data);
      expected.set(`pics/2026/img${i}.jpg`, data);
    }
    for (let i = 0; i < 3; i += 1) {
      const data = randomBytes(120_000);
      await put("picskids", `k${i}.png`, data);
      expected.set(`picskids/k${i}.png`, data);
    }
    const old = randomBytes(100_000);
    await put("papers", "report.pdf", old);
    const client = azurite.service().getContainerClient("papers").getBlockBlobClient("report.pdf");
    const { snapshot } = await client.createSnapshot();
    const now = randomBytes(110_000);
    await client.uploadData(now);
    expected.set("papers/report.pdf", now);
    expected.set(`$snapshots/papers/${snapshot!.replace(/:/g, "-")}/report.pdf`, old);
    await put("other", "not-selected.bin", randomBytes(1000));

    await exportJob("fill-two", { blobPathPrefixes: ["/pics", "/papers/"] });
    // Room for about half the set each: the first drive fills, the second takes what it left out.
    await register("fill-two", "EXPA", "2.0MB");
    await register("fill-two", "EXPB", "2.5MB");
    blankInBay("EXPB");
    blankInBay("EXPA");
    const done = await filled("fill-two", 2);
    const [a, b] = ["EXPA", "EXPB"].map((id) => done.drives.find((d) => d.driveId === id)!);
    assert.equal(a!.state, "CompletedMoreInfo", "the first drive could not hold everything");
    assert.equal(a!.errorCount, 0);
    assert.ok(a!.infoCount > 0);
    assert.ok(a!.incompleteBlobListUri);
    assert.equal(b!.state, "Completed");
    assert.equal(done.job.state, "Packaging");
    assert.equal(done.job.incompleteBlobListUri, undefined, "the second drive took the rest");
    assert.match(String(a!.manifestUri), /_EXPA_\d{8}-\d{6}-\d{3}_manifest\.xml$/);

    const out = await extracted("fill-two", ["EXPA", "EXPB"]);
    assert.deepEqual([...out.keys()].sort(), [...expected.keys()].sort());
    for (const [path, bytes] of expected) {
      assert.ok(out.get(path)?.equals(bytes), path);
    }
  });

  it("a drive too small: its incomplete blob list names exactly what is missing, and a follow-up job from it completes the set", async () => {
    const expected = new Map<string, Buffer>();
    for (let i = 0; i < 8; i += 1) {
      const data = randomBytes(200_000);
      await put("small-set", `f${i}`, data);
      expected.set(`small-set/f${i}`, data);
    }
    await exportJob("too-small", { blobPathPrefixes: ["/small-set/"] });
    await register("too-small", "EXPC", "1.6MB");
    blankInBay("EXPC");
    const first = await filled("too-small", 1);
    const uri = first.job.incompleteBlobListUri;
    assert.ok(uri, "the job says what was left out");
    const onFirst = await extracted("too-small", ["EXPC"]);
    const list = parseBlobList(
      (
        await azurite
          .service()
          .getContainerClient("waimportexport")
          .getBlobClient(uri!.split("/waimportexport/")[1]!)
          .downloadToBuffer()
      ).toString(),
    );
    const missing = list.paths.map((rule) => `${rule.container}/${rule.blob}`).sort();
    assert.deepEqual(missing, [...expected.keys()].filter((path) => !onFirst.has(path)).sort());

    // The URI, unchanged, as the follow-up job's blobListBlobPath.
    await exportJob("follow-up", { blobListBlobPath: uri! });
    await register("follow-up", "EXPD");
    blankInBay("EXPD");
    const second = await filled("follow-up", 1);
    assert.equal(second.drives[0]!.state, "Completed");
    const onSecond = await extracted("follow-up", ["EXPD"]);
    const all = new Map([...onFirst, ...onSecond]);
    assert.deepEqual([...all.keys()].sort(), [...expected.keys()].sort());
    for (const [path, bytes] of expected) {
      assert.ok(all.get(path)?.equals(bytes), path);
    }
  });

  it("a blob list that is not XML ends each drive with BlobListFormatInvalid, and the job still names the list to export", async () => {
    await put("lists", "broken.xml", Buffer.from("not xml at all"));
    await exportJob("bad-list", { blobListBlobPath: "lists/broken.xml" });
    await register("bad-list", "EXPE");
    await register("bad-list", "EXPF");
    blankInBay("EXPE");
    blankInBay("EXPF");
    const done = await filled("bad-list", 2);
    for (const drive of done.drives) {
      // The second drive is given the same list, not "nothing left": it fails the same way, truly.
      assert.equal(drive.state, "CompletedMoreInfo", drive.driveId);
      assert.equal(drive.errorCount, 1, drive.driveId);
      const log = await azurite
        .service()
        .getContainerClient("waimportexport")
        .getBlobClient(String(drive.errorLogUri).split("/waimportexport/")[1]!)
        .downloadToBuffer();
      assert.match(log.toString(), /<Status>BlobListFormatInvalid<\/Status>/, drive.driveId);
    }
    assert.equal(done.job.incompleteBlobListUri, `${azurite.endpoint()}/lists/broken.xml`);
  });

  it("a drive that can take nothing of its selection (here it matches no blob) passes it on whole: the next drive tries it again", async () => {
    await exportJob("passed-on", { blobPathPrefixes: ["/nothing-here-at-all/"] });
    await register("passed-on", "EXPG");
    await register("passed-on", "EXPH");
    blankInBay("EXPG");
    blankInBay("EXPH");
    const done = await filled("passed-on", 2);
    for (const drive of done.drives) {
      assert.equal(drive.errorCount, 1, drive.driveId);
    }
    const uri = done.job.incompleteBlobListUri;
    assert.ok(uri);
    const list = parseBlobList(
      (
        await azurite
          .service()
          .getContainerClient("waimportexport")
          .getBlobClient(uri.split("/waimportexport/")[1]!)
          .downloadToBuffer()
      ).toString(),
    );
    assert.deepEqual(list, { paths: [], prefixes: ["/nothing-here-at-all/"] });
  });
});
