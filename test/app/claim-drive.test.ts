/**
 * @module claimDrive: a copy station takes an expiring lease on a drive Received (or Transferring, its
 * station gone) and, with it alone, the drive's key, where to copy and a short-lived SAS to copy with.
 * Claiming moves nothing.
 */

import assert from "node:assert/strict";
import { it } from "node:test";

import { claimDrive } from "../../src/app/claim-drive.js";
import { deleteStorageAccount } from "../../src/app/delete-storage-account.js";
import { listBitLockerKeys } from "../../src/app/list-bitlocker-keys.js";
import { readWorkQueue } from "../../src/app/read-work-queue.js";
import { registerExportDrive } from "../../src/app/register-export-drive.js";
import { registerStation } from "../../src/app/register-station.js";
import { reportProgress } from "../../src/app/report-progress.js";
import { DEV_STORAGE_ACCOUNT } from "../../src/app/seed-defaults.js";
import { setStorageAccount, type StorageAccountInput } from "../../src/app/set-storage-account.js";
import { LEASE_MS } from "../../src/domain/lease.js";
import { DEV_ACCOUNT_KEY } from "../../src/serve/azurite.js";
import { type AppWorld } from "../support/app.js";
import { describeOnEngines } from "../support/app.js";
import {
  claimAs,
  MINUTE,
  packagedImport,
  read,
  receivedImport,
  refusedUnchanged,
  stored,
} from "../support/app-ops.js";

describeOnEngines("claim a drive", (world) => {
  it("leases a Received drive to the station for 5 minutes with its key and blob endpoint; nothing moves", async () => {
    const w = world();
    await receivedImport(w, "cd-first", ["CD1-A", "CD1-B"]);
    const before = await stored(w, "cd-first");
    const claim = await claimAs(w, w.cast.stationA, "CD1-B");
    const until = new Date(w.clock.now().getTime() + LEASE_MS).toISOString();
    assert.equal(claim.job.name, "cd-first");
    assert.deepEqual(
      [claim.drive.driveId, claim.drive.state, claim.drive.claimedBy, claim.drive.leaseExpiresAt],
      ["CD1-B", "Received", "station-bay-3", until],
    );
    assert.equal(claim.bitLockerKey, w.keys.get("CD1-B"));
    assert.equal(claim.blobEndpoint, DEV_STORAGE_ACCOUNT.blobEndpoint);
    assert.equal(claim.storage, undefined, "an account registered without a credential gives no SAS");

    const after = await stored(w, "cd-first");
    assert.deepEqual(after.job, before.job, "the job is not written: same etag");
    assert.deepEqual(after.history, before.history, "a claim is not a move");
    assert.deepEqual(after.drives, [before.drives[0], claim.drive]);
  });

  it("the key travels with the claim alone: not on the drive, not in the job the customer reads, not in the work queue", async () => {
    const w = world();
    await receivedImport(w, "cd-key", ["CD2-A"]);
    const claim = await claimAs(w, w.cast.stationA, "CD2-A");
    const key = w.keys.get("CD2-A")!;
    assert.equal(claim.bitLockerKey, key);
    for (const [what, value] of Object.entries({
      "the claimed drive": claim.drive,
      "the claimed job": claim.job,
      "the stored drives": (await stored(w, "cd-key")).drives,
      "the customer's view": await read(w, "cd-key"),
      "the work queue": await readWorkQueue(w.deps, w.cast.operator),
    })) {
      assert.ok(!JSON.stringify(value).includes(key), `${what} shows the key`);
    }
  });

  it("refuses a drive another station holds a live lease on; once that lease ran out, another station takes it over — Received or Transferring", async () => {
    const w = world();
    await receivedImport(w, "cd-taken", ["CD3-A"]);
    await claimAs(w, w.cast.stationA, "CD3-A");
    await registerStation(w.deps, w.cast.stationB, "bay-4");
    w.clock.advance(LEASE_MS - 1);
    const held = await refusedUnchanged(w, "cd-taken", "DriveNotClaimable", () =>
      claimDrive(w.deps, w.cast.stationB, "CD3-A"),
    );
    assert.match(held.message, /another station/);

    // The lease ends at its instant: bay-4 takes the drive over, still Received.
    w.clock.advance(1);
    const taken = await claimDrive(w.deps, w.cast.stationB, "CD3-A");
    assert.deepEqual([taken.drive.state, taken.drive.claimedBy], ["Received", "station-bay-4"]);

    // bay-4 starts copying, then stops reporting: bay-3 resumes the Transferring drive where it was.
    await reportProgress(w.deps, w.cast.stationB, "CD3-A", { bytesSucceeded: 30, bytesTotal: 100 });
    await refusedUnchanged(w, "cd-taken", "DriveNotClaimable", () =>
      claimDrive(w.deps, w.cast.stationA, "CD3-A"),
    );
    w.clock.advance(LEASE_MS);
    const resumed = await claimDrive(w.deps, w.cast.stationA, "CD3-A");
    assert.deepEqual(
      [resumed.drive.state, resumed.drive.claimedBy, resumed.drive.bytesSucceeded],
      ["Transferring", "station-bay-3", 30],
    );
    assert.equal(resumed.bitLockerKey, w.keys.get("CD3-A"));
  });

  it("a station claiming its own drive again renews the lease", async () => {
    const w = world();
    await receivedImport(w, "cd-renew", ["CD4-A"]);
    await claimAs(w, w.cast.stationA, "CD4-A");
    w.clock.advance(4 * MINUTE);
    const again = await claimDrive(w.deps, w.cast.stationA, "CD4-A");
    assert.equal(again.drive.leaseExpiresAt, new Date(w.clock.now().getTime() + LEASE_MS).toISOString());
    assert.equal(again.drive.claimedBy, "station-bay-3");
    w.clock.advance(2 * MINUTE);
    await refusedUnchanged(w, "cd-renew", "DriveNotClaimable", () =>
      claimDrive(w.deps, w.cast.stationB, "CD4-A"),
    );
  });

  it("refuses a drive while another drive of its job is still Specified", async () => {
    const w = world();
    await w.createImport("cd-waiting", ["CD5-A", "CD5-B"]);
    await w.ship("cd-waiting", "CD5");
    // No use case leaves one drive Received and another Specified (receiving a package settles every
    // drive its jobs list), so the store is written directly, as an operator's hand edit would.
    const { drives } = await stored(w, "cd-waiting");
    await w.deps.store.direct.drives.update({ ...drives[0]!, state: "Received" });
    const error = await refusedUnchanged(w, "cd-waiting", "DriveNotClaimable", () =>
      claimAs(w, w.cast.stationA, "CD5-A"),
    );
    assert.match(error.message, /'CD5-B'/);
  });

  it("never leases an extra drive, a drive in another state, an unknown serial, nor to anyone but a station", async () => {
    const w = world();
    await w.createImport("cd-refused", ["CD6-A", "CD6-B"]);
    await w.ship("cd-refused", "CD6");
    await w.receive("CD6", ["CD6-A", "CD6-X"]);
    const extra = await refusedUnchanged(w, "cd-refused", "DriveNotClaimable", () =>
      claimAs(w, w.cast.stationA, "CD6-X"),
    );
    assert.match(extra.message, /extra drive/);
    const never = await refusedUnchanged(w, "cd-refused", "DriveNotClaimable", () =>
      claimAs(w, w.cast.stationA, "CD6-B"),
    );
    assert.match(never.message, /'NeverReceived'/);
    await refusedUnchanged(w, "cd-refused", "DriveNotFound", () => claimAs(w, w.cast.stationA, "CD6-NOPE"));
    await refusedUnchanged(w, "cd-refused", "InvalidDriveId", () => claimAs(w, w.cast.stationA, "CD6 A"));
    for (const who of [w.cast.operator, w.cast.admin, w.cast.customer]) {
      await refusedUnchanged(w, "cd-refused", "AuthorizationFailed", () => claimDrive(w.deps, who, "CD6-A"));
    }

    await w.createImport("cd-specified", ["CD6-S"]);
    await w.ship("cd-specified", "CD6S");
    const specified = await refusedUnchanged(w, "cd-specified", "DriveNotClaimable", () =>
      claimAs(w, w.cast.stationA, "CD6-S"),
    );
    assert.match(specified.message, /'Specified'/);
    await packagedImport(w, "cd-copied", ["CD6-C"]);
    const copied = await refusedUnchanged(w, "cd-copied", "DriveNotClaimable", () =>
      claimAs(w, w.cast.stationA, "CD6-C"),
    );
    assert.match(copied.message, /'Completed'/);
  });

  it("two stations claiming one drive at once: exactly one wins, the other is refused", async () => {
    const w = world();
    const serials = ["CD7-A", "CD7-B", "CD7-C", "CD7-D"];
    await receivedImport(w, "cd-race", serials);
    await registerStation(w.deps, w.cast.stationA, "bay-3");
    await registerStation(w.deps, w.cast.stationB, "bay-4");
    for (const serial of serials) {
      const results = await Promise.allSettled([
        claimDrive(w.deps, w.cast.stationA, serial),
        claimDrive(w.deps, w.cast.stationB, serial),
      ]);
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r) => r.status === "rejected");
      assert.equal(won.length, 1, `${serial}: exactly one claim wins`);
      assert.equal((lost[0]!.reason as { code?: string }).code, "DriveNotClaimable", String(lost[0]!.reason));
      const drive = (await stored(w, "cd-race")).drives.find((d) => d.driveId === serial)!;
      assert.equal(drive.claimedBy, won[0]!.value.drive.claimedBy, `${serial}: the store names the winner`);
    }
  });

  it("hands a SAS for the job's account with the claim; claiming its Transferring drive again renews the lease and the SAS, and moves nothing", async () => {
    const w = world();
    await withOwnDevAccount(w, { type: "accountKey", secret: DEV_ACCOUNT_KEY }, async () => {
      await receivedImport(w, "cd-sas", ["CD8-A"]);
      const first = await claimAs(w, w.cast.stationA, "CD8-A");
      const at = w.clock.now().getTime();
      assert.equal(first.storage?.blobEndpoint, DEV_STORAGE_ACCOUNT.blobEndpoint);
      assert.equal(first.storage.expiresOn, iso(at + 60 * MINUTE), "an hour from the claim");
      assert.doesNotMatch(first.storage.sas, /^\?/);
      const sas = new URLSearchParams(first.storage.sas);
      assert.deepEqual(
        ["ss", "srt", "sp", "st", "se"].map((k) => sas.get(k)),
        ["b", "sco", "rwdlac", sasTime(at - 5 * MINUTE), sasTime(at + 60 * MINUTE)],
        "the blob service, its containers and blobs; read, add, create, write, delete, list; from 5 minutes before",
      );
      assert.ok(sas.get("sig"), "signed");

      await reportProgress(w.deps, w.cast.stationA, "CD8-A", { bytesSucceeded: 10, bytesTotal: 100 });
      w.clock.advance(50 * MINUTE); // the lease ran out meanwhile: the holder still takes it back
      const before = await stored(w, "cd-sas");
      const again = await claimDrive(w.deps, w.cast.stationA, "CD8-A");
      assert.deepEqual(
        [again.drive.state, again.drive.claimedBy, again.drive.bytesSucceeded, again.drive.leaseExpiresAt],
        ["Transferring", "station-bay-3", 10, new Date(w.clock.now().getTime() + LEASE_MS).toISOString()],
      );
      assert.equal(again.storage?.expiresOn, iso(at + 110 * MINUTE));
      assert.notEqual(again.storage.sas, first.storage.sas, "a fresh SAS");
      const after = await stored(w, "cd-sas");
      assert.deepEqual(after.history, before.history, "no history row");
      assert.deepEqual(after.job, before.job, "the job is not written");

      // And while the lease still runs: the holder renews it early, with a SAS an hour from now.
      w.clock.advance(MINUTE);
      const early = await claimDrive(w.deps, w.cast.stationA, "CD8-A");
      assert.equal(early.storage?.expiresOn, iso(at + 111 * MINUTE));
      assert.equal(early.drive.state, "Transferring");
    });
  });

  it("a registered SAS travels as it is; an Entra ID credential gives the station no storage access (yet)", async () => {
    const w = world();
    await withOwnDevAccount(
      w,
      { type: "sas", secret: "?sv=2024-08-04&ss=b&se=2026-02-01T00%3A00%3A00Z&sig=abc%3D" },
      async () => {
        await receivedImport(w, "cd-regsas", ["CD9-A"]);
        const claim = await claimAs(w, w.cast.stationA, "CD9-A");
        assert.deepEqual(claim.storage, {
          blobEndpoint: DEV_STORAGE_ACCOUNT.blobEndpoint,
          sas: "sv=2024-08-04&ss=b&se=2026-02-01T00%3A00%3A00Z&sig=abc%3D",
          expiresOn: "2026-02-01T00:00:00.000Z",
        });
      },
    );
    await withOwnDevAccount(w, { type: "entra" }, async () => {
      await receivedImport(w, "cd-entra", ["CD9-B"]);
      const claim = await claimAs(w, w.cast.stationA, "CD9-B");
      assert.equal(claim.blobEndpoint, DEV_STORAGE_ACCOUNT.blobEndpoint);
      assert.equal(claim.storage, undefined);
    });
  });

  /** An export job `name` shipped, with `serials` registered in that order (`capacity` on each, if given). */
  async function exportWith(w: AppWorld, name: string, serials: string[], capacity?: string) {
    await w.createExport(name);
    await w.ship(name, name.toUpperCase());
    for (const serial of serials) {
      await registerExportDrive(w.deps, {
        principal: w.cast.operator,
        job: w.address(name),
        serial,
        ...(capacity !== undefined ? { capacity } : {}),
      });
    }
  }

  it("fills an export job's drives in registration order: a later drive waits while an earlier one is Received or Transferring", async () => {
    const w = world();
    await exportWith(w, "cd-order", ["CD12-B", "CD12-A", "CD12-C"]);
    await registerStation(w.deps, w.cast.stationA, "bay-3");
    await registerStation(w.deps, w.cast.stationB, "bay-4");
    const early = await refusedUnchanged(w, "cd-order", "DriveNotClaimable", () =>
      claimDrive(w.deps, w.cast.stationA, "CD12-A"),
    );
    assert.equal(early.target, "CD12-A");
    assert.match(early.message, /waits for drive 'CD12-B'/);
    await refusedUnchanged(w, "cd-order", "DriveNotClaimable", () =>
      claimDrive(w.deps, w.cast.stationA, "CD12-C"),
    );

    const first = await claimDrive(w.deps, w.cast.stationA, "CD12-B");
    assert.equal(first.exportAfter, undefined, "the first drive starts from the job's own selection");
    await reportProgress(w.deps, w.cast.stationA, "CD12-B", { bytesSucceeded: 1, bytesTotal: 10 });
    const copying = await refusedUnchanged(w, "cd-order", "DriveNotClaimable", () =>
      claimDrive(w.deps, w.cast.stationB, "CD12-A"),
    );
    assert.match(copying.message, /'CD12-B'/);

    const list = "https://acct.blob.core.windows.net/logs/cd-order/CD12-B_incomplete.xml";
    await w.copy("CD12-B", w.cast.stationA, { incompleteBlobListUri: list });
    const second = await claimDrive(w.deps, w.cast.stationB, "CD12-A");
    assert.deepEqual(second.exportAfter, { driveId: "CD12-B", incompleteBlobListUri: list });
    await refusedUnchanged(w, "cd-order", "DriveNotClaimable", () =>
      claimDrive(w.deps, w.cast.stationA, "CD12-C"),
    );

    // The second drive took everything: the third is told so (no list), and starts after the second.
    await w.copy("CD12-A", w.cast.stationB);
    const third = await claimDrive(w.deps, w.cast.stationA, "CD12-C");
    assert.deepEqual(third.exportAfter, { driveId: "CD12-A" });
  });

  it("hands an export drive its own key, its capacity and the job's export settings", async () => {
    const w = world();
    await exportWith(w, "cd-export", ["CD13-A"], "8TB");
    const claim = await claimAs(w, w.cast.stationA, "CD13-A");
    const [key] = await listBitLockerKeys(w.deps, w.cast.customer, w.address("cd-export"));
    assert.equal(key!.driveId, "CD13-A");
    assert.equal(claim.bitLockerKey, key!.bitLockerKey, "the key the customer reads is the one written with");
    assert.equal(claim.drive.capacityBytes, 8e12);
    assert.equal(claim.job.type, "Export");
    assert.ok(claim.job.export);
    assert.equal(typeof claim.job.backupDriveManifest, "boolean");
  });

  it("an import job's drives are claimed in any order, and never carry an export predecessor", async () => {
    const w = world();
    await receivedImport(w, "cd-any", ["CD14-A", "CD14-B", "CD14-C"]);
    const last = await claimAs(w, w.cast.stationA, "CD14-C");
    assert.equal(last.exportAfter, undefined);
    await w.copy("CD14-A", w.cast.stationB);
    const after = await claimAs(w, w.cast.stationB, "CD14-B");
    assert.equal(after.exportAfter, undefined);
  });
});

const iso = (ms: number) => new Date(ms).toISOString();
/** A SAS names its instants to the second. */
const sasTime = (ms: number) => iso(ms).replace(/\.\d{3}Z$/, "Z");

/**
 * Runs `body` while the customer's subscription has its own devstoreaccount1 with `credential` (the
 * shared one, which the other tests of the suite claim against, stays as seeded).
 */
async function withOwnDevAccount(
  w: AppWorld,
  credential: NonNullable<StorageAccountInput["credential"]>,
  body: () => Promise<void>,
): Promise<void> {
  await setStorageAccount(w.deps, w.cast.admin, DEV_STORAGE_ACCOUNT.name, {
    subscriptionId: w.sub,
    blobEndpoint: DEV_STORAGE_ACCOUNT.blobEndpoint,
    credential,
  });
  try {
    await body();
  } finally {
    await deleteStorageAccount(w.deps, w.cast.admin, DEV_STORAGE_ACCOUNT.name, w.sub);
  }
}
