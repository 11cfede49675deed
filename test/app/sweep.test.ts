/** @module The lifecycle sweep on SQLite: the three timers of LIFECYCLE.md, idempotence, races, and the CLI. */

import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";

import { cancelJob } from "../../src/app/cancel-job.js";
import { createJob } from "../../src/app/create-job.js";
import { recordTracking } from "../../src/app/record-tracking.js";
import type { AppDeps } from "../../src/app/support/deps.js";
import type { Principal } from "../../src/app/support/principal.js";
import { sweep, type SweepChange } from "../../src/app/sweep.js";
import { DAY_MS } from "../../src/domain/clock.js";
import type { Job } from "../../src/domain/model.js";
import { freshSqlite, TMP } from "../support/db.js";
import { openTestDeps, runCli, TEST_MASTER_KEY, TestClock } from "../support/server.js";

const NOW = new Date("2026-06-01T00:00:00.000Z");
const ago = (days: number, ms = 0) => new Date(NOW.getTime() - days * DAY_MS + ms);
const ACTOR = "system:lifecycle-sweep";
const KEY = "111111-222222-333333-444444-555555-666666-777777-888888";
const MINUTE = 60_000;

const cleanups: (() => void | Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) {
    await cleanup();
  }
});

interface World {
  url: string;
  deps: AppDeps;
  clock: TestClock;
  sub: string;
  principal: Principal;
  /** Creates an import job with one drive per id, as of `at`. */
  create(name: string, at: Date, driveIds?: string[]): Promise<Job>;
  /** Records tracking (→ Shipping) as of `at`. */
  ship(name: string, at: Date): Promise<Job>;
  /** Cancels (→ Canceled) as of `at`. */
  cancel(name: string, at: Date): Promise<Job>;
  find(name: string): Promise<Job | undefined>;
}

/** A fresh database (or the one at `url`) with a customer who creates jobs through the app's use cases. */
async function world(url?: string): Promise<World> {
  let databaseUrl = url;
  if (databaseUrl === undefined) {
    const db = freshSqlite("sweep");
    cleanups.push(db.cleanup);
    databaseUrl = db.url;
  }
  const clock = new TestClock(NOW);
  const deps = await openTestDeps(databaseUrl, clock);
  cleanups.push(() => deps.store.close());
  const sub = randomUUID();
  const principal: Principal = { tokenId: "t", label: "alice", role: "customer", subscriptions: [sub] };
  const address = (name: string) => ({ subscriptionId: sub, resourceGroup: "rg", name });
  const w: World = {
    url: databaseUrl,
    deps,
    clock,
    sub,
    principal,
    async create(name, at, driveIds = ["D1"]) {
      clock.set(at);
      const { view } = await createJob(deps, {
        principal,
        address: address(name),
        input: {
          location: "West US",
          storageAccountId: `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/devstoreaccount1`,
          jobType: "Import",
          driveList: driveIds.map((driveId) => ({ driveId, bitLockerKey: KEY })),
        },
      });
      return view.job;
    },
    async ship(name, at) {
      clock.set(at);
      const view = await recordTracking(deps, {
        principal,
        address: address(name),
        changes: {
          returnAddress: {
            recipientName: "Alice",
            streetAddress1: "1 Main St",
            city: "Redmond",
            postalCode: "98052",
            countryOrRegion: "USA",
            phone: "+1 555 0100",
            email: "alice@example.com",
          },
          deliveryPackage: { carrierName: "FedEx", trackingNumber: "TRK 123" },
        },
      });
      return view.job;
    },
    async cancel(name, at) {
      clock.set(at);
      const view = await cancelJob(deps, { principal, address: address(name), changes: {} });
      return view.job;
    },
    find: (name) => deps.store.direct.jobs.findByName(sub, "rg", name),
  };
  return w;
}

/** "action job" for each change, sorted: compares reports without depending on sweep order. */
function summary(changes: readonly SweepChange[]): string[] {
  return changes.map((c) => `${c.action} ${c.job}`).sort();
}

describe("lifecycle sweep (app, SQLite)", () => {
  it("deletes a job left Creating for 14 days or more, keeps a younger one", async () => {
    const w = await world();
    const old = await w.create("created-15-days-ago", ago(15));
    await w.create("created-14-days-ago", ago(14));
    await w.create("created-14-days-less-1ms", ago(14, 1));
    await w.create("created-13-days-ago", ago(13));

    const report = await sweep(w.deps, NOW);
    assert.equal(report.at, NOW.toISOString());
    assert.deepEqual(summary(report.changes), [
      "DeleteJob created-14-days-ago",
      "DeleteJob created-15-days-ago",
    ]);
    for (const change of report.changes) {
      assert.equal(change.subscriptionId, w.sub);
      assert.equal(change.resourceGroup, "rg");
      assert.match(change.detail, /Creating timeout/);
    }
    assert.equal(await w.find("created-15-days-ago"), undefined);
    assert.equal(await w.find("created-14-days-ago"), undefined);
    assert.ok(await w.find("created-14-days-less-1ms"));
    assert.ok(await w.find("created-13-days-ago"));
    // Deleting a job deletes its drives and history with it.
    assert.deepEqual(await w.deps.store.direct.drives.listByJob(old.id), []);
    assert.deepEqual(await w.deps.store.direct.history.listByJob(old.id), []);
  });

  it("marks a shipment's Specified drives NeverReceived after 14 days in Shipping, and the job derives Closed", async () => {
    const w = await world();
    await w.create("lost-package", ago(16), ["D1", "D2"]);
    const shipped = await w.ship("lost-package", ago(15));
    assert.equal(shipped.state, "Shipping");
    await w.create("recent-package", ago(16));
    await w.ship("recent-package", ago(13));

    const report = await sweep(w.deps, NOW);
    assert.deepEqual(summary(report.changes), ["MarkNeverReceived lost-package"]);
    assert.match(report.changes[0]!.detail, /D1, D2: Delivery timeout/);

    const job = await w.find("lost-package");
    assert.equal(job?.state, "Closed");
    assert.equal(job?.stateChangedAt, NOW.toISOString());
    assert.notEqual(job?.etag, shipped.etag);
    const drives = await w.deps.store.direct.drives.listByJob(shipped.id);
    assert.deepEqual(
      drives.map((d) => [d.driveId, d.state, d.stateChangedAt]),
      [
        ["D1", "NeverReceived", NOW.toISOString()],
        ["D2", "NeverReceived", NOW.toISOString()],
      ],
    );
    const history = await w.deps.store.direct.history.listByJob(shipped.id);
    const bySweep = history.filter((h) => h.actor === ACTOR);
    assert.deepEqual(
      bySweep.map((h) => [h.driveId ?? "job", h.from, h.to, h.at]),
      [
        ["D1", "Specified", "NeverReceived", NOW.toISOString()],
        ["D2", "Specified", "NeverReceived", NOW.toISOString()],
        ["job", "Shipping", "Closed", NOW.toISOString()],
      ],
    );
    for (const h of bySweep) {
      assert.match(h.reason, /Delivery timeout/);
      assert.equal(h.subscriptionId, w.sub);
    }
    // What came before is still there: creation, drives listed, tracking recorded.
    assert.deepEqual(
      history.filter((h) => h.actor !== ACTOR).map((h) => [h.driveId ?? "job", h.from, h.to]),
      [
        ["job", null, "Creating"],
        ["D1", null, "Specified"],
        ["D2", null, "Specified"],
        ["job", "Creating", "Shipping"],
      ],
    );
    assert.equal((await w.find("recent-package"))?.state, "Shipping");
  });

  it("deletes Completed, Closed and Canceled jobs 90 days after they entered that state", async () => {
    const w = await world();
    // Canceled: through the customer's cancel.
    await w.create("canceled-91-days-ago", ago(100));
    const canceled = await w.cancel("canceled-91-days-ago", ago(91));
    assert.equal(canceled.state, "Canceled");
    await w.create("canceled-89-days-ago", ago(100));
    await w.cancel("canceled-89-days-ago", ago(89));

    // Closed: the delivery-timeout path, then 90 more days.
    await w.create("closed", ago(200));
    await w.ship("closed", ago(199));
    const closedAt = ago(199 - 14);
    const first = await sweep(w.deps, closedAt);
    assert.deepEqual(summary(first.changes), ["MarkNeverReceived closed"]);
    assert.equal((await w.find("closed"))?.stateChangedAt, closedAt.toISOString());

    // Completed: every drive shipped back without error (written directly: no operator use case needed).
    const completed = await w.create("completed", ago(150));
    const shippedBack = await w.deps.store.transaction(async (repos) => {
      const [d] = await repos.drives.listByJob(completed.id);
      await repos.drives.update({ ...d!, state: "ShippedBack", stateChangedAt: ago(95).toISOString() });
      return repos.jobs.update({ ...completed, state: "Completed", stateChangedAt: ago(90).toISOString() });
    });
    assert.equal(shippedBack.state, "Completed");
    const recent = await w.create("completed-recently", ago(150));
    await w.deps.store.direct.jobs.update({
      ...recent,
      state: "Completed",
      stateChangedAt: ago(90, MINUTE).toISOString(),
    });

    const report = await sweep(w.deps, NOW);
    assert.deepEqual(summary(report.changes), [
      "DeleteJob canceled-91-days-ago",
      "DeleteJob closed",
      "DeleteJob completed",
    ]);
    for (const change of report.changes) {
      assert.match(change.detail, /Retention/);
    }
    assert.equal(await w.find("closed"), undefined);
    assert.equal(await w.find("completed"), undefined);
    assert.equal(await w.find("canceled-91-days-ago"), undefined);
    assert.equal((await w.find("canceled-89-days-ago"))?.state, "Canceled");
    assert.equal((await w.find("completed-recently"))?.state, "Completed");
  });

  it("a second sweep at the same instant changes nothing", async () => {
    const w = await world();
    await w.create("stale", ago(20));
    await w.create("lost", ago(30));
    await w.ship("lost", ago(20));
    await w.create("fresh", ago(1));
    const first = await sweep(w.deps, NOW);
    assert.equal(first.changes.length, 2);
    const lost = await w.find("lost");

    const second = await sweep(w.deps, NOW);
    assert.deepEqual(second.changes, []);
    // The Closed job is not written again: same etag.
    assert.equal((await w.find("lost"))?.etag, lost?.etag);
    assert.equal(await w.deps.store.direct.jobs.count(), 2);
  });

  it("sweeps at once on one database make each change exactly once in total", async () => {
    const w = await world();
    const expected: string[] = [];
    for (let i = 0; i < 12; i++) {
      await w.create(`stale-${i}`, ago(15));
      expected.push(`DeleteJob stale-${i}`);
      await w.create(`lost-${i}`, ago(16));
      await w.ship(`lost-${i}`, ago(15));
      expected.push(`MarkNeverReceived lost-${i}`);
    }
    await w.create("fresh", ago(1));
    // Two stores on the one file, as two replicas would have, plus a second sweep on the first store.
    const other = await openTestDeps(w.url, w.clock);
    cleanups.push(() => other.store.close());
    const reports = await Promise.all([sweep(w.deps, NOW), sweep(other, NOW), sweep(w.deps, NOW)]);
    assert.deepEqual(summary(reports.flatMap((r) => r.changes)), expected.sort());
    assert.deepEqual((await sweep(w.deps, NOW)).changes, []);
    for (let i = 0; i < 12; i++) {
      assert.equal((await w.find(`lost-${i}`))?.state, "Closed");
      const history = await w.deps.store.direct.history.listByJob((await w.find(`lost-${i}`))!.id);
      assert.equal(history.filter((h) => h.actor === ACTOR).length, 2, "one drive row and one job row");
    }
  });

  it("closes export jobs whose package never arrived, every one of them, and reaches the others too", async () => {
    const w = await world();
    // Export jobs in Shipping have no drives until they arrive: past the delivery timeout, there is no
    // drive to mark, so the job itself closes (LIFECYCLE.md). More of them than one batch of candidates...
    const sub = w.sub;
    const template = (await w.create("template", ago(1)))!;
    await w.deps.store.transaction(async (repos) => {
      for (let i = 0; i < 520; i++) {
        await repos.jobs.insert({
          ...template,
          name: `export-${i}`,
          type: "Export",
          state: "Shipping",
          subscriptionId: sub,
          trackingRecordedAt: ago(20).toISOString(),
        });
      }
    });
    // ...and, shipped later, one import job whose drive really is overdue.
    await w.create("lost", ago(16));
    await w.ship("lost", ago(15));
    const report = await sweep(w.deps, NOW);
    const done = summary(report.changes);
    assert.equal(done.filter((line) => /^CloseJob export-\d+$/.test(line)).length, 520);
    assert.ok(done.includes("MarkNeverReceived lost"), done.slice(-3).join(", "));
    assert.equal(done.length, 521);
    assert.equal((await w.find("lost"))?.state, "Closed");
    const closed = (await w.find("export-519"))!;
    assert.equal(closed.state, "Closed");
    const history = await w.deps.store.direct.history.listByJob(closed.id);
    assert.deepEqual(
      history.map((h) => `${h.from}→${h.to} ${h.actor}`),
      ["Shipping→Closed system:lifecycle-sweep"],
    );
    assert.deepEqual((await sweep(w.deps, NOW)).changes, [], "a second sweep has nothing more to do");
  });

  it("reports a job it cannot act on and sweeps the others", async () => {
    const w = await world();
    await w.create("odd", ago(20));
    await w.ship("odd", ago(15));
    await w.create("lost", ago(20));
    await w.ship("lost", ago(15));
    // A stored state the rules cannot reach (an operator's hand edit, a bug elsewhere): Shipping with
    // one drive already copying, so marking the other derives Shipping → Transferring, which the table forbids.
    const odd = (await w.find("odd"))!;
    await w.deps.store.transaction(async (repos) => {
      const [drive] = await repos.drives.listByJob(odd.id);
      await repos.drives.update({ ...drive!, state: "Transferring" });
      const [second] = await repos.drives.listByJob(odd.id);
      await repos.drives.replaceAll(odd.id, [
        { drive: second! },
        { drive: { ...second!, driveId: "D2", state: "Specified" } },
      ]);
    });
    const report = await sweep(w.deps, NOW);
    assert.deepEqual(summary(report.changes), ["MarkNeverReceived lost"]);
    assert.equal(report.failures.length, 1);
    assert.equal(report.failures[0]!.job, "odd");
    assert.match(report.failures[0]!.error, /^Invalid(Job|Drive)Transition: /);
    assert.equal((await w.find("odd"))?.state, "Shipping", "the failed job's transaction wrote nothing");
    assert.equal((await w.find("lost"))?.state, "Closed");
  });
});

describe("lifecycle sweep (CLI)", () => {
  const dataDir = join(TMP, `sweep-cli-${randomBytes(4).toString("hex")}`);
  mkdirSync(dataDir, { recursive: true });
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  // The data dir's database, whatever the environment of the test run says.
  const env = {
    DATABASE_URL: undefined,
    SNEAKERNET_DATA_DIR: undefined,
    SNEAKERNET_MASTER_KEY: TEST_MASTER_KEY.toString("hex"),
  };

  it("prints the changes as JSON as of --now", async () => {
    const w = await world(join(dataDir, "sneakernet.db"));
    await w.create("cli-stale", ago(15));
    await w.create("cli-kept", ago(13));
    await w.create("cli-lost", ago(16));
    await w.ship("cli-lost", ago(15));
    await w.deps.store.close();

    const { code, stdout, stderr } = await runCli(
      ["lifecycle", "sweep", "--now", NOW.toISOString(), "--data-dir", dataDir, "--output", "json"],
      env,
    );
    assert.equal(code, 0, stderr);
    const report = JSON.parse(stdout) as { at: string; examined: number; changes: SweepChange[] };
    assert.equal(report.at, NOW.toISOString());
    assert.ok(report.examined >= 2);
    assert.deepEqual(summary(report.changes), ["DeleteJob cli-stale", "MarkNeverReceived cli-lost"]);
    for (const change of report.changes) {
      assert.equal(change.subscriptionId, w.sub);
      assert.equal(change.resourceGroup, "rg");
      assert.ok(change.detail.length > 0);
    }

    // The same instant again: nothing left to do.
    const again = await runCli(
      ["lifecycle", "sweep", "--now", NOW.toISOString(), "--data-dir", dataDir, "--output", "json"],
      env,
    );
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual((JSON.parse(again.stdout) as { changes: unknown[] }).changes, []);
  });

  it("two sweep processes at once on one data dir make each change exactly once", async () => {
    const dir = join(dataDir, "race");
    const w = await world(join(dir, "sneakernet.db"));
    const expected: string[] = [];
    for (let i = 0; i < 60; i++) {
      await w.create(`race-stale-${i}`, ago(15));
      expected.push(`DeleteJob race-stale-${i}`);
    }
    for (let i = 0; i < 20; i++) {
      await w.create(`race-lost-${i}`, ago(16));
      await w.ship(`race-lost-${i}`, ago(15));
      expected.push(`MarkNeverReceived race-lost-${i}`);
    }
    await w.deps.store.close();
    const args = ["lifecycle", "sweep", "--now", NOW.toISOString(), "--data-dir", dir, "--output", "json"];
    const runs = await Promise.all([runCli(args, env), runCli(args, env)]);
    for (const run of runs) {
      assert.equal(run.code, 0, run.stderr);
    }
    const changes = runs.flatMap((r) => (JSON.parse(r.stdout) as { changes: SweepChange[] }).changes);
    assert.deepEqual(summary(changes), expected.sort());
  });

  it("rejects --now that is not an ISO-8601 instant with exit code 2", async () => {
    const { code, stdout, stderr } = await runCli(
      ["lifecycle", "sweep", "--now", "yesterday", "--data-dir", dataDir, "--output", "json"],
      env,
    );
    assert.equal(code, 2);
    assert.equal(stdout, "");
    assert.match(stderr, /--now must be an ISO-8601 instant/);
    assert.match(stderr, /yesterday/);
  });
});
