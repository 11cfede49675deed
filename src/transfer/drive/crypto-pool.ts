/**
 * @module Sealing and opening large blocks on worker threads: AES-256-GCM and the block's MD5 cost two
 * passes over every byte, which on one core held a station to ~140 MB/s while the other cores idled.
 * A block goes to a worker whole (its buffer transferred, not copied) and comes back sealed or opened
 * with its MD5; the file's own MD5, which needs the blocks in order, stays with the caller.
 */

import type { KeyObject } from "node:crypto";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

/**
 * The worker, as CommonJS source: a file beside this one would be `.ts` under tsx and `.js` once built,
 * and a worker cannot load either the same way. It knows nothing of the drive format: the caller gives
 * it the key, the nonce's length and the authenticated data.
 */
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { createCipheriv, createDecipheriv, createHash, randomBytes } = require("node:crypto");
const own = (b) => b.byteOffset === 0 && b.byteLength === b.buffer.byteLength;
parentPort.on("message", (job) => {
  const data = Buffer.from(job.buffer, 0, job.length);
  try {
    if (job.op === "seal") {
      const md5 = createHash("md5").update(data).digest("base64");
      const nonce = randomBytes(job.nonceBytes);
      const cipher = createCipheriv("aes-256-gcm", job.key, nonce);
      cipher.setAAD(job.aad);
      const body = cipher.update(data);
      cipher.final();
      const tag = cipher.getAuthTag();
      parentPort.postMessage(
        { id: job.id, md5, nonce, body, tag, buffer: job.buffer },
        own(body) ? [job.buffer, body.buffer] : [job.buffer],
      );
    } else {
      const decipher = createDecipheriv("aes-256-gcm", job.key, data.subarray(0, job.nonceBytes));
      decipher.setAAD(job.aad);
      decipher.setAuthTag(data.subarray(data.length - job.tagBytes));
      const plain = decipher.update(data.subarray(job.nonceBytes, data.length - job.tagBytes));
      let authentic = true;
      try {
        decipher.final();
      } catch {
        authentic = false;
      }
      const md5 = authentic ? createHash("md5").update(plain).digest("base64") : "";
      parentPort.postMessage(
        { id: job.id, authentic, md5, plain, buffer: job.buffer },
        own(plain) ? [job.buffer, plain.buffer] : [job.buffer],
      );
    }
  } catch (error) {
    parentPort.postMessage({ id: job.id, error: String(error && error.message || error) });
  }
});
`;

/** Below this a block is sealed or opened where it is: a round trip to a worker costs more than the work. */
export const OFFLOAD_MIN_BYTES = 256 * 1024;

export interface SealJob {
  op: "seal";
  key: KeyObject;
  aad: Buffer;
  nonceBytes: number;
  /** The plaintext, in a buffer of its own (it is transferred to the worker and back). */
  buffer: ArrayBuffer;
  length: number;
}

export interface SealAnswer {
  md5: string;
  /** Buffers arrive from a worker as bare Uint8Arrays. */
  nonce: Uint8Array;
  body: Uint8Array;
  tag: Uint8Array;
  /** The buffer given, handed back for the next block. */
  buffer: ArrayBuffer;
}

export interface OpenJob {
  op: "open";
  key: KeyObject;
  aad: Buffer;
  nonceBytes: number;
  tagBytes: number;
  /** The stored block (nonce, ciphertext, tag), in a buffer of its own. */
  buffer: ArrayBuffer;
  length: number;
}

export interface OpenAnswer {
  /** False when the tag does not hold: then `plain` and `md5` mean nothing. */
  authentic: boolean;
  md5: string;
  plain: Uint8Array;
  buffer: ArrayBuffer;
}

interface Pending {
  resolve: (answer: never) => void;
  reject: (error: Error) => void;
}

/** One worker and what it was asked; it holds the process open only while it has work. */
class CryptoWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private broken: Error | undefined;

  constructor() {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [] });
    this.worker.unref();
    this.worker.on("message", (answer: { id: number; error?: string }) => {
      const waiting = this.pending.get(answer.id);
      this.pending.delete(answer.id);
      if (this.pending.size === 0) {
        this.worker.unref();
      }
      if (answer.error !== undefined) {
        waiting?.reject(new Error(`A crypto worker failed: ${answer.error}`));
      } else {
        waiting?.resolve(answer as never);
      }
    });
    const fail = (error: Error) => {
      this.broken = error;
      for (const waiting of this.pending.values()) {
        waiting.reject(error);
      }
      this.pending.clear();
    };
    this.worker.on("error", fail);
    this.worker.on("exit", (code) => fail(new Error(`A crypto worker stopped (exit code ${code}).`)));
  }

  get load(): number {
    return this.broken ? Number.POSITIVE_INFINITY : this.pending.size;
  }

  get usable(): boolean {
    return this.broken === undefined;
  }

  run<T>(job: SealJob | OpenJob): Promise<T> {
    const id = this.nextId;
    this.nextId += 1;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (answer: never) => void, reject });
      if (this.pending.size === 1) {
        this.worker.ref();
      }
      try {
        this.worker.postMessage({ ...job, id }, [job.buffer]);
      } catch (error) {
        // Not sent (a buffer already handed over, say): nothing will answer it.
        this.pending.delete(id);
        if (this.pending.size === 0) {
          this.worker.unref();
        }
        reject(error as Error);
      }
    });
  }
}

/** As many workers as the machine has cores beyond the main thread's, at most four; none on one core. */
function workerCount(): number {
  const fallback = Math.max(0, Math.min(4, availableParallelism() - 1));
  const configured = process.env.SNEAKERNET_CRYPTO_THREADS?.trim();
  if (configured === undefined || configured === "") {
    return fallback;
  }
  if (/^\d{1,2}$/.test(configured) && Number(configured) <= 16) {
    return Number(configured);
  }
  // Read on first use, deep in a copy: a warning rather than a failed drive.
  process.emitWarning(
    `SNEAKERNET_CRYPTO_THREADS is a whole number from 0 to 16, not '${configured.slice(0, 20)}': using ${fallback}.`,
  );
  return fallback;
}

/** The process's workers, started the first time a large block comes; a broken one is replaced. */
class CryptoPool {
  private workers: CryptoWorker[] | undefined;
  /** Blocks handed to a worker so far, by what was done (how a test sees the work left the main thread). */
  readonly done = { seal: 0, open: 0 };

  private started(): CryptoWorker[] {
    return (this.workers ??= Array.from({ length: workerCount() }, () => new CryptoWorker()));
  }

  /** False when blocks are to be handled where they are (one core, or no threads asked for). */
  get enabled(): boolean {
    return this.started().length > 0;
  }

  run<T>(job: SealJob | OpenJob): Promise<T> {
    const workers = this.started();
    workers.forEach((worker, index) => {
      if (!worker.usable) {
        workers[index] = new CryptoWorker();
      }
    });
    const idlest = workers.reduce((best, worker) => (worker.load < best.load ? worker : best));
    this.done[job.op] += 1;
    return idlest.run<T>(job);
  }
}

export const cryptoPool = new CryptoPool();
