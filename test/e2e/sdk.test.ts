import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import https from "node:https";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";

import {
  getContinuationToken,
  type JobResponse,
  type PutJobParameters,
  StorageImportExport,
} from "@azure/arm-storageimportexport";
import type { TokenCredential } from "@azure/core-auth";
import { agentPolicy, isRestError } from "@azure/core-rest-pipeline";

import { freshSqlite, TMP } from "../support/db.js";
import { bitLockerKey, RETURN_ADDRESS, storageAccount } from "../support/fixtures.js";
import { runCli, type ServerProcess, startServerProcess } from "../support/server.js";

// The official SDK, unmodified, against the real `sneakernet serve` over HTTPS with a certificate made
// here: every operation it has, and the refusals it turns into RestError.

const SUB = randomUUID();
const OTHER_SUB = randomUUID();
const RG = "rg-sdk";
const PAGING_RG = "rg-sdk-paging";
const PAGED_JOBS = 250;

const dir = join(TMP, `sdk-${randomBytes(4).toString("hex")}`);
const env = { SNEAKERNET_MASTER_KEY: randomBytes(32).toString("hex"), SNEAKERNET_LOG_LEVEL: "warn" };

let db: { url: string; cleanup: () => void };
let server: ServerProcess;
let ca: Buffer;
/** One agent for every client: it trusts our certificate and keeps connections open between calls. */
let agent: https.Agent;
let customerToken: string;
let adminToken: string;

function credential(token: string): TokenCredential {
  return { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3600_000 }) };
}

/** An SDK client that trusts our certificate; the bearer policy stays as it is (this is HTTPS). */
function sdk(token = customerToken, subscriptionId = SUB, apiVersion?: string): StorageImportExport {
  const client = new StorageImportExport(credential(token), subscriptionId, {
    endpoint: server.url,
    credentialScopes: ["https://management.azure.com/.default"],
    ...(apiVersion !== undefined ? { apiVersion } : {}),
  });
  client.pipeline.addPolicy(agentPolicy(agent));
  return client;
}

function importJob(driveId = "SDK-DRIVE-1", key = bitLockerKey(), sub = SUB, rg = RG): PutJobParameters {
  return {
    location: "West US",
    tags: { suite: "sdk" },
    properties: {
      storageAccountId: storageAccount(sub, rg),
      jobType: "Import",
      logLevel: "Verbose",
      diagnosticsPath: "waimportexport",
      backupDriveManifest: false,
      driveList: [{ driveId, bitLockerKey: key, manifestFile: "\\DriveManifest.xml" }],
    },
  };
}

const DELIVERY = { carrierName: "FedEx", trackingNumber: "7700 1234 5678" };

/** Asserts the SDK call fails with our status and code, surfaced as the SDK's RestError. */
async function refusedWith(call: Promise<unknown>, statusCode: number, code: string): Promise<Error> {
  let caught: unknown;
  await assert.rejects(call, (error: unknown) => {
    caught = error;
    assert.ok(isRestError(error), `expected a RestError, got ${String(error)}`);
    assert.equal(error.statusCode, statusCode, error.message);
    assert.equal(error.code, code, error.message);
    return true;
  });
  return caught as Error;
}

async function all<T>(iterator: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterator) {
    items.push(item);
  }
  return items;
}

/** A job created and moved to Shipping through the SDK. */
async function shippedJob(name: string): Promise<void> {
  const client = sdk();
  await client.jobs.create(name, RG, importJob());
  const updated = await client.jobs.update(name, RG, {
    returnAddress: RETURN_ADDRESS,
    deliveryPackage: DELIVERY,
    state: "Shipping",
  });
  assert.equal(updated.properties?.state, "Shipping");
}

before(async () => {
  mkdirSync(dir, { recursive: true });
  db = freshSqlite("sdk-e2e");
  // The database is named explicitly: DATABASE_URL in the environment (CI sets it) must not win.
  const store = ["--data-dir", join(dir, "data"), "--database-url", db.url];
  const token = async (...args: string[]) => {
    const created = await runCli(["token", "create", ...args, ...store], env);
    assert.equal(created.code, 0, created.stderr);
    return created.stdout.trim();
  };
  // The certificate and the tokens do not depend on each other: made side by side, before the server.
  [, customerToken, adminToken] = await Promise.all([
    promisify(execFile)("openssl", [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      join(dir, "key.pem"),
      "-out",
      join(dir, "cert.pem"),
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
    ]),
    token("--role", "customer", "--subscription", SUB),
    token("--role", "admin"),
  ]);
  assert.match(customerToken, /^snk_\S+$/);
  assert.match(adminToken, /^snk_\S+$/);
  ca = readFileSync(join(dir, "cert.pem"));
  agent = new https.Agent({ ca, keepAlive: true });
  server = await startServerProcess(
    [
      ...store,
      "--tls-cert",
      join(dir, "cert.pem"),
      "--tls-key",
      join(dir, "key.pem"),
      "--no-azurite",
      "--no-station",
    ],
    env,
  );
  assert.match(server.url, /^https:\/\//);
});

after(async () => {
  agent?.destroy();
  const code = await server?.stop();
  db?.cleanup();
  if (code !== undefined && code !== 0 && code !== null) {
    throw new Error(`the server exited with ${code}:\n${server.output()}`);
  }
});

describe("the official SDK over HTTPS", () => {
  it("jobs.create answers 201 for a new job; the same body again is accepted (200)", async () => {
    const client = sdk();
    const body = importJob("SDK-MAIN-1");
    const statuses: number[] = [];
    const onResponse = (response: { status: number }) => void statuses.push(response.status);
    const created = await client.jobs.create("sdk-main", RG, body, {
      clientTenantId: randomUUID(),
      onResponse,
    });
    assert.equal(created.name, "sdk-main");
    assert.equal(created.type, "Microsoft.ImportExport/jobs");
    assert.equal(
      created.id,
      `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.ImportExport/jobs/sdk-main`,
    );
    assert.equal(created.location, "West US");
    assert.equal(created.properties?.state, "Creating");
    const again = await client.jobs.create("sdk-main", RG, body, { onResponse });
    assert.equal(again.properties?.state, "Creating");
    assert.deepEqual(statuses, [201, 200]);
  });

  it("jobs.get returns the job as the SDK models it, without drive keys", async () => {
    const job = await sdk().jobs.get("sdk-main", RG);
    assert.equal(job.name, "sdk-main");
    assert.deepEqual(job.tags, { suite: "sdk" });
    assert.equal(job.identity?.type, "None");
    assert.ok(job.systemData?.createdAt instanceof Date);
    assert.match(job.systemData?.createdBy ?? "", /^customer:/);
    const p = job.properties!;
    assert.equal(p.jobType, "Import");
    assert.equal(p.logLevel, "Verbose");
    assert.equal(p.cancelRequested, false);
    assert.equal(p.provisioningState, "Succeeded");
    assert.equal(p.storageAccountId?.toLowerCase(), storageAccount(SUB, RG).toLowerCase());
    assert.equal(p.shippingInformation?.recipientName, "Sneakernet Data Center");
    assert.deepEqual(p.encryptionKey, { kekType: "MicrosoftManaged" });
    assert.equal(p.driveList?.length, 1);
    assert.equal(p.driveList![0]!.driveId, "SDK-MAIN-1");
    assert.equal(p.driveList![0]!.state, "Specified");
    assert.equal(p.driveList![0]!.manifestFile, "\\DriveManifest.xml");
    assert.equal(p.driveList![0]!.bitLockerKey, undefined);
  });

  it("bitLockerKeys.list returns the key given at creation", async () => {
    const key = bitLockerKey();
    await sdk().jobs.create("sdk-keys", RG, importJob("SDK-KEY-1", key));
    assert.deepEqual(await all(sdk().bitLockerKeys.list("sdk-keys", RG)), [
      { driveId: "SDK-KEY-1", bitLockerKey: key },
    ]);
  });

  it('jobs.update with state "" and logLevel changes the details, not the state', async () => {
    const updated = await sdk().jobs.update("sdk-main", RG, {
      state: "",
      logLevel: "Error",
      backupDriveManifest: true,
    });
    assert.equal(updated.properties?.state, "Creating");
    assert.equal(updated.properties?.logLevel, "Error");
    assert.equal(updated.properties?.backupDriveManifest, true);
  });

  it("jobs.update with returnAddress, deliveryPackage and state Shipping → Shipping", async () => {
    const updated = await sdk().jobs.update("sdk-main", RG, {
      returnAddress: RETURN_ADDRESS,
      deliveryPackage: DELIVERY,
      state: "Shipping",
      tags: { suite: "sdk", shipped: "yes" },
    });
    assert.equal(updated.properties?.state, "Shipping");
    assert.deepEqual(updated.properties?.returnAddress, RETURN_ADDRESS);
    assert.equal(updated.properties?.deliveryPackage?.trackingNumber, DELIVERY.trackingNumber);
    assert.deepEqual(updated.tags, { suite: "sdk", shipped: "yes" });
    const read = await sdk().jobs.get("sdk-main", RG);
    assert.equal(read.properties?.state, "Shipping");
  });

  it("jobs.listBySubscription and jobs.listByResourceGroup with filter state eq 'Shipping'", async () => {
    await shippedJob("sdk-ship-2");
    await sdk().jobs.create(
      "sdk-ship-other-rg",
      "rg-sdk-other",
      importJob("SDK-OTHER-1", bitLockerKey(), SUB, "rg-sdk-other"),
    );
    await sdk().jobs.update("sdk-ship-other-rg", "rg-sdk-other", {
      returnAddress: RETURN_ADDRESS,
      deliveryPackage: DELIVERY,
      state: "Shipping",
    });
    const filter = "state eq 'Shipping'";
    const bySubscription = await all(sdk().jobs.listBySubscription({ filter }));
    assert.deepEqual(bySubscription.map((j) => j.name).sort(), [
      "sdk-main",
      "sdk-ship-2",
      "sdk-ship-other-rg",
    ]);
    assert.ok(bySubscription.every((j) => j.properties?.state === "Shipping"));
    const byGroup = await all(sdk().jobs.listByResourceGroup(RG, { filter }));
    assert.deepEqual(byGroup.map((j) => j.name).sort(), ["sdk-main", "sdk-ship-2"]);
    const creating = await all(
      sdk().jobs.listByResourceGroup(RG, { filter: "state eq 'Creating' and jobType eq 'Import'" }),
    );
    assert.ok(creating.some((j) => j.name === "sdk-keys"));
    assert.ok(creating.every((j) => j.properties?.state === "Creating"));
    // Keys stay out of lists too.
    assert.ok(
      bySubscription.every((j) => j.properties?.driveList?.every((d) => d.bitLockerKey === undefined)),
    );
  });

  it(`pages through ${PAGED_JOBS} jobs with top 100: pages of 100, 100, 50, every name once`, async () => {
    const client = sdk();
    const names = Array.from({ length: PAGED_JOBS }, (_, i) => `page-${String(i).padStart(3, "0")}`);
    for (let i = 0; i < names.length; i += 25) {
      await Promise.all(
        names
          .slice(i, i + 25)
          .map((name, j) =>
            client.jobs.create(name, PAGING_RG, importJob(`PAGE-${i + j}`, bitLockerKey(), SUB, PAGING_RG)),
          ),
      );
    }

    const pages: JobResponse[][] = [];
    const links: (string | undefined)[] = [];
    for await (const page of client.jobs.listByResourceGroup(PAGING_RG, { top: 100 }).byPage()) {
      pages.push(page);
      links.push(getContinuationToken(page));
    }
    assert.deepEqual(
      pages.map((p) => p.length),
      [100, 100, 50],
    );
    assert.equal(links.length, 3);
    assert.ok(links[0] && links[1], "the first two pages carry a nextLink");
    assert.equal(links[2], undefined, "the last page has no nextLink");
    const seen = pages.flat().map((j) => j.name!);
    assert.equal(new Set(seen).size, PAGED_JOBS);
    assert.deepEqual([...seen].sort(), names);

    // Iterating item by item gives the same jobs; a continuation token resumes where it points.
    const items = await all(client.jobs.listByResourceGroup(PAGING_RG, { top: 100 }));
    assert.deepEqual(items.map((j) => j.name).sort(), names);
    const resumed: JobResponse[][] = [];
    for await (const page of client.jobs
      .listByResourceGroup(PAGING_RG, { top: 100 })
      .byPage({ continuationToken: links[0]! })) {
      resumed.push(page);
    }
    assert.deepEqual(
      resumed.map((p) => p.length),
      [100, 50],
    );
    assert.deepEqual(
      resumed.flat().map((j) => j.name),
      pages
        .slice(1)
        .flat()
        .map((j) => j.name),
    );
    // The whole subscription, default page size, also holds them all.
    const bySubscription = await all(client.jobs.listBySubscription());
    assert.ok(bySubscription.length >= PAGED_JOBS + 4);
    assert.equal(new Set(bySubscription.map((j) => j.id)).size, bySubscription.length);
  });

  it("jobs.delete in Creating removes the job: get → 404 ResourceNotFound", async () => {
    const client = sdk();
    await client.jobs.create("sdk-delete", RG, importJob("SDK-DEL-1"));
    const statuses: number[] = [];
    await client.jobs.delete("sdk-delete", RG, { onResponse: (r) => void statuses.push(r.status) });
    assert.deepEqual(statuses, [200]);
    await refusedWith(client.jobs.get("sdk-delete", RG), 404, "ResourceNotFound");
  });

  it("cancel through update({ cancelRequested: true }) → Canceled", async () => {
    const client = sdk();
    await client.jobs.create("sdk-cancel", RG, importJob("SDK-CAN-1"));
    const canceled = await client.jobs.update("sdk-cancel", RG, { cancelRequested: true });
    assert.equal(canceled.properties?.state, "Canceled");
    assert.equal(canceled.properties?.cancelRequested, true);
    assert.equal((await client.jobs.get("sdk-cancel", RG)).properties?.state, "Canceled");
    // Canceled is terminal: the customer may delete it.
    await client.jobs.delete("sdk-cancel", RG);
  });

  it("locations.list, locations.get('westus') and locations.get('West US')", async () => {
    const client = sdk();
    const locations = await all(client.locations.list());
    const westus = locations.find((l) => l.id === "/providers/Microsoft.ImportExport/locations/westus");
    assert.ok(westus, JSON.stringify(locations));
    assert.equal(westus.name, "West US");
    assert.equal(westus.type, "Microsoft.ImportExport/locations");
    for (const name of ["westus", "West US"]) {
      const location = await client.locations.get(name);
      assert.deepEqual(location, westus);
    }
    assert.ok(westus.supportedCarriers?.includes("FedEx"));
    assert.ok(westus.alternateLocations?.includes(westus.id!));
    assert.ok(westus.recipientName && westus.streetAddress1 && westus.city && westus.postalCode);
    await refusedWith(client.locations.get("nowhere"), 404, "ResourceNotFound");
  });

  it("operations.list", async () => {
    const operations = await all(sdk().operations.list());
    assert.deepEqual(operations.map((o) => o.name).sort(), [
      "Microsoft.ImportExport/jobs/delete",
      "Microsoft.ImportExport/jobs/listBitLockerKeys/action",
      "Microsoft.ImportExport/jobs/read",
      "Microsoft.ImportExport/jobs/write",
      "Microsoft.ImportExport/locations/read",
      "Microsoft.ImportExport/register/action",
    ]);
    for (const operation of operations) {
      assert.equal(operation.provider, "Microsoft Import/Export");
      assert.ok(operation.resource && operation.operation && operation.description);
    }
  });

  it("clients for api-version 2020-08-01 and 2016-11-01 work too", async () => {
    for (const version of ["2020-08-01", "2016-11-01"]) {
      const urls: string[] = [];
      const job = await sdk(customerToken, SUB, version).jobs.get("sdk-main", RG, {
        onResponse: (r) => void urls.push(r.request.url),
      });
      assert.equal(job.name, "sdk-main");
      assert.equal(job.properties?.state, "Shipping");
      assert.equal(new URL(urls[0]!).searchParams.get("api-version"), version);
    }
  });
});

describe("refusals through the SDK", () => {
  it("cancel in Shipping → 409 InvalidJobState", async () => {
    const error = await refusedWith(
      sdk().jobs.update("sdk-ship-2", RG, { cancelRequested: true }),
      409,
      "InvalidJobState",
    );
    assert.match(error.message, /Shipping/);
    assert.equal((await sdk().jobs.get("sdk-ship-2", RG)).properties?.state, "Shipping");
  });

  it("delete in Shipping → 409 InvalidJobState", async () => {
    const error = await refusedWith(sdk().jobs.delete("sdk-ship-2", RG), 409, "InvalidJobState");
    assert.match(error.message, /Shipping/);
    assert.equal((await sdk().jobs.get("sdk-ship-2", RG)).properties?.state, "Shipping");
  });

  it("get of a missing job → 404 ResourceNotFound", async () => {
    await refusedWith(sdk().jobs.get("no-such-job", RG), 404, "ResourceNotFound");
    await refusedWith(all(sdk().bitLockerKeys.list("no-such-job", RG)), 404, "ResourceNotFound");
  });

  it("a customer token on another subscription → 403 AuthorizationFailed, the same whether or not a job exists", async () => {
    // An admin makes a job in the other subscription; the customer must not learn it exists.
    await sdk(adminToken, OTHER_SUB).jobs.create(
      "theirs",
      RG,
      importJob("THEIRS-1", bitLockerKey(), OTHER_SUB),
    );
    const foreign = sdk(customerToken, OTHER_SUB);
    const existing = await refusedWith(foreign.jobs.get("theirs", RG), 403, "AuthorizationFailed");
    const missing = await refusedWith(foreign.jobs.get("not-theirs", RG), 403, "AuthorizationFailed");
    assert.equal(existing.message, missing.message);
    assert.ok(!existing.message.includes("theirs"));
    await refusedWith(all(foreign.bitLockerKeys.list("theirs", RG)), 403, "AuthorizationFailed");
    await refusedWith(foreign.jobs.delete("theirs", RG), 403, "AuthorizationFailed");
    await refusedWith(
      foreign.jobs.update("theirs", RG, { cancelRequested: true }),
      403,
      "AuthorizationFailed",
    );
    await refusedWith(
      foreign.jobs.create("mine-now", RG, importJob("X-1", bitLockerKey(), OTHER_SUB)),
      403,
      "AuthorizationFailed",
    );
    await refusedWith(all(foreign.jobs.listBySubscription()), 403, "AuthorizationFailed");
    await refusedWith(all(foreign.jobs.listByResourceGroup(RG)), 403, "AuthorizationFailed");
    // Untouched: the admin still sees it in Creating.
    assert.equal((await sdk(adminToken, OTHER_SUB).jobs.get("theirs", RG)).properties?.state, "Creating");
  });

  it("a bad token → 401", async () => {
    const client = sdk("snk_this-is-not-a-token");
    const error = await refusedWith(client.jobs.get("sdk-main", RG), 401, "InvalidAuthenticationToken");
    assert.ok(!error.message.includes("snk_this-is-not-a-token"));
    await refusedWith(all(sdk("garbage").locations.list()), 401, "InvalidAuthenticationToken");
  });

  it("probes and metrics answer over HTTPS without a token", async () => {
    const get = (path: string) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        https
          .get(new URL(path, server.url), { ca }, (response) => {
            let text = "";
            response.on("data", (chunk: Buffer) => (text += chunk.toString()));
            response.on("end", () => resolve({ status: response.statusCode!, text }));
          })
          .on("error", reject);
      });
    assert.equal((await get("/healthz")).status, 200);
    assert.equal((await get("/readyz")).status, 200);
    const metrics = await get("/metrics");
    assert.equal(metrics.status, 200);
    assert.match(metrics.text, /sneakernet_http_requests_total\{[^}]*status="200"/);
    assert.match(metrics.text, /sneakernet_http_requests_total\{[^}]*status="409"/);
  });
});
