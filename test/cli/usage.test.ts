/**
 * @module The CLI without a server: every verb's --help, the exit codes the root help documents, usage
 * errors (exit 2), and a server that is not there (exit 3).
 */

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";

import { EXIT } from "../../src/cli/output.js";
import { ROOT, TMP } from "../support/db.js";
import { runCli, startProcess } from "../support/server.js";
import { assertOneLineError, deadPort } from "./cli-helpers.js";

const VERBS = [
  "job create",
  "job list",
  "job show",
  "job ship",
  "job update",
  "job cancel",
  "job delete",
  "job keys",
  "job logs",
  "job watch",
  "ops package receive",
  "ops package find",
  "ops drive found",
  "ops drive register",
  "ops ship",
  "ops queue",
  "ops history",
  "admin location list",
  "admin location show",
  "admin location set",
  "admin location delete",
  "admin storage-account list",
  "admin storage-account show",
  "admin storage-account set",
  "admin storage-account delete",
  "drive prepare",
  "drive show",
  "drive extract",
  "token create",
  "lifecycle sweep",
  "serve",
];

/** A token that reaches no server in these tests: usage is checked before anything is sent. */
const TOKEN = { SNEAKERNET_TOKEN: "snk_not-a-real-token-but-well-formed-enough-000000" };
const NO_TOKEN = { SNEAKERNET_TOKEN: "" };
/** For the verbs that work on the data dir (token, lifecycle): one of this run's, never the checkout's ./data. */
const DATA_DIR = join(TMP, `usage-${randomUUID()}`);
after(() => rmSync(DATA_DIR, { recursive: true, force: true }));

describe("every verb's --help", () => {
  it("ends with an Examples: block showing the verb, exits 0, and lists the global options on API verbs", async () => {
    const results = await Promise.all(VERBS.map((verb) => runCli([...verb.split(" "), "--help"])));
    VERBS.forEach((verb, i) => {
      const { code, stdout } = results[i]!;
      assert.equal(code, 0, verb);
      assert.match(stdout, new RegExp(`Usage: sneakernet ${verb}`), verb);
      assert.ok(stdout.includes("Examples:"), `${verb} --help has no Examples:\n${stdout}`);
      const examples = stdout.slice(stdout.indexOf("Examples:"));
      assert.ok(examples.includes(`sneakernet ${verb}`), `${verb}: an example of the verb itself`);
      if (/^(job|ops|admin) /.test(verb)) {
        for (const needle of [
          "--endpoint",
          "SNEAKERNET_ENDPOINT",
          "--token",
          "SNEAKERNET_TOKEN",
          "--output",
        ]) {
          assert.ok(stdout.includes(needle), `${verb} --help lacks ${needle}`);
        }
      }
    });
  });
});

describe("sneakernet --help", () => {
  it("documents the four exit codes, with the values the CLI exits with", async () => {
    const { code, stdout } = await runCli(["--help"]);
    assert.equal(code, 0);
    const section = stdout.slice(stdout.indexOf("Exit codes:"));
    assert.ok(stdout.includes("Exit codes:"), stdout);
    assert.deepEqual(EXIT, { ok: 0, refused: 1, usage: 2, unreachable: 3 });
    assert.match(section, /^ {2}0 {2}done$/m);
    assert.match(section, /^ {2}1 {2}refused: the server said no/m);
    assert.match(section, /^ {2}2 {2}usage: an unknown command or option, a missing or bad value/m);
    assert.match(section, /^ {2}3 {2}unreachable: no answer from the server/m);
  });
});

describe("usage errors exit 2 with one line on stderr", () => {
  const cases: [string, string[], Record<string, string>, RegExp][] = [
    ["a missing required option", ["job", "show", "job1"], TOKEN, /required option '-g, --resource-group/],
    ["a missing NAME", ["job", "show", "-g", "rg1"], TOKEN, /missing required argument 'name'/],
    [
      "a bad --type",
      ["job", "create", "job1", "-g", "rg1", "--type", "Sideways"],
      TOKEN,
      /--type.*Sideways.*Import, Export/,
    ],
    ["a bad --state", ["job", "list", "--state", "Lost"], TOKEN, /--state.*Lost/],
    [
      "a bad --output",
      ["job", "list", "--output", "xml"],
      TOKEN,
      /--output must be 'table' or 'json', not 'xml'/,
    ],
    [
      "a missing token",
      ["job", "list"],
      NO_TOKEN,
      /^error: no token: pass --token or set SNEAKERNET_TOKEN \(make one with: sneakernet token create --role customer/,
    ],
    [
      "a missing operator token",
      ["ops", "queue"],
      NO_TOKEN,
      /no token.*sneakernet token create --role operator/,
    ],
    ["a bad --endpoint", ["job", "list", "--endpoint", "not a url"], TOKEN, /--endpoint must be a URL/],
    [
      "create without --location, --type, --storage-account",
      ["job", "create", "job1", "-g", "rg1", "--subscription", "6f1d2a3b-0000-4000-8000-000000000001"],
      TOKEN,
      /--location, --type, --storage-account required/,
    ],
    [
      "a --drive without its key",
      [
        "job",
        "create",
        "job1",
        "-g",
        "rg1",
        "--subscription",
        "6f1d2a3b-0000-4000-8000-000000000001",
        "--drive",
        "9CA995BB",
      ],
      TOKEN,
      /--drive takes SERIAL=BITLOCKER-KEY/,
    ],
    [
      "a return carrier without its account",
      ["job", "update", "job1", "-g", "rg1", "--return-carrier", "UPS"],
      TOKEN,
      /--return-carrier and --return-account go together/,
    ],
    ["an update with nothing to change", ["job", "update", "job1", "-g", "rg1"], TOKEN, /nothing to update/],
    [
      "a return address file that is not there",
      ["job", "update", "job1", "-g", "rg1", "--return-address", "/nonexistent/address.yaml"],
      TOKEN,
      /cannot read return address file '\/nonexistent\/address\.yaml': ENOENT/,
    ],
    [
      "a bad --interval",
      ["job", "watch", "job1", "-g", "rg1", "--interval", "0"],
      TOKEN,
      /--interval.*greater than 0/,
    ],
    [
      "a bad --drive-count",
      ["job", "ship", "job1", "-g", "rg1", "--carrier", "UPS", "--tracking", "1", "--drive-count", "x"],
      TOKEN,
      /--drive-count/,
    ],
    [
      "a receive without drives",
      ["ops", "package", "receive", "--carrier", "UPS", "--tracking", "1"],
      TOKEN,
      /required option '--drive/,
    ],
    [
      "two credentials at once",
      [
        "admin",
        "storage-account",
        "set",
        "acme",
        "--blob-endpoint",
        "https://a.example",
        "--sas",
        "s",
        "--entra",
      ],
      TOKEN,
      /cannot be used with/,
    ],
    [
      "a bad --output, offline",
      ["lifecycle", "sweep", "--output", "yaml", "--data-dir", DATA_DIR],
      {},
      /--output must be 'table' or 'json', not 'yaml'/,
    ],
    ["an unknown verb", ["job", "launch"], TOKEN, /unknown command 'launch'/],
    ["an unknown option", ["job", "list", "--colour", "red"], TOKEN, /unknown option '--colour'/],
  ];

  // Mistakes that exited 1 (a refusal), or printed the whole help on stderr, before they were usage errors.
  const token = (...args: string[]) => ["token", "create", ...args, "--data-dir", DATA_DIR];
  const more: [string, string[], RegExp][] = [
    [
      "no command at all",
      [],
      /^error: a command is missing: one of serve, token, job, ops, admin, lifecycle/,
    ],
    ["a noun without its verb", ["job"], /^error: a command is missing: one of create, list, show, ship/],
    ["help about an unknown command", ["help", "launch"], /^error: unknown command 'launch'/],
    [
      "an unknown --role",
      token("--role", "boss"),
      /--role.*'boss' is invalid\. Expected one of customer, operator, station, admin/,
    ],
    [
      "a customer token without --subscription",
      token("--role", "customer"),
      /needs at least one --subscription/,
    ],
    [
      "a --subscription that is not a GUID (offline)",
      token("--role", "customer", "--subscription", "acme"),
      /--subscription.*'acme' is invalid.*GUID/,
    ],
    [
      "a --subscription that is not a GUID",
      ["job", "list", "--subscription", "acme"],
      /--subscription.*'acme'/,
    ],
    [
      "a bad --ship-date",
      ["ops", "ship", "--job", "j", "--carrier", "UPS", "--tracking", "1", "--ship-date", "yesterday"],
      /--ship-date.*'yesterday' is invalid/,
    ],
  ];

  it("for the mistakes that used to exit otherwise: a missing command, --role, --subscription, a date", async (t) => {
    // Were a mistake sent after all, it would find no server: exit 3, not 2.
    const env = { ...TOKEN, SNEAKERNET_ENDPOINT: `http://127.0.0.1:${await deadPort()}` };
    const results = await Promise.all(more.map(([, args]) => runCli(args, env)));
    for (const [i, [what, , pattern]] of more.entries()) {
      await t.test(what, () => {
        const result = results[i]!;
        assert.equal(result.stdout, "", "nothing on stdout");
        assertOneLineError(result, 2, pattern);
        assert.match(result.stderr, /^error: /);
      });
    }
  });

  it("leaves nothing behind when the offline verbs refuse their flags: no data dir, no folder named like a URL", async () => {
    const cwd = join(TMP, `usage-offline-${randomUUID()}`);
    mkdirSync(cwd, { recursive: true });
    try {
      const run = (args: string[]) =>
        startProcess(process.execPath, [join(ROOT, "dist/cli/main.js"), ...args], {
          cwd,
          env: { DATABASE_URL: undefined, SNEAKERNET_DATA_DIR: undefined },
        }).done;
      const [customer, mysql, sweep] = await Promise.all([
        run(["token", "create", "--role", "customer"]),
        run(["token", "create", "--role", "admin", "--database-url", "mysql://sa:hunter2@db.example/sn"]),
        run(["lifecycle", "sweep", "--database-url", "ftp://files.example/sn"]),
      ]);
      assertOneLineError(customer, 2, /needs at least one --subscription/);
      assertOneLineError(
        mysql,
        2,
        /postgres:\/\/… \(PostgreSQL\) or a SQLite file's path, not a mysql:\/\/ URL/,
      );
      assert.doesNotMatch(mysql.stderr, /hunter2/, "a password in the URL is not repeated");
      assertOneLineError(sweep, 2, /not a ftp:\/\/ URL/);
      assert.deepEqual(readdirSync(cwd), [], "no ./data, no mysql: or ftp: folder");
      assert.equal(existsSync(join(cwd, "data")), false);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it("for each kind of mistake, before anything is sent", async () => {
    const results = await Promise.all(cases.map(([, args, env]) => runCli(args, env)));
    cases.forEach(([what, , , pattern], i) => {
      const result = results[i]!;
      assert.equal(result.stdout, "", `${what}: nothing on stdout`);
      assertOneLineError(result, 2, pattern);
      assert.match(result.stderr, /^error: /, what);
    });
  });
});

describe("a server that is not there", () => {
  it("exits 3, naming the endpoint, on one line", async () => {
    const port = await deadPort();
    const endpoint = `http://127.0.0.1:${port}`;
    const results = await Promise.all([
      runCli(
        ["job", "list", "--subscription", "6f1d2a3b-0000-4000-8000-000000000001", "--endpoint", endpoint],
        TOKEN,
      ),
      runCli(["job", "show", "job1", "-g", "rg1", "--endpoint", endpoint], TOKEN),
      runCli(["ops", "queue"], { ...TOKEN, SNEAKERNET_ENDPOINT: endpoint }),
      runCli(["admin", "location", "list", "--endpoint", endpoint, "--output", "table"], TOKEN),
    ]);
    for (const result of results) {
      assert.equal(result.stdout, "");
      assertOneLineError(result, 3, new RegExp(`^error: cannot reach ${endpoint} \\(ECONNREFUSED\\)`));
    }
  });
});
