/** @module How the CLI speaks: exit codes scripts rely on, one-line errors, tables that fit the terminal, or JSON. */

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

/**
 * How wide a table may be: the terminal's width; piped, $COLUMNS (set it to widen or narrow a saved
 * table); else DEFAULT_TABLE_WIDTH, so a table in a log is still bounded.
 */
export function tableWidth(
  stdout: { isTTY?: boolean; columns?: number } = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): number {
  if (stdout.isTTY && stdout.columns !== undefined && stdout.columns > 0) {
    return stdout.columns;
  }
  const columns = Number(env.COLUMNS);
  return Number.isInteger(columns) && columns > 0 ? columns : DEFAULT_TABLE_WIDTH;
}

/** A table's width when neither a terminal nor $COLUMNS says: wide enough for every table of a usual day. */
export const DEFAULT_TABLE_WIDTH = 120;

export interface TableFit {
  /**
   * The columns that give up width when the table is too wide, the first first, each down to the width
   * given (cut with "…"); the others keep theirs, as they are what a row is read by (a state, a date).
   */
  shrink?: Record<string, number>;
  /** Then the columns left out, the first first, while the table is still too wide. */
  drop?: string[];
}

/** Characters as a terminal counts them (code points, not UTF-16 units: "…" is one). */
function width(text: string): number {
  return [...text].length;
}

/** `text` in `room` characters: whole, or cut with "…". */
export function cut(text: string, room: number): string {
  const chars = [...text];
  return chars.length <= room ? text : `${chars.slice(0, Math.max(0, room - 1)).join("")}…`;
}

/**
 * The lines of a table (headers in capitals, then a line per row, columns two spaces apart) in at most
 * `maxWidth` characters a line: shrinking, then dropping, the columns `fit` names (what dropping frees
 * going back to the columns shrunk); a table that still does not fit has its lines cut. A row stays on
 * one line, so the table can be grepped.
 */
export function tableLines(
  rows: readonly Record<string, unknown>[],
  columns: readonly string[],
  maxWidth: number,
  fit: TableFit = {},
): string[] {
  const cell = (v: unknown) => (v === undefined || v === null ? "" : String(v).replace(/\s+/g, " "));
  let shown = [...columns];
  const natural = (c: string) => Math.max(width(c), ...rows.map((r) => width(cell(r[c]))));
  const widths = new Map(shown.map((c) => [c, natural(c)]));
  const total = () => shown.reduce((sum, c) => sum + widths.get(c)!, 2 * (shown.length - 1));
  for (const [column, least] of Object.entries(fit.shrink ?? {})) {
    const now = widths.get(column);
    if (now !== undefined && total() > maxWidth) {
      widths.set(column, Math.max(Math.min(now, least), now - (total() - maxWidth)));
    }
  }
  for (const column of fit.drop ?? []) {
    if (total() > maxWidth && shown.length > 1) {
      shown = shown.filter((c) => c !== column);
    }
  }
  // What a column left out frees goes back to the columns cut, the last cut (the one kept longest) first.
  for (const column of Object.keys(fit.shrink ?? {}).reverse()) {
    const now = widths.get(column);
    if (now !== undefined && shown.includes(column) && total() < maxWidth) {
      widths.set(column, Math.min(natural(column), now + (maxWidth - total())));
    }
  }
  const line = (texts: string[]) => {
    const text = texts
      .map((t, i) => cut(t, widths.get(shown[i]!)!).padEnd(widths.get(shown[i]!)!))
      .join("  ")
      .trimEnd();
    return cut(text, maxWidth);
  };
  return [
    line(shown.map((c) => c.toUpperCase())),
    ...rows.map((row) => line(shown.map((c) => cell(row[c])))),
  ];
}

/** Prints rows as an aligned table (for people) as wide as tableWidth() — JSON is printed by the caller. */
export function printTable(rows: Record<string, unknown>[], columns: string[], fit: TableFit = {}): void {
  if (rows.length === 0) {
    console.log("(none)");
    return;
  }
  for (const line of tableLines(rows, columns, tableWidth(), fit)) {
    console.log(line);
  }
}

/**
 * An instant as a table shows it: local time, to the minute ("2026-01-15 13:00"), a width every date
 * column shares; JSON keeps the service's ISO-8601 instant. Anything that is not an instant is kept.
 */
export function localMinute(instant: string | undefined | null): string {
  if (!instant) {
    return "-";
  }
  const at = new Date(instant);
  if (Number.isNaN(at.getTime())) {
    return instant;
  }
  const two = (n: number) => String(n).padStart(2, "0");
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())} ${two(at.getHours())}:${two(at.getMinutes())}`;
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
