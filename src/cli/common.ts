/** @module What every API verb shares: --endpoint, --token, --output, the API client, the subscription, files, values, help, the history table. */

import { readFileSync } from "node:fs";

import { type Command, InvalidArgumentError, Option } from "commander";

import { ApiClient } from "../client/http.js";
import { OpsApi } from "../client/ops.js";
import type { HistoryRow } from "../client/types.js";
import { validateSubscriptionId } from "../domain/names.js";
import { type StoreConfig, storeConfig } from "../serve/config.js";
import { parseJobId } from "../wire/ids.js";
import { localMinute, type OutputFormat, outputFormat, printTable, UsageError } from "./output.js";

export const DEFAULT_ENDPOINT = "http://127.0.0.1:8080";

export interface GlobalFlags {
  endpoint: string;
  token?: string;
  output?: string;
}

/** The role a verb needs, for the hint a missing token gets. */
export type Audience = "customer" | "operator" | "admin" | "station";

const TOKEN_HINT: Record<Audience, string> = {
  customer: "sneakernet token create --role customer --subscription <uuid>",
  operator: "sneakernet token create --role operator --name <your name>",
  admin: "sneakernet token create --role admin",
  station: "sneakernet token create --role station --name <station>",
};

/** A verb under `parent`: `spec` is its name and arguments ("show <id>"). */
export function verb(parent: Command, spec: string, description: string): Command {
  return parent.command(spec).description(description);
}

/** Adds --endpoint, --token and --output to a verb (each verb lists them in its own --help). */
export function withGlobals(command: Command): Command {
  return command
    .addOption(
      new Option("--endpoint <url>", "the Sneakernet server")
        .env("SNEAKERNET_ENDPOINT")
        .default(DEFAULT_ENDPOINT),
    )
    .addOption(new Option("--token <token>", "API token").env("SNEAKERNET_TOKEN"))
    .addOption(new Option("--output <format>", "table | json (table on a terminal, json otherwise)"));
}

/**
 * Finishes an API verb once its own options are defined: the global options after them (so --help lists
 * what is particular to the verb first), and the "Examples:" block its --help ends with.
 */
export function examples(command: Command, lines: string[]): Command {
  return withGlobals(command).addHelpText("after", `\nExamples:\n${lines.map((l) => `  ${l}`).join("\n")}`);
}

export interface Connection {
  client: ApiClient;
  format: OutputFormat;
}

/** Checks the global flags (output first: a bad value is a usage error even without a token) and makes the client. */
export function connect(flags: GlobalFlags, audience: Audience): Connection {
  const format = outputFormat(flags.output);
  let endpoint: URL;
  try {
    endpoint = new URL(flags.endpoint);
  } catch {
    throw new UsageError(`--endpoint must be a URL such as ${DEFAULT_ENDPOINT}, not '${flags.endpoint}'.`);
  }
  if (endpoint.protocol !== "http:" && endpoint.protocol !== "https:") {
    throw new UsageError(`--endpoint must be an http:// or https:// URL, not '${flags.endpoint}'.`);
  }
  const token = flags.token?.trim();
  if (!token) {
    throw new UsageError(
      `no token: pass --token or set SNEAKERNET_TOKEN (make one with: ${TOKEN_HINT[audience]}).`,
    );
  }
  return { client: new ApiClient({ endpoint: flags.endpoint, token }), format };
}

/** connect(), and the API (JobsApi, OpsApi, AdminApi) the verb speaks through that client. */
export function open<Api>(
  flags: GlobalFlags,
  audience: Audience,
  Api: new (client: ApiClient) => Api,
): Connection & { api: Api } {
  const connection = connect(flags, audience);
  return { ...connection, api: new Api(connection.client) };
}

/**
 * The subscription to act on: --subscription, or the token's own when it has exactly one (asked of
 * the server, since only it knows what a token may do).
 */
export async function subscriptionOf(client: ApiClient, flag: string | undefined): Promise<string> {
  if (flag !== undefined && flag.trim() !== "") {
    return flag.trim();
  }
  const me = await new OpsApi(client).whoami();
  if (me.subscriptions.length === 1) {
    return me.subscriptions[0]!;
  }
  if (me.subscriptions.length === 0) {
    throw new UsageError(`--subscription is required: this ${me.role} token is bound to no subscription.`);
  }
  throw new UsageError(
    `--subscription is required: this token may act on ${me.subscriptions.length} subscriptions (${me.subscriptions.join(", ")}).`,
  );
}

/** For repeatable options: `--drive A --drive B` → ["A", "B"]. */
export function collect(value: string, all: string[] = []): string[] {
  return [...all, value];
}

/** An option parser accepting one of `values` in any case, answering it as spelled in `values`. */
export function oneOf<T extends string>(values: readonly T[]): (value: string) => T {
  return (value) => {
    const found = values.find((v) => v.toLowerCase() === value.trim().toLowerCase());
    if (found === undefined) {
      throw new InvalidArgumentError(`Expected one of ${values.join(", ")}.`);
    }
    return found;
  };
}

/** The same for a repeatable option. */
export function oneOfEach<T extends string>(values: readonly T[]): (value: string, all?: T[]) => T[] {
  const one = oneOf(values);
  return (value, all = []) => [...all, one(value)];
}

/**
 * A --subscription: a GUID, checked here so that a typo is a usage error (exit 2) like any other bad
 * value, not a refusal from the server (or, for `token create`, from the data dir).
 */
export function subscriptionId(value: string): string {
  const id = value.trim();
  try {
    validateSubscriptionId(id);
  } catch {
    throw new InvalidArgumentError(
      "Expected a subscription id, a GUID such as 6f1d2a3b-0000-4000-8000-000000000001.",
    );
  }
  return id;
}

/** The same for a repeatable --subscription. */
export function subscriptionIds(value: string, all: string[] = []): string[] {
  return [...all, subscriptionId(value)];
}

export function positiveInteger(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
    throw new InvalidArgumentError("Expected a whole number of at least 1.");
  }
  return Number(value);
}

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0) {
    throw new InvalidArgumentError("Expected a number greater than 0.");
  }
  return n;
}

/**
 * Reads a JSON or YAML document (a job file, an address). YAML is a superset of JSON, so one parser
 * reads both; it is loaded only here, so verbs without files do not pay for it.
 */
export async function readDocument(file: string, what: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${what} '${file}': ${(error as NodeJS.ErrnoException).code ?? error}.`);
  }
  let value: unknown;
  try {
    const { parse } = await import("yaml");
    value = parse(text);
  } catch (error) {
    const reason = (error as Error).message.split("\n")[0];
    throw new UsageError(`${what} '${file}' is neither JSON nor YAML: ${reason}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new UsageError(`${what} '${file}' must hold an object (key: value pairs).`);
  }
  return value as Record<string, unknown>;
}

export function printJson(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}

/** Prints `label: value` lines, aligned, leaving out what is unset. */
export function printFields(fields: [string, unknown][]): void {
  const shown = fields.filter(([, v]) => v !== undefined && v !== null && v !== "");
  const width = Math.max(0, ...shown.map(([k]) => k.length));
  for (const [label, value] of shown) {
    console.log(`${`${label}:`.padEnd(width + 2)}${Array.isArray(value) ? value.join(", ") : String(value)}`);
  }
}

/** A job's state history, as `job show` and `ops history` print it: a row per move of the job or a drive. */
export function printHistory(rows: readonly HistoryRow[]): void {
  printTable(
    rows.map((r) => ({
      at: localMinute(r.at),
      drive: r.driveId ?? "(job)",
      from: r.from ?? "-",
      to: r.to,
      actor: r.actor,
      reason: r.reason,
    })),
    ["at", "drive", "from", "to", "actor", "reason"],
    // The moves (from, to) and when are the history; who and why come whole in --output json.
    { shrink: { reason: 12, actor: 12, drive: 10 }, drop: ["actor"] },
  );
}

/**
 * A job in a table: `group/name` (its resource group and name, what `job show NAME -g GROUP` takes) rather
 * than its ARM id, which alone fills a line; `--output json` has the ARM id.
 */
export function jobCell(id: string): string {
  const address = parseJobId(id);
  return address ? `${address.resourceGroup}/${address.name}` : id;
}

/** A list for a table cell: "a, b" or "-". */
export function listCell(values: readonly string[] | undefined): string {
  return values && values.length > 0 ? values.join(", ") : "-";
}

/** Where the offline verbs (`token`, `lifecycle`) find the service's data; a database they cannot use is a usage error. */
export function offlineStore(flags: { dataDir?: string; databaseUrl?: string }): StoreConfig {
  try {
    return storeConfig(flags);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
