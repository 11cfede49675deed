/**
 * @module What an export takes and what fits: footprints never under the bytes a file takes, a drive
 * filled in listing order (skip and continue, Archive and bad names refused, the file limit), and the
 * selection listed from a real Azurite (prefixes, $root, paths with and without snapshots, a missing
 * container, duplicates).
 */

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";

import { StorageSharedKeyCredential } from "@azure/storage-blob";

import { DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME } from "../../../src/serve/azurite.js";
import type { BlobSource, SourceBlob } from "../../../src/transfer/blob/source.js";
import { createBlobTarget } from "../../../src/transfer/blob/target.js";
import { blockSizeFor, LIMITS, storedLengthOf } from "../../../src/transfer/drive/layout.js";
import {
  DRIVE_RESERVE_BYTES,
  footprintOf,
  listSelection,
  planDrive,
} from "../../../src/transfer/export/plan.js";
import { parseBlobList, selectionFromLists } from "../../../src/transfer/export/selection.js";
import { startTestAzurite } from "../../support/azurite.js";
import { blob, MiB } from "./support.js";

describe("footprintOf", () => {
  it("is at least the stored length in whole clusters, and grows with the size within a block size", () => {
    const sizes = [0, 1, 4095, 4096, 4097, 4 * MiB - 1, 4 * MiB, 4 * MiB + 1, 100 * MiB, 190 * 1024 * MiB];
    let last = -1;
    for (const size of sizes) {
      const footprint = footprintOf(blob("x", size));
      const stored = storedLengthOf(size, blockSizeFor(size));
      assert.ok(footprint >= stored, `${size}: ${footprint} >= ${stored}`);
      assert.equal(footprint % 1, 0);
      assert.ok(footprint >= last, `${size}: never less for more bytes`);
      last = footprint;
    }
  });

  it("grows with the name and the metadata, counted in bytes", () => {
    const plain = footprintOf(blob("a", 10));
    assert.ok(footprintOf(blob("a".repeat(500), 10)) > plain);
    // Three bytes a character in UTF-8: the manifest holds bytes.
    const ascii = footprintOf(blob("a".repeat(300), 10));
    const cjk = footprintOf(blob("日".repeat(300), 10));
    assert.ok(cjk - ascii >= 2 * 600, `${cjk} - ${ascii}: 600 more bytes, twice`);
    const meta = footprintOf(blob("a", 10, { metadata: { note: "a".repeat(3000) } }));
    assert.ok(meta - plain >= 2 * 3000);
  });

  it("counts the properties the manifest keeps", () => {
    const bare = footprintOf(blob("a", 10));
    const long = footprintOf(
      blob("a", 10, { headers: { contentDisposition: `attachment; filename="${"n".repeat(4000)}"` } }),
    );
    assert.ok(long - bare >= 2 * 4000, `${long} - ${bare}`);
  });
});

describe("planDrive", () => {
  it("takes blobs in listing order, skips one that does not fit and goes on with smaller ones", () => {
    const blobs = [blob("a", 3 * MiB), blob("b", 3 * MiB), blob("c", 10 * 1024), blob("d", 2 * MiB)];
    const capacity = DRIVE_RESERVE_BYTES + footprintOf(blobs[0]!) + footprintOf(blobs[2]!) + 4096 * 8;
    const plan = planDrive(blobs, capacity);
    assert.deepEqual(
      plan.blobs.map((b) => [b.name, b.seq]),
      [
        ["a", 1],
        ["c", 2],
      ],
    );
    assert.deepEqual(
      plan.leftOut.map((out) => [out.blob.name, out.code, out.kind]),
      [
        ["b", "NotEnoughSpace", "info"],
        ["d", "NotEnoughSpace", "info"],
      ],
    );
    assert.equal(plan.capacityBytes, capacity);
    const used = plan.blobs.reduce((sum, b) => sum + footprintOf(b), 0);
    assert.ok(used <= capacity - DRIVE_RESERVE_BYTES);
  });

  it("refuses Archive-tier blobs (a warning) and names a drive cannot hold (an error), wherever they stand", () => {
    const plan = planDrive(
      [
        blob("cold", 10, { accessTier: "Archive" }),
        blob("ok", 10),
        blob("ends-with-dot.", 10),
        blob("bad-meta", 10, { metadata: { "not an identifier": "x" } }),
        blob("snapshot-archive", 10, { accessTier: "archive", snapshot: "2026-12-01T00:00:00.0000000Z" }),
      ],
      1024 * MiB,
    );
    assert.deepEqual(
      plan.blobs.map((b) => b.name),
      ["ok"],
    );
    assert.deepEqual(
      plan.leftOut.map((out) => [out.blob.name, out.code, out.kind]),
      [
        ["cold", "BlobArchived", "warning"],
        ["ends-with-dot.", "FileNameInvalid", "error"],
        ["bad-meta", "FileNameInvalid", "error"],
        ["snapshot-archive", "BlobArchived", "warning"],
      ],
    );
  });

  it("a drive smaller than its reserve takes nothing", () => {
    const plan = planDrive([blob("a", 0)], DRIVE_RESERVE_BYTES);
    assert.equal(plan.blobs.length, 0);
    assert.equal(plan.leftOut[0]?.code, "NotEnoughSpace");
  });

  it("stops at the manifest's file limit", () => {
    const many = Array.from({ length: LIMITS.files + 2 }, (_, i) => blob(`f${i}`, 0));
    const plan = planDrive(many, Number.MAX_SAFE_INTEGER);
    assert.equal(plan.blobs.length, LIMITS.files);
    assert.deepEqual(
      plan.leftOut.map((out) => [out.blob.name, out.code]),
      [
        [`f${LIMITS.files}`, "NotEnoughSpace"],
        [`f${LIMITS.files + 1}`, "NotEnoughSpace"],
      ],
    );
  });
});

describe("listSelection on Azurite", async () => {
  const azurite = await startTestAzurite("export-plan");
  const storage = createBlobTarget({
    blobEndpoint: azurite.endpoint(),
    credential: new StorageSharedKeyCredential(DEV_ACCOUNT_NAME, DEV_ACCOUNT_KEY),
    retry: { maxTries: 2, retryDelayMs: 10, maxRetryDelayMs: 20 },
  });
  const put = async (container: string, name: string) => {
    const client = azurite.service().getContainerClient(container);
    await client.createIfNotExists();
    await client.getBlockBlobClient(name).uploadData(randomBytes(10));
  };
  const key = (b: SourceBlob) => `${b.container}/${b.name}${b.snapshot ? "@snap" : ""}`;

  let snapshot = "";
  const ready = (async () => {
    await put("bob", "a.txt");
    await put("bob", "dir/b.txt");
    await put("bobkids", "c.txt");
    await put("music", "love/song.mp3");
    await put("music", "lovely.mp3");
    await put("music", "rock.mp3");
    await put("$root", "logo.bmp");
    const client = azurite.service().getContainerClient("music").getBlockBlobClient("rock.mp3");
    snapshot = (await client.createSnapshot()).snapshot!;
    await client.uploadData(randomBytes(20));
  })();

  it("/ takes every blob of every container, the root's and snapshots included, in one order", async () => {
    await ready;
    const { blobs, unmatched } = await listSelection(storage, selectionFromLists({ blobPathPrefix: ["/"] }));
    assert.deepEqual(unmatched, []);
    assert.deepEqual(blobs.map(key), [
      "$root/logo.bmp",
      "bob/a.txt",
      "bob/dir/b.txt",
      "bobkids/c.txt",
      "music/love/song.mp3",
      "music/lovely.mp3",
      "music/rock.mp3@snap",
      "music/rock.mp3",
    ]);
    assert.equal(blobs[6]!.snapshot, snapshot);
  });

  it("/bob takes bob and bobkids; /bob/ only bob; /music/love a name prefix; /$root/ the root", async () => {
    await ready;
    const list = async (prefix: string) =>
      (await listSelection(storage, selectionFromLists({ blobPathPrefix: [prefix] }))).blobs.map(key);
    assert.deepEqual(await list("/bob"), ["bob/a.txt", "bob/dir/b.txt", "bobkids/c.txt"]);
    assert.deepEqual(await list("/bob/"), ["bob/a.txt", "bob/dir/b.txt"]);
    assert.deepEqual(await list("/bob/dir/"), ["bob/dir/b.txt"]);
    assert.deepEqual(await list("/music/love"), ["music/love/song.mp3", "music/lovely.mp3"]);
    assert.deepEqual(await list("/$root/"), ["$root/logo.bmp"]);
  });

  it("a BlobPath takes its blob and its snapshots, or without them, or one snapshot; never a longer name", async () => {
    await ready;
    const list = async (xml: string) =>
      (await listSelection(storage, parseBlobList(`<BlobList>${xml}</BlobList>`))).blobs.map(key);
    assert.deepEqual(await list("<BlobPath>music/rock.mp3</BlobPath>"), [
      "music/rock.mp3@snap",
      "music/rock.mp3",
    ]);
    assert.deepEqual(await list('<BlobPath IncludeSnapshots="false">music/rock.mp3</BlobPath>'), [
      "music/rock.mp3",
    ]);
    assert.deepEqual(await list(`<BlobPath SnapshotTime="${snapshot}">music/rock.mp3</BlobPath>`), [
      "music/rock.mp3@snap",
    ]);
    assert.deepEqual(await list("<BlobPath>music/love</BlobPath>"), []);
    assert.deepEqual(await list("<BlobPath>$root/logo.bmp</BlobPath>"), ["$root/logo.bmp"]);
  });

  it("names what matches nothing: a missing container, a missing blob, a snapshot that is not there", async () => {
    await ready;
    const { blobs, unmatched } = await listSelection(
      storage,
      parseBlobList(
        [
          "<BlobList>",
          "<BlobPathPrefix>/nosuchcontainer/</BlobPathPrefix>",
          "<BlobPathPrefix>/zzz</BlobPathPrefix>",
          "<BlobPath>nosuch/blob.txt</BlobPath>",
          "<BlobPath>bob/missing.txt</BlobPath>",
          '<BlobPath SnapshotTime="2020-01-01T00:00:00Z">music/rock.mp3</BlobPath>',
          "<BlobPath>bob/a.txt</BlobPath>",
          "</BlobList>",
        ].join(""),
      ),
    );
    assert.deepEqual(blobs.map(key), ["bob/a.txt"]);
    assert.deepEqual(unmatched, [
      "/nosuchcontainer/",
      "/zzz",
      "nosuch/blob.txt",
      "bob/missing.txt",
      "music/rock.mp3?snapshot=2020-01-01T00:00:00Z",
    ]);
  });

  it("takes each blob once, however many entries select it", async () => {
    await ready;
    const { blobs, unmatched } = await listSelection(
      storage,
      selectionFromLists({
        blobPathPrefix: ["/bob/", "/bob/", "/bob", "/bob/a"],
        blobPath: ["bob/a.txt", "/bob/a.txt", "bob/a.txt"],
      }),
    );
    assert.deepEqual(blobs.map(key), ["bob/a.txt", "bob/dir/b.txt", "bobkids/c.txt"]);
    assert.deepEqual(unmatched, []);
  });
});

describe("listSelection of a large selection", () => {
  it("a blob list of 30,000 BlobPaths over 30,000 blobs is listed in linear time", async () => {
    const count = 30_000;
    const all: SourceBlob[] = Array.from({ length: count }, (_, i) =>
      blob(`f${String(i).padStart(6, "0")}`, 1),
    );
    const byName = new Map(all.map((b) => [b.name, b]));
    const source: Pick<BlobSource, "listContainers" | "listBlobs"> = {
      listContainers: async () => ["data"],
      async *listBlobs(_container, prefix) {
        // Names are fixed-width: a prefix of one name is that name alone.
        const found = byName.get(prefix);
        if (found) {
          yield found;
        }
      },
    };
    const selection = selectionFromLists({ blobPath: all.map((b) => `data/${b.name}`) });
    const started = Date.now();
    const { blobs, unmatched } = await listSelection(source as BlobSource, selection);
    const took = Date.now() - started;
    assert.equal(blobs.length, count);
    assert.deepEqual(unmatched, []);
    // Quadratic matching takes minutes here (9·10⁸ rule checks, twice); linear, well under a few seconds.
    assert.ok(took < 20_000, `${took} ms`);
  });
});
