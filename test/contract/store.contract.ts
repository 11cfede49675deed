/** @module The store's contract, one suite run on every engine: what the app may rely on from src/store. */

import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, describe, it, type TestContext } from "node:test";

import { Migrator, sql } from "kysely";

import { isDomainError } from "../../src/domain/errors.js";
import type { Drive, Job, Location, StateChange } from "../../src/domain/model.js";
import type { DriveState, JobState } from "../../src/domain/states.js";
import { TIMER_RULES, type TimerCutoff, type TimerField } from "../../src/domain/timers.js";
import type { DriveRecord } from "../../src/store/drives.js";
import type { NewJob } from "../../src/store/jobs.js";
import { migrateToLatest } from "../../src/store/migrate.js";
import { initial } from "../../src/store/migrations/0001-initial.js";
import { Store } from "../../src/store/store.js";
import { newDrive, newJob as fixtureJob } from "../support/fixtures.js";

export interface ContractDatabase {
  url: string;
  cleanup: () => void | Promise<void>;
}

/**
 * Makes a database for the suite: by default a copy of the migrated template, with `empty` one that has
 * never been migrated. Resolves undefined when the engine is not available (the test was skipped).
 */
export type MakeDatabase = (
  t: TestContext,
  options?: { empty?: boolean },
) => Promise<ContractDatabase | undefined>;

const T = "2026-01-15T12:00:00.000Z";

function isConcurrentUpdate(error: unknown): boolean {
  return isDomainError(error) && error.code === "ConcurrentUpdate";
}

/** A job to insert: the fixture's, at T, named as told. */
function newJob(
  subscriptionId: string,
  resourceGroup: string,
  name: string,
  over: Partial<NewJob> = {},
): NewJob {
  const {
    id: _id,
    etag: _etag,
    ...job
  } = fixtureJob({
    subscriptionId,
    resourceGroup,
    name,
    createdAt: T,
    lastModifiedAt: T,
    stateChangedAt: T,
    ...over,
  });
  return job;
}

function drive(
  jobId: number,
  driveId: string,
  state: DriveState = "Specified",
  over: Partial<Drive> = {},
): Drive {
  return newDrive({ jobId, driveId, state, stateChangedAt: T, ...over });
}

function record(d: Drive, key?: string): DriveRecord {
  return key === undefined ? { drive: d } : { drive: d, bitLockerKeyEnc: key };
}

function location(id: string, name: string): Location {
  return {
    id,
    name,
    recipientName: "Test Data Center",
    streetAddress1: "1 Test Way",
    city: "Testville",
    postalCode: "00000",
    countryOrRegion: "USA",
    phone: "+1 555 000 0000",
    supportedCarriers: ["FedEx"],
    alternateLocations: [],
  };
}

export function describeStoreContract(name: string, makeUrl: MakeDatabase): void {
  describe(`store contract: ${name}`, () => {
    const cleanups: (() => void | Promise<void>)[] = [];
    let shared: Store | undefined;

    after(async () => {
      // Stores close before their databases go (cleanups run in reverse order of creation).
      for (const cleanup of cleanups.reverse()) {
        await cleanup();
      }
    });

    async function database(t: TestContext, options?: { empty?: boolean }): Promise<string | undefined> {
      const db = await makeUrl(t, options);
      if (!db) {
        return undefined;
      }
      cleanups.push(db.cleanup);
      return db.url;
    }

    async function open(url: string): Promise<Store> {
      const store = await Store.open(url);
      cleanups.push(() => store.close());
      return store;
    }

    /** One migrated database shared by the tests below; each test keeps to its own subscription. */
    async function store(t: TestContext): Promise<Store | undefined> {
      if (shared) {
        return shared;
      }
      const url = await database(t);
      if (url === undefined) {
        return undefined;
      }
      shared = await open(url);
      return shared;
    }

    async function migrationNames(s: Store): Promise<string[]> {
      const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
        s.db,
      );
      return rows.map((r) => r.name);
    }

    it("applies the migrations to an empty database, and opening it again applies nothing", async (t) => {
      const url = await database(t, { empty: true });
      if (url === undefined) {
        return;
      }
      const first = await Store.open(url, { migrate: false });
      cleanups.push(() => first.close());
      const applied = await migrateToLatest(first.db, first.dialect);
      assert.equal(applied[0], "0001-initial");
      assert.deepEqual(await migrationNames(first), applied);
      assert.equal(await first.direct.jobs.count(), 0);
      // Idempotent: a second run finds nothing pending, a second open succeeds on the same schema.
      assert.deepEqual(await migrateToLatest(first.db, first.dialect), []);
      const second = await open(url);
      assert.deepEqual(await migrateToLatest(second.db, second.dialect), []);
      assert.deepEqual(await migrationNames(second), applied);
      const job = await second.direct.jobs.insert(newJob(randomUUID(), "rg", "after-reopen"));
      assert.equal((await first.direct.jobs.findById(job.id))?.name, "after-reopen");
    });

    it("two Store.open() on one empty database at the same moment both succeed, migrating once", async (t) => {
      const url = await database(t, { empty: true });
      if (url === undefined) {
        return;
      }
      const results = await Promise.allSettled([Store.open(url), Store.open(url)]);
      for (const r of results) {
        if (r.status === "fulfilled") {
          cleanups.push(() => r.value.close());
        }
      }
      const failures = results.filter((r) => r.status === "rejected").map((r) => String(r.reason));
      assert.deepEqual(failures, []);
      const [a, b] = results.map((r) => (r as PromiseFulfilledResult<Store>).value) as [Store, Store];
      // Each migration recorded once (a second run would have failed on the tables the first made).
      const names = await migrationNames(a);
      assert.equal(names[0], "0001-initial");
      assert.deepEqual(await migrateToLatest(b.db, b.dialect), []);
      const job = await a.direct.jobs.insert(newJob(randomUUID(), "rg", "concurrent-open"));
      assert.equal((await b.direct.jobs.findById(job.id))?.name, "concurrent-open");
    });

    it("upgrading keeps the first of duplicate shared storage accounts, then refuses new duplicates", async (t) => {
      const url = await database(t, { empty: true });
      if (url === undefined) {
        return;
      }
      // A database of the first schema version, seeded twice at once before registrations were unique.
      const old = await Store.open(url, { migrate: false });
      cleanups.push(() => old.close());
      const provider = { getMigrations: async () => ({ "0001-initial": initial(old.dialect) }) };
      const { error } = await new Migrator({ db: old.db, provider }).migrateToLatest();
      assert.equal(error, undefined);
      for (const endpoint of ["http://first/blob", "http://second/blob"]) {
        await old.db
          .insertInto("storage_accounts")
          .values({
            name: "dup",
            subscription_id: null,
            blob_endpoint: endpoint,
            credential_enc: null,
            created_at: T,
          })
          .execute();
      }
      const upgraded = await open(url);
      const rows = await upgraded.db
        .selectFrom("storage_accounts")
        .select("blob_endpoint")
        .where("name", "=", "dup")
        .execute();
      assert.deepEqual(rows, [{ blob_endpoint: "http://first/blob" }]);
      await upgraded.direct.storageAccounts.insertSharedIfAbsent("dup", "http://third/blob", T);
      assert.equal(
        (await upgraded.direct.storageAccounts.resolve("dup", randomUUID()))?.blobEndpoint,
        "http://first/blob",
      );
    });

    it("jobs: insert, then find by id and by name (resource group and name case-insensitive)", async (t) => {
      const s = await store(t);
      if (!s) {
        return;
      }
      const sub = randomUUID();
      const full = newJob(sub, "My-RG", "Job-One", {
        returnAddress: {
          recipientName: "Ann",
          streetAddress1: "1 Main St",
          city: "Town",
          postalCode: "12345",
          countryOrRegion: "USA",
          phone: "555",
          email: "ann@example.com",
        },
        returnShipping: { carrierName: "FedEx", carrierAccountNumber: "123" },
        deliveryPackage: { carrierName: "FedEx", trackingNumber: "TRK1", driveCount: 1 },
        tags: { team: "data", env: "prod" },
        backupDriveManifest: true,
        logLevel: "Verbose",
        trackingRecordedAt: "2026-01-16T00:00:00.000Z",
      });
      const job = await s.direct.jobs.insert(full);
      assert.equal(typeof job.id, "number");
      assert.match(job.etag, /\S/);
      assert.deepEqual(job, { ...full, id: job.id, etag: job.etag });

      assert.deepEqual(await s.direct.jobs.findById(job.id), job);
      assert.deepEqual(await s.direct.jobs.findByName(sub, "my-rg", "JOB-ONE"), job);
      assert.deepEqual(await s.direct.jobs.findByName(sub, "MY-RG", "job-one"), job);
      assert.equal(await s.direct.jobs.findByName(sub, "other-rg", "job-one"), undefined);
      assert.equal(await s.direct.jobs.findByName(randomUUID(), "my-rg", "job-one"), undefined);
      assert.equal(await s.direct.jobs.findById(job.id + 1_000_000), undefined);

      // An export job round-trips its export spec and an absent optional field stays absent.
      const exp = await s.direct.jobs.insert(
        newJob(sub, "My-RG", "export-one", {
          type: "Export",
          export: { blobPaths: ["/c/a.bin"], blobPathPrefixes: ["/c/dir/"] },
        }),
      );
      const readBack = await s.direct.jobs.findById(exp.id);
      assert.deepEqual(readBack?.export, { blobPaths: ["/c/a.bin"], blobPathPrefixes: ["/c/dir/"] });
      assert.equal("returnAddress" in (readBack ?? {}), false);
      assert.equal("trackingRecordedAt" in (readBack ?? {}), false);
    });

    it("jobs: a second job of the same name (any case) surfaces as ConcurrentUpdate", async (t) => {
      const s = await store(t);
      if (!s) {
        return;
      }
      const sub = randomUUID();
      await s.direct.jobs.insert(newJob(sub, "rg", "twice"));
      await assert.rejects(s.direct.jobs.insert(newJob(sub, "RG", "TWICE")), isConcurrentUpdate);
      // The same name elsewhere is another job.
      await s.direct.jobs.insert(newJob(sub, "rg2", "twice"));
      await s.direct.jobs.insert(newJob(randomUUID(), "rg", "twice"));
    });

    it("jobs: update changes the etag on every write; a stale etag throws ConcurrentUpdate and writes nothing", async (t) => {
      const s = await store(t);
      if (!s) {
        return;
      }
      const job = await s.direct.jobs.insert(newJob(randomUUID(), "rg", "updated"));
      const first = await s.direct.jobs.update({ ...job, tags: { n: "1" } });
      const second = await s.direct.jobs.update({ ...first, tags: { n: "2" } });
      // Even a write that changes nothing else is a new version.
      const third = await s.direct.jobs.update(second);
      const etags = new Set([job.etag, first.etag, second.etag, third.etag]);
      assert.equal(etags.size, 4);
      assert.deepEqual(await s.direct.jobs.findById(job.id), third);

      await assert.rejects(
        s.direct.jobs.update({ ...first, tags: { stale: "yes" }, state: "Canceled" }),
        isConcurrentUpdate,
      );
      const stored = await s.direct.jobs.findById(job.id);
      assert.deepEqual(stored, third);
      await assert.rejects(s.direct.jobs.update({ ...third, id: job.id + 1_000_000 }), isConcurrentUpdate);
    });

    it("jobs: delete is guarded by the etag and removes the job's drives and history", async (t) => {
      const s = await store(t);
      if (!s) {
        return;
      }
      const sub = randomUUID();
      const job = await s.direct.jobs.insert(newJob(sub, "rg", "deleted"));
      const other = await s.direct.jobs.insert(newJob(sub, "rg", "kept"));
      for (const j of [job, other]) {
        await s.direct.drives.replaceAll(j.id, [record(drive(j.id, "D1"), "sealed")]);
        await s.direct.history.append(sub, [
          { jobId: j.id, from: null, to: "Creating", at: T, actor: "a", reason: "r" },
        ]);
      }
      const changed = await s.direct.jobs.update(job);
      await assert.rejects(s.direct.jobs.delete(job), isConcurrentUpdate);
      assert.ok(await s.direct.jobs.findById(job.id));
      assert.equal((await s.direct.drives.listByJob(job.id)).length, 1);

      await s.direct.jobs.delete(changed);
      assert.equal(await s.direct.jobs.findById(job.id), undefined);
      assert.deepEqual(await s.direct.drives.listByJob(job.id), []);
      assert.deepEqual(await s.direct.drives.encryptedKeys(job.id), []);
      assert.deepEqual(await s.direct.history.listByJob(job.id), []);
      // A second delete of the same version finds nothing to delete.
      await assert.rejects(s.direct.jobs.delete(changed), isConcurrentUpdate);
      // The neighbour is untouched.
      assert.equal((await s.direct.drives.listByJob(other.id)).length, 1);
      assert.equal((await s.direct.history.listByJob(other.id)).length, 1);
    });

    it("jobs: list filters by subscription, resource group, states and job types, pages by id, and never leaks", async (t) => {
      const s = await store(t);
      if (!s) {
        return;
      }
      const sub = randomUUID();
      const stranger = randomUUID();
      const made: Job[] = [];
      const specs: [string, JobState, "Import" | "Export"][] = [
        ["RG-A", "Creating", "Import"],
        ["rg-b", "Shipping", "Import"],
        ["rg-a", "Completed", "Export"],
        ["rg-b", "Creating", "Export"],
        ["Rg-A", "Closed", "Import"],
        ["rg-c", "Creating", "Import"],
      ];
      for (const [i, [rg, state, type]] of specs.entries()) {
        made.push(await s.direct.jobs.insert(newJob(sub, rg, `job-${i}`, { state, type })));
        // Interleave another subscription's jobs with the same resource groups and names.
        await s.direct.jobs.insert(newJob(stranger, rg, `job-${i}`, { state, type }));
      }
      const ids = (jobs: Job[]) => jobs.map((j) => j.id);
      const all = await s.direct.jobs.list({ subscriptionId: sub, limit: 100 });
      assert.deepEqual(ids(all), ids(made));
      assert.ok(all.every((j) => j.subscriptionId === sub));
      assert.deepEqual(all, made);

      const rgA = await s.direct.jobs.list({ subscriptionId: sub, resourceGroup: "rg-A", limit: 100 });
      assert.deepEqual(ids(rgA), ids([made[0]!, made[2]!, made[4]!]));
      const creating = await s.direct.jobs.list({ subscriptionId: sub, states: ["Creating"], limit: 100 });
      assert.deepEqual(ids(creating), ids([made[0]!, made[3]!, made[5]!]));
      const ended = await s.direct.jobs.list({
        subscriptionId: sub,
        states: ["Completed", "Closed"],
        limit: 100,
      });
      assert.deepEqual(ids(ended), ids([made[2]!, made[4]!]));
      const exports = await s.direct.jobs.list({ subscriptionId: sub, jobTypes: ["Export"], limit: 100 });
      assert.deepEqual(ids(exports), ids([made[2]!, made[3]!]));
      const combined = await s.direct.jobs.list({
        subscriptionId: sub,
        resourceGroup: "RG-B",
        states: ["Creating", "Shipping"],
        jobTypes: ["Export"],
        limit: 100,
      });
      assert.deepEqual(ids(combined), [made[3]!.id]);
      // Empty filter lists mean "all".
      assert.deepEqual(
        ids(await s.direct.jobs.list({ subscriptionId: sub, states: [], jobTypes: [], limit: 100 })),
        ids(made),
      );

      // Keyset paging: pages of 2, each after the last id seen, cover every job once, in order.
      const paged: Job[] = [];
      let afterId: number | undefined;
      for (;;) {
        const page = await s.direct.jobs.list({
          subscriptionId: sub,
          limit: 2,
          ...(afterId !== undefined ? { afterId } : {}),
        });
        assert.ok(page.length <= 2);
        if (page.length === 0) {
          break;
        }
        paged.push(...page);
        afterId = page.at(-1)!.id;
      }
      assert.deepEqual(ids(paged), ids(made));
      const afterThird = await s.direct.jobs.list({ subscriptionId: sub, afterId: made[2]!.id, limit: 2 });
      assert.deepEqual(ids(afterThird), ids([made[3]!, made[4]!]));
      const filteredPage = await s.direct.jobs.list({
        subscriptionId: sub,
        states: ["Creating"],
        afterId: made[0]!.id,
        limit: 1,
      });
      assert.deepEqual(ids(filteredPage), [made[3]!.id]);
      // Newest first: the same keyset walked the other way.
      const newest: Job[] = [];
      let beforeId: number | undefined;
      for (;;) {
        const page = await s.direct.jobs.list({
          subscriptionId: sub,
          newestFirst: true,
          limit: 2,
          ...(beforeId !== undefined ? { afterId: beforeId } : {}),
        });
        if (page.length === 0) {
          break;
        }
        newest.push(...page);
        beforeId = page.at(-1)!.id;
      }
      assert.deepEqual(ids(newest), ids(made).reverse());
      assert.deepEqual(await s.direct.jobs.list({ subscriptionId: randomUUID(), limit: 100 }), []);
    });

    it("jobs: list by name (startswith, contains) ignores case on both engines and takes wildcards literally", async (t) => {
      const s = await store(t);
      if (!s) {
        return;
      }
      const sub = randomUUID();
      const stranger = randomUUID();
      // The store takes any name; the API allows only letters, digits, '-' and '_', but the wildcards and
      // the escape character must be literal whatever reaches the query.
      const names = [
        "Photos-2026",
        "photos_archive",
        "photosXarchive",
        "Archive-PHOTOS",
        "pct%x",
        "back\\slash",
        "it's",
        "ÉLAN-job",
      ];
      const made = new Map<string, Job>();
      for (const [i, name] of names.entries()) {
        const state: JobState = i % 2 === 0 ? "Creating" : "Shipping";
        made.set(name, await s.direct.jobs.insert(newJob(sub, i < 4 ? "rg-a" : "rg-b", name, { state })));
        await s.direct.jobs.insert(newJob(stranger, "rg-a", name, { state }));
      }
      const find = async (
        kind: "startswith" | "contains",
        text: string,
        more: { states?: string[]; resourceGroup?: string; afterId?: number; limit?: number } = {},
      ) => {
        const jobs = await s.direct.jobs.list({
          subscriptionId: sub,
          name: { kind, text },
          limit: 100,
          ...more,
        });
        assert.ok(jobs.every((j) => j.subscriptionId === sub));
        return jobs.map((j) => j.name);
      };

      assert.deepEqual(await find("startswith", "photos"), [
        "Photos-2026",
        "photos_archive",
        "photosXarchive",
      ]);
      assert.deepEqual(await find("startswith", "PHOTOS"), [
        "Photos-2026",
        "photos_archive",
        "photosXarchive",
      ]);
      assert.deepEqual(await find("contains", "Photos"), [
        "Photos-2026",
        "photos_archive",
        "photosXarchive",
        "Archive-PHOTOS",
      ]);
      assert.deepEqual(await find("contains", "ARCHIVE"), [
        "photos_archive",
        "photosXarchive",
        "Archive-PHOTOS",
      ]);
      assert.deepEqual(await find("startswith", "archive"), ["Archive-PHOTOS"]);
      // Beyond ASCII too (SQLite's LIKE alone would not fold É).
      assert.deepEqual(await find("startswith", "élan"), ["ÉLAN-job"]);
      assert.deepEqual(await find("contains", "lan-JOB"), ["ÉLAN-job"]);

      // `_` and `%` are the characters themselves, not any character or any run of them.
      assert.deepEqual(await find("startswith", "photos_"), ["photos_archive"]);
      assert.deepEqual(await find("contains", "_"), ["photos_archive"]);
      assert.deepEqual(await find("contains", "%"), ["pct%x"]);
      assert.deepEqual(await find("startswith", "%"), []);
      assert.deepEqual(await find("contains", "s%x"), []);
      assert.deepEqual(await find("contains", "t%X"), ["pct%x"]);
      // The escape character is literal too, alone or before a wildcard.
      assert.deepEqual(await find("contains", "\\"), ["back\\slash"]);
      assert.deepEqual(await find("contains", "K\\S"), ["back\\slash"]);
      assert.deepEqual(await find("contains", "\\%"), []);
      assert.deepEqual(await find("contains", "\\_"), []);
      assert.deepEqual(await find("contains", "'"), ["it's"]);
      assert.deepEqual(await find("startswith", "It'S"), ["it's"]);

      // Empty text matches every name; text longer than any name, none.
      assert.equal((await find("startswith", "")).length, names.length);
      assert.equal((await find("contains", "")).length, names.length);
      assert.deepEqual(await find("contains", "photos-2026-and-more"), []);

      // With the other filters, and paged by id.
      assert.deepEqual(await find("startswith", "photos", { states: ["Creating"] }), [
        "Photos-2026",
        "photosXarchive",
      ]);
      assert.deepEqual(await find("contains", "J", { resourceGroup: "RG-B" }), ["ÉLAN-job"]);
      assert.deepEqual(await find("contains", "photos", { limit: 2 }), ["Photos-2026", "photos_archive"]);
      assert.deepEqual(
        await find("contains", "photos", { afterId: made.get("photos_archive")!.id, limit: 2 }),
        ["photosXarchive", "Archive-PHOTOS"],
      );
    });

    it("jobs: dueCandidateIds finds each timer's jobs, cutoffs inclusive, and nothing else", async (t) => {
      const s = await store(t);
      if (!s) {
        return;
      }
      // Timestamps of another era than the other tests', so their jobs can never be due here.
      const at: Record<TimerField, string> = {
        createdAt: "2001-01-01T00:00:00.000Z",
        trackingRecordedAt: "2001-02-01T00:00:00.000Z",
        stateChangedAt: "2001-03-01T00:00:00.000Z",
      };
      // The domain's timer table, each timer with its own cutoff: the store pairs each with its column.
      const cutoffs: TimerCutoff[] = TIMER_RULES.map((r) => ({
        states: r.states,
        since: r.since,
        atOrBefore: at[r.since],
      }));
      const justAfter = (iso: string) => new Date(Date.parse(iso) + 1).toISOString();
      const old = "2000-06-01T00:00:00.000Z";
      const sub = randomUUID();
      const expected = new Set<number>();
      const add = async (name: string, due: boolean, over: Partial<NewJob>) => {
        const job = await s.direct.jobs.insert(
          newJob(sub, "rg", name, { createdAt: old, stateChangedAt: old, lastModifiedAt: old, ...over }),
        );
        if (due) {
          expected.add(job.id);
        }
        return job;
      };
      // Creating: by created_at.
      await add("creating-at-cutoff", true, { createdAt: at.createdAt });
      await add("creating-before", true, { createdAt: old });
      await add("creating-after", false, { createdAt: justAfter(at.createdAt) });
      // Shipping: by tracking_recorded_at (not created_at), absent tracking is never due.
      await add("shipping-at-cutoff", true, {
        state: "Shipping",
        trackingRecordedAt: at.trackingRecordedAt,
      });
      await add("shipping-after", false, {
        state: "Shipping",
        trackingRecordedAt: justAfter(at.trackingRecordedAt),
      });
      await add("shipping-no-tracking", false, { state: "Shipping" });
      // Completed, Closed, Canceled: by state_changed_at.
      for (const state of ["Completed", "Closed", "Canceled"] as const) {
        await add(`${state}-at-cutoff`, true, { state, stateChangedAt: at.stateChangedAt });
        await add(`${state}-after`, false, {
          state,
          stateChangedAt: justAfter(at.stateChangedAt),
        });
      }
      // States without a timer are never candidates, however old.
      for (const state of ["Received", "Transferring", "Packaging"] as const) {
        await add(`${state}-old`, false, { state, trackingRecordedAt: old });
      }
      // A Creating job is judged on created_at alone.
      await add("creating-recent-old-change", false, {
        createdAt: justAfter(at.createdAt),
        stateChangedAt: old,
      });

      const found = await s.direct.jobs.dueCandidateIds(cutoffs);
      assert.deepEqual(
        found,
        [...new Set(found)].sort((x, y) => x - y),
        "ascending, each once",
      );
      const mine = [];
      for (const id of found) {
        const job = await s.direct.jobs.findById(id);
        if (job?.subscriptionId === sub) {
          mine.push(job);
        }
      }
      assert.deepEqual(new Set(mine.map((j) => j.id)), expected);
      assert.equal(mine.length, expected.size, "each candidate once");
    });

    it("drives: replaceAll, listByJob in listed order, listByJobs, update, encryptedKeys without extra drives", async (t) => {
      const s = await store(t);
      if (!s) {
        return;
      }
      const sub = randomUUID();
      const job = await s.direct.jobs.insert(newJob(sub, "rg", "drives"));
      const empty = await s.direct.jobs.insert(newJob(sub, "rg", "no-drives"));
      // Listed order is kept, not sorted by id.
      await s.direct.drives.replaceAll(job.id, [
        record(drive(job.id, "Z9"), "key-z"),
        record(drive(job.id, "A1"), "key-a"),
        record(drive(job.id, "M5")),
      ]);
      assert.deepEqual(
        (await s.direct.drives.listByJob(job.id)).map((d) => d.driveId),
        ["Z9", "A1", "M5"],
      );
      // Replacing is whole: drives not listed again are gone.
      const listed = [
        record(drive(job.id, "B2", "Specified", { manifestFile: "\\m.xml", manifestHash: "H1" }), "key-b"),
        record(drive(job.id, "A1"), "key-a2"),
      ];
      await s.direct.drives.replaceAll(job.id, listed);
      const drives = await s.direct.drives.listByJob(job.id);
      assert.deepEqual(
        drives,
        listed.map((r) => r.drive),
      );
      await s.direct.drives.replaceAll(empty.id, []);
      assert.deepEqual(await s.direct.drives.listByJob(empty.id), []);

      // An extra drive is listed with the job but has no key of the customer's.
      await s.direct.drives.replaceAll(job.id, [
        ...listed,
        record(drive(job.id, "X7", "Received", { extra: true }), "extra-key"),
      ]);
      assert.deepEqual(await s.direct.drives.encryptedKeys(job.id), [
        { driveId: "B2", bitLockerKeyEnc: "key-b" },
        { driveId: "A1", bitLockerKeyEnc: "key-a2" },
      ]);

      // update saves state and progress; key and position stay.
      const moved: Drive = {
        ...drive(job.id, "B2", "CompletedMoreInfo"),
        manifestFile: "\\m.xml",
        manifestHash: "H1",
        percentComplete: 100,
        bytesSucceeded: 1234,
        bytesTotal: 5678,
        errorCount: 2,
        warningCount: 3,
        infoCount: 4,
        copyStatus: "Done",
        verboseLogUri: "http://x/verbose",
        errorLogUri: "http://x/error",
        stateChangedAt: "2026-02-01T00:00:00.000Z",
      };
      await s.direct.drives.update(moved);
      const after = await s.direct.drives.listByJob(job.id);
      assert.deepEqual(
        after.map((d) => d.driveId),
        ["B2", "A1", "X7"],
      );
      assert.deepEqual(after[0], moved);
      assert.equal(after[2]?.extra, true);
      assert.deepEqual((await s.direct.drives.encryptedKeys(job.id))[0], {
        driveId: "B2",
        bitLockerKeyEnc: "key-b",
      });

      const byJob = await s.direct.drives.listByJobs([empty.id, job.id, job.id + 1_000_000]);
      assert.deepEqual([...byJob.keys()].sort(), [empty.id, job.id, job.id + 1_000_000].sort());
      assert.deepEqual(byJob.get(job.id), after);
      assert.deepEqual(byJob.get(empty.id), []);
      assert.deepEqual(byJob.get(job.id + 1_000_000), []);
      assert.equal((await s.direct.drives.listByJobs([])).size, 0);
    });

    it("drives: byte counts above 2^32 round-trip as numbers", async (t) => {
      const s = await store(t);
      if (!s) {
        return;
      }
      const job = await s.direct.jobs.insert(newJob(randomUUID(), "rg", "big"));
      const big = drive(job.id, "BIG", "Transferring", { bytesTotal: 5e12, bytesSucceeded: 2 ** 32 + 5 });
      await s.direct.drives.replaceAll(job.id, [record(big)]);
      const [read] = await s.direct.drives.listByJob(job.id);
      assert.equal(typeof read?.bytesTotal, "number");
      assert.equal(read?.bytesTotal, 5e12);
      assert.equal(read?.bytesSucceeded, 2 ** 32 + 5);
      await s.direct.drives.update({ ...big, bytesSucceeded: 4e12 });
      const byJobs = (await s.direct.drives.listByJobs([job.id])).get(job.id);
      assert.equal(byJobs?.[0]?.bytesSucceeded, 4e12);
      assert.equal(typeof byJobs?.[0]?.bytesSucceeded, "number");
    });

    it("drives: add appends in registration order with its key; capacity (past 2^32) and the incomplete blob list round-trip", async (t) => {
      const s = await store(t);
      if (!s) {
        return;
      }
      const job = await s.direct.jobs.insert(newJob(randomUUID(), "rg", "export-drives"));
      const sized = drive(job.id, "Z1", "Received", { capacityBytes: 8e12 });
      await s.direct.drives.add({ drive: sized, bitLockerKeyEnc: "sealed-z" });
      await s.direct.drives.add({ drive: drive(job.id, "A2", "Received") });
      await s.direct.drives.add({ drive: drive(job.id, "M3", "Received"), bitLockerKeyEnc: "sealed-m" });
      const listed = await s.direct.drives.listByJob(job.id);
      assert.deepEqual(
        listed.map((d) => d.driveId),
        ["Z1", "A2", "M3"],
        "registration order, not sorted",
      );
      assert.equal(listed[0]?.capacityBytes, 8e12);
      assert.equal(typeof listed[0]?.capacityBytes, "number");
      assert.equal(listed[1]?.capacityBytes, undefined);
      assert.equal(await s.direct.drives.encryptedKey(job.id, "Z1"), "sealed-z");
      assert.deepEqual(await s.direct.drives.encryptedKeys(job.id), [
        { driveId: "Z1", bitLockerKeyEnc: "sealed-z" },
        { driveId: "A2", bitLockerKeyEnc: null },
        { driveId: "M3", bitLockerKeyEnc: "sealed-m" },
      ]);
      const list = "https://acct.blob.core.windows.net/logs/Z1_incomplete.xml";
      await s.direct.drives.update({
        ...listed[0]!,
        state: "CompletedMoreInfo",
        incompleteBlobListUri: list,
      });
      const [after] = await s.direct.drives.listByJob(job.id);
      assert.equal(after?.incompleteBlobListUri, list);
      assert.equal(after?.capacityBytes, 8e12, "update keeps the capacity");
      assert.equal(await s.direct.drives.encryptedKey(job.id, "Z1"), "sealed-z", "and the key");
    });

    it("history: append keeps order and fields; listByJob returns one job's rows only", async (t) => {
      const s = await store(t);
      if (!s) {
        return;
      }
      const sub = randomUUID();
      const job = await s.direct.jobs.insert(newJob(sub, "rg", "history"));
      const other = await s.direct.jobs.insert(newJob(sub, "rg", "history-other"));
      const changes: StateChange[] = [
        { jobId: job.id, from: null, to: "Creating", at: T, actor: "customer:a", reason: "Job created" },
        {
          jobId: job.id,
          driveId: "D1",
          from: null,
          to: "Specified",
          at: T,
          actor: "customer:a",
          reason: "Listed",
        },
      ];
      await s.direct.history.append(sub, changes);
      await s.direct.history.append(sub, []);
      await s.direct.history.append(sub, [
        { jobId: other.id, from: null, to: "Creating", at: T, actor: "customer:b", reason: "Other" },
      ]);
      await s.direct.history.append(sub, [
        {
          jobId: job.id,
          from: "Creating",
          to: "Shipping",
          at: "2026-01-16T00:00:00.000Z",
          actor: "customer:a",
          reason: "Tracking",
        },
      ]);
      const rows = await s.direct.history.listByJob(job.id);
      assert.equal(rows.length, 3);
      assert.deepEqual(
        rows.map(({ id: _id, ...rest }) => rest),
        [
          { ...changes[0], subscriptionId: sub },
          { ...changes[1], subscriptionId: sub },
          {
            jobId: job.id,
            subscriptionId: sub,
            from: "Creating",
            to: "Shipping",
            at: "2026-01-16T00:00:00.000Z",
            actor: "customer:a",
            reason: "Tracking",
          },
        ],
      );
      assert.ok(rows[0]!.id < rows[1]!.id && rows[1]!.id < rows[2]!.id);
      assert.equal("driveId" in rows[0]!, false);
      assert.equal((await s.direct.history.listByJob(other.id)).length, 1);
    });

    it("history: listAfter pages after a cursor, by job or by subscription, with the job's name", async (t) => {
      const s = await store(t);
      if (!s) {
        return;
      }
      const sub = randomUUID();
      const stranger = randomUUID();
      const start = await s.direct.history.lastId();
      const one = await s.direct.jobs.insert(newJob(sub, "RG", "after-one"));
      const two = await s.direct.jobs.insert(newJob(sub, "rg", "after-two"));
      const theirs = await s.direct.jobs.insert(newJob(stranger, "rg", "after-one"));
      const created = (jobId: number): StateChange => ({
        jobId,
        from: null,
        to: "Creating",
        at: T,
        actor: "customer:a",
        reason: "Job created",
      });
      await s.direct.history.append(sub, [created(one.id)]);
      await s.direct.history.append(stranger, [created(theirs.id)]);
      await s.direct.history.append(sub, [
        created(two.id),
        { ...created(one.id), driveId: "D1", to: "Specified" },
      ]);

      const ofSub = await s.direct.history.listAfter(start, 100, { subscriptionId: sub });
      assert.deepEqual(
        ofSub.map((e) => [e.jobName, e.resourceGroup, e.driveId ?? null, e.to]),
        [
          ["after-one", "RG", null, "Creating"],
          ["after-two", "rg", null, "Creating"],
          ["after-one", "RG", "D1", "Specified"],
        ],
      );
      assert.ok(ofSub.every((e) => e.subscriptionId === sub));
      // After a cursor, at most `limit`, oldest first.
      assert.deepEqual(
        (await s.direct.history.listAfter(ofSub[0]!.id, 1, { subscriptionId: sub })).map((e) => e.id),
        [ofSub[1]!.id],
      );
      assert.deepEqual(await s.direct.history.listAfter(ofSub[2]!.id, 100, { subscriptionId: sub }), []);
      const ofOne = await s.direct.history.listAfter(start, 100, { jobId: one.id });
      assert.deepEqual(
        ofOne.map((e) => e.id),
        [ofSub[0]!.id, ofSub[2]!.id],
      );
      const ofStranger = await s.direct.history.listAfter(start, 100, { subscriptionId: stranger });
      assert.deepEqual(
        ofStranger.map((e) => e.jobId),
        [theirs.id],
      );
      assert.deepEqual(await s.direct.history.listAfter(start, 100, { subscriptionId: randomUUID() }), []);
      // Unfiltered: every row, both subscriptions.
      assert.equal((await s.direct.history.listAfter(start, 100)).length, 4);
      assert.equal(await s.direct.history.lastId(), ofSub[2]!.id);
    });

    it("tokens: insert, then findByHash", async (t) => {
      const s = await store(t);
      if (!s) {
        return;
      }
      const hash = randomBytes(32).toString("hex");
      const token = {
        id: hash.slice(0, 12),
        hash,
        role: "customer" as const,
        subscriptions: [randomUUID(), randomUUID()],
        label: "alice",
        createdAt: T,
      };
      await s.direct.tokens.insert(token);
      assert.deepEqual(await s.direct.tokens.findByHash(hash), token);
      assert.equal(await s.direct.tokens.findByHash(randomBytes(32).toString("hex")), undefined);
      const operatorHash = randomBytes(32).toString("hex");
      await s.direct.tokens.insert({
        ...token,
        id: operatorHash.slice(0, 12),
        hash: operatorHash,
        role: "operator",
        subscriptions: [],
      });
      assert.deepEqual((await s.direct.tokens.findByHash(operatorHash))?.subscriptions, []);
    });

    it("locations: insertIfAbsent is idempotent and never overwrites", async (t) => {
      const s = await store(t);
      if (!s) {
        return;
      }
      const id = `loc${randomBytes(4).toString("hex")}`;
      const first = location(id, "First Name");
      await s.direct.locations.insertIfAbsent(first);
      await s.direct.locations.insertIfAbsent(first);
      await s.direct.locations.insertIfAbsent(location(id, "Second Name"));
      assert.deepEqual(await s.direct.locations.get(id), first);
      assert.equal((await s.direct.locations.list()).filter((l) => l.id === id).length, 1);
      assert.equal(await s.direct.locations.get(`${id}-missing`), undefined);
    });

    it("storageAccounts: shared and subscription-specific accounts resolve; the subscription's own wins", async (t) => {
      const s = await store(t);
      if (!s) {
        return;
      }
      const name = `acct${randomBytes(4).toString("hex")}`;
      const mine = randomUUID();
      const theirs = randomUUID();
      assert.equal(await s.direct.storageAccounts.resolve(name, mine), undefined);
      await s.direct.storageAccounts.insertSharedIfAbsent(name, "http://shared/blob", T);
      await s.direct.storageAccounts.insertSharedIfAbsent(name, "http://other/blob", T);
      const sharedRows = await s.db
        .selectFrom("storage_accounts")
        .selectAll()
        .where("name", "=", name)
        .execute();
      assert.equal(sharedRows.length, 1);
      assert.deepEqual(await s.direct.storageAccounts.resolve(name, mine), {
        name,
        blobEndpoint: "http://shared/blob",
      });

      await s.db
        .insertInto("storage_accounts")
        .values({
          name,
          subscription_id: mine,
          blob_endpoint: "http://mine/blob",
          credential_enc: null,
          created_at: T,
        })
        .execute();
      // Registering the subscription's own does not make the shared one go away for others, and
      // insertSharedIfAbsent still sees the shared one.
      await s.direct.storageAccounts.insertSharedIfAbsent(name, "http://third/blob", T);
      assert.deepEqual(await s.direct.storageAccounts.resolve(name, mine), {
        name,
        subscriptionId: mine,
        blobEndpoint: "http://mine/blob",
      });
      assert.deepEqual(await s.direct.storageAccounts.resolve(name, theirs), {
        name,
        blobEndpoint: "http://shared/blob",
      });

      // An account registered only for one subscription is invisible to the others.
      const privateName = `priv${randomBytes(4).toString("hex")}`;
      await s.db
        .insertInto("storage_accounts")
        .values({
          name: privateName,
          subscription_id: mine,
          blob_endpoint: "http://p/blob",
          credential_enc: null,
          created_at: T,
        })
        .execute();
      assert.equal(
        (await s.direct.storageAccounts.resolve(privateName, mine))?.blobEndpoint,
        "http://p/blob",
      );
      assert.equal(await s.direct.storageAccounts.resolve(privateName, theirs), undefined);

      // With its sealed credential (a claim mints the station's SAS from it), the upsert's replacing it.
      await s.direct.storageAccounts.upsert(
        {
          name: privateName,
          subscriptionId: mine,
          blobEndpoint: "http://p2/blob",
          credentialEnc: "v1.sealed",
        },
        T,
      );
      assert.deepEqual(await s.direct.storageAccounts.resolve(privateName, mine), {
        name: privateName,
        subscriptionId: mine,
        blobEndpoint: "http://p2/blob",
        credentialEnc: "v1.sealed",
      });
    });

    it("seeding from two stores at the same moment registers each shared account and location once", async (t) => {
      // Two stores on one database: two replicas starting at the same time.
      const url = await database(t);
      if (url === undefined) {
        return;
      }
      const a = await open(url);
      const b = await open(url);
      const name = `race${randomBytes(4).toString("hex")}`;
      const id = `loc${randomBytes(4).toString("hex")}`;
      await Promise.all([
        a.direct.storageAccounts.insertSharedIfAbsent(name, "http://a/blob", T),
        b.direct.storageAccounts.insertSharedIfAbsent(name, "http://b/blob", T),
        a.direct.locations.insertIfAbsent(location(id, "A")),
        b.direct.locations.insertIfAbsent(location(id, "B")),
      ]);
      const rows = await a.db.selectFrom("storage_accounts").select("id").where("name", "=", name).execute();
      assert.equal(rows.length, 1, "one shared registration");
      assert.equal((await a.direct.locations.list()).filter((l) => l.id === id).length, 1);
    });

    it("a transaction that throws rolls back everything it wrote; one that returns commits", async (t) => {
      const s = await store(t);
      if (!s) {
        return;
      }
      const sub = randomUUID();
      const existing = await s.direct.jobs.insert(newJob(sub, "rg", "existing"));
      let insertedId = 0;
      await assert.rejects(
        s.transaction(async (repos) => {
          const job = await repos.jobs.insert(newJob(sub, "rg", "rolled-back"));
          insertedId = job.id;
          await repos.drives.replaceAll(job.id, [record(drive(job.id, "D1"), "k")]);
          await repos.history.append(sub, [
            { jobId: job.id, from: null, to: "Creating", at: T, actor: "a", reason: "r" },
          ]);
          await repos.jobs.update({ ...existing, tags: { touched: "yes" } });
          await repos.drives.replaceAll(existing.id, [record(drive(existing.id, "E1"))]);
          throw new Error("boom");
        }),
        /boom/,
      );
      assert.ok(insertedId > 0);
      assert.equal(await s.direct.jobs.findByName(sub, "rg", "rolled-back"), undefined);
      assert.equal(await s.direct.jobs.findById(insertedId), undefined);
      assert.deepEqual(await s.direct.drives.listByJob(insertedId), []);
      assert.deepEqual(await s.direct.history.listByJob(insertedId), []);
      assert.deepEqual(await s.direct.jobs.findById(existing.id), existing);
      assert.deepEqual(await s.direct.drives.listByJob(existing.id), []);

      // A domain refusal inside the transaction rolls back the same way.
      await assert.rejects(
        s.transaction(async (repos) => {
          await repos.jobs.update({ ...existing, tags: { first: "write" } });
          await repos.jobs.update(existing); // stale now: ConcurrentUpdate
        }),
        isConcurrentUpdate,
      );
      assert.deepEqual(await s.direct.jobs.findById(existing.id), existing);

      const committed = await s.transaction(async (repos) => {
        const job = await repos.jobs.insert(newJob(sub, "rg", "committed"));
        await repos.drives.replaceAll(job.id, [record(drive(job.id, "C1"))]);
        return job;
      });
      assert.deepEqual(await s.direct.jobs.findById(committed.id), committed);
      assert.equal((await s.direct.drives.listByJob(committed.id)).length, 1);
    });
  });
}
