/**
 * @module Servers and processes for tests: the API in-process (Fastify on port 0), the real `sneakernet`
 * bin (a server, a CLI run), or any other command.
 */

import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { join } from "node:path";

import { createMetrics } from "../../src/api/http/metrics.js";
import { buildServer } from "../../src/api/http/server.js";
import { createToken } from "../../src/app/create-token.js";
import { seedDefaults } from "../../src/app/seed-defaults.js";
import { createAuthenticator } from "../../src/app/support/authenticate.js";
import type { AppDeps } from "../../src/app/support/deps.js";
import type { Principal } from "../../src/app/support/principal.js";
import { createSecretBox } from "../../src/app/support/secret-box.js";
import type { Clock } from "../../src/domain/clock.js";
import { blobStorageAccess } from "../../src/serve/open.js";
import { Store } from "../../src/store/store.js";
import { freshSqlite, ROOT, TMP } from "./db.js";

/** A settable clock: tests move time by hand, never by sleeping. */
export class TestClock implements Clock {
  constructor(private current = new Date("2026-01-15T12:00:00.000Z")) {}
  now(): Date {
    return new Date(this.current);
  }
  set(at: Date | string): void {
    this.current = new Date(at);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export const TEST_MASTER_KEY = Buffer.alloc(32, 7);

export async function openTestDeps(databaseUrl: string, clock: Clock = new TestClock()): Promise<AppDeps> {
  const store = await Store.open(databaseUrl);
  // The real SAS minting, as serve wires it: a claim on an account with a credential carries access.
  const deps: AppDeps = {
    store,
    clock,
    secrets: createSecretBox(TEST_MASTER_KEY),
    storageAccess: blobStorageAccess,
  };
  await seedDefaults(deps);
  return deps;
}

export interface TestServer {
  url: string;
  deps: AppDeps;
  token(role: "customer" | "operator" | "station" | "admin", subscriptions?: string[]): Promise<string>;
  close(): Promise<void>;
}

/** The API in this process on a free port, over the given database. */
export async function startTestServer(
  databaseUrl: string,
  clock: Clock = new TestClock(),
  options: { portalDir?: string } = {},
): Promise<TestServer> {
  const deps = await openTestDeps(databaseUrl, clock);
  // Event streams poll often here, so a test waits milliseconds for an event, not seconds.
  const app = await buildServer({
    deps,
    authenticate: createAuthenticator(deps, 0),
    metrics: createMetrics(),
    eventPollMs: 20,
    ...options,
  });
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  return {
    url,
    deps,
    token: async (role, subscriptions = []) => (await createToken(deps, { role, subscriptions })).token,
    close: async () => {
      await app.close();
      await deps.store.close();
    },
  };
}

/** The API in this process over a fresh copy of the SQLite template, which its close() removes. */
export async function startSqliteServer(
  label: string,
  clock: Clock = new TestClock(),
  options: { portalDir?: string } = {},
): Promise<TestServer> {
  const db = freshSqlite(label);
  try {
    const server = await startTestServer(db.url, clock, options);
    return {
      ...server,
      close: async () => {
        await server.close();
        db.cleanup();
      },
    };
  } catch (error) {
    db.cleanup();
    throw error;
  }
}

export interface ServerProcess {
  url: string;
  /** devstoreaccount1's endpoint on the server's embedded Azurite, as its banner says; absent without one. */
  blobEndpoint?: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<number | null>;
}

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A process still running (`job watch`, a script): its output so far, a wait for a line, and its end. */
export interface RunningProcess {
  stdout(): string;
  /** Resolves once stdout matches; rejects if the process ends first, or after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Sends it a signal (SIGTERM unless told): Ctrl-C for a long-running command. */
  kill(signal?: NodeJS.Signals): void;
  done: Promise<ProcessResult>;
}

/** Starts `command args` in ROOT (unless told) with the test's environment plus `env`, without waiting for it. */
export function startProcess(
  command: string,
  args: string[],
  { env = {}, cwd = ROOT }: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): RunningProcess {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const waiters = new Set<() => void>();
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
    waiters.forEach((check) => check());
  });
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<ProcessResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      waiters.forEach((check) => check());
      resolve({ code, stdout, stderr });
    });
  });
  return {
    stdout: () => stdout,
    kill: (signal = "SIGTERM") => void child.kill(signal),
    done,
    waitFor: (pattern, timeoutMs = 20_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${pattern} within ${timeoutMs} ms; stdout:\n${stdout}\nstderr:\n${stderr}`));
        }, timeoutMs);
        const check = () => {
          if (pattern.test(stdout)) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve();
          } else if (child.exitCode !== null) {
            clearTimeout(timer);
            waiters.delete(check);
            reject(
              new Error(`exited ${child.exitCode} before ${pattern}; stdout:\n${stdout}\nstderr:\n${stderr}`),
            );
          }
        };
        waiters.add(check);
        check();
      }),
  };
}

/** Starts `sneakernet <args>` (the built bin) without waiting for it. */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): RunningProcess {
  return startProcess(process.execPath, [join(ROOT, "dist/cli/main.js"), ...args], { env });
}

/** Runs `sneakernet <args>` (the built bin) to completion. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ProcessResult> {
  return startCli(args, env).done;
}

/** `sneakernet token create <args>` against a data dir, as an operator makes tokens: the token printed. */
export async function cliToken(dataDir: string, args: string[]): Promise<string> {
  const made = await runCli(["token", "create", ...args, "--data-dir", dataDir]);
  if (made.code !== 0) {
    throw new Error(`token create ${args.join(" ")} → exit ${made.code}: ${made.stderr}`);
  }
  return made.stdout.trim();
}

/**
 * One call to a running server's API as a client other than a browser makes it (a test's set-up, a
 * station's part): the JSON answer, or undefined for an empty one; any answer but 2xx fails the test.
 */
export async function apiCall(
  url: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${method} ${path} → ${response.status} ${text}`);
  }
  return text ? JSON.parse(text) : undefined;
}

/**
 * The environment of a test's `serve`: no embedded Azurite nor station unless the caller asks (each costs
 * seconds, and two Azurites on port 10000 would collide); an Azurite asked for gets a free port unless
 * the caller names one.
 */
export function serveEnv(args: string[], env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const merged: NodeJS.ProcessEnv = {
    ...process.env,
    SNEAKERNET_LOG_LEVEL: "warn",
    SNEAKERNET_AZURITE: "0",
    SNEAKERNET_STATION: "0",
    ...env,
  };
  if (!("SNEAKERNET_AZURITE_PORT" in env) && !args.includes("--azurite-port")) {
    merged.SNEAKERNET_AZURITE_PORT = "0";
  }
  return merged;
}

/**
 * Starts `sneakernet serve --port 0 …` (a `--port` in `args` wins) in ROOT, or in `cwd`, and resolves once
 * it prints where it listens. Without Azurite unless `env` says `SNEAKERNET_AZURITE: "1"` (see serveEnv).
 */
export function startServerProcess(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  { cwd = ROOT, detached = false }: { cwd?: string; detached?: boolean } = {},
): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    // Detached: serve leads a process group of its own, which a crash test kills whole (kill -9 -pid).
    const child = spawn(process.execPath, [join(ROOT, "dist/cli/main.js"), "serve", "--port", "0", ...args], {
      cwd,
      env: serveEnv(args, env),
      stdio: ["ignore", "pipe", "pipe"],
      detached,
    });
    let output = "";
    // Azurite's start is part of serve's: a few seconds more on a busy machine.
    const timeout = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`server did not start within 40 s:\n${output}`));
    }, 40_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      const match = /listening on (https?:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timeout);
        child.stdout?.off("data", onData);
        child.stdout?.on("data", (more: Buffer) => (output += more.toString()));
        const blobEndpoint = /Blob endpoint: (http:\/\/\S+)/.exec(output)?.[1];
        resolve({
          url: match[1]!,
          ...(blobEndpoint ? { blobEndpoint } : {}),
          child,
          output: () => output,
          stop: () =>
            new Promise((done) => {
              // Ended already (a test may kill it by a signal: then exitCode stays null).
              if (child.exitCode !== null || child.signalCode !== null) {
                done(child.exitCode);
                return;
              }
              child.once("close", (code) => done(code));
              child.kill("SIGTERM");
            }),
        });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    child.on("close", (code) => {
      clearTimeout(timeout);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });
}

/**
 * Two `sneakernet serve` processes started at the same moment over one database (`env.DATABASE_URL`),
 * each with a data dir of its own, for the races between replicas. Their stops and the dirs' removal go
 * to `cleanups`; a server that fails to start fails the call.
 */
export async function startTwoServers(
  env: NodeJS.ProcessEnv,
  cleanups: (() => unknown)[],
): Promise<[ServerProcess, ServerProcess]> {
  const dirs = ["a", "b"].map((n) => join(TMP, `replica-${n}-${randomBytes(4).toString("hex")}`));
  for (const dir of dirs) {
    mkdirSync(dir, { recursive: true });
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  }
  const started = await Promise.allSettled(
    dirs.map((dir) => startServerProcess(["--data-dir", dir, "--no-azurite", "--no-station"], env)),
  );
  for (const s of started) {
    if (s.status === "fulfilled") {
      cleanups.push(() => s.value.stop());
    }
  }
  const failed = started.filter((s) => s.status === "rejected").map((s) => String(s.reason));
  if (failed.length > 0) {
    throw new Error(`both servers start:\n${failed.join("\n")}`);
  }
  return started.map((s) => (s as PromiseFulfilledResult<ServerProcess>).value) as [
    ServerProcess,
    ServerProcess,
  ];
}

/** A port nothing listens on now: for a server that must come back on the same port after a restart. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export type { Principal };
