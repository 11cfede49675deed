/** @module How the CLI speaks: exit codes scripts rely on, one-line errors, tables or JSON. */

import { CommanderError } from "commander";

import { ApiError, UnreachableError } from "../client/http.js";
import { isDomainError } from "../domain/errors.js";

export const EXIT = { ok: 0, refused: 1, usage: 2, unreachable: 3 } as const;

export type OutputFormat = "table" | "json";

export function outputFormat(value: string | undefined): OutputFormat {
  if (value === undefined) {
    return process.stdout.isTTY ? "table" : "json";
  }
  if (value !== "table" && value !== "json") {
    throw new UsageError(`--output must be 'table' or 'json', not '${value}'.`);
  }
  return value;
}

export class UsageError extends Error {}

/** Prints rows as an aligned table (for people) — JSON is printed by the caller. */
export function printTable(rows: Record<string, unknown>[], columns: string[]): void {
  if (rows.length === 0) {
    console.log("(none)");
    return;
  }
  const cell = (v: unknown) => (v === undefined || v === null ? "" : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  console.log(
    columns
      .map((c, i) => c.toUpperCase().padEnd(widths[i]!))
      .join("  ")
      .trimEnd(),
  );
  for (const row of rows) {
    console.log(
      columns
        .map((c, i) => cell(row[c]).padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    );
  }
}

/** Maps whatever a command threw to one line on stderr and an exit code. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander printed its own message (usage, --help, --version).
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof UsageError) {
    console.error(`error: ${error.message}`);
    return EXIT.usage;
  }
  if (error instanceof ApiError) {
    // The server's code and message, on one line, so a script can grep the code.
    console.error(`error: ${error.code}: ${oneLine(error.message)}`);
    return EXIT.refused;
  }
  if (error instanceof UnreachableError) {
    console.error(`error: ${error.message}`);
    return EXIT.unreachable;
  }
  if (isDomainError(error)) {
    console.error(`error: ${error.code}: ${error.message}`);
    return EXIT.refused;
  }
  const code = (error as { code?: string } | null)?.code;
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EHOSTUNREACH") {
    console.error(
      `error: cannot reach ${(error as { address?: string }).address ?? "the database or server"} (${code}).`,
    );
    return EXIT.unreachable;
  }
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  return EXIT.refused;
}

/** Folds a message onto one line: scripts read errors line by line. */
export function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, " ").trim();
}
