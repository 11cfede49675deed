/** @module Reading a copy back from storage in a test: every blob of a container with its bytes and Content-MD5, held to the files. */

import assert from "node:assert/strict";
import { createHash } from "node:crypto";

import type { BlobServiceClient } from "@azure/storage-blob";

export type BlobsRead = Map<string, { data: Buffer; md5: string }>;

/** Every blob of `container` with its bytes and Content-MD5, read with `service` (the account's own key, not the code under test). */
export async function readBack(service: BlobServiceClient, container: string): Promise<BlobsRead> {
  const out: BlobsRead = new Map();
  for await (const blob of service.getContainerClient(container).listBlobsFlat()) {
    const client = service.getContainerClient(container).getBlobClient(blob.name);
    out.set(blob.name, {
      data: await client.downloadToBuffer(),
      md5: Buffer.from(blob.properties.contentMD5 ?? []).toString("base64"),
    });
  }
  return out;
}

/** One blob per file (blob name → bytes), no more, each with the file's bytes and their MD5. */
export function assertExact(found: BlobsRead, files: ReadonlyMap<string, Buffer>): void {
  assert.deepEqual([...found.keys()].sort(), [...files.keys()].sort(), "one blob per file, no (2)");
  for (const [name, data] of files) {
    assert.ok(found.get(name)?.data.equals(data), `${name}: the same bytes`);
    assert.equal(
      found.get(name)?.md5,
      createHash("md5").update(data).digest("base64"),
      `${name}: Content-MD5`,
    );
  }
}
