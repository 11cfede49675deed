/**
 * @module `sneakernet lifecycle sweep`, the real command on a data dir: its JSON report as of --now, two
 * processes at once, a --now it cannot read. (The sweep's rules: test/app/sweep.test.ts.)
 */

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";

import type { SweepChange } from "../../src/app/sweep.js";
import { DAY_MS } from "../../src/domain/clock.js";
import { type AppWorld, makeWorld } from "../support/app.js";
import { createImportAt, shipAt, sweepSummary } from "../support/app-ops.js";
import { TMP } from "../support/db.js";
import { runCli, TEST_MASTER_KEY } from "../support/server.js";

const NOW = new Date("2026-06-01T00:00:00.000Z");
const ago = (days: number) => new Date(NOW.getTime() - days * DAY_MS);

const dataDir = join(TMP, `sweep-cli-${randomBytes(4).toString("hex")}`);
after(() => rmSync(dataDir, { recursive: true, force: true }));

// The data dir's database, whatever the environment of the test run says.
const env = {
  DATABASE_URL: undefined,
  SNEAKERNET_DATA_DIR: undefined,
  SNEAKERNET_MASTER_KEY: TEST_MASTER_KEY.toString("hex"),
};

const sweepArgs = (dir: string, now = NOW.toISOString()) => [
  "lifecycle",
  "sweep",
  "--now",
  now,
  "--data-dir",
  dir,
  "--output",
  "json",
];

/** Jobs made through the use cases in `dir`'s database, closed before any command runs on it. */
async function jobsIn(dir: string, make: (w: AppWorld) => Promise<void>): Promise<AppWorld> {
  mkdirSync(dir, { recursive: true });
  const { world, close } = await makeWorld("SQLite", join(dir, "sneakernet.db"));
  try {
    await make(world);
  } finally {
    await close();
  }
  return world;
}

describe("lifecycle sweep (CLI)", () => {
  it("prints the changes as JSON as of --now; the same instant again finds nothing to do", async () => {
    const dir = join(dataDir, "report");
    const w = await jobsIn(dir, async (w) => {
      await createImportAt(w, "cli-stale", ago(15));
      await createImportAt(w, "cli-kept", ago(13));
      await createImportAt(w, "cli-lost", ago(16));
      await shipAt(w, "cli-lost", ago(15));
    });

    const { code, stdout, stderr } = await runCli(sweepArgs(dir), env);
    assert.equal(code, 0, stderr);
    const report = JSON.parse(stdout) as { at: string; examined: number; changes: SweepChange[] };
    assert.equal(report.at, NOW.toISOString());
    assert.ok(report.examined >= 2);
    assert.deepEqual(sweepSummary(report.changes), ["DeleteJob cli-stale", "MarkNeverReceived cli-lost"]);
    for (const change of report.changes) {
      assert.equal(change.subscriptionId, w.sub);
      assert.equal(change.resourceGroup, "rg");
      assert.ok(change.detail.length > 0);
    }

    const again = await runCli(sweepArgs(dir), env);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual((JSON.parse(again.stdout) as { changes: unknown[] }).changes, []);
  });

  it("two sweep processes at once on one data dir make each change exactly once", async () => {
    const dir = join(dataDir, "race");
    const expected: string[] = [];
    await jobsIn(dir, async (w) => {
      for (let i = 0; i < 60; i++) {
        await createImportAt(w, `race-stale-${i}`, ago(15));
        expected.push(`DeleteJob race-stale-${i}`);
      }
      for (let i = 0; i < 20; i++) {
        await createImportAt(w, `race-lost-${i}`, ago(16));
        await shipAt(w, `race-lost-${i}`, ago(15));
        expected.push(`MarkNeverReceived race-lost-${i}`);
      }
    });
    const runs = await Promise.all([runCli(sweepArgs(dir), env), runCli(sweepArgs(dir), env)]);
    for (const run of runs) {
      assert.equal(run.code, 0, run.stderr);
    }
    const changes = runs.flatMap((r) => (JSON.parse(r.stdout) as { changes: SweepChange[] }).changes);
    assert.deepEqual(sweepSummary(changes), expected.sort());
  });

  it("rejects --now that is not an ISO-8601 instant with exit code 2", async () => {
    const dir = join(dataDir, "bad-now");
    mkdirSync(dir, { recursive: true });
    const { code, stdout, stderr } = await runCli(sweepArgs(dir, "yesterday"), env);
    assert.equal(code, 2);
    assert.equal(stdout, "");
    assert.match(stderr, /--now must be an ISO-8601 instant/);
    assert.match(stderr, /yesterday/);
  });
});
