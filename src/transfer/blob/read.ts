/**
 * @module Reading one small blob as text with a registered credential (account key, connection string or
 * SAS), size-capped: what the control plane needs to show a drive's copy log. Failures are answered as
 * values with the secrets cut out, never thrown.
 */

import type { Readable } from "node:stream";

import {
  AnonymousCredential,
  BlobServiceClient,
  newPipeline,
  StorageSharedKeyCredential,
} from "@azure/storage-blob";

import { parseConnectionString } from "../../domain/connection-string.js";
import { toTargetError } from "./errors.js";
import type { BlobCredential } from "./sas.js";

export type BlobReadFailure =
  | "notFound"
  | "forbidden"
  | "unreachable"
  | "tooLarge"
  | "credentialUnsupported"
  | "failed";

export type BlobTextRead =
  | { ok: true; text: string }
  | { ok: false; reason: BlobReadFailure; message: string };

export interface BlobReadOptions {
  /** A blob larger than this is refused without reading its body. */
  maxBytes: number;
  /** Per try; a person waits on this read (the portal, the CLI), so it is short. */
  tryTimeoutMs?: number;
  maxTries?: number;
}

/** The read's service client and the secrets to cut out of its messages, or why there is none. */
function serviceFor(
  account: { name: string; blobEndpoint: string; credential: BlobCredential },
  options: BlobReadOptions,
):
  | { service: BlobServiceClient; secrets: string[] }
  | { ok: false; reason: BlobReadFailure; message: string } {
  const endpoint = account.blobEndpoint.replace(/\/+$/, "");
  const pipeline = (credential: StorageSharedKeyCredential | AnonymousCredential) =>
    newPipeline(credential, {
      retryOptions: {
        maxTries: options.maxTries ?? 2,
        tryTimeoutInMs: options.tryTimeoutMs ?? 15_000,
        retryDelayInMs: 200,
        maxRetryDelayInMs: 1_000,
      },
    });
  const { credential } = account;
  switch (credential.type) {
    case "accountKey":
    case "connectionString": {
      const key =
        credential.type === "accountKey"
          ? credential.secret && { accountName: account.name, accountKey: credential.secret }
          : parseConnectionString(credential.secret ?? "");
      if (!key) {
        return { ok: false, reason: "credentialUnsupported", message: "the registered credential is empty." };
      }
      return {
        service: new BlobServiceClient(
          endpoint,
          pipeline(new StorageSharedKeyCredential(key.accountName, key.accountKey)),
        ),
        secrets: [key.accountKey],
      };
    }
    case "sas": {
      const sas = (credential.secret ?? "").replace(/^\?/, "");
      if (!sas) {
        return { ok: false, reason: "credentialUnsupported", message: "the registered SAS is empty." };
      }
      return {
        service: new BlobServiceClient(`${endpoint}?${sas}`, pipeline(new AnonymousCredential())),
        secrets: [sas],
      };
    }
    case "entra":
      // Reading with Entra ID needs a token of the service's own identity, which it does not have yet.
      return {
        ok: false,
        reason: "credentialUnsupported",
        message:
          "the account is registered with an Entra ID credential, which this service cannot read with yet; register an account key, a connection string or a SAS with read permission.",
      };
  }
}

/** The text of `container/blobName` (UTF-8), or why it could not be read. */
export async function readBlobText(
  account: { name: string; blobEndpoint: string; credential: BlobCredential },
  location: { container: string; blobName: string },
  options: BlobReadOptions,
): Promise<BlobTextRead> {
  const made = serviceFor(account, options);
  if ("ok" in made) {
    return made;
  }
  const { service, secrets } = made;
  const blob = service.getContainerClient(location.container).getBlobClient(location.blobName);
  try {
    // Asked for one byte more than allowed: the answer's total length tells a blob too large without
    // its body being read, and a blob that grows between two requests cannot slip past the cap.
    const response = await blob.download(0, options.maxBytes + 1);
    const body = response.readableStreamBody as Readable | undefined;
    const total = totalLength(response.contentRange) ?? response.contentLength ?? 0;
    if (total > options.maxBytes) {
      body?.destroy();
      return {
        ok: false,
        reason: "tooLarge",
        message: `the blob is ${total} bytes, more than the ${options.maxBytes} bytes a log may be.`,
      };
    }
    const chunks: Buffer[] = [];
    let read = 0;
    for await (const chunk of body ?? []) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      read += buffer.length;
      if (read > options.maxBytes) {
        body?.destroy();
        return {
          ok: false,
          reason: "tooLarge",
          message: `the blob is more than the ${options.maxBytes} bytes a log may be.`,
        };
      }
      chunks.push(buffer);
    }
    return { ok: true, text: Buffer.concat(chunks).toString("utf8") };
  } catch (error) {
    const failure = toTargetError(error, secrets);
    if (failure.status === 416) {
      // A range from byte 0 of an empty blob: there is nothing to read, which is an empty text.
      return { ok: true, text: "" };
    }
    return { ok: false, reason: reasonOf(failure.status, failure.code), message: failure.message };
  }
}

/** `bytes 0-99/1234` → 1234. */
function totalLength(contentRange: string | undefined): number | undefined {
  const match = /\/(\d+)\s*$/.exec(contentRange ?? "");
  return match ? Number(match[1]) : undefined;
}

function reasonOf(status: number, code: string): BlobReadFailure {
  if (status === 404 || code === "BlobNotFound" || code === "ContainerNotFound") {
    return "notFound";
  }
  if (status === 401 || status === 403) {
    return "forbidden";
  }
  return status === 0 ? "unreachable" : "failed";
}
