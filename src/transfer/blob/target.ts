/**
 * @module The blob storage target of an import: the few operations the engine needs over
 * `@azure/storage-blob`, each sending the MD5 the service checks, retried by the SDK on 500/503 and
 * timeouts, refusing with a BlobTargetError that never carries the SAS or the key.
 */

import type { TokenCredential } from "@azure/core-auth";
import {
  AnonymousCredential,
  type BlobHTTPHeaders,
  BlobServiceClient,
  type BlockBlobClient,
  type ContainerClient,
  newPipeline,
  StorageSharedKeyCredential,
} from "@azure/storage-blob";

import { toTargetError } from "./errors.js";
import { type BlobSource, blobSource } from "./source.js";

/** What the engine asks of a blob that exists. */
export interface BlobProperties {
  length: number;
  /** base64, as the service keeps it; undefined when the blob has none. */
  contentMD5?: string;
  blobType: "BlockBlob" | "PageBlob" | "AppendBlob";
}

/** The blob properties a manifest may set (formats.md §2.2), and the whole blob's MD5 (base64). */
export interface BlobHeaders {
  contentType?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  contentDisposition?: string;
  cacheControl?: string;
  contentMD5?: string;
}

export interface BlobWriteOptions {
  headers?: BlobHeaders;
  metadata?: Record<string, string>;
}

export interface PutBlobOptions extends BlobWriteOptions {
  /** Only if no blob of that name exists (If-None-Match: *): refused with 409 BlobAlreadyExists otherwise. */
  ifNoneExists?: boolean;
}

/** Blobs a listing returned (name → properties), and whether it reached the end of the prefix. */
export interface BlobListing {
  blobs: Map<string, BlobProperties>;
  complete: boolean;
}

export interface RetryOptions {
  /** Attempts in all, first included (default 6). */
  maxTries?: number;
  /** One attempt's time limit (default 120 s: a 4 MiB block on a slow link). */
  tryTimeoutMs?: number;
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
}

export interface BlobTargetOptions {
  /** An account's blob endpoint, `https://account.blob.core.windows.net` or path-style `http://host:port/account`. */
  blobEndpoint: string;
  /** A SAS query string, without `?`. */
  sas?: string;
  /** An account key or token: tests and the control plane. */
  credential?: StorageSharedKeyCredential | TokenCredential;
  retry?: RetryOptions;
}

export interface BlobTarget {
  /** The endpoint, without any SAS. */
  readonly endpoint: string;
  /** Swaps the SAS for the requests that start from now on; those in flight finish with the old one. */
  setSas(sas: string): void;
  /** Creates the container unless it exists (once per target and container). */
  ensureContainer(container: string): Promise<void>;
  /** The blob's properties, or undefined when there is no committed blob of that name. */
  properties(container: string, blob: string): Promise<BlobProperties | undefined>;
  /** The uncommitted blocks of a blob (id → size); empty when there are none or no blob. */
  uncommittedBlocks(container: string, blob: string): Promise<Map<string, number>>;
  /** Put Block, with the block's MD5 (base64) as the transactional Content-MD5 the service checks. */
  stageBlock(container: string, blob: string, blockId: string, data: Buffer, md5: string): Promise<void>;
  /** Put Block List; `headers.contentMD5` becomes the blob's Content-MD5. */
  commitBlockList(container: string, blob: string, ids: string[], options?: BlobWriteOptions): Promise<void>;
  /** One Put Blob, with `md5` (base64) as the transactional Content-MD5 and as the blob's Content-MD5. */
  putBlob(
    container: string,
    blob: string,
    data: Buffer,
    md5: string,
    options?: PutBlobOptions,
  ): Promise<void>;
  /**
   * The committed blobs whose names start with `prefix`, with their properties, in one or more List Blobs
   * pages; it stops once it holds `maxBlobs` or more (then `complete` is false).
   */
  list(container: string, prefix: string, maxBlobs: number): Promise<BlobListing>;
  /** Creates (or replaces) a page blob of `size` bytes (a multiple of 512). */
  createPageBlob(container: string, blob: string, size: number, options?: BlobWriteOptions): Promise<void>;
  /** Put Page: at most 4 MiB, 512-aligned, with its MD5 (base64) checked by the service. */
  uploadPages(container: string, blob: string, offset: number, data: Buffer, md5: string): Promise<void>;
  /** Reads `count` bytes from `offset`. */
  readRange(container: string, blob: string, offset: number, count: number): Promise<Buffer>;
  /** Sets every HTTP header of the blob at once (those not given are cleared, as Set Blob Properties does). */
  setHeaders(container: string, blob: string, headers: BlobHeaders): Promise<void>;
  /** Deletes the blob (and its snapshots) if it is there. */
  deleteBlob(container: string, blob: string): Promise<void>;
  /** Uploads a small text blob (a log) and answers its URL without the SAS. */
  uploadText(container: string, blob: string, text: string, contentType: string): Promise<string>;
  /** A blob's URL without the SAS. */
  blobUrl(container: string, blob: string): string;
}

/** Put Page's limit per call. */
export const MAX_PAGE_WRITE = 4 * 1024 * 1024;

/** The generated client behind BlockBlobClient: its `upload` sends a transactional Content-MD5, the public one does not. */
interface GeneratedBlockBlob {
  upload(
    contentLength: number,
    body: Buffer,
    options: {
      transactionalContentMD5?: Uint8Array;
      blobHttpHeaders?: BlobHTTPHeaders;
      metadata?: Record<string, string>;
      modifiedAccessConditions?: { ifNoneMatch?: string };
    },
  ): Promise<unknown>;
}

/** What Get Blob Properties and List Blobs say of a blob, as the engine compares it. */
function propertiesOf(got: {
  contentLength?: number;
  contentMD5?: Uint8Array;
  blobType?: BlobProperties["blobType"];
}): BlobProperties {
  return {
    length: got.contentLength ?? 0,
    contentMD5: got.contentMD5 ? Buffer.from(got.contentMD5).toString("base64") : undefined,
    blobType: got.blobType ?? "BlockBlob",
  };
}

/** The target and the export's source over one client: one SAS to renew, one set of secrets to redact. */
export type BlobStorage = BlobTarget & BlobSource;

export function createBlobTarget(options: BlobTargetOptions): BlobStorage {
  const endpoint = options.blobEndpoint.replace(/\/+$/, "");
  const retry = options.retry ?? {};
  const retryOptions = {
    maxTries: retry.maxTries ?? 6,
    tryTimeoutInMs: retry.tryTimeoutMs ?? 120_000,
    retryDelayInMs: retry.retryDelayMs ?? 500,
    maxRetryDelayInMs: retry.maxRetryDelayMs ?? 30_000,
  };
  const secrets: string[] = [];
  if (options.credential instanceof StorageSharedKeyCredential) {
    // The key is private to the SDK's class; it is read here only to be cut out of any message.
    const key = (options.credential as unknown as { accountKey?: Buffer }).accountKey;
    if (key) {
      secrets.push(key.toString("base64"));
    }
  }
  const clientFor = (sas: string | undefined): BlobServiceClient => {
    const url = sas ? `${endpoint}?${sas.replace(/^\?/, "")}` : endpoint;
    return new BlobServiceClient(
      url,
      newPipeline(options.credential ?? new AnonymousCredential(), { retryOptions }),
    );
  };
  let service = clientFor(options.sas);
  if (options.sas) {
    secrets.push(options.sas);
  }
  const ensured = new Map<string, Promise<void>>();

  // A container client per container, kept: making one per request was a tenth of a small file's cost.
  let containers = new Map<string, ContainerClient>();
  const containerClient = (container: string): ContainerClient => {
    let client = containers.get(container);
    if (!client) {
      client = service.getContainerClient(container);
      containers.set(container, client);
    }
    return client;
  };
  const blobClient = (container: string, blob: string) => containerClient(container).getBlockBlobClient(blob);
  const pageClient = (container: string, blob: string) => containerClient(container).getPageBlobClient(blob);

  /** Runs one operation, its error (if any) turned into a BlobTargetError with no secret in it. */
  async function call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw toTargetError(error, secrets);
    }
  }

  const md5Bytes = (md5: string) => new Uint8Array(Buffer.from(md5, "base64"));
  const httpHeaders = (headers: BlobHeaders = {}): BlobHTTPHeaders => ({
    blobContentType: headers.contentType,
    blobContentEncoding: headers.contentEncoding,
    blobContentLanguage: headers.contentLanguage,
    blobContentDisposition: headers.contentDisposition,
    blobCacheControl: headers.cacheControl,
    blobContentMD5: headers.contentMD5 === undefined ? undefined : md5Bytes(headers.contentMD5),
  });
  const withoutQuery = (url: string) => url.split("?")[0] ?? url;

  return {
    ...blobSource({ service: () => service, containerClient, call }),
    endpoint,
    setSas(sas) {
      secrets.push(sas);
      service = clientFor(sas);
      containers = new Map();
    },
    ensureContainer(container) {
      let done = ensured.get(container);
      if (!done) {
        done = call(async () => {
          try {
            await containerClient(container).createIfNotExists();
          } catch (error) {
            // A container SAS may not create containers; its container exists, or the first write says so.
            if ((error as { statusCode?: number }).statusCode !== 403) {
              throw error;
            }
          }
        });
        done.catch(() => ensured.delete(container));
        ensured.set(container, done);
      }
      return done;
    },
    properties: (container, blob) =>
      call(async () => {
        try {
          return propertiesOf(await blobClient(container, blob).getProperties());
        } catch (error) {
          if ((error as { statusCode?: number }).statusCode === 404) {
            return undefined;
          }
          throw error;
        }
      }),
    uncommittedBlocks: (container, blob) =>
      call(async () => {
        try {
          const list = await blobClient(container, blob).getBlockList("uncommitted");
          return new Map((list.uncommittedBlocks ?? []).map((block) => [block.name, block.size]));
        } catch (error) {
          if ((error as { statusCode?: number }).statusCode === 404) {
            return new Map<string, number>();
          }
          throw error;
        }
      }),
    stageBlock: (container, blob, blockId, data, md5) =>
      call(async () => {
        await blobClient(container, blob).stageBlock(blockId, data, data.length, {
          transactionalContentMD5: md5Bytes(md5),
        });
      }),
    commitBlockList: (container, blob, ids, write = {}) =>
      call(async () => {
        await blobClient(container, blob).commitBlockList(ids, {
          blobHTTPHeaders: httpHeaders(write.headers),
          metadata: write.metadata,
        });
      }),
    putBlob: (container, blob, data, md5, write = {}) =>
      call(async () => {
        const generated = (
          blobClient(container, blob) as unknown as { blockBlobContext?: GeneratedBlockBlob }
        ).blockBlobContext;
        if (!generated) {
          // Pinned SDK (12.30): if its insides move, say so rather than upload without the checked MD5.
          throw new Error(
            "This @azure/storage-blob has no blockBlobContext: Put Blob cannot send Content-MD5.",
          );
        }
        await generated.upload(data.length, data, {
          transactionalContentMD5: md5Bytes(md5),
          blobHttpHeaders: httpHeaders({ ...write.headers, contentMD5: md5 }),
          metadata: write.metadata,
          ...(write.ifNoneExists ? { modifiedAccessConditions: { ifNoneMatch: "*" } } : {}),
        });
      }),
    list: (container, prefix, maxBlobs) =>
      call(async () => {
        const blobs = new Map<string, BlobProperties>();
        const pages = containerClient(container)
          .listBlobsFlat({ prefix })
          .byPage({ maxPageSize: Math.min(5000, Math.max(1, maxBlobs)) });
        for await (const page of pages) {
          for (const item of page.segment.blobItems) {
            blobs.set(item.name, propertiesOf(item.properties));
          }
          if (blobs.size >= maxBlobs && page.continuationToken) {
            return { blobs, complete: false };
          }
        }
        return { blobs, complete: true };
      }),
    createPageBlob: (container, blob, size, write = {}) =>
      call(async () => {
        await pageClient(container, blob).create(size, {
          blobHTTPHeaders: httpHeaders(write.headers),
          metadata: write.metadata,
        });
      }),
    uploadPages: (container, blob, offset, data, md5) =>
      call(async () => {
        await pageClient(container, blob).uploadPages(data, offset, data.length, {
          transactionalContentMD5: md5Bytes(md5),
        });
      }),
    readRange: (container, blob, offset, count) =>
      call(async () => {
        if (count === 0) {
          return Buffer.alloc(0);
        }
        return await blobClient(container, blob).downloadToBuffer(offset, count);
      }),
    setHeaders: (container, blob, headers) =>
      call(async () => {
        await blobClient(container, blob).setHTTPHeaders(httpHeaders(headers));
      }),
    deleteBlob: (container, blob) =>
      call(async () => {
        await blobClient(container, blob).deleteIfExists({ deleteSnapshots: "include" });
      }),
    uploadText: (container, blob, text, contentType) =>
      call(async () => {
        const client: BlockBlobClient = blobClient(container, blob);
        const data = Buffer.from(text, "utf8");
        await client.upload(data, data.length, { blobHTTPHeaders: { blobContentType: contentType } });
        return withoutQuery(client.url);
      }),
    blobUrl: (container, blob) => withoutQuery(blobClient(container, blob).url),
  };
}
