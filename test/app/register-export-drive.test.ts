/**
 * @module registerExportDrive: an export job lists no drive at creation; the operator registers each as it
 * arrives — while its package is being received, or after the delivery timeout closed the job
 * (LIFECYCLE.md "an export package that never arrives").
 */

import assert from "node:assert/strict";
import { it } from "node:test";

import { getJob } from "../../src/app/get-job.js";
import { listBitLockerKeys } from "../../src/app/list-bitlocker-keys.js";
import { readHistory } from "../../src/app/read-history.js";
import { registerExportDrive } from "../../src/app/register-export-drive.js";
import { reportProgress } from "../../src/app/report-progress.js";
import { shipBack } from "../../src/app/ship-back.js";
import type { Principal } from "../../src/app/support/principal.js";
import { sweep } from "../../src/app/sweep.js";
import { DAY_MS } from "../../src/domain/clock.js";
import { parseRecoveryPassword } from "../../src/transfer/drive/recovery-password.js";
import { type AppWorld, describeOnEngines } from "../support/app.js";
import { claimAs, driveLines, movesSince, refused, refusedUnchanged, stored } from "../support/app-ops.js";

function register(
  w: AppWorld,
  name: string,
  serial: string,
  principal: Principal = w.cast.operator,
  capacity?: string,
) {
  return registerExportDrive(w.deps, {
    principal,
    job: w.address(name),
    serial,
    ...(capacity !== undefined ? { capacity } : {}),
  });
}

function keysOf(w: AppWorld, name: string) {
  return listBitLockerKeys(w.deps, w.cast.customer, w.address(name));
}

describeOnEngines("register an export drive", (world) => {
  it("registers a drive Received on a Shipping export job, which derives Received, by the operator", async () => {
    const w = world();
    await w.createExport("re-ship");
    await w.ship("re-ship", "RE1");
    const before = await stored(w, "re-ship");
    const view = await register(w, "re-ship", "RE1-A");
    assert.equal(view.job.state, "Received");
    assert.deepEqual(driveLines(view.drives), ["RE1-A Received"]);
    assert.equal(view.drives[0]!.stateChangedAt, w.clock.now().toISOString());
    const after = await stored(w, "re-ship");
    assert.deepEqual(after.job, view.job, "the view answers the job as saved");
    assert.deepEqual(movesSince(before, after), [
      ["RE1-A", null, "Received", "operator:alice", "Export drive registered on arrival"],
      ["job", "Shipping", "Received", "operator:alice", "Export drive registered on arrival"],
    ]);
  });

  it("registers more drives while the job is Received or Transferring, without moving the job", async () => {
    const w = world();
    await w.createExport("re-more");
    await w.ship("re-more", "RE2");
    await register(w, "re-more", "RE2-A");
    const received = await register(w, "re-more", "RE2-B");
    assert.equal(received.job.state, "Received");
    await claimAs(w, w.cast.stationA, "RE2-A");
    await reportProgress(w.deps, w.cast.stationA, "RE2-A", { bytesSucceeded: 1, bytesTotal: 10 });
    const transferring = await register(w, "re-more", "RE2-C");
    assert.equal(transferring.job.state, "Transferring");
    assert.deepEqual(driveLines(transferring.drives), [
      "RE2-A Transferring",
      "RE2-B Received",
      "RE2-C Received",
    ]);
    assert.deepEqual((await w.moves("re-more")).slice(-3), [
      "RE2-A:Received→Transferring",
      "Received→Transferring",
      "RE2-C:∅→Received",
    ]);
  });

  it("refuses a serial the job holds already, whatever its case, and changes nothing", async () => {
    const w = world();
    await w.createExport("re-twice");
    await w.ship("re-twice", "RE3");
    await register(w, "re-twice", "RE3-Ab");
    const error = await refusedUnchanged(w, "re-twice", "DuplicateDriveId", () =>
      register(w, "re-twice", "re3-aB"),
    );
    assert.match(error.message, /re3-aB/);
  });

  it("refuses an import job, an export job not receiving drives, an unknown job, a bad serial and non-operators", async () => {
    const w = world();
    await w.createImport("re-import", ["RE4-I"]);
    await w.ship("re-import", "RE4I");
    const imported = await refusedUnchanged(w, "re-import", "InvalidJobState", () =>
      register(w, "re-import", "RE4-X"),
    );
    assert.match(imported.message, /import job/);

    await w.createExport("re-creating");
    const creating = await refusedUnchanged(w, "re-creating", "InvalidJobState", () =>
      register(w, "re-creating", "RE4-C"),
    );
    assert.match(creating.message, /'Creating'/);

    // An export job that ended with drives of its own (copied with errors, shipped back: Closed) takes no more.
    await w.createExport("re-ended");
    await w.ship("re-ended", "RE4E");
    await register(w, "re-ended", "RE4-E");
    await w.copy("RE4-E", w.cast.stationA, { state: "CompletedMoreInfo", errorCount: 1 });
    await shipBack(w.deps, {
      principal: w.cast.operator,
      job: w.address("re-ended"),
      carrier: "UPS",
      tracking: "RE4 BACK",
    });
    assert.equal((await stored(w, "re-ended")).job.state, "Closed");
    const ended = await refusedUnchanged(w, "re-ended", "InvalidJobState", () =>
      register(w, "re-ended", "RE4-F"),
    );
    assert.match(ended.message, /'Closed'/);

    await refusedUnchanged(w, "re-ended", "ResourceNotFound", () => register(w, "re-nope", "RE4-N"));
    await w.createExport("re-roles");
    await w.ship("re-roles", "RE4R");
    await refusedUnchanged(w, "re-roles", "InvalidDriveId", () => register(w, "re-roles", "RE4 R"));
    for (const who of [w.cast.customer, w.cast.stationA]) {
      await refusedUnchanged(w, "re-roles", "AuthorizationFailed", () =>
        register(w, "re-roles", "RE4-R", who),
      );
    }
    assert.equal((await register(w, "re-roles", "RE4-R", w.cast.admin)).job.state, "Received");
  });

  it("refuses a serial another live job holds (LIFECYCLE.md 'one drive, one live job')", async () => {
    const w = world();
    await w.createImport("re-live-import", ["RE5-SHARED"]);
    await w.ship("re-live-import", "RE5I");
    await w.createExport("re-live-export");
    await w.ship("re-live-export", "RE5E");
    const before = await stored(w, "re-live-export");
    assert.equal((await refused(register(w, "re-live-export", "RE5-SHARED"))).code, "DriveInUse");
    assert.deepEqual(await stored(w, "re-live-export"), before);
  });

  it("re-opens an export job the delivery timeout closed (Closed → Received): its package arrived late", async () => {
    const w = world();
    const start = w.clock.now();
    await w.createExport("re-late");
    await w.ship("re-late", "RE6");
    w.clock.advance(15 * DAY_MS);
    await sweep(w.deps);
    assert.equal((await stored(w, "re-late")).job.state, "Closed");
    const view = await register(w, "re-late", "RE6-A");
    assert.equal(view.job.state, "Received");
    assert.deepEqual((await w.moves("re-late")).slice(-3), [
      "Shipping→Closed",
      "RE6-A:∅→Received",
      "Closed→Received",
    ]);
    w.clock.set(start);
  });

  it("gives each drive a key of its own, a recovery password the customer reads, never shown elsewhere", async () => {
    const w = world();
    await w.createExport("re-keys");
    await w.ship("re-keys", "RE7");
    await register(w, "re-keys", "RE7-A");
    const first = await keysOf(w, "re-keys");
    assert.deepEqual(
      first.map((k) => k.driveId),
      ["RE7-A"],
    );
    const key = first[0]!.bitLockerKey;
    assert.equal(parseRecoveryPassword(key), key, "a recovery password in its canonical form");
    await register(w, "re-keys", "RE7-B");
    const both = await keysOf(w, "re-keys");
    assert.deepEqual(
      both.map((k) => k.driveId),
      ["RE7-A", "RE7-B"],
    );
    assert.equal(both[0]!.bitLockerKey, key, "a drive keeps its key when another is registered");
    assert.notEqual(both[1]!.bitLockerKey, key);
    assert.equal(parseRecoveryPassword(both[1]!.bitLockerKey), both[1]!.bitLockerKey);

    const kept = await stored(w, "re-keys");
    const shown = JSON.stringify([
      kept.keys,
      await getJob(w.deps, w.cast.customer, w.address("re-keys")),
      await readHistory(w.deps, w.cast.customer, w.address("re-keys")),
    ]);
    for (const { bitLockerKey } of both) {
      assert.ok(!shown.includes(bitLockerKey), "the key is sealed at rest, and in no job view or history");
      assert.ok(!shown.includes(bitLockerKey.replaceAll("-", "")));
    }
  });

  it("gives a key to a drive registered by receiving the export job's package too", async () => {
    const w = world();
    await w.createExport("re-pkg");
    await w.ship("re-pkg", "RE8");
    await w.receive("RE8", ["RE8-A", "RE8-B"]);
    const keys = await keysOf(w, "re-pkg");
    assert.deepEqual(
      keys.map((k) => k.driveId),
      ["RE8-A", "RE8-B"],
    );
    for (const { bitLockerKey } of keys) {
      assert.equal(parseRecoveryPassword(bitLockerKey), bitLockerKey);
    }
    assert.notEqual(keys[0]!.bitLockerKey, keys[1]!.bitLockerKey);
  });

  it("records the capacity the operator gives, in bytes, and none when none is given", async () => {
    const w = world();
    await w.createExport("re-size");
    await w.ship("re-size", "RE9");
    const view = await register(w, "re-size", "RE9-A", w.cast.operator, "8TB");
    assert.equal(view.drives[0]!.capacityBytes, 8e12);
    await register(w, "re-size", "RE9-B", w.cast.operator, "512MiB");
    await register(w, "re-size", "RE9-C");
    assert.deepEqual(
      (await stored(w, "re-size")).drives.map((d) => [d.driveId, d.capacityBytes]),
      [
        ["RE9-A", 8e12],
        ["RE9-B", 512 * 2 ** 20],
        ["RE9-C", undefined],
      ],
    );
  });

  it("refuses a capacity that is no size, zero or over 1 PB (InvalidDriveCapacity), registering nothing", async () => {
    const w = world();
    await w.createExport("re-badsize");
    await w.ship("re-badsize", "RE10");
    for (const capacity of ["8XB", "0", "-1TB", "2PB", "lots"]) {
      const error = await refusedUnchanged(w, "re-badsize", "InvalidDriveCapacity", () =>
        register(w, "re-badsize", "RE10-A", w.cast.operator, capacity),
      );
      assert.equal(error.target, "capacity");
    }
    assert.deepEqual(await keysOf(w, "re-badsize"), []);
  });
});
