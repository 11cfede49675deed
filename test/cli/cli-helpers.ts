/**
 * @module Helpers for the CLI suites: a real server process on its own data dir, tokens made by the CLI,
 * the built bin run against it, and plain fetch to ask the API what the CLI should have printed.
 */

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

import type { Role } from "../../src/wire/ops.js";
import { ROOT, TMP } from "../support/db.js";
import { runCli, type ServerProcess, startServerProcess } from "../support/server.js";

export const V = "api-version=2021-01-01";
export const PROVIDER = "Microsoft.ImportExport";
export type { Role };

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A BitLocker recovery password: 8 groups of 6 digits. */
export function bitLockerKey(): string {
  return Array.from({ length: 8 }, () => String(Math.floor(Math.random() * 1e6)).padStart(6, "0")).join("-");
}

export const RETURN_ADDRESS = {
  recipientName: "Ada Lovelace",
  streetAddress1: "1 Analytical Way",
  city: "London",
  postalCode: "N1 9GU",
  countryOrRegion: "GB",
  phone: "+44 20 7946 0000",
  email: "ada@example.com",
};

/** A port nothing listens on: taken from the OS, then let go. */
export function deadPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A failure on exactly one line of stderr, with this exit code, matching `pattern`. */
export function assertOneLineError(result: CliResult, exit: number, pattern: RegExp): void {
  const where = `stdout: ${result.stdout}\nstderr: ${result.stderr}`;
  assert.equal(result.code, exit, where);
  const lines = result.stderr.split("\n").filter((l) => l.trim() !== "");
  assert.equal(lines.length, 1, `one line on stderr, not ${lines.length}:\n${result.stderr}`);
  assert.match(lines[0]!, pattern, where);
}

/** The headers of a table printed by the CLI: its first line, split on runs of spaces. */
export function tableHeaders(text: string, line = 0): string[] {
  return (text.split("\n")[line] ?? "").trim().split(/\s{2,}/);
}

/** A CLI process still running (`job watch`): its output so far, a wait for a line, and its end. */
export interface RunningCli {
  stdout(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  done: Promise<CliResult>;
}

/** Starts the built bin without waiting for it, as runCli does otherwise. */
export function startCli(args: string[], env: NodeJS.ProcessEnv): RunningCli {
  const child = spawn(process.execPath, [join(ROOT, "dist/cli/main.js"), ...args], {
    cwd: ROOT,
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
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      waiters.forEach((check) => check());
      resolve({ code, stdout, stderr });
    });
  });
  return {
    stdout: () => stdout,
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

export class CliWorld {
  server!: ServerProcess;
  readonly tokens = {} as Record<string, string>;
  readonly sub = randomUUID();
  readonly dataDir = join(TMP, `cli-${randomUUID()}`);

  /**
   * Starts a server on a fresh data dir with the tokens a suite needs, made offline by `sneakernet token
   * create` and named by their label (a customer token acts on this world's subscription unless told).
   */
  async start(tokens: Record<string, Role | { role: Role; subscriptions: string[] }>): Promise<void> {
    mkdirSync(this.dataDir, { recursive: true });
    const wanted = Object.fromEntries(
      Object.entries(tokens).map(([label, spec]) => [
        label,
        typeof spec === "string"
          ? { role: spec, subscriptions: spec === "customer" ? [this.sub] : [] }
          : spec,
      ]),
    );
    const entries = Object.entries(wanted);
    // The first one alone: it creates the database (and the master key) the others then share.
    await this.makeToken(...entries[0]!);
    await Promise.all(entries.slice(1).map(([label, spec]) => this.makeToken(label, spec)));
    this.server = await startServerProcess(["--data-dir", this.dataDir]);
  }

  private async makeToken(label: string, spec: { role: Role; subscriptions?: string[] }): Promise<void> {
    const args = ["token", "create", "--role", spec.role, "--name", label, "--data-dir", this.dataDir];
    for (const sub of spec.subscriptions ?? []) {
      args.push("--subscription", sub);
    }
    const made = await runCli(args);
    assert.equal(made.code, 0, made.stderr);
    this.tokens[label] = made.stdout.trim();
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** Runs the CLI against this server, with this token in SNEAKERNET_TOKEN (as most people will). */
  cli(args: string[], as: string | null = "customer"): Promise<CliResult> {
    return runCli([...args, "--endpoint", this.server.url], {
      SNEAKERNET_TOKEN: as === null ? "" : (this.tokens[as] ?? as),
    });
  }

  /** Starts the CLI against this server without waiting for it to end. */
  spawn(args: string[], as = "customer"): RunningCli {
    return startCli([...args, "--endpoint", this.server.url], { SNEAKERNET_TOKEN: this.tokens[as] ?? as });
  }

  /** Runs the CLI with --output json, asserts exit 0, and parses stdout. */
  async json<T = unknown>(args: string[], as: string | null = "customer"): Promise<T> {
    const result = await this.cli([...args, "--output", "json"], as);
    assert.equal(result.code, 0, `sneakernet ${args.join(" ")}\nstderr: ${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  }

  /** Runs the CLI with --output table and asserts exit 0; answers stdout. */
  async table(args: string[], as: string | null = "customer"): Promise<string> {
    const result = await this.cli([...args, "--output", "table"], as);
    assert.equal(result.code, 0, `sneakernet ${args.join(" ")}\nstderr: ${result.stderr}`);
    return result.stdout;
  }

  /** One API call with fetch: what the CLI's answer is compared with. */
  async api<T = unknown>(method: string, path: string, as = "customer", body?: unknown): Promise<T> {
    const response = await fetch(new URL(path, this.server.url), {
      method,
      headers: {
        authorization: `Bearer ${this.tokens[as] ?? as}`,
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    assert.ok(response.status < 300, `${method} ${path} answered ${response.status}: ${text}`);
    return (text === "" ? undefined : JSON.parse(text)) as T;
  }

  /** The customer API: adds api-version. */
  arm<T = unknown>(method: string, path: string, body?: unknown, as = "customer"): Promise<T> {
    return this.api<T>(method, `${path}${path.includes("?") ? "&" : "?"}${V}`, as, body);
  }

  jobPath(name: string, rg = "rg1"): string {
    return `/subscriptions/${this.sub}/resourceGroups/${rg}/providers/${PROVIDER}/jobs/${name}`;
  }

  /** A file in the data dir (return addresses, job files). */
  file(name: string, content: string): string {
    const path = join(this.dataDir, name);
    writeFileSync(path, content);
    return path;
  }
}
