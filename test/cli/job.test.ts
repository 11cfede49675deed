/**
 * @module `sneakernet job …` against a real server process: each verb's JSON is what the API returns for
 * the same job, its table has the expected columns, and refusals come back as one line with exit 1.
 */

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";

import type { ArmJob as Job } from "../../src/wire/arm.js";
import type { HistoryRow } from "../../src/wire/common.js";
import { jobsPath } from "../../src/wire/ids.js";
import { exportBody, importBody } from "../support/customer-api.js";
import { bitLockerKey, driveList, RETURN_ADDRESS } from "../support/fixtures.js";
import { startStreamProxy } from "../support/stream-proxy.js";
import { withDeadline } from "../support/wait.js";
import { assertFits, assertOneLineError, CliWorld, tableHeaders } from "./cli-helpers.js";
import { startStreamCutter } from "./stream-cutter.js";

const w = new CliWorld();
const OTHER_SUB = randomUUID();

/** `job create` of an import job with one drive, `<NAME>-D1`. */
function createImport(name: string): Promise<Job> {
  return w.createImport<Job>(name, [`${name.toUpperCase()}-D1`]);
}

before(async () => {
  await w.start({
    customer: "customer",
    twoSubs: { role: "customer", subscriptions: [w.sub, OTHER_SUB] },
    operator: "operator",
    station: "station",
  });
  await w.api("POST", "/ops/v1/stations/register", "station", { name: "bay-1" });
});

after(() => w.stop());

describe("job create", () => {
  it("creates from flags; --output json is the job as the API returns it", async () => {
    const [k1, k2] = [bitLockerKey(), bitLockerKey()];
    const created = await w.json<Job>([
      "job",
      "create",
      "import-1",
      "-g",
      "rg1",
      "--location",
      "westus",
      "--type",
      "import",
      "--storage-account",
      "devstoreaccount1",
      "--drive",
      `D1=${k1}`,
      "--drive",
      `D2=${k2}`,
      "--return-address",
      w.addressFile,
      "--return-carrier",
      "UPS",
      "--return-account",
      "989ffff",
      "--log-level",
      "verbose",
    ]);
    assert.deepEqual(created, await w.arm("GET", w.jobPath("import-1")));
    assert.equal(created.properties.state, "Creating");
    assert.equal(created.properties.jobType, "Import", "--type is taken in any case");
    assert.equal(
      created.properties.storageAccountId,
      `/subscriptions/${w.sub}/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/devstoreaccount1`,
      "a bare account name becomes an ARM id in the job's subscription and resource group",
    );
    assert.deepEqual(
      created.properties.driveList?.map((d) => d.driveId),
      ["D1", "D2"],
    );
    assert.deepEqual(created.properties.returnAddress, RETURN_ADDRESS);
    assert.deepEqual(created.properties.returnShipping, {
      carrierName: "UPS",
      carrierAccountNumber: "989ffff",
    });
    assert.equal(created.properties.logLevel, "Verbose");
  });

  it("creates from a YAML --from-file, which flags override; the table names the job", async () => {
    const file = w.file(
      "export.yaml",
      [
        "location: West US",
        "properties:",
        "  jobType: Export",
        `  storageAccountId: /subscriptions/${w.sub}/resourceGroups/data/providers/Microsoft.Storage/storageAccounts/devstoreaccount1`,
        "  logLevel: Error",
        "  export:",
        "    blobList:",
        "      blobPathPrefix: [/from-file/]",
        "  returnAddress:",
        ...Object.entries(RETURN_ADDRESS).map(([k, v]) => `    ${k}: "${v}"`),
      ].join("\n"),
    );
    const table = await w.table([
      "job",
      "create",
      "export-1",
      "-g",
      "rg1",
      "--from-file",
      file,
      "--blob-prefix",
      "/photos/",
      "--log-level",
      "Verbose",
    ]);
    assert.deepEqual(tableHeaders(table), ["NAME", "TYPE", "STATE", "LOCATION", "DRIVES"]);
    assert.match(table.split("\n")[1]!, /^export-1\s+Export\s+Creating\s+West US\s+0$/);
    const job = await w.arm<Job>("GET", w.jobPath("export-1"));
    assert.equal(job.properties.jobType, "Export");
    assert.equal(job.properties.logLevel, "Verbose", "the flag wins over the file");
    assert.deepEqual(job.properties.export?.blobList?.blobPathPrefix, ["/photos/"]);
    assert.match(job.properties.storageAccountId, /resourceGroups\/data\//, "the file's full ARM id is kept");
    assert.deepEqual(job.properties.returnAddress, RETURN_ADDRESS);
  });

  it("refuses a second create of the same name (exit 1), and an invalid job (the server's code)", async () => {
    const [again, badKey] = await Promise.all([
      w.cli(w.importArgs("import-1", [])),
      w.cli(w.importArgs("bad-key", ["D9=123"])),
    ]);
    assertOneLineError(again, 1, /^error: PreconditionFailed: A job named 'import-1' already exists/);
    assertOneLineError(badKey, 1, /^error: InvalidBitLockerKey: /);
    assert.equal(again.stdout, "");
  });
});

describe("job list", () => {
  const RG = "many";
  const COUNT = 101;

  before(async () => {
    // More than one page (100 a page): the CLI must follow nextLink to the end.
    const names = Array.from({ length: COUNT }, (_, i) => `bulk-${String(i).padStart(3, "0")}`);
    for (let i = 0; i < names.length; i += 25) {
      await Promise.all(
        names.slice(i, i + 25).map((name, j) => {
          const where = w.address(name, RG);
          const options = { location: "westus", returnAddress: null };
          return w.arm(
            "PUT",
            w.jobPath(name, RG),
            (i + j) % 2 === 0
              ? importBody(where, driveList([`B${i + j}`]), options)
              : exportBody(where, options),
          );
        }),
      );
    }
  });

  it("--output json is every job of every page, as the API lists them", async () => {
    const [listed, imports, table] = await Promise.all([
      w.json<Job[]>(["job", "list", "-g", RG]),
      w.json<Job[]>(["job", "list", "-g", RG, "--type", "Import", "--state", "Creating"]),
      w.table(["job", "list", "-g", RG]),
    ]);
    const pages: Job[] = [];
    let page = await w.arm<{ value: Job[]; nextLink?: string }>("GET", jobsPath(w.sub, RG));
    pages.push(...page.value);
    assert.ok(page.nextLink, "the API pages the list");
    while (page.nextLink) {
      page = await w.api("GET", new URL(page.nextLink).pathname + new URL(page.nextLink).search);
      pages.push(...page.value);
    }
    assert.equal(listed.length, COUNT);
    assert.deepEqual(listed, pages);
    assert.equal(imports.length, Math.ceil(COUNT / 2));
    assert.ok(imports.every((j) => j.properties.jobType === "Import"));

    assert.deepEqual(tableHeaders(table), [
      "NAME",
      "GROUP",
      "TYPE",
      "STATE",
      "LOCATION",
      "DRIVES",
      "PERCENT",
      "CREATED",
    ]);
    const row = table.split("\n").find((l) => l.startsWith("bulk-000 "));
    assert.match(
      row ?? "",
      /^bulk-000\s+many\s+Import\s+Creating\s+West US\s+1\s+0%\s+\d{4}-\d\d-\d\d \d\d:\d\d$/,
    );
    assert.equal(table.trim().split("\n").length, COUNT + 1);
  });

  it("fits the terminal: at 80 and 120 columns, names cut with …, GROUP and STATE kept, local dates; JSON whole", async () => {
    const name = "an-import-job-named-at-length-to-see-it-cut-in-narrow-terminals";
    const group = "a-resource-group-named-at-length-too";
    await w.createImport(name, ["LONG-D1"], { rg: group });
    // Kolkata: half an hour off UTC, all year, so a date shown in UTC (or in the tests' zone) does not pass.
    const env = (columns: number) => ({ COLUMNS: String(columns), TZ: "Asia/Kolkata" });
    const [narrow, wide, json] = await Promise.all([
      w.table(["job", "list"], "customer", env(80)),
      w.table(["job", "list"], "customer", env(120)),
      w.cli(["job", "list", "--output", "json"], "customer", env(80)),
    ]);
    assertFits(narrow, 80);
    assertFits(wide, 120);
    // Narrow, the location and the drive count go; what a row is read by stays.
    assert.deepEqual(tableHeaders(narrow), ["NAME", "GROUP", "TYPE", "STATE", "PERCENT", "CREATED"]);
    assert.deepEqual(tableHeaders(wide), [
      "NAME",
      "GROUP",
      "TYPE",
      "STATE",
      "LOCATION",
      "DRIVES",
      "PERCENT",
      "CREATED",
    ]);
    const job = (JSON.parse(json.stdout) as Job[]).find((j) => j.name === name);
    assert.ok(job, "--output json has the job, its name whole");
    assert.deepEqual(job, await w.arm("GET", w.jobPath(name, group)), "--output json is the API's job");
    const at = new Date(Date.parse(job.systemData.createdAt) + 5.5 * 60 * 60 * 1000).toISOString();
    const created = `${at.slice(0, 10)} ${at.slice(11, 16)}`;
    for (const table of [narrow, wide]) {
      const lines = table.split("\n");
      const long = lines.find((l) => l.startsWith(name.slice(0, 12)));
      assert.match(long ?? "", /^an-import-[\w-]*… +a-resour[\w-]*… +Import +Creating +.*0% +(\S+ \S+)$/);
      assert.ok(long!.endsWith(created), `created ${created}, local to Kolkata: ${long}`);
      assert.ok(
        lines.some((l) => /^import-1 +rg1 +Import +Creating /.test(l)),
        `a short name and group are whole:\n${table}`,
      );
    }
  });

  it("lists the whole subscription without -g", async () => {
    const all = await w.json<Job[]>(["job", "list"]);
    assert.ok(all.some((j) => j.name === "import-1") && all.some((j) => j.name === "bulk-000"));
  });
});

describe("job show, ship, update, keys", () => {
  it("show: --output json is the job as the API returns it, with its history", async () => {
    await createImport("show-1");
    const [shown, table] = await Promise.all([
      w.json<Job & { history: HistoryRow[] }>(["job", "show", "show-1", "-g", "rg1"]),
      w.table(["job", "show", "show-1", "-g", "rg1"]),
    ]);
    const { history, ...job } = shown;
    assert.deepEqual(job, await w.arm("GET", w.jobPath("show-1")));
    assert.deepEqual(
      history,
      (await w.arm<{ value: HistoryRow[] }>("GET", `${w.jobPath("show-1")}/history`)).value,
    );
    assert.deepEqual(
      history.map((h) => `${h.driveId ?? "job"} ${h.from ?? "∅"}→${h.to}`),
      ["job ∅→Creating", "SHOW-1-D1 ∅→Specified"],
    );

    const lines = table.split("\n");
    assert.match(table, /^job:\s+show-1$/m);
    assert.match(table, /^state:\s+Creating$/m);
    assert.match(table, /^return address:\s+Ada, 1 Main St, Redmond/m);
    const drives = lines.indexOf("Drives:");
    assert.ok(drives > 0, table);
    assert.deepEqual(tableHeaders(table, drives + 1), ["DRIVE", "STATE", "COPY STATUS", "PERCENT", "BYTES"]);
    assert.match(lines[drives + 2]!, /^SHOW-1-D1\s+Specified\s+-\s+0%\s+0$/);
    const historyAt = lines.indexOf("History:");
    assert.deepEqual(tableHeaders(table, historyAt + 1), ["AT", "DRIVE", "FROM", "TO", "ACTOR", "REASON"]);
    assert.match(lines[historyAt + 2]!, /\(job\)\s+-\s+Creating\s+customer:customer/);
  });

  it("ship records the package and moves to Shipping; cancel is then refused with one line, exit 1", async () => {
    await createImport("ship-1");
    const shipped = await w.json<Job>([
      "job",
      "ship",
      "ship-1",
      "-g",
      "rg1",
      "--carrier",
      "FedEx",
      "--tracking",
      "781234567890",
      "--drive-count",
      "1",
    ]);
    assert.deepEqual(shipped, await w.arm("GET", w.jobPath("ship-1")));
    assert.equal(shipped.properties.state, "Shipping");
    assert.deepEqual(shipped.properties.deliveryPackage, {
      carrierName: "FedEx",
      trackingNumber: "781234567890",
      driveCount: 1,
    });

    const [cancel, del] = await Promise.all([
      w.cli(["job", "cancel", "ship-1", "-g", "rg1"]),
      w.cli(["job", "delete", "ship-1", "-g", "rg1", "--output", "table"]),
    ]);
    assertOneLineError(cancel, 1, /^error: InvalidJobState: .*'Shipping'/);
    assertOneLineError(del, 1, /^error: InvalidJobState: .*'Shipping'/);
    assert.equal(cancel.stdout, "");
    assert.equal(
      (await w.arm<Job>("GET", w.jobPath("ship-1"))).properties.state,
      "Shipping",
      "nothing changed",
    );
  });

  it("update changes the return shipping, address and log level", async () => {
    await createImport("update-1");
    const other = { ...RETURN_ADDRESS, recipientName: "Charles Babbage", city: "Cambridge" };
    const yaml = w.file(
      "other.yaml",
      Object.entries(other)
        .map(([k, v]) => `${k}: "${v}"`)
        .join("\n"),
    );
    const updated = await w.json<Job>([
      "job",
      "update",
      "update-1",
      "-g",
      "rg1",
      "--return-address",
      yaml,
      "--return-carrier",
      "DHL",
      "--return-account",
      "42",
      "--log-level",
      "Verbose",
    ]);
    assert.deepEqual(updated, await w.arm("GET", w.jobPath("update-1")));
    assert.deepEqual(updated.properties.returnAddress, other);
    assert.deepEqual(updated.properties.returnShipping, { carrierName: "DHL", carrierAccountNumber: "42" });
    assert.equal(updated.properties.logLevel, "Verbose");
  });

  it("keys: --output json is listBitLockerKeys; the table is drive and key", async () => {
    const key = bitLockerKey();
    await w.json(w.importArgs("keys-1", [`K1=${key}`]));
    const [keys, table] = await Promise.all([
      w.json<{ driveId: string; bitLockerKey: string }[]>(["job", "keys", "keys-1", "-g", "rg1"]),
      w.table(["job", "keys", "keys-1", "-g", "rg1"]),
    ]);
    const api = await w.arm<{ value: unknown[] }>("POST", `${w.jobPath("keys-1")}/listBitLockerKeys`);
    assert.deepEqual(keys, api.value);
    assert.deepEqual(keys, [{ driveId: "K1", bitLockerKey: key }]);
    assert.deepEqual(tableHeaders(table), ["DRIVE", "KEY"]);
    assert.match(table.split("\n")[1]!, new RegExp(`^K1\\s+${key}$`));
  });
});

describe("job cancel, delete", () => {
  it("cancels in Creating, then deletes; the job is then not found (exit 1)", async () => {
    await createImport("cancel-1");
    const canceled = await w.json<Job>(["job", "cancel", "cancel-1", "-g", "rg1"]);
    assert.deepEqual(canceled, await w.arm("GET", w.jobPath("cancel-1")));
    assert.equal(canceled.properties.state, "Canceled");

    const deleted = await w.json<{ name: string; deleted: boolean }>([
      "job",
      "delete",
      "cancel-1",
      "-g",
      "rg1",
    ]);
    assert.deepEqual(deleted, {
      name: "cancel-1",
      resourceGroup: "rg1",
      subscriptionId: w.sub,
      deleted: true,
    });
    const [show, table] = await Promise.all([
      w.cli(["job", "show", "cancel-1", "-g", "rg1"]),
      w.cli(["job", "delete", "cancel-1", "-g", "rg1", "--output", "table"]),
    ]);
    assertOneLineError(show, 1, /^error: ResourceNotFound: /);
    assertOneLineError(table, 1, /^error: ResourceNotFound: /);
  });
});

describe("job watch", () => {
  it("follows a job to its end: each change on a line, exit 0; JSON is one object per change", async () => {
    await createImport("watch-1");
    const lines = w.spawn(["job", "watch", "watch-1", "-g", "rg1", "--interval", "0.1", "--output", "table"]);
    const json = w.spawn(["job", "watch", "watch-1", "-g", "rg1", "--interval", "0.1"]);
    // Both have seen Creating before the job moves on.
    await Promise.all([lines.waitFor(/watch-1: Creating\n/), json.waitFor(/"to":"Creating"/)]);
    await w.arm("PATCH", w.jobPath("watch-1"), { properties: { cancelRequested: true } });
    const [text, events] = await Promise.all([lines.done, json.done]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /watch-1: Creating\n/);
    assert.match(text.stdout, /watch-1 drive WATCH-1-D1: Specified\n/);
    assert.match(text.stdout, /watch-1: Creating → Canceled\n/);
    assert.equal(events.code, 0, events.stderr);
    const parsed = events.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { event: string; driveId?: string; from: string | null; to: string });
    assert.deepEqual(
      parsed.filter((e) => e.driveId === undefined).map((e) => [e.from, e.to]),
      [
        [null, "Creating"],
        ["Creating", "Canceled"],
      ],
    );
  });

  it("prints every move of the job's history, once, with its own time; a dropped stream resumes where it was", async () => {
    await createImport("watch-4");
    await w.ship("watch-4", "WATCH4");
    // Each watch through its own proxy, which cuts every event stream after two events.
    const cutters = await Promise.all([
      startStreamCutter(w.server.url, 2),
      startStreamCutter(w.server.url, 2),
    ]);
    try {
      const args = ["job", "watch", "watch-4", "-g", "rg1", "--interval", "0.2"];
      const text = w.spawn([...args, "--output", "table"], "customer", cutters[0].url);
      const json = w.spawn([...args, "--output", "json"], "customer", cutters[1].url);
      // Both start with the moves made before they started.
      await Promise.all([text.waitFor(/watch-4: Creating → Shipping\n/), json.waitFor(/"to":"Shipping"/)]);
      // Then received, copied and shipped back, each step once both watches have shown the one before
      // (so the moves come down the cut streams, not only from the history read at the end).
      const shown = (move: RegExp, to: string) =>
        Promise.all([text.waitFor(move), json.waitFor(new RegExp(`"from":"[A-Za-z]+","to":"${to}"`))]);
      await w.api("POST", "/ops/v1/packages/receive", "operator", {
        carrier: "FedEx",
        tracking: "WATCH4",
        drives: ["WATCH-4-D1"],
      });
      await shown(/watch-4: Shipping → Received\n/, "Received");
      // The station's first report moves the drive, and so the job, to Transferring.
      await w.api("POST", "/ops/v1/drives/WATCH-4-D1/claim", "station");
      await w.api("POST", "/ops/v1/drives/WATCH-4-D1/progress", "station", {
        bytesSucceeded: 1000,
        bytesTotal: 1000,
      });
      await shown(/watch-4: Received → Transferring\n/, "Transferring");
      await w.api("POST", "/ops/v1/drives/WATCH-4-D1/finish", "station", {
        state: "Completed",
        errorCount: 0,
        warningCount: 0,
        infoCount: 0,
      });
      await shown(/watch-4: Transferring → Packaging\n/, "Packaging");
      await w.api("POST", "/ops/v1/ship", "operator", {
        job: w.jobPath("watch-4"),
        carrier: "UPS",
        tracking: "RET-WATCH4",
      });
      const [textDone, jsonDone] = await Promise.all([text.done, json.done]);
      assert.equal(textDone.code, 0, textDone.stderr);
      assert.equal(jsonDone.code, 0, jsonDone.stderr);

      const history = (await w.arm<{ value: HistoryRow[] }>("GET", `${w.jobPath("watch-4")}/history`)).value;
      assert.ok(
        history.some((h) => h.driveId === undefined && h.from === "Shipping" && h.to === "Received"),
        "the history has Shipping → Received",
      );
      assert.deepEqual(
        textDone.stdout.trimEnd().split("\n"),
        history.map(
          (h) =>
            `${h.at}  watch-4${h.driveId !== undefined ? ` drive ${h.driveId}` : ""}: ${h.from === null ? h.to : `${h.from} → ${h.to}`}`,
        ),
      );
      assert.deepEqual(
        jsonDone.stdout
          .trimEnd()
          .split("\n")
          .map((l) => JSON.parse(l) as unknown),
        history.map((h) => ({ event: "state", job: "watch-4", ...h })),
      );
      // Each connection after the first asked to resume after the last move the one before it carried.
      for (const cutter of cutters) {
        const connections = cutter.connections();
        assert.ok(connections.length >= 3, `the stream was cut and resumed: ${JSON.stringify(connections)}`);
        assert.equal(connections[0]!.lastEventId, "0", "from the job's first move");
        for (let i = 1; i < connections.length; i++) {
          assert.equal(
            connections[i]!.lastEventId,
            connections[i - 1]!.ids.at(-1),
            JSON.stringify(connections),
          );
        }
      }
    } finally {
      await Promise.all(cutters.map((c) => c.close()));
    }
  });

  it("wakes on the job's event stream: a change shows at once, not at the next interval", async () => {
    await createImport("watch-3");
    // The watch goes through a proxy, which tells when its event stream has begun.
    const proxy = await startStreamProxy(w.server.url);
    try {
      // Thirty seconds between polls: only the event stream can make this watch see the cancel quickly.
      const watching = w.spawn(
        ["job", "watch", "watch-3", "-g", "rg1", "--interval", "30", "--output", "table"],
        "customer",
        proxy.url,
      );
      await watching.waitFor(/watch-3: Creating\n/);
      // The change comes once the stream has begun: from then on, it carries every change.
      await withDeadline(proxy.streamBegun(/\/jobs\/watch-3\/events\?/), 20_000, "the watch's event stream");
      const started = performance.now();
      await w.arm("PATCH", w.jobPath("watch-3"), { properties: { cancelRequested: true } });
      const result = await watching.done;
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /watch-3: Creating → Canceled\n/);
      assert.ok(
        performance.now() - started < 10_000,
        `ended ${Math.round(performance.now() - started)} ms after the change`,
      );
    } finally {
      await proxy.close();
    }
  });

  it("ends with exit 1 and the server's error when the job is deleted meanwhile", async () => {
    await createImport("watch-2");
    const watching = w.spawn([
      "job",
      "watch",
      "watch-2",
      "-g",
      "rg1",
      "--interval",
      "0.1",
      "--output",
      "table",
    ]);
    await watching.waitFor(/watch-2: Creating\n/);
    await w.arm("DELETE", w.jobPath("watch-2"));
    const result = await watching.done;
    assert.match(result.stdout, /watch-2: Creating\n/);
    assertOneLineError(result, 1, /^error: ResourceNotFound: /);
  });
});

describe("the token and the subscription", () => {
  it("--subscription defaults to the token's only one; with two, or none, it is required (exit 2)", async () => {
    const [both, explicit, operator, flagToken] = await Promise.all([
      w.cli(["job", "list"], "twoSubs"),
      w.json<Job[]>(["job", "list", "-g", "rg1", "--subscription", w.sub], "twoSubs"),
      w.cli(["job", "show", "import-1", "-g", "rg1"], "operator"),
      // --token instead of the environment.
      w.cli(
        ["job", "show", "import-1", "-g", "rg1", "--token", w.tokens.customer!, "--output", "json"],
        null,
      ),
    ]);
    assertOneLineError(
      both,
      2,
      new RegExp(`--subscription is required: this token may act on 2 subscriptions \\(.*${w.sub}.*\\)`),
    );
    assert.ok(explicit.some((j) => j.name === "import-1"));
    assertOneLineError(
      operator,
      2,
      /--subscription is required: this operator token is bound to no subscription/,
    );
    assert.equal(flagToken.code, 0, flagToken.stderr);
    assert.equal((JSON.parse(flagToken.stdout) as Job).name, "import-1");
  });

  it("a wrong token, or a customer token on the operator API, is refused with exit 1", async () => {
    const [unknown, customerOnOps, otherSub] = await Promise.all([
      w.cli(["job", "list", "--subscription", w.sub], "snk_unknown-token-000000000000000000000000000000"),
      w.cli(["ops", "queue"], "customer"),
      w.cli(["job", "list", "--subscription", randomUUID()], "customer"),
    ]);
    assertOneLineError(unknown, 1, /^error: InvalidAuthenticationToken: /);
    assertOneLineError(customerOnOps, 1, /^error: AuthorizationFailed: /);
    assertOneLineError(otherSub, 1, /^error: AuthorizationFailed: /);
  });
});
