/** @module The README's quick start, as a newcomer runs it: the real bin, a CLI token, curl-like requests. */

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import { jobsPath } from "../../src/wire/ids.js";
import { withVersion } from "../support/customer-api.js";
import { TMP } from "../support/db.js";
import { RETURN_ADDRESS, storageAccount } from "../support/fixtures.js";
import { runCli, type ServerProcess, startServerProcess } from "../support/server.js";

const SUB = randomUUID();
const dataDir = join(TMP, `quickstart-${randomUUID()}`);
let server: ServerProcess;
let token: string;

function api(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${server.url}${withVersion(path)}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...init.headers },
  });
}

const jobs = jobsPath(SUB, "rg1");

describe("quick start: serve on embedded defaults, then create, read, list and update a job", () => {
  before(async () => {
    mkdirSync(dataDir, { recursive: true });
    // The token is made offline, before the server starts, as the README shows.
    const created = await runCli([
      "token",
      "create",
      "--role",
      "customer",
      "--subscription",
      SUB,
      "--data-dir",
      dataDir,
    ]);
    assert.equal(created.code, 0, created.stderr);
    token = created.stdout.trim();
    assert.match(token, /^snk_[\w-]{40,}$/, "the token alone on stdout");
    server = await startServerProcess(["--data-dir", dataDir]);
  });

  after(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("prints where it listens and how to get a token, and keeps its master key private", () => {
    assert.match(server.output(), /listening on http:\/\/127\.0\.0\.1:\d+/);
    assert.match(server.output(), /sneakernet token create --role customer --subscription [0-9a-f-]{36}/);
    assert.equal(statSync(join(dataDir, "master.key")).mode & 0o777, 0o600);
  });

  it("creates, reads, lists and updates a job", async () => {
    const put = await api(`${jobs}/job1`, {
      method: "PUT",
      body: JSON.stringify({
        location: "West US",
        properties: {
          storageAccountId: storageAccount(SUB, "rg1"),
          jobType: "Import",
          returnAddress: RETURN_ADDRESS,
          driveList: [
            { driveId: "9CA995BB", bitLockerKey: "238810-662376-448998-450120-652806-203390-606320-483076" },
          ],
        },
      }),
    });
    assert.equal(put.status, 201, await put.clone().text());

    const get = await api(`${jobs}/job1`);
    assert.equal(get.status, 200);
    const job = (await get.json()) as { properties: { state: string; driveList: object[] } };
    assert.equal(job.properties.state, "Creating");
    assert.equal(JSON.stringify(job).includes("238810-662376"), false, "no drive key in a job");

    const list = await api(jobsPath(SUB));
    const listed = (await list.json()) as { value: { name: string }[] };
    assert.deepEqual(
      listed.value.map((j) => j.name),
      ["job1"],
    );

    const patch = await api(`${jobs}/job1`, {
      method: "PATCH",
      body: JSON.stringify({
        properties: {
          state: "Shipping",
          deliveryPackage: { carrierName: "FedEx", trackingNumber: "781234567890" },
        },
      }),
    });
    assert.equal(patch.status, 200, await patch.clone().text());
    assert.equal(((await patch.json()) as { properties: { state: string } }).properties.state, "Shipping");
  });

  it("stops cleanly on SIGTERM (what Ctrl-C sends as SIGINT does the same)", async () => {
    const code = await server.stop();
    assert.equal(code, 0, server.output());
  });
});
