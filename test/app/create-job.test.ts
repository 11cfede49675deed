/** @module createJob: a new job in Creating, the same PUT again, what is fixed at creation, and who may create. */

import assert from "node:assert/strict";
import { it } from "node:test";

import { createJob, type CreateJobInput, type CreateJobRequest } from "../../src/app/create-job.js";
import { getJob } from "../../src/app/get-job.js";
import { listBitLockerKeys } from "../../src/app/list-bitlocker-keys.js";
import { readHistory } from "../../src/app/read-history.js";
import { setLocation } from "../../src/app/set-location.js";
import { setStorageAccount } from "../../src/app/set-storage-account.js";
import type { Principal } from "../../src/app/support/principal.js";
import { Store } from "../../src/store/store.js";
import { type AppWorld, describeOnEngines } from "../support/app.js";
import { jobIn, locationInput, refusedUnchanged, serialOf } from "../support/customer.js";
import { bitLockerKey, RETURN_ADDRESS } from "../support/fixtures.js";

/** The key the customer gives for a serial (one per serial, kept in the world's key ring). */
function keyFor(w: AppWorld, serial: string): string {
  const key = w.keys.get(serial) ?? bitLockerKey();
  w.keys.set(serial, key);
  return key;
}

function importOf(w: AppWorld, serials: string[], more: Partial<CreateJobInput> = {}): CreateJobInput {
  return {
    location: "West US",
    storageAccountId: w.storageAccountId,
    jobType: "Import",
    driveList: serials.map((driveId) => ({ driveId, bitLockerKey: keyFor(w, driveId) })),
    ...more,
  };
}

function put(
  w: AppWorld,
  name: string,
  input: CreateJobInput,
  more: Partial<Omit<CreateJobRequest, "address" | "input">> = {},
) {
  return createJob(w.deps, { principal: w.cast.customer, address: w.address(name), input, ...more });
}

/** A storage account id in the customer's subscription naming `account`. */
const accountId = (w: AppWorld, account: string) =>
  `/subscriptions/${w.sub}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/${account}`;

describeOnEngines("create a job", (world) => {
  it("creates a job in Creating with its drives Specified and their keys sealed, and records the creation", async () => {
    const w = world();
    const at = w.clock.now().toISOString();
    const { view, created } = await put(
      w,
      "cj-new",
      importOf(w, ["CJ1-A", "CJ1-B"], {
        // The short location name, the job type in another case, the account id in another spelling.
        location: "westus",
        jobType: "import",
        storageAccountId: `/SUBSCRIPTIONS/${w.sub.toUpperCase()}/resourcegroups/rg/providers/microsoft.storage/storageaccounts/devstoreaccount1`,
        logLevel: "verbose",
        tags: { team: "archive" },
      }),
    );
    assert.equal(created, true);
    const { id: _id, etag: _etag, ...job } = view.job;
    assert.deepEqual(job, {
      subscriptionId: w.sub,
      resourceGroup: "rg",
      name: "cj-new",
      location: "westus",
      type: "Import",
      state: "Creating",
      storageAccountId: w.storageAccountId,
      diagnosticsPath: "waimportexport",
      logLevel: "Verbose",
      backupDriveManifest: false,
      cancelRequested: false,
      encryptionKey: { kekType: "MicrosoftManaged" },
      tags: { team: "archive" },
      createdAt: at,
      createdBy: "customer:ada",
      lastModifiedAt: at,
      lastModifiedBy: "customer:ada",
      stateChangedAt: at,
    });
    assert.deepEqual(
      view.drives.map((d) => `${d.driveId} ${d.state}${d.extra ? " extra" : ""}`),
      ["CJ1-A Specified", "CJ1-B Specified"],
    );
    assert.equal(view.location?.name, "West US");
    assert.equal(view.percentComplete, 0);
    assert.deepEqual((await getJob(w.deps, w.cast.customer, w.address("cj-new"))).job, view.job, "as stored");

    assert.deepEqual(await listBitLockerKeys(w.deps, w.cast.customer, w.address("cj-new")), [
      { driveId: "CJ1-A", bitLockerKey: w.keys.get("CJ1-A") },
      { driveId: "CJ1-B", bitLockerKey: w.keys.get("CJ1-B") },
    ]);
    const sealed = await w.deps.store.direct.drives.encryptedKeys(view.job.id);
    for (const { driveId, bitLockerKeyEnc } of sealed) {
      assert.match(bitLockerKeyEnc ?? "", /^v1\./, `${driveId}'s key is sealed`);
      assert.ok(!bitLockerKeyEnc!.includes(w.keys.get(driveId)!), "not kept in the clear");
    }

    const history = await readHistory(w.deps, w.cast.customer, w.address("cj-new"));
    assert.deepEqual(
      history.map((h) => [h.driveId, h.from, h.to, h.actor, h.reason, h.at]),
      [
        [undefined, null, "Creating", "customer:ada", "Job created", at],
        ["CJ1-A", null, "Specified", "customer:ada", "Listed at job creation", at],
        ["CJ1-B", null, "Specified", "customer:ada", "Listed at job creation", at],
      ],
    );
  });

  it("creates an export job with no drive, and holds it to the export rules", async () => {
    const w = world();
    const exportSpec = { blobPaths: ["/photos/2025/a.jpg"], blobPathPrefixes: ["/video/"] };
    const { view } = await put(w, "cj-export", {
      location: "West US",
      storageAccountId: w.storageAccountId,
      jobType: "Export",
      export: exportSpec,
    });
    assert.equal(view.job.type, "Export");
    assert.deepEqual(view.job.export, exportSpec);
    assert.deepEqual(view.drives, []);
    assert.deepEqual(await w.moves("cj-export"), ["∅→Creating"]);

    const exportOf = (more: Partial<CreateJobInput>): CreateJobInput => ({
      location: "West US",
      storageAccountId: w.storageAccountId,
      jobType: "Export",
      ...more,
    });
    const refusals: [string, CreateJobInput, string][] = [
      ["an export with nothing to export", exportOf({}), "InvalidExport"],
      ["an empty export", exportOf({ export: { blobPaths: [], blobPathPrefixes: [] } }), "InvalidExport"],
      [
        "a blob path that climbs",
        exportOf({ export: { blobPaths: ["/a/../b"], blobPathPrefixes: [] } }),
        "InvalidExport",
      ],
      [
        "an export that lists drives",
        exportOf({ export: exportSpec, driveList: [{ driveId: "CJ2-E", bitLockerKey: bitLockerKey() }] }),
        "InvalidDriveList",
      ],
      ["an import with an export", importOf(w, ["CJ2-I"], { export: exportSpec }), "InvalidExport"],
    ];
    for (const [what, input, code] of refusals) {
      assert.equal(
        await refusedUnchanged(w, "cj-export-bad", () => put(w, "cj-export-bad", input)),
        code,
        what,
      );
    }
  });

  it("refuses a new job whose location, storage account, type, drives or name are wrong, and creates nothing", async () => {
    const w = world();
    // An account registered for the stranger's subscription alone: not the customer's to name.
    await setStorageAccount(w.deps, w.cast.admin, "theirstore", {
      subscriptionId: w.otherSub,
      blobEndpoint: "http://127.0.0.1:10000/theirstore",
    });
    const key = bitLockerKey();
    const refusals: [string, Partial<CreateJobInput>, string][] = [
      ["no location", { location: undefined }, "InvalidLocation"],
      ["a blank location", { location: "  " }, "InvalidLocation"],
      ["an unknown location", { location: "Mars Central" }, "LocationNotFound"],
      ["no storage account", { storageAccountId: undefined }, "InvalidStorageAccountId"],
      ["a malformed storage account id", { storageAccountId: "devstoreaccount1" }, "InvalidStorageAccountId"],
      [
        "an account of another subscription",
        { storageAccountId: w.storageAccountId.replace(w.sub, w.otherSub) },
        "InvalidStorageAccountId",
      ],
      [
        "an unregistered account",
        { storageAccountId: accountId(w, "nosuchaccount") },
        "StorageAccountNotFound",
      ],
      [
        "another subscription's registered account",
        { storageAccountId: accountId(w, "theirstore") },
        "StorageAccountNotFound",
      ],
      ["no job type", { jobType: undefined }, "InvalidJobType"],
      ["an unknown job type", { jobType: "Imports" }, "InvalidJobType"],
      ["no drive", { driveList: [] }, "InvalidDriveList"],
      ["no drive list", { driveList: undefined }, "InvalidDriveList"],
      [
        "a drive twice, in two cases",
        {
          driveList: [
            { driveId: "CJ3-A", bitLockerKey: key },
            { driveId: "cj3-a", bitLockerKey: key },
          ],
        },
        "DuplicateDriveId",
      ],
      ["a drive without its key", { driveList: [{ driveId: "CJ3-A" }] }, "InvalidBitLockerKey"],
      [
        "a malformed key",
        { driveList: [{ driveId: "CJ3-A", bitLockerKey: "123456" }] },
        "InvalidBitLockerKey",
      ],
      ["a malformed serial", { driveList: [{ driveId: "CJ3 A", bitLockerKey: key }] }, "InvalidDriveId"],
      [
        "eleven drives",
        { driveList: Array.from({ length: 11 }, (_, i) => ({ driveId: `CJ3-${i}`, bitLockerKey: key })) },
        "TooManyDrives",
      ],
      ["an unknown log level", { logLevel: "Loud" }, "InvalidLogLevel"],
      [
        "a carrier the location does not take",
        { deliveryPackage: { carrierName: "Pony", trackingNumber: "1" } },
        "InvalidCarrier",
      ],
      [
        "a malformed return address",
        { returnAddress: { ...RETURN_ADDRESS, email: "ada" } },
        "InvalidAddress",
      ],
    ];
    for (const [what, more, code] of refusals) {
      const input = { ...importOf(w, ["CJ3-A"]), ...more };
      assert.equal(await refusedUnchanged(w, "cj-wrong", () => put(w, "cj-wrong", input)), code, what);
    }
    const badName = () =>
      createJob(w.deps, {
        principal: w.cast.customer,
        address: { subscriptionId: w.sub, resourceGroup: "rg", name: "-bad name" },
        input: importOf(w, ["CJ3-A"]),
      });
    assert.equal(await refusedUnchanged(w, "cj-wrong", badName), "InvalidJobName");
  });

  it("takes any location an admin set and any account registered for the subscription", async () => {
    const w = world();
    await setLocation(w.deps, w.cast.admin, "eastus", locationInput("East US"));
    await setStorageAccount(w.deps, w.cast.admin, "ownstore", {
      subscriptionId: w.sub,
      blobEndpoint: "http://127.0.0.1:10000/ownstore",
    });
    const input = importOf(w, ["CJ4-A"], { location: "East US", storageAccountId: accountId(w, "ownstore") });
    const { view } = await put(w, "cj-east", input);
    assert.equal(view.job.location, "eastus");
    assert.equal(view.location?.name, "East US");
    assert.equal(view.job.storageAccountId, accountId(w, "ownstore"));
    // The location's carriers are the ones its packages may use.
    const fedEx = { ...input, deliveryPackage: { carrierName: "FedEx", trackingNumber: "CJ4" } };
    assert.equal(await refusedUnchanged(w, "cj-east", () => put(w, "cj-east", fedEx)), "InvalidCarrier");
  });

  it("accepts the same PUT again (created: false), with the corrections Creating allows, and records only the drives it adds", async () => {
    const w = world();
    const input = importOf(w, ["CJ5-A", "CJ5-B"]);
    const first = await put(w, "cj-again", input);
    const createdAt = first.view.job.createdAt;
    w.clock.advance(60_000);
    const again = await put(w, "cj-again", input);
    assert.equal(again.created, false);
    assert.equal(again.view.job.id, first.view.job.id);
    assert.equal(again.view.job.createdAt, createdAt);
    assert.equal(again.view.job.lastModifiedAt, w.clock.now().toISOString());
    assert.deepEqual(await w.moves("cj-again"), ["∅→Creating", "CJ5-A:∅→Specified", "CJ5-B:∅→Specified"]);

    // A corrected PUT: B is not shipped after all, C is; A is re-sent without its key, which it keeps.
    const corrected = await put(w, "cj-again", {
      ...input,
      driveList: [{ driveId: "CJ5-A" }, { driveId: "CJ5-C", bitLockerKey: keyFor(w, "CJ5-C") }],
      tags: { fixed: "yes" },
    });
    assert.equal(corrected.created, false);
    assert.deepEqual(
      corrected.view.drives.map((d) => `${d.driveId} ${d.state}`),
      ["CJ5-A Specified", "CJ5-C Specified"],
    );
    assert.deepEqual(corrected.view.job.tags, { fixed: "yes" });
    assert.deepEqual(await listBitLockerKeys(w.deps, w.cast.customer, w.address("cj-again")), [
      { driveId: "CJ5-A", bitLockerKey: w.keys.get("CJ5-A") },
      { driveId: "CJ5-C", bitLockerKey: w.keys.get("CJ5-C") },
    ]);
    const history = await readHistory(w.deps, w.cast.customer, w.address("cj-again"));
    assert.deepEqual(
      history.slice(3).map((h) => `${h.driveId}:${h.from ?? "∅"}→${h.to} ${h.reason}`),
      ["CJ5-C:∅→Specified Added to the drive list"],
    );
  });

  it("accepts the same PUT of a shipped job unchanged, but not a new drive list, naming the state", async () => {
    const w = world();
    const input = importOf(w, ["CJ6-A"]);
    await put(w, "cj-shipped", input);
    await w.ship("cj-shipped", "CJ6");
    const again = await put(w, "cj-shipped", input);
    assert.equal(again.created, false);
    assert.equal(again.view.job.state, "Shipping");
    const moreDrives = {
      ...input,
      driveList: [...input.driveList!, { driveId: "CJ6-B", bitLockerKey: keyFor(w, "CJ6-B") }],
    };
    assert.equal(
      await refusedUnchanged(
        w,
        "cj-shipped",
        () => put(w, "cj-shipped", moreDrives),
        /'driveList' cannot be changed while the job is in state 'Shipping'/,
      ),
      "PropertyChangeNotAllowed",
    );
    const otherKey = { ...input, driveList: [{ driveId: "CJ6-A", bitLockerKey: bitLockerKey() }] };
    assert.equal(
      await refusedUnchanged(w, "cj-shipped", () => put(w, "cj-shipped", otherKey)),
      "PropertyChangeNotAllowed",
      "a drive's key is part of the list",
    );
  });

  it("keeps location, job type and storage account as they were created (PropertyChangeNotAllowed), accepting them re-sent in any spelling", async () => {
    const w = world();
    await setStorageAccount(w.deps, w.cast.admin, "fixedstore", {
      subscriptionId: w.sub,
      blobEndpoint: "http://127.0.0.1:10000/fixedstore",
    });
    await setLocation(w.deps, w.cast.admin, "northeurope", locationInput("North Europe", ["DHL"]));
    const input = importOf(w, ["CJ7-A"]);
    await put(w, "cj-fixed", input);
    const changes: [Partial<CreateJobInput>, RegExp][] = [
      [{ location: "North Europe" }, /location/],
      [{ jobType: "Export" }, /jobType/],
      [{ storageAccountId: accountId(w, "fixedstore") }, /storageAccountId/],
    ];
    for (const [more, field] of changes) {
      assert.equal(
        await refusedUnchanged(w, "cj-fixed", () => put(w, "cj-fixed", { ...input, ...more }), field),
        "PropertyChangeNotAllowed",
        field.source,
      );
    }
    assert.equal(
      await refusedUnchanged(w, "cj-fixed", () => put(w, "cj-fixed", { ...input, location: "Atlantis" })),
      "LocationNotFound",
    );
    const respelled = await put(w, "cj-fixed", {
      ...input,
      location: "WEST us",
      jobType: "IMPORT",
      storageAccountId: w.storageAccountId.toLowerCase(),
    });
    assert.equal(respelled.created, false);
    // Left out, what was fixed stays as it is.
    const bare = await put(w, "cj-fixed", { driveList: input.driveList! });
    assert.equal(bare.created, false);
    assert.equal(bare.view.job.location, "westus");
  });

  it("lets only the subscription's customer (or an admin) create: a stranger, an operator and a station are refused", async () => {
    const w = world();
    const refused: [Principal, RegExp][] = [
      [w.cast.stranger, /mallory/],
      [w.cast.operator, /operator/],
      [w.cast.stationA, /bay-3/],
    ];
    for (const [principal, message] of refused) {
      const call = () =>
        createJob(w.deps, { principal, address: w.address("cj-who"), input: importOf(w, ["CJ8-A"]) });
      assert.equal(
        await refusedUnchanged(w, "cj-who", call, message),
        "AuthorizationFailed",
        principal.label,
      );
    }
    const { view } = await createJob(w.deps, {
      principal: w.cast.admin,
      address: w.address("cj-who"),
      input: importOf(w, ["CJ8-A"]),
    });
    assert.equal(view.job.createdBy, "admin:root");
  });

  it("only creates under If-None-Match: *, and under If-Match needs the job to exist at one of its etags", async () => {
    const w = world();
    const input = importOf(w, ["CJ9-A"]);
    for (const ifMatch of [["*"], ['"0"']]) {
      assert.equal(
        await refusedUnchanged(w, "cj-cond", () => put(w, "cj-cond", input, { ifMatch })),
        "PreconditionFailed",
        `If-Match ${ifMatch.join()} on no job creates nothing`,
      );
    }
    const created = await put(w, "cj-cond", input, { ifNoneMatch: ["*"] });
    assert.equal(created.created, true);
    assert.equal(
      await refusedUnchanged(
        w,
        "cj-cond",
        () => put(w, "cj-cond", input, { ifNoneMatch: ["*"] }),
        /exists already/,
      ),
      "PreconditionFailed",
    );
    const etag = created.view.job.etag;
    const matched = await put(w, "cj-cond", input, { ifMatch: ['"other"', etag] });
    assert.equal(matched.created, false);
    assert.notEqual(matched.view.job.etag, etag, "a write gives the job a new etag");
    assert.equal(
      await refusedUnchanged(w, "cj-cond", () =>
        put(w, "cj-cond", { ...input, tags: { late: "1" } }, { ifMatch: [etag] }),
      ),
      "PreconditionFailed",
      "the etag read before the last write is stale",
    );
    const any = await put(w, "cj-cond", { ...input, tags: { any: "1" } }, { ifMatch: ["*"] });
    assert.deepEqual(any.view.job.tags, { any: "1" });
  });

  it("lists a drive that an earlier job shipped back", async () => {
    const w = world();
    await jobIn(w, "cj-done", "Completed");
    const { view } = await put(w, "cj-reuse", importOf(w, [serialOf("cj-done")]));
    assert.deepEqual(
      view.drives.map((d) => `${d.driveId} ${d.state}`),
      [`${serialOf("cj-done")} Specified`],
    );
  });

  it("refuses a drive that another job still holds (LIFECYCLE.md: one drive, one live job)", async () => {
    const w = world();
    await jobIn(w, "cj-live", "Shipping");
    const code = await refusedUnchanged(w, "cj-twice", () =>
      put(w, "cj-twice", importOf(w, [serialOf("cj-live")])),
    );
    assert.equal(code, "DriveInUse");
  });

  it("jobs created at once on two replicas, each listing one drive: one is created, every other refused DriveInUse", async () => {
    const w = world();
    // A second store on the same database: another server process's transactions.
    const replica = { ...w.deps, store: await Store.open(w.url, { migrate: false }) };
    try {
      for (let round = 0; round < 3; round++) {
        const serial = `CJ-RACE-${round}`;
        const results = await Promise.allSettled(
          Array.from({ length: 8 }, (_, i) =>
            createJob(i % 2 === 0 ? w.deps : replica, {
              principal: w.cast.customer,
              address: w.address(`cj-race-${round}-${i}`),
              // The serial in either case: the rule ignores case, so the lock must too.
              input: importOf(w, [i % 3 === 0 ? serial.toLowerCase() : serial]),
            }),
          ),
        );
        const outcomes = results
          .map((r) => (r.status === "fulfilled" ? "created" : (r.reason as { code?: string }).code))
          .sort();
        assert.deepEqual(outcomes, [...Array<string>(7).fill("DriveInUse"), "created"], `round ${round}`);
        assert.equal((await w.deps.store.direct.drives.findInOtherJobs([serial], 0)).length, 1);
      }
    } finally {
      await replica.store.close();
    }
  });
});
