/** @module One measurement of `npm run bench:copy`, run in a fresh child process so each has its own memory and JIT. */

// Modes (the first argument), each printing one JSON line {seconds, bytes, files, failed, maxRssMiB}:
//   station DRIVE  the station's data path: open the drive with its key, import it into blob storage
//                  through the real target (the SAS a claim hands over) with the SQLite journal
//   null DRIVE     the same, into a target that keeps nothing: read + decrypt + verify + journal
//   sdk DIR        the raw @azure/storage-blob upload of the plaintext: large files one after another
//                  (8 MiB blocks × 8 in flight), small files 32 at a time (one Put Blob each)
//   cipher DIR     Node's AES-256-GCM + MD5 over the plaintext, in the drive's block size, on one core:
//                  what a station must do per byte (it checks each block's MD5; the file's is the manifest's)
//   export ROOT    the station's export data path: fill the blank drive folder ROOT from the container
//                  BENCH_CONTAINER with exportDrive, the station's SQLite export journal (under the second
//                  argument), its concurrency (8, half its 16 blocks per drive) and default scrypt
//   download DIR   the raw @azure/storage-blob download of the same container into plain files under DIR
//                  (downloadToFile: one streamed Get Blob a blob; large blobs all at once, at most 8,
//                  small ones 32 at a time), then `sync -f DIR`: the station's drive is flushed too
// Secrets come in the environment (BENCH_KEY, BENCH_SAS), never on a command line that `ps` shows.

import { spawnSync } from "node:child_process";
import { createCipheriv, createHash, randomBytes } from "node:crypto";
import { closeSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { mkdirSync } from "node:fs";
import { statfs } from "node:fs/promises";
import { dirname, join, relative } from "node:path";

import type { BlockBlobClient } from "@azure/storage-blob";
import { ContainerClient } from "@azure/storage-blob";

import { SqliteExportJournal } from "../src/station/export-journal.js";
import { SqliteJournal } from "../src/station/journal.js";
import type { BlobProperties, BlobTarget } from "../src/transfer/blob/target.js";
import { createBlobTarget } from "../src/transfer/blob/target.js";
import { openDrive } from "../src/transfer/drive/index.js";
import { exportDrive } from "../src/transfer/export/engine.js";
import { selectionFromLists } from "../src/transfer/export/selection.js";
import { importDrive } from "../src/transfer/import/index.js";

const systemClock = { now: () => new Date() };
// The raw SDK's block size for large files: 8 MiB as the issue sets it (BENCH_SDK_BLOCK_MIB to compare).
const SDK_BLOCK = Number(process.env.BENCH_SDK_BLOCK_MIB ?? 8) * 1024 * 1024;

interface Figures {
  seconds: number;
  bytes: number;
  files: number;
  failed: number;
  maxRssMiB: number;
}

function env(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set`);
  }
  return value;
}

/** Every regular file under `dir`, sorted, with its size. */
function filesUnder(dir: string): { path: string; size: number }[] {
  const out: { path: string; size: number }[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) {
        walk(path);
      } else if (entry.isFile()) {
        out.push({ path, size: statSync(path).size });
      }
    }
  };
  walk(dir);
  return out;
}

/** A target that keeps only what it must answer for: each blob's type, length and Content-MD5. */
function nullTarget(): BlobTarget {
  const blobs = new Map<string, BlobProperties>();
  const staged = new Map<string, Map<string, number>>();
  const key = (container: string, blob: string) => `${container}/${blob}`;
  const props = (
    blobType: BlobProperties["blobType"],
    length: number,
    contentMD5?: string,
  ): BlobProperties => ({
    blobType,
    length,
    ...(contentMD5 ? { contentMD5 } : {}),
  });
  return {
    endpoint: "null:",
    setSas() {},
    async ensureContainer() {},
    async properties(container, blob) {
      return blobs.get(key(container, blob));
    },
    async uncommittedBlocks(container, blob) {
      return new Map(staged.get(key(container, blob)));
    },
    async stageBlock(container, blob, id, data) {
      const k = key(container, blob);
      const blocks = staged.get(k) ?? new Map<string, number>();
      blocks.set(id, data.length);
      staged.set(k, blocks);
    },
    async commitBlockList(container, blob, ids, options) {
      const k = key(container, blob);
      const blocks = staged.get(k) ?? new Map<string, number>();
      const length = ids.reduce((sum, id) => sum + (blocks.get(id) ?? 0), 0);
      staged.delete(k);
      blobs.set(k, props("BlockBlob", length, options?.headers?.contentMD5));
    },
    async putBlob(container, blob, data, md5) {
      blobs.set(key(container, blob), props("BlockBlob", data.length, md5));
    },
    async list(container, prefix) {
      const found = new Map<string, BlobProperties>();
      for (const [name, value] of blobs) {
        if (name.startsWith(`${container}/${prefix}`)) {
          found.set(name.slice(container.length + 1), value);
        }
      }
      return { blobs: found, complete: true };
    },
    async createPageBlob(container, blob, size) {
      blobs.set(key(container, blob), props("PageBlob", size));
    },
    async uploadPages() {},
    async readRange() {
      return Buffer.alloc(0);
    },
    async setHeaders(container, blob, headers) {
      const k = key(container, blob);
      const found = blobs.get(k);
      if (found) {
        blobs.set(k, props(found.blobType, found.length, headers.contentMD5));
      }
    },
    async deleteBlob(container, blob) {
      blobs.delete(key(container, blob));
    },
    async uploadText(container, blob) {
      return `null:${key(container, blob)}`;
    },
    blobUrl: (container, blob) => `null:${key(container, blob)}`,
  };
}

async function station(
  drivePath: string,
  stateDir: string,
  toNowhere: boolean,
): Promise<Omit<Figures, "maxRssMiB">> {
  const drive = await openDrive(drivePath, env("BENCH_KEY"));
  const target = toNowhere
    ? nullTarget()
    : createBlobTarget({ blobEndpoint: env("BENCH_BLOB_ENDPOINT"), sas: env("BENCH_SAS") });
  mkdirSync(stateDir, { recursive: true });
  const journal = SqliteJournal.open(join(stateDir, `journal-${toNowhere ? "null" : "blob"}.sqlite`));
  const started = performance.now();
  const result = await importDrive({
    drive,
    target,
    journal,
    clock: systemClock,
    ...(process.env.BENCH_CONCURRENCY ? { concurrency: Number(process.env.BENCH_CONCURRENCY) } : {}),
  });
  const seconds = (performance.now() - started) / 1000;
  journal.close();
  const failures = result.files.filter((f) => f.status !== "Completed");
  for (const failure of failures.slice(0, 3)) {
    console.error(`${failure.path}: ${failure.status} ${failure.message ?? ""}`);
  }
  return { seconds, bytes: result.bytesDone, files: result.files.length, failed: failures.length };
}

async function sdk(dir: string): Promise<Omit<Figures, "maxRssMiB">> {
  const container = new ContainerClient(
    `${env("BENCH_BLOB_ENDPOINT")}/${env("BENCH_CONTAINER")}?${env("BENCH_SAS")}`,
  );
  await container.createIfNotExists();
  const files = filesUnder(dir);
  const clientOf = (path: string): BlockBlobClient =>
    container.getBlockBlobClient(relative(dir, path).split("\\").join("/"));
  const started = performance.now();
  const large = files.some((f) => f.size > 8 * 1024 * 1024);
  if (large) {
    for (const file of files) {
      await clientOf(file.path).uploadFile(file.path, { blockSize: SDK_BLOCK, concurrency: 8 });
    }
  } else {
    let next = 0;
    const worker = async () => {
      while (next < files.length) {
        const file = files[next++]!;
        await clientOf(file.path).uploadFile(file.path);
      }
    };
    await Promise.all(Array.from({ length: 32 }, worker));
  }
  const seconds = (performance.now() - started) / 1000;
  return { seconds, bytes: files.reduce((s, f) => s + f.size, 0), files: files.length, failed: 0 };
}

/** The station's export of one container onto a blank drive folder, as fill-drive.ts calls it. */
async function exportTo(root: string, stateDir: string): Promise<Omit<Figures, "maxRssMiB">> {
  mkdirSync(root, { recursive: true });
  mkdirSync(stateDir, { recursive: true });
  const source = createBlobTarget({ blobEndpoint: env("BENCH_BLOB_ENDPOINT"), sas: env("BENCH_SAS") });
  const journal = SqliteExportJournal.open(join(stateDir, "journal.export.sqlite"));
  const container = env("BENCH_CONTAINER");
  const started = performance.now();
  const result = await exportDrive({
    root,
    driveId: `BENCH-EXPORT-${container.toUpperCase()}`,
    password: env("BENCH_KEY"),
    source,
    journal,
    clock: systemClock,
    select: async () => ({ selection: selectionFromLists({ blobPathPrefix: [`/${container}/`] }) }),
    // The station's: the drive's free space (no capacity recorded for a bench drive).
    capacityBytes: async () => {
      const fs = await statfs(root);
      return Number(fs.bavail) * Number(fs.bsize);
    },
    ...(process.env.BENCH_CONCURRENCY ? { concurrency: Number(process.env.BENCH_CONCURRENCY) } : {}),
  });
  const seconds = (performance.now() - started) / 1000;
  journal.close();
  if (result.driveError) {
    console.error(`${result.driveError.code}: ${result.driveError.message}`);
  }
  const failures = result.files.filter((f) => f.status !== "Completed");
  for (const failure of failures.slice(0, 3)) {
    console.error(`${failure.blob.name}: ${failure.status} ${failure.message ?? ""}`);
  }
  return {
    seconds,
    bytes: result.bytesDone,
    files: result.files.length,
    failed: failures.length + (result.driveError || !result.finished ? 1 : 0),
  };
}

/** The raw SDK's download of one container into plain files, flushed to the disk at the end. */
async function download(dir: string): Promise<Omit<Figures, "maxRssMiB">> {
  const container = new ContainerClient(
    `${env("BENCH_BLOB_ENDPOINT")}/${env("BENCH_CONTAINER")}?${env("BENCH_SAS")}`,
  );
  const started = performance.now();
  const blobs: { name: string; size: number }[] = [];
  for await (const item of container.listBlobsFlat()) {
    blobs.push({ name: item.name, size: item.properties.contentLength ?? 0 });
  }
  const large = blobs.some((b) => b.size > 8 * 1024 * 1024);
  const inFlight = large ? Math.min(8, blobs.length) : 32;
  let next = 0;
  let failed = 0;
  const madeFolders = new Set<string>();
  const worker = async () => {
    while (next < blobs.length) {
      const blob = blobs[next++]!;
      const path = join(dir, ...blob.name.split("/"));
      const folder = dirname(path);
      if (!madeFolders.has(folder)) {
        mkdirSync(folder, { recursive: true });
        madeFolders.add(folder);
      }
      try {
        await container.getBlobClient(blob.name).downloadToFile(path);
      } catch (error) {
        failed += 1;
        console.error(`${blob.name}: ${(error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const sync = spawnSync("sync", ["-f", dir]);
  if (sync.status !== 0) {
    throw new Error(`sync -f ${dir} exited ${sync.status}`);
  }
  const seconds = (performance.now() - started) / 1000;
  return { seconds, bytes: blobs.reduce((s, b) => s + b.size, 0), files: blobs.length, failed };
}

/** AES-256-GCM (a fresh nonce per block, as the drive seals them) and the MD5 of each block. */
function cipher(dir: string, blockSize: number): Omit<Figures, "maxRssMiB"> {
  const files = filesUnder(dir);
  const key = randomBytes(32);
  const buffer = Buffer.allocUnsafe(blockSize);
  const started = performance.now();
  for (const file of files) {
    const fd = openSync(file.path, "r");
    try {
      for (let at = 0; at < file.size; at += blockSize) {
        const length = readSync(fd, buffer, 0, Math.min(blockSize, file.size - at), at);
        const block = buffer.subarray(0, length);
        const gcm = createCipheriv("aes-256-gcm", key, randomBytes(12));
        gcm.update(block);
        gcm.final();
        gcm.getAuthTag();
        createHash("md5").update(block).digest();
      }
    } finally {
      closeSync(fd);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return { seconds, bytes: files.reduce((s, f) => s + f.size, 0), files: files.length, failed: 0 };
}

const [mode, path, extra] = process.argv.slice(2);
if (!mode || !path) {
  throw new Error(
    "usage: copy-worker.ts station|null|sdk|cipher|export|download PATH [STATE_DIR|BLOCK_SIZE]",
  );
}
let figures: Omit<Figures, "maxRssMiB">;
switch (mode) {
  case "station":
  case "null":
    figures = await station(path, extra ?? join(path, "..", "station-state"), mode === "null");
    break;
  case "sdk":
    figures = await sdk(path);
    break;
  case "cipher":
    figures = cipher(path, Number(extra ?? 4 * 1024 * 1024));
    break;
  case "export":
    figures = await exportTo(path, extra ?? join(path, "..", "export-state"));
    break;
  case "download":
    figures = await download(path);
    break;
  default:
    throw new Error(`unknown mode '${mode}'`);
}
// maxRSS is in KiB: the process's peak resident memory, all of it (heap, buffers, native).
const out: Figures = { ...figures, maxRssMiB: process.resourceUsage().maxRSS / 1024 };
console.log(JSON.stringify(out));
