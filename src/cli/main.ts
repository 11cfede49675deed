#!/usr/bin/env node
/** @module The `sneakernet` command: `sneakernet <noun> <verb>`, one file per noun. */

import { readFileSync } from "node:fs";

import { Command } from "commander";

import { registerLifecycle } from "./lifecycle.js";
import { exitCodeFor } from "./output.js";
import { registerServe } from "./serve.js";
import { registerToken } from "./token.js";

const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  version: string;
};

const program = new Command("sneakernet")
  .description(
    "Sneakernet: move data too big for the network by shipping drives. Import/export jobs, drives, copy stations.",
  )
  .version(version)
  .exitOverride()
  .showHelpAfterError("(run with --help for usage)");

registerServe(program);
registerToken(program);
registerLifecycle(program);

// Subcommands inherit the exit override, so usage errors reach exitCodeFor rather than exiting with 1.
for (const command of program.commands) {
  command.exitOverride();
  for (const sub of command.commands) {
    sub.exitOverride();
  }
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeFor(error);
}
