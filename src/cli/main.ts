#!/usr/bin/env node
/** @module The `sneakernet` command: `sneakernet <noun> <verb>`, one file per noun. */

import { readFileSync } from "node:fs";

import { Command, type HelpContext } from "commander";

import { DEFAULT_TABLE_WIDTH, EXIT, exitCodeFor, oneLine } from "./output.js";

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
  drive: async () => (await import("./drive.js")).registerDrive,
  station: async () => (await import("./station.js")).registerStation,
};

const program = new Command("sneakernet")
  .description(
    "Sneakernet: move data too big for the network by shipping drives. Import/export jobs, drives, copy stations.",
  )
  .version(version)
  .exitOverride()
  .addHelpText(
    "after",
    [
      "",
      "Output (--output table|json; table on a terminal, json otherwise):",
      `  Tables fit the terminal's width (piped: $COLUMNS, else ${DEFAULT_TABLE_WIDTH}); a row stays on one line.`,
      "  A job in an ops table is group/name; long names and ids are cut with …; dates are local, to the minute.",
      "  --output json is complete: every field, whole ARM ids, ISO-8601 UTC instants.",
      "",
      "Exit codes:",
      `  ${EXIT.ok}  done`,
      `  ${EXIT.refused}  refused: the server said no, or the work failed (the error line says why)`,
      `  ${EXIT.usage}  usage: an unknown command or option, a missing or bad value (the error says which)`,
      `  ${EXIT.unreachable}  unreachable: no answer from the server (or from the database)`,
    ].join("\n"),
  );

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
 * What is wrong when Commander would answer with the whole help on stderr: a command with verbs was given
 * none (`sneakernet job`), or `help` was asked about one that does not exist (`sneakernet help jbo`).
 */
function missingCommand(command: Command): string {
  const [first, second] = command.args;
  if (first === "help" && second !== undefined) {
    return `unknown command '${second}'`;
  }
  return `a command is missing: one of ${command.commands.map((c) => c.name()).join(", ")}`;
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
  // Help asked for is printed as is; help Commander shows for a mistake becomes that one line too.
  const help = command.help.bind(command);
  command.help = ((context?: HelpContext) => {
    if (context?.error) {
      command.error(`error: ${missingCommand(command)}`, {
        code: "commander.missingCommand",
        exitCode: EXIT.usage,
      });
    }
    return help(context);
  }) as Command["help"];
  command.commands.forEach(configure);
}
configure(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeFor(error);
}
