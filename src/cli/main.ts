#!/usr/bin/env node
/** @module The `sneakernet` command: `sneakernet <noun> <verb>`, one file per noun. */

import { readFileSync } from "node:fs";

import { Command } from "commander";

import { exitCodeFor, oneLine } from "./output.js";

const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  version: string;
};

type Register = (program: Command) => void;

/**
 * The nouns, each loaded only when used: `token` and `lifecycle` open the database and `serve` the whole
 * server, which API verbs (`job`, `ops`, `admin`) should not pay for at every start. Without a known
 * noun (`--help`, a typo) all are loaded, so help and suggestions see every one.
 */
const NOUNS: Record<string, () => Promise<Register>> = {
  serve: async () => (await import("./serve.js")).registerServe,
  token: async () => (await import("./token.js")).registerToken,
  job: async () => (await import("./job.js")).registerJob,
  ops: async () => (await import("./ops.js")).registerOps,
  admin: async () => (await import("./admin.js")).registerAdmin,
  lifecycle: async () => (await import("./lifecycle.js")).registerLifecycle,
};

const program = new Command("sneakernet")
  .description(
    "Sneakernet: move data too big for the network by shipping drives. Import/export jobs, drives, copy stations.",
  )
  .version(version)
  .exitOverride();

const noun = process.argv.slice(2).find((arg) => !arg.startsWith("-"));
const chosen = noun !== undefined && noun in NOUNS ? [noun] : Object.keys(NOUNS);
for (const name of chosen) {
  (await NOUNS[name]!())(program);
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) {
    names.unshift(c.name());
  }
  return names.join(" ");
}

/**
 * Every command, however deep: usage errors reach exitCodeFor (exit 2) rather than exiting with 1, and
 * come out on one line that says where the usage is, as scripts and people both read errors line by line.
 */
function configure(command: Command): void {
  command.exitOverride();
  command.configureOutput({
    outputError: (message, write) => write(`${oneLine(message)} (see: ${commandPath(command)} --help)\n`),
  });
  command.commands.forEach(configure);
}
configure(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeFor(error);
}
