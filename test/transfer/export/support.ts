/** @module Export tests' tools: a listed blob as a plan sees it, made by hand. */

import type { SourceBlob } from "../../../src/transfer/blob/source.js";

export const MiB = 1024 * 1024;

/** A listed blob in container `data`, of `size` bytes, with `extra` over the defaults. */
export function blob(name: string, size: number, extra: Partial<SourceBlob> = {}): SourceBlob {
  return {
    container: "data",
    name,
    size,
    etag: '"0x1"',
    lastModified: "2026-12-01T00:00:00.000Z",
    blobType: "BlockBlob",
    metadata: {},
    headers: {},
    ...extra,
  };
}
