/**
 * @module Storage that fails: a proxy in front of Azurite answers some requests 503 or 500. The SDK's
 * bounded retries ride out a passing fault; a fault that stays fails that file only (BlobRequestFailed);
 * storage down for every request stops the run without failing a file, and the next run finishes it.
 */

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import type http from "node:http";
import { after, describe, it } from "node:test";

import { StorageSharedKeyCredential } from "@azure/storage-blob";

import { DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME } from "../../../src/serve/azurite.js";
import { createBlobTarget } from "../../../src/transfer/blob/index.js";
import { importDrive, MemoryJournal } from "../../../src/transfer/import/index.js";
import { startTestAzurite } from "../../support/azurite.js";
import { startProxy } from "../../support/stream-proxy.js";
import { blobBytes, blobExists, clock, driveOf } from "./support.js";

const azurite = await startTestAzurite("import-faults");

/** Answers `fault(request)`'s status instead of forwarding, when it gives one. */
async function faultyProxy(fault: (request: http.IncomingMessage) => number | undefined): Promise<string> {
  const proxy = await startProxy(
    azurite.origin,
    (_request, answer, response) => answer.pipe(response),
    (request, response) => {
      const status = fault(request);
      if (status === undefined) {
        return false;
      }
      request.resume();
      request.on("end", () => {
        response.writeHead(status, { "content-type": "application/xml", "x-ms-error-code": "ServerBusy" });
        response.end(
          '<?xml version="1.0" encoding="utf-8"?><Error><Code>ServerBusy</Code><Message>Injected.</Message></Error>',
        );
      });
      return true;
    },
  );
  after(() => proxy.close());
  return `${proxy.url}/${DEV_ACCOUNT_NAME}`;
}

const isPutBlock = (request: http.IncomingMessage) =>
  request.method === "PUT" && /[?&]comp=block(&|$)/.test(request.url ?? "");

function targetVia(endpoint: string, maxTries: number) {
  return createBlobTarget({
    blobEndpoint: endpoint,
    credential: new StorageSharedKeyCredential(DEV_ACCOUNT_NAME, DEV_ACCOUNT_KEY),
    retry: { maxTries, retryDelayMs: 5, maxRetryDelayMs: 20 },
  });
}

describe("import against failing storage", () => {
  it("rides out passing 503s with the SDK's retries", async () => {
    let injected = 0;
    const endpoint = await faultyProxy((request) => {
      if (isPutBlock(request) && injected < 3) {
        injected += 1;
        return 503;
      }
      return undefined;
    });
    const data = randomBytes(6 * 4096);
    const { drive } = await driveOf("busy", [
      { file: { container: "busy", blobName: "a.bin" }, data, blockSize: 4096 },
    ]);
    const result = await importDrive({
      drive,
      target: targetVia(endpoint, 4),
      journal: new MemoryJournal(),
      clock,
      concurrency: 1,
    });
    assert.equal(injected, 3);
    assert.equal(result.files[0]?.status, "Completed", result.files[0]?.message);
    assert.ok((await blobBytes(azurite, "busy", "a.bin")).equals(data));
  });

  it("fails only the file whose requests keep failing (BlobRequestFailed), after a bounded number of tries", async () => {
    let tries = 0;
    const endpoint = await faultyProxy((request) => {
      if (isPutBlock(request) && (request.url ?? "").includes("/doomed.bin")) {
        tries += 1;
        return 500;
      }
      return undefined;
    });
    const fine = randomBytes(3 * 4096);
    const { drive } = await driveOf("doomed", [
      { file: { container: "doomed", blobName: "doomed.bin" }, data: randomBytes(3 * 4096), blockSize: 4096 },
      { file: { container: "doomed", blobName: "fine.bin" }, data: fine, blockSize: 4096 },
    ]);
    const result = await importDrive({
      drive,
      target: targetVia(endpoint, 3),
      journal: new MemoryJournal(),
      clock,
      concurrency: 1,
    });
    assert.equal(result.files[0]?.status, "BlobRequestFailed");
    assert.match(result.files[0]?.message ?? "", /500/);
    assert.equal(result.files[0]?.blocks?.[0]?.status, "BlobRequestFailed");
    assert.equal(tries, 3, "three tries of the first block, then the file stops");
    assert.equal(result.files[1]?.status, "Completed");
    assert.equal(await blobExists(azurite, "doomed", "doomed.bin"), false);
    assert.ok((await blobBytes(azurite, "doomed", "fine.bin")).equals(fine));
    assert.equal(result.counts.errorCount, 1);
  });

  it("stops without failing a file when storage is down for every request; the next run finishes the copy", async () => {
    let down = false;
    let blocks = 0;
    const endpoint = await faultyProxy((request) => {
      if (down) {
        return 503;
      }
      if (isPutBlock(request) && (blocks += 1) === 3) {
        down = true; // From the third block on, nothing answers but 503.
        return 503;
      }
      return undefined;
    });
    const data = [randomBytes(4 * 4096), randomBytes(4 * 4096), randomBytes(300)];
    const { drive } = await driveOf(
      "down",
      data.map((bytes, i) => ({
        file: { container: "down", blobName: `f${i}.bin` },
        data: bytes,
        blockSize: 4096,
      })),
    );
    const journal = new MemoryJournal();
    const target = targetVia(endpoint, 2);
    const first = await importDrive({ drive, target, journal, clock, concurrency: 1 });
    assert.equal(first.stopped, true);
    assert.match(first.storageDown ?? "", /503/);
    assert.deepEqual(first.counts, { errorCount: 0, warningCount: 0, infoCount: 0 });
    assert.ok(
      first.files.every((file) => file.status === "Stopped"),
      JSON.stringify(first.files),
    );
    assert.ok(first.bytesDone > 0 && first.bytesDone < first.bytesTotal);

    down = false;
    const second = await importDrive({ drive, target, journal, clock, concurrency: 1 });
    assert.equal(second.stopped, false);
    assert.equal(second.storageDown, undefined);
    assert.deepEqual(second.counts, { errorCount: 0, warningCount: 0, infoCount: 0 });
    for (const [i, bytes] of data.entries()) {
      assert.ok((await blobBytes(azurite, "down", `f${i}.bin`)).equals(bytes));
    }
  });

  it("fails the files it meets when told not to wait for storage (a station's last try)", async () => {
    const endpoint = await faultyProxy(() => 503);
    const { drive } = await driveOf("down-fail", [
      { file: { container: "downfail", blobName: "a.bin" }, data: randomBytes(300) },
    ]);
    const result = await importDrive({
      drive,
      target: targetVia(endpoint, 2),
      journal: new MemoryJournal(),
      clock,
      pauseWhenStorageDown: false,
    });
    assert.equal(result.storageDown, undefined);
    assert.equal(result.files[0]?.status, "BlobRequestFailed");
  });
});
