/**
 * @module `serve --no-azurite` copying into a storage account registered as remote: an Azurite of the test's
 * own, its second account registered by connection string, by account key and by account SAS in turn; each
 * time a drive made with `drive prepare` goes through the CLI (job from the journal, ship, receive), into a
 * bay of serve's embedded station, to Packaging, and every blob is read back from that account and compared.
 */

import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";

import { accountSas } from "../../src/transfer/blob/sas.js";
import { SECOND_ACCOUNT, startTestAzurite } from "../support/azurite.js";
import { assertExact, readBack } from "../support/blobs.js";
import { TMP } from "../support/db.js";
import { RETURN_ADDRESS } from "../support/fixtures.js";
import { runCli, startServerProcess } from "../support/server.js";
import { withDeadline } from "../support/wait.js";

const azurite = await startTestAzurite("remote-account");
const SUB = randomUUID();
const ACCOUNT = SECOND_ACCOUNT.name;
const work = join(TMP, `e2e-remote-${randomUUID().slice(0, 8)}`);
const dataDir = join(work, "data");
mkdirSync(work, { recursive: true });
after(() => rmSync(work, { recursive: true, force: true }));
const returnAddress = join(work, "return-address.json");
writeFileSync(returnAddress, JSON.stringify(RETURN_ADDRESS));

// No embedded Azurite: the only storage is the account registered below, as a remote one would be.
const server = await startServerProcess(["--data-dir", dataDir, "--no-azurite"], { SNEAKERNET_STATION: "1" });
after(() => server.stop());

/** `sneakernet <args>` against the server; its stdout, or the test fails with its stderr. */
async function cli(...args: string[]): Promise<string> {
  const done = await withDeadline(
    runCli(args, { SNEAKERNET_ENDPOINT: server.url }),
    120_000,
    `sneakernet ${args.slice(0, 2).join(" ")}`,
  );
  assert.equal(done.code, 0, `sneakernet ${args.join(" ")}:\n${done.stderr}${done.stdout}`);
  return done.stdout;
}

const tokenOf = async (...args: string[]) =>
  (await cli("token", "create", ...args, "--data-dir", dataDir)).trim();
const [admin, customer, operator] = [
  await tokenOf("--role", "admin", "--name", "root"),
  await tokenOf("--role", "customer", "--subscription", SUB),
  await tokenOf("--role", "operator", "--name", "alice"),
];

const endpoint = azurite.endpoint(ACCOUNT);
/** Each credential kind: how `admin storage-account set` takes it, and its type in the registry. */
const CREDENTIALS: [string, string[]][] = [
  [
    "connectionString",
    [
      "--connection-string",
      `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${SECOND_ACCOUNT.key};BlobEndpoint=${endpoint};`,
    ],
  ],
  ["accountKey", ["--blob-endpoint", endpoint, "--account-key", SECOND_ACCOUNT.key]],
  // What an account owner hands out: an account SAS over the blob service (racwdl, sco), for a day.
  [
    "sas",
    [
      "--blob-endpoint",
      endpoint,
      "--sas",
      accountSas(endpoint, ACCOUNT, SECOND_ACCOUNT.key, new Date(), new Date(Date.now() + 24 * 3600_000)).sas,
    ],
  ],
];

describe("serve --no-azurite copies into a registered remote account", () => {
  let n = 0;
  for (const [kind, credential] of CREDENTIALS) {
    it(`registered by ${kind}: the drive reaches Packaging, every blob in that account with its bytes and Content-MD5`, async () => {
      n += 1;
      const name = `remote${n}`;
      const container = `via${n}`;
      // The registration replaces the previous one: this job's claim is granted from this credential.
      const which = [ACCOUNT, "--subscription", SUB, "--token", admin];
      await cli("admin", "storage-account", "set", ...which, ...credential);
      const registered = JSON.parse(
        await cli("admin", "storage-account", "show", ...which, "--output", "json"),
      ) as { blobEndpoint: string; credential?: { type: string } };
      assert.deepEqual([registered.blobEndpoint, registered.credential?.type], [endpoint, kind]);

      const files = new Map<string, Buffer>([
        ["big.bin", randomBytes(2 * 1024 * 1024 + 17)],
        ["nested/small.txt", Buffer.from(`small ${kind}`)],
        ["nested/empty.txt", Buffer.alloc(0)],
      ]);
      const source = join(work, name);
      for (const [file, data] of files) {
        mkdirSync(join(source, "tree", file, ".."), { recursive: true });
        writeFileSync(join(source, "tree", file), data);
      }
      writeFileSync(
        join(source, "dataset.csv"),
        `BasePath,DstBlobPathOrPrefix,BlobType,Disposition,MetadataFile,PropertiesFile\ntree/,${container}/,,rename,,\n`,
      );
      const driveId = `REMOTE${n}${randomBytes(3).toString("hex").toUpperCase()}`;
      const drive = join(source, "drive");
      const journal = join(source, "journal.json");
      await cli(
        "drive",
        "prepare",
        "--dataset",
        join(source, "dataset.csv"),
        "--drive",
        drive,
        "--drive-id",
        driveId,
        "--journal",
        journal,
      );

      const job = [name, "-g", "rg1", "--token", customer];
      await cli(
        "job",
        "create",
        ...job,
        "--location",
        "West US",
        "--type",
        "Import",
        "--storage-account",
        ACCOUNT,
        "--journal",
        journal,
        "--return-address",
        returnAddress,
      );
      await cli("job", "ship", ...job, "--carrier", "FedEx", "--tracking", `T-${name}`);
      await cli(
        "ops",
        "package",
        "receive",
        "--carrier",
        "FedEx",
        "--tracking",
        `T-${name}`,
        "--drive",
        driveId,
        "--token",
        operator,
      );
      renameSync(drive, join(dataDir, "bays", `bay-${n}`));
      const watched = await cli("job", "watch", ...job, "--until", "Packaging", "--output", "json");
      assert.match(watched, /"to":\s*"Packaging"/, watched);

      assertExact(await readBack(azurite.service(ACCOUNT), container), files);
      const shown = JSON.parse(await cli("job", "show", ...job, "--output", "json")) as {
        properties: { driveList: { state: string; percentComplete: number; errorLogUri?: string }[] };
      };
      const [copied] = shown.properties.driveList;
      assert.equal(copied?.state, "Completed");
      assert.equal(copied?.percentComplete, 100);
      assert.ok(copied?.errorLogUri?.startsWith(`${endpoint}/waimportexport/`), copied?.errorLogUri);
      const secret = credential.at(-1)!;
      const signature = new URLSearchParams(secret).get("sig");
      for (const kept of [SECOND_ACCOUNT.key, ...(signature ? [signature] : [])]) {
        assert.ok(!server.output().includes(kept), "no secret in serve's output");
      }
    });
  }
});
