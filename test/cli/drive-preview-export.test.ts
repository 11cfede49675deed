/**
 * @module `sneakernet drive preview-export` (the built bin) against a real Azurite: the table and its
 * drives, `--output json`, the connection string from the environment, and usage errors on one line
 * with exit 2 (a bad drive size, a blob list that is not one, no selection).
 */

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";

import { DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME } from "../../src/serve/azurite.js";
import type { ExportPreview } from "../../src/transfer/export/preview.js";
import { startTestAzurite } from "../support/azurite.js";
import { TMP } from "../support/db.js";
import { runCli } from "../support/server.js";
import { assertOneLineError } from "./cli-helpers.js";

const azurite = await startTestAzurite("cli-preview-export");
const connection = () =>
  `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT_NAME};AccountKey=${DEV_ACCOUNT_KEY};BlobEndpoint=${azurite.endpoint()}`;
const work = join(TMP, `cli-preview-${randomBytes(4).toString("hex")}`);
const MB = 1000 * 1000;

/** The command with no connection string in the environment unless a test gives one. */
const preview = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  runCli(["drive", "preview-export", ...args], { AZURE_STORAGE_CONNECTION_STRING: "", ...env });

describe("drive preview-export", () => {
  before(async () => {
    mkdirSync(work, { recursive: true });
    const client = azurite.service().getContainerClient("photos");
    await client.createIfNotExists();
    for (let i = 0; i < 5; i += 1) {
      await client.getBlockBlobClient(`2026/p${i}.jpg`).uploadData(randomBytes(2 * MB));
    }
    await client.getBlockBlobClient("huge.bin").uploadData(randomBytes(6 * MB));
  });

  it("prints the selection, the drives needed and what each holds, and what cannot be exported", async () => {
    const result = await preview([
      "--connection-string",
      connection(),
      "--blob-prefix",
      "/photos/",
      "--blob-path",
      "photos/missing.jpg",
      "--drive-size",
      "6MB",
      "--output",
      "table",
    ]);
    assert.equal(result.code, 0, result.stderr);
    const out = result.stdout;
    assert.match(out, /Selection: 1 path\(s\), 1 prefix\(es\), 0 duplicate\(s\), 1 matching nothing\./);
    assert.match(out, /matches nothing: photos\/missing\.jpg/);
    assert.match(out, /Exportable: 5 blob\(s\), 10 MB; not exportable: 1\./);
    assert.match(out, /Drives of 6 MB needed: 3\./);
    assert.match(out, /DRIVE\s+BLOBS\s+DATA\s+OCCUPIED\n1\s+2\s.*\n2\s+2\s.*\n3\s+1\s/);
    assert.match(out, /Drive 1:\n {2}photos\/2026\/p0\.jpg\n {2}photos\/2026\/p1\.jpg\nDrive 2:/);
    assert.match(out, /Not exportable:\n {2}photos\/huge\.bin: NotEnoughSpace: /);
  });

  it("--output json: the whole preview, every blob of every drive", async () => {
    const result = await preview([
      "--connection-string",
      connection(),
      "--blob-prefix",
      "/photos/2026/",
      "/photos/2026/",
      "--drive-size",
      "6MB",
      "--output",
      "json",
    ]);
    assert.equal(result.code, 0, result.stderr);
    const parsed = JSON.parse(result.stdout) as ExportPreview;
    assert.equal(parsed.driveSizeBytes, 6 * MB);
    assert.equal(parsed.selection.duplicates, 1);
    assert.deepEqual(parsed.exportable, { blobs: 5, bytes: 10 * MB });
    assert.deepEqual(
      parsed.drives.map((drive) => drive.blobs.map((b) => b.name)),
      [["2026/p0.jpg", "2026/p1.jpg"], ["2026/p2.jpg", "2026/p3.jpg"], ["2026/p4.jpg"]],
    );
    assert.deepEqual(
      parsed.drives.map((drive) => drive.bytes),
      [4 * MB, 4 * MB, 2 * MB],
    );
    assert.ok(
      parsed.drives.every((drive) => drive.occupiedBytes > drive.bytes && drive.occupiedBytes <= 6 * MB),
    );
  });

  it("takes the connection string from AZURE_STORAGE_CONNECTION_STRING, and a blob list file", async () => {
    const list = join(work, "list.xml");
    writeFileSync(
      list,
      '<BlobList><BlobPath IncludeSnapshots="false">photos/huge.bin</BlobPath><BlobPathPrefix>/photos/2026/p1</BlobPathPrefix></BlobList>',
    );
    const result = await preview(["--blob-list", list, "--drive-size", "1GB", "--output", "json"], {
      AZURE_STORAGE_CONNECTION_STRING: connection(),
    });
    assert.equal(result.code, 0, result.stderr);
    const parsed = JSON.parse(result.stdout) as ExportPreview;
    assert.equal(parsed.drives.length, 1);
    assert.deepEqual(parsed.drives[0]!.blobs.map((b) => b.name).sort(), ["2026/p1.jpg", "huge.bin"]);
  });

  it("a bad --drive-size: one line, exit 2", async () => {
    const result = await preview([
      "--connection-string",
      connection(),
      "--blob-prefix",
      "/photos/",
      "--drive-size",
      "lots",
    ]);
    assertOneLineError(result, 2, /--drive-size/);
  });

  it("a blob list that is not one, or no selection at all: one line, exit 2", async () => {
    const bad = join(work, "bad.xml");
    writeFileSync(bad, "this is not xml <");
    assertOneLineError(
      await preview(["--connection-string", connection(), "--blob-list", bad, "--drive-size", "1TB"]),
      2,
      /BlobListFormatInvalid/,
    );
    assertOneLineError(
      await preview([
        "--connection-string",
        connection(),
        "--blob-list",
        join(work, "nosuch.xml"),
        "--drive-size",
        "1TB",
      ]),
      2,
      /--blob-list: .*nosuch\.xml cannot be read/,
    );
    assertOneLineError(
      await preview(["--connection-string", connection(), "--drive-size", "1TB"]),
      2,
      /--blob-prefix and\/or --blob-path, or --blob-list/,
    );
  });

  it("no connection string: one line, exit 2", async () => {
    assertOneLineError(
      await preview(["--blob-prefix", "/photos/", "--drive-size", "1TB"]),
      2,
      /connection-string/,
    );
  });
});
