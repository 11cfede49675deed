/**
 * @module The blob storage source of an export: listing what a selection may take (snapshots and
 * metadata included, committed blobs only), reading one blob or snapshot as a stream that fails if the
 * blob changes under it, snapshotting a blob in use, and reading a small text blob (a blob list).
 */

import { Readable } from "node:stream";

import type { BlobServiceClient, ContainerClient } from "@azure/storage-blob";

import type { BlobHeaders } from "./target.js";

/** One blob or snapshot as a listing shows it: all an export plans with and writes to the manifest. */
export interface SourceBlob {
  container: string;
  name: string;
  /** Set for a snapshot: its time as storage writes it (seven decimals). */
  snapshot?: string;
  size: number;
  etag: string;
  lastModified: string;
  blobType: "BlockBlob" | "PageBlob" | "AppendBlob";
  /** `Archive` cannot be read without rehydrating: such a blob is not exported. */
  accessTier?: string;
  /** `leased`: someone may be writing it; it is exported from a snapshot. */
  leaseState?: string;
  metadata: Record<string, string>;
  headers: BlobHeaders;
}

/** What to read: a base blob as one request saw it (the ETag a read must still match), or a snapshot. */
export type BlobVersion =
  | { container: string; name: string; snapshot?: undefined; etag: string }
  | { container: string; name: string; snapshot: string; etag?: string };

export interface BlobSource {
  /** The account's containers whose names start with `prefix` (all when empty), in name order. */
  listContainers(prefix: string): Promise<string[]>;
  /** The committed blobs and snapshots of `container` whose names start with `prefix`, in listing order. */
  listBlobs(container: string, prefix: string): AsyncIterable<SourceBlob>;
  /** The blob's current properties (a base blob), or undefined when it is gone. */
  describe(container: string, name: string): Promise<SourceBlob | undefined>;
  /**
   * The blob's bytes as a stream, refused with 412 (ConditionNotMet) when its ETag is no longer
   * `version.etag`: a read that resumes after a dropped connection checks the same condition.
   */
  read(version: BlobVersion, signal?: AbortSignal): Promise<Readable>;
  /** Takes a snapshot of the base blob as it is now, if its ETag is still `etag`; answers its time. */
  snapshot(container: string, name: string, etag: string): Promise<string>;
  /** Deletes one snapshot (one this export made); nothing if it is gone already. */
  deleteSnapshot(container: string, name: string, snapshot: string): Promise<void>;
  /**
   * A small blob's text (UTF-8), refused as `BlobTooLarge` (413) beyond `maxBytes` without its body
   * being read whole.
   */
  readText(container: string, name: string, maxBytes: number): Promise<string>;
}

/** What the source needs of the storage client it shares with the target. */
export interface SourceContext {
  service(): BlobServiceClient;
  containerClient(container: string): ContainerClient;
  /** Runs one operation, its error turned into a BlobTargetError without secrets. */
  call<T>(operation: () => Promise<T>): Promise<T>;
}

/** A listing's item (or Get Blob Properties' answer) as the export sees it. */
function sourceBlob(
  container: string,
  name: string,
  snapshot: string | undefined,
  got: {
    contentLength?: number;
    etag?: string;
    lastModified?: Date;
    contentMD5?: Uint8Array;
    blobType?: SourceBlob["blobType"];
    accessTier?: string;
    leaseState?: string;
    contentType?: string;
    contentEncoding?: string;
    contentLanguage?: string;
    contentDisposition?: string;
    cacheControl?: string;
  },
  metadata: Record<string, string> | undefined,
): SourceBlob {
  const headers: BlobHeaders = {};
  const keep = (key: keyof BlobHeaders, value: string | undefined) => {
    if (value !== undefined && value !== "") {
      headers[key] = value;
    }
  };
  keep("contentType", got.contentType);
  keep("contentEncoding", got.contentEncoding);
  keep("contentLanguage", got.contentLanguage);
  keep("contentDisposition", got.contentDisposition);
  keep("cacheControl", got.cacheControl);
  if (got.contentMD5 && got.contentMD5.length > 0) {
    headers.contentMD5 = Buffer.from(got.contentMD5).toString("base64");
  }
  return {
    container,
    name,
    ...(snapshot ? { snapshot } : {}),
    size: got.contentLength ?? 0,
    etag: got.etag ?? "",
    lastModified: (got.lastModified ?? new Date(0)).toISOString(),
    blobType: got.blobType ?? "BlockBlob",
    ...(got.accessTier !== undefined ? { accessTier: got.accessTier } : {}),
    ...(got.leaseState !== undefined ? { leaseState: got.leaseState } : {}),
    metadata: { ...(metadata ?? {}) },
    headers,
  };
}

/**
 * The body of a download, its errors turned as a call's are: a connection that drops mid-blob once the
 * SDK's own resumes are spent (or a resume refused because the blob changed) is a storage answer the
 * export knows what to do with, not an unknown error that ends its run.
 */
function checkedBody(body: Readable, call: SourceContext["call"]): Readable {
  const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return Readable.from(
    (async function* () {
      try {
        for (;;) {
          const next = await call(() => chunks.next());
          if (next.done) {
            return;
          }
          yield next.value;
        }
      } finally {
        body.destroy();
      }
    })(),
    { objectMode: false },
  );
}

/**
 * The metadata name on the snapshots an export makes to read a changing or leased blob (metadata names
 * are case-insensitive: the service may answer it in another case).
 */
export const EXPORT_SNAPSHOT_MARK = "sneakernetexportsnapshot";

function isExportSnapshot(metadata: Record<string, string> | undefined): boolean {
  return Object.keys(metadata ?? {}).some((key) => key.toLowerCase() === EXPORT_SNAPSHOT_MARK);
}

/** Reads the blob service for an export; the client is the target's (one SAS, one set of secrets). */
export function blobSource(context: SourceContext): BlobSource {
  const { call, containerClient } = context;
  const blobClient = (container: string, name: string, snapshot?: string) => {
    const client = containerClient(container).getBlobClient(name);
    return snapshot ? client.withSnapshot(snapshot) : client;
  };
  return {
    listContainers: (prefix) =>
      call(async () => {
        const names: string[] = [];
        for await (const item of context.service().listContainers(prefix ? { prefix } : {})) {
          names.push(item.name);
        }
        return names.sort();
      }),
    async *listBlobs(container, prefix) {
      const pages = containerClient(container)
        .listBlobsFlat({ prefix, includeSnapshots: true, includeMetadata: true })
        .byPage({ maxPageSize: 1000 });
      const iterator = pages[Symbol.asyncIterator]();
      for (;;) {
        const page = await call(() => iterator.next());
        if (page.done) {
          return;
        }
        for (const item of page.value.segment.blobItems) {
          if (item.deleted) {
            continue; // Soft-deleted blobs are not the customer's data until undeleted.
          }
          if (item.snapshot !== undefined && isExportSnapshot(item.metadata)) {
            continue; // An export's own snapshot, left behind by a crash: not the customer's data.
          }
          yield sourceBlob(container, item.name, item.snapshot, item.properties, item.metadata);
        }
      }
    },
    describe: (container, name) =>
      call(async () => {
        try {
          const got = await blobClient(container, name).getProperties();
          return sourceBlob(container, name, undefined, got, got.metadata);
        } catch (error) {
          if ((error as { statusCode?: number }).statusCode === 404) {
            return undefined;
          }
          throw error;
        }
      }),
    read: (version, signal) =>
      call(async () => {
        const response = await blobClient(version.container, version.name, version.snapshot).download(
          0,
          undefined,
          {
            // A snapshot cannot change; a base blob must still be the version the plan saw.
            ...(version.snapshot === undefined ? { conditions: { ifMatch: version.etag } } : {}),
            // A dropped connection is picked up where it stopped, under the same ETag condition.
            maxRetryRequests: 5,
            ...(signal ? { abortSignal: signal } : {}),
          },
        );
        const body = response.readableStreamBody as Readable | undefined;
        if (!body) {
          throw new Error("The storage service answered a download without a body.");
        }
        return checkedBody(body, call);
      }),
    snapshot: (container, name, etag) =>
      call(async () => {
        // Marked, so that a snapshot a crash left behind (made, but not yet journaled to be deleted) is
        // never taken for the customer's own by a later export's listing.
        const made = await blobClient(container, name).createSnapshot({
          conditions: { ifMatch: etag },
          metadata: { [EXPORT_SNAPSHOT_MARK]: "1" },
        });
        if (!made.snapshot) {
          throw new Error("The storage service made a snapshot without telling its time.");
        }
        return made.snapshot;
      }),
    deleteSnapshot: (container, name, snapshot) =>
      call(async () => {
        await blobClient(container, name, snapshot).deleteIfExists();
      }),
    readText: (container, name, maxBytes) =>
      call(async () => {
        const client = blobClient(container, name);
        const properties = await client.getProperties();
        if ((properties.contentLength ?? 0) > maxBytes) {
          throw Object.assign(new Error(`The blob is larger than ${maxBytes} bytes.`), {
            statusCode: 413,
            code: "BlobTooLarge",
          });
        }
        if ((properties.contentLength ?? 0) === 0) {
          return "";
        }
        const bytes = await client.downloadToBuffer(0, properties.contentLength, {
          conditions: { ifMatch: properties.etag },
        });
        return bytes.toString("utf8");
      }),
  };
}
