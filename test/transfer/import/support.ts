/**
 * @module Import tests' tools: a target on the test Azurite (with the account key), a wrapper that counts
 * what the engine sends, test drives opened as a station opens them, and blobs read back independently.
 */

import { StorageSharedKeyCredential } from "@azure/storage-blob";

import { fixedClock } from "../../../src/domain/clock.js";
import { DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME } from "../../../src/serve/azurite.js";
import { type BlobTarget, createBlobTarget } from "../../../src/transfer/blob/index.js";
import { type Drive, openDrive } from "../../../src/transfer/drive/index.js";
import type { TestAzurite } from "../../support/azurite.js";
import { type PlannedFile, tempFolder, writeDrive, type WrittenDrive } from "../drive/support.js";

export const clock = fixedClock("2026-12-01T10:20:30.456Z");

export function keyTarget(azurite: TestAzurite): BlobTarget {
  return createBlobTarget({
    blobEndpoint: azurite.endpoint(),
    credential: new StorageSharedKeyCredential(DEV_ACCOUNT_NAME, DEV_ACCOUNT_KEY),
    retry: { maxTries: 2, retryDelayMs: 10, maxRetryDelayMs: 20 },
  });
}

export interface CountingTarget extends BlobTarget {
  /** Calls per operation name. */
  calls: Map<string, number>;
  /** `blob#blockId` of every Put Block sent, and `blob` of every Put Blob. */
  sent: string[];
  /** The most Put Block/Put Blob/Put Page requests in flight at once. */
  peakWrites: number;
}

/** Wraps a target, counting its calls: how a test sees that nothing is sent twice. */
export function counting(inner: BlobTarget): CountingTarget {
  const calls = new Map<string, number>();
  const sent: string[] = [];
  let writes = 0;
  const wrapper = { calls, sent, peakWrites: 0 } as CountingTarget;
  for (const name of Object.keys(inner) as (keyof BlobTarget)[]) {
    const original = inner[name];
    if (typeof original !== "function") {
      continue;
    }
    (wrapper as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      calls.set(name, (calls.get(name) ?? 0) + 1);
      const isWrite = name === "stageBlock" || name === "putBlob" || name === "uploadPages";
      if (name === "stageBlock") {
        sent.push(`${String(args[1])}#${String(args[2])}`);
      } else if (name === "putBlob") {
        sent.push(String(args[1]));
      }
      if (isWrite) {
        writes += 1;
        wrapper.peakWrites = Math.max(wrapper.peakWrites, writes);
      }
      try {
        return await (original as (...a: unknown[]) => Promise<unknown>).apply(inner, args);
      } finally {
        if (isWrite) {
          writes -= 1;
        }
      }
    };
  }
  Object.defineProperty(wrapper, "endpoint", { value: inner.endpoint });
  return wrapper;
}

/** Writes a drive and opens it as a station would. */
export async function driveOf(
  label: string,
  planned: PlannedFile[],
  driveId = "TESTDRIVE01",
): Promise<{
  drive: Drive;
  written: WrittenDrive;
}> {
  const written = await writeDrive(tempFolder(label), planned, driveId);
  const drive = await openDrive(written.root, written.password);
  return { drive, written };
}

/** A blob's bytes, read with the test's own key client. */
export async function blobBytes(azurite: TestAzurite, container: string, name: string): Promise<Buffer> {
  return azurite.service().getContainerClient(container).getBlobClient(name).downloadToBuffer();
}

export async function blobExists(azurite: TestAzurite, container: string, name: string): Promise<boolean> {
  return azurite.service().getContainerClient(container).getBlobClient(name).exists();
}

/** Names of the blobs in a container, sorted. */
export async function blobNames(azurite: TestAzurite, container: string): Promise<string[]> {
  const names: string[] = [];
  for await (const blob of azurite.service().getContainerClient(container).listBlobsFlat()) {
    names.push(blob.name);
  }
  return names.sort();
}
