/** @module The export engine on a real Azurite: drives filled exactly, what does not fit listed, resumes checked, changes and leases met. */

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";

import { StorageSharedKeyCredential } from "@azure/storage-blob";

import { DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME } from "../../../src/serve/azurite.js";
import { systemClock } from "../../../src/serve/clock.js";
import { BlobTargetError } from "../../../src/transfer/blob/errors.js";
import type { BlobSource } from "../../../src/transfer/blob/source.js";
import { type BlobStorage, createBlobTarget } from "../../../src/transfer/blob/target.js";
import {
  createDrive,
  generateRecoveryPassword,
  openDrive,
  verifyDrive,
} from "../../../src/transfer/drive/index.js";
import type { ExportJournal } from "../../../src/transfer/export/contract.js";
import { exportDrive, type ExportOptions, type ExportResult } from "../../../src/transfer/export/engine.js";
import { MemoryExportJournal } from "../../../src/transfer/export/journal.js";
import { DRIVE_RESERVE_BYTES, footprintOf } from "../../../src/transfer/export/plan.js";
import { incompleteBlobListXml } from "../../../src/transfer/export/reports.js";
import { loadSelection } from "../../../src/transfer/export/select.js";
import { parseBlobList, selectionFromLists } from "../../../src/transfer/export/selection.js";
import { startTestAzurite } from "../../support/azurite.js";
import { startProxy } from "../../support/stream-proxy.js";
import { FAST_SCRYPT, tempFolder } from "../drive/support.js";

const azurite = await startTestAzurite("export-engine");
const storage: BlobStorage = createBlobTarget({
  blobEndpoint: azurite.endpoint(),
  credential: new StorageSharedKeyCredential(DEV_ACCOUNT_NAME, DEV_ACCOUNT_KEY),
  retry: { maxTries: 2, retryDelayMs: 10, maxRetryDelayMs: 20 },
});

async function put(container: string, name: string, data: Buffer, metadata?: Record<string, string>) {
  const client = azurite.service().getContainerClient(container);
  await client.createIfNotExists();
  await client.getBlockBlobClient(name).uploadData(data, metadata ? { metadata } : {});
}

/** Every blob on a drive, read back through the reader: `container/name[@snapshot]` → bytes. */
async function driveContents(root: string, password: string): Promise<Map<string, Buffer>> {
  const drive = await openDrive(root, password);
  const out = new Map<string, Buffer>();
  for (const file of drive.manifest.files) {
    const parts: Buffer[] = [];
    for (let i = 0; i < file.blocks.length; i += 1) {
      parts.push(await drive.readBlock(file, i));
    }
    const key = `${file.container}/${file.blobName}${file.snapshot ? `@${file.snapshot}` : ""}`;
    assert.ok(!out.has(key), `${key} twice on the drive`);
    out.set(key, Buffer.concat(parts));
  }
  return out;
}

function run(
  root: string,
  password: string,
  journal: ExportJournal,
  select: ExportOptions["select"],
  extra: Partial<ExportOptions> = {},
): Promise<ExportResult> {
  return exportDrive({
    root,
    driveId: "EXPORT01",
    password,
    source: storage,
    journal,
    clock: systemClock,
    select,
    capacityBytes: async () => 10 * 1024 * 1024 * 1024,
    scrypt: FAST_SCRYPT,
    concurrency: 3,
    ...extra,
  });
}

const prefixes =
  (...blobPathPrefix: string[]) =>
  async () => ({
    selection: selectionFromLists({ blobPathPrefix }),
  });

describe("an export with enough room", () => {
  it("puts every selected blob and snapshot on the drive, exactly, and nothing else", async () => {
    const data = {
      a: randomBytes(300_000),
      b: randomBytes(10),
      c: randomBytes(0),
      d: randomBytes(5 * 1024 * 1024 + 7),
      other: randomBytes(100),
    };
    await put("exp-one", "photos/a.jpg", data.a, { origin: "camera" });
    await put("exp-one", "b.txt", data.b);
    await put("exp-onekids", "c.empty", data.c);
    await put("exp-two", "big/d.bin", data.d);
    await put("unrelated", "x", data.other);
    const before = randomBytes(1000);
    await put("exp-two", "snapped.bin", before);
    const client = azurite.service().getContainerClient("exp-two").getBlockBlobClient("snapped.bin");
    const { snapshot } = await client.createSnapshot();
    const after = randomBytes(2000);
    await client.uploadData(after);

    const root = tempFolder("export-all");
    const password = generateRecoveryPassword();
    const result = await run(root, password, new MemoryExportJournal(), prefixes("/exp-one", "/exp-two/"));
    assert.equal(result.driveError, undefined);
    assert.deepEqual(result.counts, { errorCount: 0, warningCount: 0, infoCount: 0 });
    assert.equal(result.leftOut.length, 0);
    assert.ok(result.finished);
    const contents = await driveContents(root, password);
    assert.deepEqual(
      [...contents.keys()].sort(),
      [
        "exp-one/b.txt",
        "exp-one/photos/a.jpg",
        "exp-onekids/c.empty",
        "exp-two/big/d.bin",
        "exp-two/snapped.bin",
        `exp-two/snapped.bin@${snapshot}`,
      ].sort(),
    );
    assert.ok(contents.get("exp-one/photos/a.jpg")!.equals(data.a));
    assert.ok(contents.get("exp-two/big/d.bin")!.equals(data.d));
    assert.ok(contents.get("exp-two/snapped.bin")!.equals(after));
    assert.ok(contents.get(`exp-two/snapped.bin@${snapshot}`)!.equals(before));
    const drive = await openDrive(root, password);
    const a = drive.manifest.files.find((f) => f.blobName === "photos/a.jpg")!;
    assert.deepEqual(a.metadata, { origin: "camera" });
    assert.equal(a.properties.contentMD5, a.md5, "the blob's Content-MD5 is the file's MD5");
    assert.deepEqual((await verifyDrive(root, password)).problems, []);
    assert.equal(result.bytesDone, result.bytesTotal);
  });
});

describe("a drive too small", () => {
  it("takes what fits, lists the rest as a blob list, and a second drive from that list completes the set", async () => {
    const blobs = Array.from(
      { length: 12 },
      (_, i) => [`f${String(i).padStart(2, "0")}`, randomBytes(200_000)] as const,
    );
    for (const [name, bytes] of blobs) {
      await put("exp-small", name, bytes);
    }
    const capacity = 1024 * 1024 + 5 * 220_000; // the reserve, and room for about five of them
    const first = tempFolder("export-first");
    const password = generateRecoveryPassword();
    const one = await run(first, password, new MemoryExportJournal(), prefixes("/exp-small/"), {
      capacityBytes: async () => capacity,
    });
    assert.equal(one.counts.errorCount, 0);
    assert.ok(one.leftOut.length > 0 && one.leftOut.every((out) => out.code === "NotEnoughSpace"));
    assert.equal(one.counts.infoCount, one.leftOut.length);
    const onFirst = await driveContents(first, password);
    assert.equal(onFirst.size + one.leftOut.length, blobs.length);

    const list = parseBlobList(incompleteBlobListXml(one.leftOut));
    const second = tempFolder("export-second");
    const two = await run(second, password, new MemoryExportJournal(), async () => ({ selection: list }));
    assert.equal(two.leftOut.length, 0);
    const onSecond = await driveContents(second, password);
    const all = new Map([...onFirst, ...onSecond]);
    assert.equal(all.size, blobs.length, "no blob on both drives, none on neither");
    for (const [name, bytes] of blobs) {
      assert.ok(all.get(`exp-small/${name}`)?.equals(bytes), name);
    }
  });
});

describe("a stopped export", () => {
  it("resumes from its journal, rewriting what the drive does not hold as recorded", async () => {
    const blobs = Array.from(
      { length: 20 },
      (_, i) => [`r${String(i).padStart(2, "0")}`, randomBytes(50_000 + i)] as const,
    );
    for (const [name, bytes] of blobs) {
      await put("exp-resume", name, bytes);
    }
    const root = tempFolder("export-resume");
    const password = generateRecoveryPassword();
    const journal = new MemoryExportJournal();
    const stop = new AbortController();
    let written = 0;
    const first = await run(root, password, journal, prefixes("/exp-resume/"), {
      concurrency: 1,
      signal: stop.signal,
      onWritten: () => {
        written += 1;
        if (written === 8) {
          stop.abort();
        }
      },
    });
    assert.equal(first.stopped, true);
    assert.equal(first.finished, undefined);
    const recorded = journal.written();
    assert.ok(recorded.size >= 8 && recorded.size < 20, `${recorded.size} recorded`);
    // The drive loses one recorded file's bytes: the journal now lies about it.
    const victim = [...recorded.values()][2]!;
    await writeFile(join(root, victim.path), randomBytes(10));

    let rewritten = 0;
    const second = await run(
      root,
      password,
      journal,
      async () => {
        throw new Error("a resumed export does not select again");
      },
      { onWritten: () => (rewritten += 1) },
    );
    assert.equal(second.stopped, false);
    assert.equal(rewritten, 20 - recorded.size + 1, "the rest, and the file the drive lost");
    const contents = await driveContents(root, password);
    assert.equal(contents.size, 20);
    for (const [name, bytes] of blobs) {
      assert.ok(contents.get(`exp-resume/${name}`)?.equals(bytes), name);
    }
    assert.deepEqual((await verifyDrive(root, password)).problems, []);
  });
});

describe("blobs that move under the export", () => {
  it("copies a blob overwritten while it is read again, from a snapshot of its new version", async () => {
    const old = randomBytes(70_000);
    const fresh = randomBytes(90_000);
    await put("exp-change", "moving.bin", old);
    let overwritten = false;
    const source: BlobSource = {
      ...storage,
      read: async (version) => {
        if (!overwritten && version.name === "moving.bin") {
          overwritten = true;
          await put("exp-change", "moving.bin", fresh);
        }
        return storage.read(version);
      },
    };
    const root = tempFolder("export-change");
    const password = generateRecoveryPassword();
    const result = await run(root, password, new MemoryExportJournal(), prefixes("/exp-change/"), { source });
    assert.equal(result.counts.errorCount, 0);
    const contents = await driveContents(root, password);
    assert.ok(contents.get("exp-change/moving.bin")?.equals(fresh));
    // The snapshot the copy was read from is deleted once the file is recorded.
    const left = [];
    for await (const item of azurite
      .service()
      .getContainerClient("exp-change")
      .listBlobsFlat({ includeSnapshots: true })) {
      left.push(item.snapshot ?? "base");
    }
    assert.deepEqual(left, ["base"]);
  });

  it("reports BlobUnexpectedChange for a blob that never holds still, and lists it for a later export", async () => {
    await put("exp-restless", "restless.bin", randomBytes(1000));
    const source: BlobSource = {
      ...storage,
      read: async (version) => {
        await put("exp-restless", "restless.bin", randomBytes(1000));
        return storage.read(version);
      },
      snapshot: async () => {
        throw Object.assign(new Error("changed"), {
          status: 412,
          code: "ConditionNotMet",
          name: "BlobTargetError",
        });
      },
    };
    const root = tempFolder("export-restless");
    const result = await run(
      root,
      generateRecoveryPassword(),
      new MemoryExportJournal(),
      prefixes("/exp-restless/"),
      {
        source,
      },
    );
    assert.equal(result.counts.errorCount, 1);
    assert.equal(result.leftOut[0]?.code, "BlobUnexpectedChange");
  });

  it("exports a leased blob from a snapshot, and leaves the lease alone", async () => {
    const bytes = randomBytes(40_000);
    await put("exp-leased", "held.vhd", bytes);
    const blob = azurite.service().getContainerClient("exp-leased").getBlobClient("held.vhd");
    const lease = blob.getBlobLeaseClient();
    await lease.acquireLease(-1);
    const root = tempFolder("export-leased");
    const password = generateRecoveryPassword();
    const result = await run(root, password, new MemoryExportJournal(), prefixes("/exp-leased/"));
    assert.equal(result.counts.errorCount, 0);
    assert.ok((await driveContents(root, password)).get("exp-leased/held.vhd")?.equals(bytes));
    assert.equal((await blob.getProperties()).leaseState, "leased");
    await lease.releaseLease();
  });

  it("does not take a snapshot an earlier export left behind (a crash before its record) for the customer's", async () => {
    const bytes = randomBytes(30_000);
    await put("exp-leftover", "data.bin", bytes);
    const blob = azurite.service().getContainerClient("exp-leftover").getBlobClient("data.bin");
    const theirs = (await blob.createSnapshot()).snapshot!;
    // Made as an export makes its own, then never deleted: what a kill between the two leaves.
    const leftover = await storage.snapshot("exp-leftover", "data.bin", (await blob.getProperties()).etag!);
    assert.notEqual(leftover, theirs);
    const root = tempFolder("export-leftover");
    const password = generateRecoveryPassword();
    const result = await run(root, password, new MemoryExportJournal(), prefixes("/exp-leftover/"));
    assert.equal(result.counts.errorCount, 0);
    assert.deepEqual([...(await driveContents(root, password)).keys()].sort(), [
      "exp-leftover/data.bin",
      `exp-leftover/data.bin@${theirs}`,
    ]);
  });
});

describe("storage out of reach", () => {
  it("stops the run without failing a blob, resumes after; the run that gives up fails and lists what it cannot read", async () => {
    for (let i = 0; i < 6; i += 1) {
      await put("exp-down", `d${i}`, randomBytes(5000 + i));
    }
    let down = true;
    const source: BlobSource = {
      ...storage,
      read: async (version) => {
        if (down && version.name >= "d3") {
          throw new BlobTargetError(503, "ServerBusy", "The server is busy.");
        }
        return storage.read(version);
      },
    };
    const root = tempFolder("export-down");
    const password = generateRecoveryPassword();
    const journal = new MemoryExportJournal();
    const first = await run(root, password, journal, prefixes("/exp-down/"), { source, concurrency: 1 });
    assert.equal(first.stopped, true);
    assert.match(first.storageDown ?? "", /busy/);
    assert.equal(first.counts.errorCount, 0, "nothing failed while storage was away");
    const lastTry = await run(root, password, journal, prefixes("/exp-down/"), {
      source,
      pauseWhenStorageDown: false,
    });
    assert.equal(lastTry.stopped, false);
    assert.deepEqual(
      lastTry.leftOut.map((out) => [out.blob.name, out.code]),
      [
        ["d3", "BlobRequestFailed"],
        ["d4", "BlobRequestFailed"],
        ["d5", "BlobRequestFailed"],
      ],
    );
    assert.equal(lastTry.counts.errorCount, 3);
    down = false;
    const again = tempFolder("export-down-again");
    const recovered = await run(again, password, new MemoryExportJournal(), prefixes("/exp-down/"), {
      source,
    });
    assert.equal(recovered.counts.errorCount, 0);
    assert.equal((await driveContents(again, password)).size, 6);
  });
});

describe("what the job selects", () => {
  it("ends the drive with BlobListFormatInvalid for a list blob that is not XML", async () => {
    await put("lists", "bad.xml", Buffer.from("this is not xml"));
    const result = await run(
      tempFolder("export-badlist"),
      generateRecoveryPassword(),
      new MemoryExportJournal(),
      async () => ({
        selection: await loadSelection(storage, { blobListBlobPath: "lists/bad.xml" }, azurite.endpoint()),
      }),
    );
    assert.equal(result.driveError?.code, "BlobListFormatInvalid");
  });

  it("ends the drive with BlobRequestForbidden for a list blob that cannot be read", async () => {
    const result = await run(
      tempFolder("export-nolist"),
      generateRecoveryPassword(),
      new MemoryExportJournal(),
      async () => ({
        selection: await loadSelection(
          storage,
          { blobListBlobPath: "lists/missing.xml" },
          azurite.endpoint(),
        ),
      }),
    );
    assert.equal(result.driveError?.code, "BlobRequestForbidden");
  });

  it("reads a list by its full URL in the account, and leaves Archive-tier blobs out with a warning", async () => {
    await put("exp-tier", "hot.bin", randomBytes(100));
    await put("exp-tier", "cold.bin", randomBytes(100));
    await azurite.service().getContainerClient("exp-tier").getBlobClient("cold.bin").setAccessTier("Archive");
    await put(
      "lists",
      "tier.xml",
      Buffer.from("<BlobList><BlobPathPrefix>/exp-tier/</BlobPathPrefix></BlobList>"),
    );
    const url = `${azurite.endpoint()}/lists/tier.xml`;
    const root = tempFolder("export-tier");
    const password = generateRecoveryPassword();
    const result = await run(root, password, new MemoryExportJournal(), async () => ({
      selection: await loadSelection(storage, { blobListBlobPath: url }, azurite.endpoint()),
    }));
    assert.deepEqual(result.counts, { errorCount: 0, warningCount: 1, infoCount: 0 });
    assert.equal(result.leftOut[0]?.code, "BlobArchived");
    assert.deepEqual([...(await driveContents(root, password)).keys()], ["exp-tier/hot.bin"]);
  });
});

describe("review: what a failure leaves behind", () => {
  const refused = () => new BlobTargetError(403, "AuthorizationPermissionMismatch", "refused");

  it("a blob that changes again between its new version's description and its snapshot is tried again", async () => {
    const versions = [randomBytes(30_000), randomBytes(31_000), randomBytes(32_000)];
    await put("exp-twice", "twice.bin", versions[0]!);
    let reads = 0;
    let snapshots = 0;
    const source: BlobSource = {
      ...storage,
      read: async (version) => {
        reads += 1;
        if (reads === 1) {
          await put("exp-twice", "twice.bin", versions[1]!); // changed under the first read
        }
        return storage.read(version);
      },
      snapshot: async (container, name, etag) => {
        snapshots += 1;
        if (snapshots === 1) {
          await put("exp-twice", "twice.bin", versions[2]!); // and again before its snapshot
        }
        return storage.snapshot(container, name, etag);
      },
    };
    const root = tempFolder("export-twice");
    const password = generateRecoveryPassword();
    const result = await run(root, password, new MemoryExportJournal(), prefixes("/exp-twice/"), { source });
    assert.deepEqual(result.counts, { errorCount: 0, warningCount: 0, infoCount: 0 });
    assert.ok((await driveContents(root, password)).get("exp-twice/twice.bin")?.equals(versions[2]!));
  });

  it("a leased blob that fails after its snapshot was made leaves no snapshot in the account", async () => {
    await put("exp-leakfail", "held.bin", randomBytes(5000));
    const blob = azurite.service().getContainerClient("exp-leakfail").getBlobClient("held.bin");
    const lease = blob.getBlobLeaseClient();
    await lease.acquireLease(-1);
    const source: BlobSource = {
      ...storage,
      read: async (version) => {
        if (version.snapshot !== undefined) {
          throw refused();
        }
        return storage.read(version);
      },
    };
    const journal = new MemoryExportJournal();
    const result = await run(
      tempFolder("export-leakfail"),
      generateRecoveryPassword(),
      journal,
      prefixes("/exp-leakfail/"),
      { source },
    );
    assert.equal(result.leftOut[0]?.code, "BlobRequestForbidden");
    const left = [];
    for await (const item of azurite
      .service()
      .getContainerClient("exp-leakfail")
      .listBlobsFlat({ includeSnapshots: true })) {
      left.push(item.snapshot ?? "base");
    }
    assert.deepEqual(left, ["base"], "the export's own snapshot is deleted");
    assert.equal(journal.tempSnapshot(1), undefined);
    await lease.releaseLease();
  });

  it("a drive that cannot be written lists every planned blob, so the next drive takes them", async () => {
    await put("exp-notblank", "a.bin", randomBytes(100));
    await put("exp-notblank", "b.bin", randomBytes(100));
    const root = tempFolder("export-notblank");
    // Someone else's drive in the bay: a header written with another key.
    await (
      await createDrive(root, { driveId: "OTHER", password: generateRecoveryPassword(), scrypt: FAST_SCRYPT })
    ).finish();
    const result = await run(
      root,
      generateRecoveryPassword(),
      new MemoryExportJournal(),
      prefixes("/exp-notblank/"),
    );
    assert.equal(result.driveError?.code, "DriveNotEmpty");
    const listed = parseBlobList(incompleteBlobListXml(result.leftOut));
    assert.deepEqual(
      listed.paths.map((rule) => `${rule.container}/${rule.blob}`),
      ["exp-notblank/a.bin", "exp-notblank/b.bin"],
    );
    assert.equal(result.counts.errorCount >= 1, true);
  });
});

describe("review: a resume on a drive that is not the one the journal knows", () => {
  it("a blank drive in the bay in place of the half-filled one gets every blob, the journal's records not trusted", async () => {
    const blobs = Array.from({ length: 6 }, (_, i) => [`s${i}`, randomBytes(20_000 + i)] as const);
    for (const [name, bytes] of blobs) {
      await put("exp-swapped", name, bytes);
    }
    const password = generateRecoveryPassword();
    const journal = new MemoryExportJournal();
    const stop = new AbortController();
    let written = 0;
    const first = await run(tempFolder("export-swapped-a"), password, journal, prefixes("/exp-swapped/"), {
      concurrency: 1,
      signal: stop.signal,
      onWritten: () => {
        written += 1;
        if (written === 3) {
          stop.abort();
        }
      },
    });
    assert.equal(first.stopped, true);
    assert.ok(journal.written().size >= 3);

    // The operator put another, blank, drive in the bay: the same journal resumes on it.
    const root = tempFolder("export-swapped-b");
    const second = await run(root, password, journal, async () => {
      throw new Error("a resumed export does not select again");
    });
    assert.equal(second.stopped, false);
    const contents = await driveContents(root, password);
    assert.equal(contents.size, blobs.length, "every blob on the drive the customer gets");
    for (const [name, bytes] of blobs) {
      assert.ok(contents.get(`exp-swapped/${name}`)?.equals(bytes), name);
    }
    assert.ok(second.files.every((file) => file.status === "Completed"));
  });
});

describe("review: a download cut off mid-blob", () => {
  it("is storage out of reach (the run stops to resume), not a drive failure nor a crash", async () => {
    await put("exp-cut", "cut.bin", randomBytes(200_000));
    const proxy = await startProxy(new URL(azurite.endpoint()).origin, (request, answer, response) => {
      if (request.method === "GET" && request.url?.startsWith(`/${DEV_ACCOUNT_NAME}/exp-cut/cut.bin`)) {
        // A few bytes, then the connection drops: every time, the SDK's own resumes included.
        answer.once("data", (chunk: Buffer) => {
          response.write(chunk.subarray(0, 1000));
          answer.pause();
          // Once the client has the answer's head and its first bytes.
          setTimeout(() => {
            response.destroy();
            answer.destroy();
          }, 50);
        });
        return;
      }
      answer.pipe(response);
    });
    try {
      const cut = createBlobTarget({
        blobEndpoint: `${proxy.url}/${DEV_ACCOUNT_NAME}`,
        credential: new StorageSharedKeyCredential(DEV_ACCOUNT_NAME, DEV_ACCOUNT_KEY),
        retry: { maxTries: 2, retryDelayMs: 10, maxRetryDelayMs: 20 },
      });
      const result = await run(
        tempFolder("export-cut"),
        generateRecoveryPassword(),
        new MemoryExportJournal(),
        prefixes("/exp-cut/"),
        { source: cut },
      );
      assert.equal(result.stopped, true);
      assert.ok(result.storageDown, "storage taken for down");
      assert.deepEqual(result.leftOut, []);
      assert.equal(result.counts.errorCount, 0);
    } finally {
      await proxy.close();
    }
  });
});

describe("review: storage out of reach on the last run", () => {
  it("without pauseWhenStorageDown, each blob it cannot read fails and is listed, and the drive is finished", async () => {
    await put("exp-down", "a.bin", randomBytes(1000));
    await put("exp-down", "b.bin", randomBytes(1000));
    const source: BlobSource = {
      ...storage,
      read: async (version) => {
        if (version.name === "b.bin") {
          throw new BlobTargetError(503, "ServerBusy", "The server is busy.");
        }
        return storage.read(version);
      },
    };
    const root = tempFolder("export-down");
    const password = generateRecoveryPassword();
    const paused = await run(root, password, new MemoryExportJournal(), prefixes("/exp-down/"), { source });
    assert.equal(paused.stopped, true, "by default the run stops to wait for storage");
    assert.ok(paused.storageDown);

    const last = await run(
      tempFolder("export-down-last"),
      password,
      new MemoryExportJournal(),
      prefixes("/exp-down/"),
      {
        source,
        pauseWhenStorageDown: false,
      },
    );
    assert.equal(last.stopped, false);
    assert.equal(last.storageDown, undefined);
    assert.ok(last.finished);
    assert.deepEqual(
      last.leftOut.map((out) => [out.blob.name, out.code, out.kind]),
      [["b.bin", "BlobRequestFailed", "error"]],
    );
    assert.equal(last.counts.errorCount, 1);
  });
});

describe("review: a drive that fills up before the plan says", () => {
  /** A 3 MiB file system at a fresh folder (tmpfs: root only), or undefined where none can be mounted. */
  function smallDrive(): { root: string; unmount: () => void } | undefined {
    const root = tempFolder("export-full");
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=3m", "tmpfs", root], { stdio: "ignore" });
    } catch {
      return undefined;
    }
    return { root, unmount: () => execFileSync("umount", [root]) };
  }

  it("leaves out what no longer fits as NotEnoughSpace (information, listed), not as a drive error", async (t) => {
    const drive = smallDrive();
    if (!drive) {
      t.skip("no small file system can be mounted here (root only)");
      return;
    }
    try {
      for (let i = 0; i < 8; i += 1) {
        await put("exp-full", `b${i}`, randomBytes(500_000));
      }
      const password = generateRecoveryPassword();
      // The drive says it holds 10 GB (capacityBytes): its file system runs out long before.
      const result = await run(drive.root, password, new MemoryExportJournal(), prefixes("/exp-full/"), {
        concurrency: 2,
      });
      assert.ok(result.finished);
      assert.equal(result.counts.errorCount, 0, JSON.stringify(result.leftOut.map((out) => out.message)));
      assert.ok(result.leftOut.length > 0);
      assert.ok(result.leftOut.every((out) => out.code === "NotEnoughSpace" && out.kind === "info"));
      const contents = await driveContents(drive.root, password);
      assert.equal(contents.size + result.leftOut.length, 8);
      assert.deepEqual((await verifyDrive(drive.root, password)).problems, []);
    } finally {
      drive.unmount();
    }
  });

  it("a drive filled with small files to its last byte gives up its last files for its manifest, and is finished", async (t) => {
    const drive = smallDrive();
    if (!drive) {
      t.skip("no small file system can be mounted here (root only)");
      return;
    }
    try {
      const names = Array.from({ length: 300 }, (_, i) => `s${String(i).padStart(3, "0")}`);
      for (const name of names) {
        await put("exp-fullsmall", name, randomBytes(9000));
      }
      const password = generateRecoveryPassword();
      const result = await run(drive.root, password, new MemoryExportJournal(), prefixes("/exp-fullsmall/"));
      assert.ok(result.finished, "finished: its manifest written");
      assert.equal(result.counts.errorCount, 0);
      assert.ok(result.leftOut.length > 0);
      assert.ok(result.leftOut.every((out) => out.code === "NotEnoughSpace" && out.kind === "info"));
      const contents = await driveContents(drive.root, password);
      assert.equal(contents.size + result.leftOut.length, names.length);
      assert.equal(result.files.filter((file) => file.status === "Completed").length, contents.size);
      assert.deepEqual((await verifyDrive(drive.root, password)).problems, []);
    } finally {
      drive.unmount();
    }
  });
});

describe("review: a blob that grows under the export", () => {
  it("may not take the room the drive keeps for its header and manifest", async () => {
    const old = randomBytes(100_000);
    await put("exp-grow", "grows.bin", old);
    const [listed] = await (async () => {
      const found = [];
      for await (const item of storage.listBlobs("exp-grow", "")) {
        found.push(item);
      }
      return found;
    })();
    let grown = false;
    const source: BlobSource = {
      ...storage,
      read: async (version) => {
        if (!grown) {
          grown = true;
          await put("exp-grow", "grows.bin", randomBytes(600_000)); // 500 KB more, within the reserve
        }
        return storage.read(version);
      },
    };
    const result = await run(
      tempFolder("export-grow"),
      generateRecoveryPassword(),
      new MemoryExportJournal(),
      prefixes("/exp-grow/"),
      { source, capacityBytes: async () => DRIVE_RESERVE_BYTES + footprintOf(listed!) + 16 * 1024 },
    );
    assert.deepEqual(
      result.leftOut.map((out) => [out.blob.name, out.code]),
      [["grows.bin", "NotEnoughSpace"]],
    );
  });
});

describe("review: a leased blob written to before its snapshot", () => {
  it("is copied from a snapshot of its new version, not refused", async () => {
    await put("exp-leasechange", "held.bin", randomBytes(3000));
    const client = azurite.service().getContainerClient("exp-leasechange").getBlockBlobClient("held.bin");
    const lease = client.getBlobLeaseClient();
    const { leaseId } = await lease.acquireLease(-1);
    const fresh = randomBytes(4000);
    let written = false;
    const source: BlobSource = {
      ...storage,
      snapshot: async (container, name, etag) => {
        if (!written) {
          written = true;
          // The lease holder writes between the listing and the export's snapshot.
          await client.uploadData(fresh, { conditions: { leaseId: leaseId! } });
        }
        return storage.snapshot(container, name, etag);
      },
    };
    const root = tempFolder("export-leasechange");
    const password = generateRecoveryPassword();
    const result = await run(root, password, new MemoryExportJournal(), prefixes("/exp-leasechange/"), {
      source,
    });
    await lease.releaseLease();
    assert.deepEqual(result.counts, { errorCount: 0, warningCount: 0, infoCount: 0 });
    assert.ok((await driveContents(root, password)).get("exp-leasechange/held.bin")?.equals(fresh));
  });
});
