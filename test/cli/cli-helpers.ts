/**
 * @module Helpers for the CLI suites: a real server process on its own data dir, tokens made by the CLI,
 * the built bin run against it, and plain fetch to ask the API what the CLI should have printed.
 */

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

import { type JobAddress, jobPath } from "../../src/wire/ids.js";
import type { Role } from "../../src/wire/ops.js";
import { withVersion } from "../support/customer-api.js";
import { TMP } from "../support/db.js";
import { bitLockerKey, RETURN_ADDRESS, STORAGE_ACCOUNT } from "../support/fixtures.js";
import {
  type ProcessResult,
  runCli,
  type RunningProcess,
  type ServerProcess,
  startCli,
  startServerProcess,
} from "../support/server.js";

export type { Role };

export type CliResult = ProcessResult;

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

/** Every line of `text` in at most `columns` characters (as a terminal counts them: "…" is one). */
export function assertFits(text: string, columns: number): void {
  for (const line of text.split("\n")) {
    assert.ok([...line].length <= columns, `longer than ${columns}: ${line}\n${text}`);
  }
}

/** The headers of a table printed by the CLI: its first line, split on runs of spaces. */
export function tableHeaders(text: string, line = 0): string[] {
  return (text.split("\n")[line] ?? "").trim().split(/\s{2,}/);
}

export class CliWorld {
  server!: ServerProcess;
  readonly tokens = {} as Record<string, string>;
  readonly sub = randomUUID();
  readonly dataDir = join(TMP, `cli-${randomUUID()}`);
  /** RETURN_ADDRESS in a file, for `--return-address`. */
  readonly addressFile = join(this.dataDir, "address.json");

  /**
   * Starts a server on a fresh data dir with the tokens a suite needs, made offline by `sneakernet token
   * create` and named by their label (a customer token acts on this world's subscription unless told).
   */
  async start(tokens: Record<string, Role | { role: Role; subscriptions: string[] }>): Promise<void> {
    mkdirSync(this.dataDir, { recursive: true });
    writeFileSync(this.addressFile, JSON.stringify(RETURN_ADDRESS));
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
  cli(args: string[], as: string | null = "customer", env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
    return runCli([...args, "--endpoint", this.server.url], {
      SNEAKERNET_TOKEN: as === null ? "" : (this.tokens[as] ?? as),
      ...env,
    });
  }

  /** Starts the CLI against this server (or what stands in front of it) without waiting for it to end. */
  spawn(args: string[], as = "customer", endpoint = this.server.url): RunningProcess {
    return startCli([...args, "--endpoint", endpoint], { SNEAKERNET_TOKEN: this.tokens[as] ?? as });
  }

  /** Runs the CLI with --output json, asserts exit 0, and parses stdout. */
  async json<T = unknown>(args: string[], as: string | null = "customer"): Promise<T> {
    const result = await this.cli([...args, "--output", "json"], as);
    assert.equal(result.code, 0, `sneakernet ${args.join(" ")}\nstderr: ${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  }

  /**
   * Runs the CLI with --output table and asserts exit 0; answers stdout. Its width is the default one
   * unless `env` sets COLUMNS: a COLUMNS exported where the tests run does not reach it.
   */
  async table(args: string[], as: string | null = "customer", env: NodeJS.ProcessEnv = {}): Promise<string> {
    const result = await this.cli([...args, "--output", "table"], as, { COLUMNS: "", ...env });
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
    return this.api<T>(method, withVersion(path), as, body);
  }

  /** Where a job of this world's subscription lives (resource group rg1 unless told). */
  address(name: string, rg = "rg1"): JobAddress {
    return { subscriptionId: this.sub, resourceGroup: rg, name };
  }

  /** A job's URL path, which is also its ARM id (how the operator names it). */
  jobPath(name: string, rg = "rg1"): string {
    return jobPath(this.address(name, rg));
  }

  /**
   * The arguments of `job create <name>` for an import job in `rg` (rg1), at westus, on the test account:
   * a `--drive serial=key` for each drive (a fresh key unless one follows `=`), then `more`.
   */
  importArgs(name: string, drives: readonly string[], { rg = "rg1", more = [] as string[] } = {}): string[] {
    return [
      "job",
      "create",
      name,
      "-g",
      rg,
      "--location",
      "westus",
      "--type",
      "Import",
      "--storage-account",
      STORAGE_ACCOUNT,
      ...drives.flatMap((drive) => ["--drive", drive.includes("=") ? drive : `${drive}=${bitLockerKey()}`]),
      ...more,
    ];
  }

  /** `job create` of an import job of these serials with RETURN_ADDRESS (and UPS return shipping when told). */
  createImport<T = unknown>(
    name: string,
    serials: readonly string[],
    { rg = "rg1", returnShipping = false } = {},
  ): Promise<T> {
    const shipping = returnShipping ? ["--return-carrier", "UPS", "--return-account", "989ffff"] : [];
    return this.json<T>(
      this.importArgs(name, serials, { rg, more: ["--return-address", this.addressFile, ...shipping] }),
    );
  }

  /** `job ship`: the customer records the package `FedEx <tracking>`, and the job moves to Shipping. */
  ship<T = unknown>(name: string, tracking: string, rg = "rg1"): Promise<T> {
    return this.json<T>(["job", "ship", name, "-g", rg, "--carrier", "FedEx", "--tracking", tracking]);
  }

  /** A file in the data dir (return addresses, job files). */
  file(name: string, content: string): string {
    const path = join(this.dataDir, name);
    writeFileSync(path, content);
    return path;
  }
}
