/**
 * @module `sneakernet drive prepare|show` through the built bin: a dataset prepared into the driveList
 * entry (or spread over a driveset into an entry per drive), the same command resuming, `show` listing and verifying with the journal's key or --key, a
 * flipped bit named with exit 1, and usage errors that exit 2 on one line with nothing written.
 */

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import { EXIT } from "../../src/cli/output.js";
import { generateRecoveryPassword } from "../../src/transfer/drive/index.js";
import { ROOT, TMP } from "../support/db.js";
import { runCli } from "../support/server.js";
import { startProxy } from "../support/stream-proxy.js";
import { assertOneLineError, CliWorld } from "./cli-helpers.js";

const HEADER = "BasePath,DstBlobPathOrPrefix,BlobType,Disposition,MetadataFile,PropertiesFile";

function folder(label: string): string {
  const path = join(TMP, "cli-drive", `${label}-${randomUUID().slice(0, 8)}`);
  mkdirSync(path, { recursive: true });
  after(() => rmSync(path, { recursive: true, force: true }));
  return path;
}

/** `drive prepare`'s arguments, as a customer types them. */
function prepareArgs(dataset: string, drive: string, driveId: string, journal: string): string[] {
  return [
    "drive",
    "prepare",
    "--dataset",
    dataset,
    "--drive",
    drive,
    "--drive-id",
    driveId,
    "--journal",
    journal,
  ];
}

/** `drive prepare --driveset` over the setup's dataset and its driveset.csv. */
function setArgs(s: { dataset: string; root: string; journal: string }): string[] {
  return [
    "drive",
    "prepare",
    "--dataset",
    s.dataset,
    "--driveset",
    join(s.root, "driveset.csv"),
    "--journal",
    s.journal,
  ];
}

/** A dataset of a small tree and a single file, with the paths a prepare needs. */
function setup(label: string, rows = "tree/,photos/\nsingle.dat,docs/x/one.dat,,overwrite") {
  const root = folder(label);
  mkdirSync(join(root, "tree", "sub"), { recursive: true });
  writeFileSync(join(root, "tree", "a.bin"), randomBytes(70_000));
  writeFileSync(join(root, "tree", "sub", "b.txt"), "bee");
  writeFileSync(join(root, "single.dat"), randomBytes(1000));
  const dataset = join(root, "dataset.csv");
  writeFileSync(dataset, `${HEADER}\n${rows}\n`);
  const drive = join(root, "drive");
  const journal = join(root, "journal.json");
  const args = prepareArgs(dataset, drive, "WD-CLI0001", journal);
  return { root, dataset, drive, journal, args };
}

describe("drive --help", () => {
  it("each verb's help ends with examples of itself and exits 0", async () => {
    for (const verb of ["drive prepare", "drive show", "drive extract"]) {
      const { code, stdout } = await runCli([...verb.split(" "), "--help"]);
      assert.equal(code, 0);
      assert.match(stdout, new RegExp(`Usage: sneakernet ${verb}`));
      assert.ok(stdout.slice(stdout.indexOf("Examples:")).includes(`sneakernet ${verb}`), stdout);
    }
  });
});

describe("drive prepare and show", () => {
  it("prints the driveList entry, resumes as a no-op, and show lists and verifies with the journal or the key", async () => {
    const { drive, journal, args } = setup("prepare");
    const prepared = await runCli(args);
    assert.equal(prepared.code, EXIT.ok, prepared.stderr);
    const entry = JSON.parse(prepared.stdout) as Record<string, string>;
    assert.deepEqual(Object.keys(entry).sort(), [
      "bitLockerKey",
      "driveHeaderHash",
      "driveId",
      "manifestFile",
      "manifestHash",
    ]);
    assert.equal(entry.driveId, "WD-CLI0001");
    assert.match(entry.bitLockerKey!, /^\d{6}(-\d{6}){7}$/);
    assert.match(prepared.stderr, /^Writing 3\/3 files, 0\.1\/0\.1 MB/m);

    const again = await runCli(args);
    assert.equal(again.code, EXIT.ok, again.stderr);
    assert.deepEqual(JSON.parse(again.stdout), entry);

    const shown = await runCli(["drive", "show", drive, "--journal", journal, "--output", "json"]);
    assert.equal(shown.code, EXIT.ok, shown.stderr);
    const report = JSON.parse(shown.stdout) as {
      files: { container: string; blobName: string; size: number }[];
      bytes: number;
      verified: boolean;
      manifestHash: string;
      driveHeaderHash: string;
    };
    assert.equal(report.verified, true);
    assert.equal(report.manifestHash, entry.manifestHash);
    assert.equal(report.driveHeaderHash, entry.driveHeaderHash);
    assert.deepEqual(
      report.files.map((f) => `${f.container}/${f.blobName}:${f.size}`),
      ["photos/a.bin:70000", "photos/sub/b.txt:3", "docs/x/one.dat:1000"],
    );
    assert.equal(report.bytes, 71_003);

    const table = await runCli(["drive", "show", drive, "--key", entry.bitLockerKey!, "--output", "table"]);
    assert.equal(table.code, EXIT.ok, table.stderr);
    assert.match(table.stdout, /^Drive WD-CLI0001: 3 file\(s\), 71003 bytes, to docs, photos;/);
    assert.match(table.stdout, /^CONTAINER +BLOBNAME +SIZE/m);
    assert.match(table.stdout, /^photos +sub\/b\.txt +3 +BlockBlob +rename/m);
    assert.match(table.stdout, /^Verified:/m);

    const keyless = await runCli(["drive", "show", drive, "--output", "json"]);
    assert.equal(keyless.code, EXIT.ok);
    assert.deepEqual(JSON.parse(keyless.stdout), {
      driveId: "WD-CLI0001",
      driveHeaderHash: entry.driveHeaderHash,
    });

    assertOneLineError(
      await runCli(["drive", "show", drive, "--key", generateRecoveryPassword(), "--output", "json"]),
      EXIT.refused,
      /^error: BitLockerKeyInvalid: The key does not open drive/,
    );

    // One flipped bit in the first data file: show names it and exits 1.
    const data = join(
      drive,
      "sneakernet-data",
      "0000",
      readdirSync(join(drive, "sneakernet-data", "0000")).sort()[0]!,
    );
    const bytes = readFileSync(data);
    bytes[100]! ^= 1;
    writeFileSync(data, bytes);
    const broken = await runCli(["drive", "show", drive, "--journal", journal, "--output", "json"]);
    assert.equal(broken.code, EXIT.refused);
    assert.equal(JSON.parse(broken.stdout).verified, false);
    assert.match(broken.stderr, /^error: Corrupted: .*\(photos\/a\.bin, block 0\)$/m);
  });
});

describe("drive prepare and show: the Azure Files form", () => {
  it("prepares file share items from an ItemType file dataset, and show names them; a .. in a share path is a usage error", async () => {
    const { root, dataset, drive, journal, args } = setup("files");
    writeFileSync(
      dataset,
      "BasePath,DstItemPathOrPrefix,ItemType\ntree/,team-share/in/,file\nsingle.dat,team-share/one.dat,FILE\n",
    );
    const prepared = await runCli(args);
    assert.equal(prepared.code, EXIT.ok, prepared.stderr);
    const shown = await runCli(["drive", "show", drive, "--journal", journal, "--output", "json"]);
    assert.equal(shown.code, EXIT.ok, shown.stderr);
    const report = JSON.parse(shown.stdout) as {
      files: { itemType?: string; container: string; blobName: string }[];
    };
    assert.deepEqual(
      report.files.map((f) => `${f.itemType}:${f.container}/${f.blobName}`),
      ["file:team-share/in/a.bin", "file:team-share/in/sub/b.txt", "file:team-share/one.dat"],
    );
    const table = await runCli(["drive", "show", drive, "--journal", journal, "--output", "table"]);
    assert.equal(table.code, EXIT.ok, table.stderr);
    assert.match(table.stdout, /^ITEMTYPE +CONTAINER +BLOBNAME/m);
    assert.match(table.stdout, /^file +team-share +one\.dat +1000/m);

    writeFileSync(dataset, "BasePath,DstItemPathOrPrefix,ItemType\nsingle.dat,team-share/../x,file\n");
    const other = prepareArgs(dataset, join(root, "drive2"), "WD-CLI0002", join(root, "journal2.json"));
    assertOneLineError(
      await runCli(other),
      EXIT.usage,
      /^error: .*dataset\.csv line 2, column DstItemPathOrPrefix: '\.\.\/x' is not a file path in a share/,
    );
    assert.equal(existsSync(join(root, "drive2")), false, "nothing written");
  });
});

describe("drive prepare --driveset", () => {
  it("prints a driveList entry per drive; each drive verifies with the journal and holds its own share of the dataset", async () => {
    const s = setup("set");
    mkdirSync(join(s.root, "disk1"));
    mkdirSync(join(s.root, "disk2"));
    writeFileSync(join(s.root, "driveset.csv"), "Path,DriveId\ndisk1,WD-SET0001\ndisk2,WD-SET0002\n");
    const prepared = await runCli(setArgs(s));
    assert.equal(prepared.code, EXIT.ok, prepared.stderr);
    const entries = JSON.parse(prepared.stdout) as Record<string, string>[];
    assert.deepEqual(
      entries.map((e) => [e.driveId, Object.keys(e).sort().join(",")]),
      [
        ["WD-SET0001", "bitLockerKey,driveHeaderHash,driveId,manifestFile,manifestHash"],
        ["WD-SET0002", "bitLockerKey,driveHeaderHash,driveId,manifestFile,manifestHash"],
      ],
    );
    assert.match(prepared.stderr, /^Writing 3\/3 files, 0\.1\/0\.1 MB, [\d.]+ MB\/s/m);
    const files: string[] = [];
    for (const [i, disk] of ["disk1", "disk2"].entries()) {
      const shown = await runCli([
        "drive",
        "show",
        join(s.root, disk),
        "--journal",
        s.journal,
        "--output",
        "json",
      ]);
      assert.equal(shown.code, EXIT.ok, shown.stderr);
      const report = JSON.parse(shown.stdout) as {
        files: { container: string; blobName: string; size: number }[];
        verified: boolean;
        manifestHash: string;
      };
      assert.equal(report.verified, true);
      assert.equal(report.manifestHash, entries[i]!.manifestHash);
      assert.ok(report.files.length > 0, `${disk} holds files`);
      files.push(...report.files.map((f) => `${f.container}/${f.blobName}:${f.size}`));
    }
    assert.deepEqual(files.sort(), ["docs/x/one.dat:1000", "photos/a.bin:70000", "photos/sub/b.txt:3"]);

    const again = await runCli(setArgs(s));
    assert.equal(again.code, EXIT.ok, again.stderr);
    assert.deepEqual(JSON.parse(again.stdout), entries);
    assertOneLineError(
      await runCli(s.args),
      EXIT.usage,
      /^error: The journal .* was started with --driveset .*driveset\.csv: resume it with that --driveset, not --drive\.$/,
    );
  });
});

describe("drive prepare after kill -9", () => {
  it("the same command resumes from the journal to a drive that verifies, each file on it once", async () => {
    const FILES = 6000;
    const root = folder("kill");
    mkdirSync(join(root, "many"));
    // Enough files that a second of writing (when the journal is first recorded) is not all of them.
    for (let i = 0; i < FILES; i += 1) {
      writeFileSync(join(root, "many", `f${String(i).padStart(4, "0")}`), randomBytes(512));
    }
    const dataset = join(root, "dataset.csv");
    writeFileSync(dataset, `${HEADER}\nmany/,bulk/\n`);
    const drive = join(root, "drive");
    const journal = join(root, "journal.json");
    const args = prepareArgs(dataset, drive, "WD-KILL01", journal);
    const child = spawn(process.execPath, [join(ROOT, "dist/cli/main.js"), ...args], { stdio: "ignore" });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on("exit", (_code, signal) => resolve(signal)),
    );
    // Killed once the journal records some files (it is rewritten about once a second) but not all.
    let recorded = 0;
    while (child.exitCode === null && recorded === 0) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      try {
        recorded =
          (JSON.parse(readFileSync(journal, "utf8")) as { drives: { files: unknown[] }[] }).drives[0]?.files
            .length ?? 0;
      } catch {
        // Not there yet.
      }
    }
    child.kill("SIGKILL");
    assert.equal(
      await exited,
      "SIGKILL",
      "killed before it finished (make the dataset larger if this fails)",
    );
    assert.ok(recorded > 0 && recorded < FILES, `${recorded} recorded`);

    const resumed = await runCli(args);
    assert.equal(resumed.code, EXIT.ok, resumed.stderr);
    assert.match(resumed.stderr, /^Resuming: \d+ file\(s\) already written, per the journal\.$/m);
    const shown = await runCli(["drive", "show", drive, "--journal", journal, "--output", "json"]);
    assert.equal(shown.code, EXIT.ok, shown.stderr);
    const report = JSON.parse(shown.stdout) as { files: { blobName: string }[]; verified: boolean };
    assert.equal(report.verified, true);
    assert.equal(report.files.length, FILES);
    assert.equal(new Set(report.files.map((f) => f.blobName)).size, FILES);
    const dataFiles = readdirSync(join(drive, "sneakernet-data"), {
      recursive: true,
      withFileTypes: true,
    }).filter((e) => e.isFile());
    assert.equal(dataFiles.length, FILES, "no data file left over from the killed run");
  });
});

describe("drive usage errors exit 2 with one line, nothing written", () => {
  const cases: [string, (s: ReturnType<typeof setup>) => string[], RegExp, string?][] = [
    [
      "a missing --drive-id on a plain folder",
      (s) => s.args.filter((a, i) => a !== "--drive-id" && s.args[i - 1] !== "--drive-id"),
      /^error: --drive-id is required: .*drive is not the mount point of a disk whose serial number lsblk can read/,
    ],
    [
      "neither --drive nor --driveset",
      (s) => ["drive", "prepare", "--dataset", s.dataset, "--journal", s.journal],
      /give --drive \(one drive\) or --driveset \(several drives\)/,
    ],
    [
      "both --drive and --driveset",
      (s) => [...s.args, "--driveset", join(s.root, "driveset.csv")],
      /option '--drive <dir>' cannot be used with option '--driveset <file>'/,
    ],
    [
      "a driveset with another header",
      (s) => {
        writeFileSync(join(s.root, "driveset.csv"), "DriveLetter,FormatOption\nR,Format\n");
        return setArgs(s);
      },
      /^error: .*driveset\.csv line 1: the header is 'DriveLetter,FormatOption', not Path,DriveId/,
    ],
    [
      "a driveset naming one folder twice",
      (s) => {
        mkdirSync(s.drive);
        writeFileSync(join(s.root, "driveset.csv"), "Path,DriveId\ndrive,A1\ndrive/,A2\n");
        return setArgs(s);
      },
      /^error: .*driveset\.csv line 3, column Path: .*drive is already the drive of line 2/,
    ],
    [
      "a driveset path that is not a folder",
      (s) => {
        writeFileSync(join(s.root, "driveset.csv"), "Path,DriveId\nsingle.dat,A1\n");
        return setArgs(s);
      },
      /^error: .*driveset\.csv line 2, column Path: .*single\.dat is not a folder/,
    ],
    [
      "a driveset row without DriveId on a plain folder",
      (s) => {
        mkdirSync(s.drive);
        writeFileSync(join(s.root, "driveset.csv"), "Path,DriveId\ndrive,\n");
        return setArgs(s);
      },
      /^error: .*driveset\.csv line 2, column DriveId: empty, and .*drive is not the mount point of a disk/,
    ],
    [
      "a bad drive id",
      (s) => s.args.map((a) => (a === "WD-CLI0001" ? "bad id!" : a)),
      /^error: The drive id 'bad id!' is not valid/,
    ],
    [
      "a missing dataset",
      (s) => s.args.map((a) => (a === s.dataset ? join(s.root, "none.csv") : a)),
      /^error: The dataset .*none\.csv cannot be read/,
    ],
    [
      "a bad container",
      (s) => s.args,
      /^error: .*dataset\.csv line 2, column DstBlobPathOrPrefix: 'Photos' is not a container name/,
      "tree/,Photos/",
    ],
    [
      "a missing source",
      (s) => s.args,
      /^error: .*dataset\.csv line 2, column BasePath: .*gone\.bin does not exist/,
      "gone.bin,docs/gone.bin",
    ],
    [
      "a missing metadata file",
      (s) => s.args,
      /column MetadataFile: .*m\.xml does not exist/,
      "single.dat,docs/a,,,m.xml",
    ],
    [
      "a non-empty drive folder",
      (s) => {
        mkdirSync(s.drive);
        writeFileSync(join(s.drive, "mine.txt"), "x");
        return s.args;
      },
      /^error: .*drive is not empty and is not a drive of the journal/,
    ],
  ];
  for (const [name, argsOf, message, rows] of cases) {
    it(name, async () => {
      const s = setup(name.replaceAll(" ", "-"), rows);
      const result = await runCli(argsOf(s));
      assertOneLineError(result, EXIT.usage, message);
      assert.equal(result.stdout, "");
      assert.equal(existsSync(s.journal), false, "no journal");
      assert.ok(
        !existsSync(s.drive) || readdirSync(s.drive).every((n) => n === "mine.txt"),
        "nothing on the drive",
      );
    });
  }

  it("show: both --journal and --key, a malformed --key, a bad --output", async () => {
    const s = setup("show-usage");
    const key = "123456-123456-123456-123456-123456-123456-123456-123456";
    assertOneLineError(
      await runCli(["drive", "show", s.drive, "--journal", s.journal, "--key", key]),
      EXIT.usage,
      /give --journal or --key, not both/,
    );
    assertOneLineError(
      await runCli(["drive", "show", s.drive, "--key", "12345"]),
      EXIT.usage,
      /--key: This is not a drive recovery password: it has 5 digits/,
    );
    assertOneLineError(
      await runCli(["drive", "show", s.drive, "--output", "xml"]),
      EXIT.usage,
      /--output must be 'table' or 'json'/,
    );
    assertOneLineError(await runCli(["drive", "show", s.drive]), EXIT.refused, /^error: DriveHeader/);
  });
});

/** `job create NAME` of an import job in rg1 to devstoreaccount1, then `more` (its drives, its address). */
const importJob = (name: string, ...more: string[]) => [
  "job",
  "create",
  name,
  "-g",
  "rg1",
  "--location",
  "westus",
  "--type",
  "Import",
  "--storage-account",
  "devstoreaccount1",
  ...more,
];

describe("job create and update --journal", () => {
  const w = new CliWorld();
  before(() => w.start({ customer: "customer" }));
  after(() => w.stop());

  it("fills driveList from the journal's finished drives, with --drive beside it; an unfinished drive is a usage error", async () => {
    const { args, journal } = setup("job");
    const prepared = await runCli(args);
    assert.equal(prepared.code, EXIT.ok, prepared.stderr);
    const entry = JSON.parse(prepared.stdout) as Record<string, string>;
    const other = "111111-222222-333333-444444-555555-666666-777777-888888";
    const create = (name: string, path: string) =>
      importJob(name, "--drive", `OTHER1=${other}`, "--journal", path);
    const created = await w.json<{ properties: { driveList: Record<string, unknown>[] } }>(
      create("from-journal", journal),
    );
    const listed = created.properties.driveList.find((d) => d.driveId === "WD-CLI0001")!;
    assert.ok(listed, JSON.stringify(created.properties.driveList));
    assert.equal(listed.manifestFile, entry.manifestFile);
    assert.equal(listed.manifestHash, entry.manifestHash);
    assert.equal(listed.driveHeaderHash, entry.driveHeaderHash);
    assert.deepEqual(
      created.properties.driveList.map((d) => d.driveId),
      ["OTHER1", "WD-CLI0001"],
    );
    const keys = await w.json<{ driveId: string; bitLockerKey: string }[]>([
      "job",
      "keys",
      "from-journal",
      "-g",
      "rg1",
    ]);
    assert.equal(keys.find((k) => k.driveId === "WD-CLI0001")?.bitLockerKey, entry.bitLockerKey);

    const unfinished = JSON.parse(readFileSync(journal, "utf8")) as { drives: Record<string, unknown>[] };
    delete unfinished.drives[0]!.finished;
    const halfway = join(journal, "..", "halfway.json");
    writeFileSync(halfway, JSON.stringify(unfinished));
    assertOneLineError(
      await w.cli(create("half", halfway)),
      EXIT.usage,
      /--journal: drive WD-CLI0001 is not finished: run the same sneakernet drive prepare again/,
    );
    assertOneLineError(
      await w.cli(create("none", join(journal, "..", "none.json"))),
      EXIT.usage,
      /--journal: .*none\.json does not exist/,
    );
  });
  it("update --journal adds the journal's drives the job lacks, keeping the drives and keys it has; twice adds nothing; past Creating the server refuses", async () => {
    const a = setup("update-a");
    const b = setup("update-b");
    const entries: Record<string, string>[] = [];
    for (const [s, id] of [
      [a, "WD-UPD0001"],
      [b, "WD-UPD0002"],
    ] as const) {
      const prepared = await runCli(prepareArgs(s.dataset, s.drive, id, s.journal));
      assert.equal(prepared.code, EXIT.ok, prepared.stderr);
      entries.push(JSON.parse(prepared.stdout) as Record<string, string>);
    }
    const hashes = (d: Record<string, unknown>) => [
      d.driveId,
      d.manifestFile,
      d.manifestHash,
      d.driveHeaderHash,
    ];
    type Listed = { properties: { state: string; driveList: Record<string, unknown>[] } };
    await w.json([
      ...importJob("grow"),
      "--journal",
      a.journal,
      "--return-address",
      w.addressFile,
      "--return-carrier",
      "FedEx",
      "--return-account",
      "989ffff",
    ]);
    const update = (journal: string) => ["job", "update", "grow", "-g", "rg1", "--journal", journal];
    const updated = await w.json<Listed>(update(b.journal));
    assert.deepEqual(updated.properties.driveList.map(hashes), entries.map(hashes));
    const keys = await w.json<{ driveId: string; bitLockerKey: string }[]>([
      "job",
      "keys",
      "grow",
      "-g",
      "rg1",
    ]);
    assert.deepEqual(
      keys.map((k) => [k.driveId, k.bitLockerKey]).sort(),
      entries.map((e) => [e.driveId, e.bitLockerKey]),
    );

    // Again (or with a journal whose drives are all listed): nothing added, said on stderr, exit 0.
    const again = await w.cli([...update(b.journal), "--output", "json"]);
    assert.equal(again.code, EXIT.ok, again.stderr);
    assert.match(again.stderr, /Every drive of .*journal\.json is already in the job: none added\./);
    assert.deepEqual(
      (JSON.parse(again.stdout) as Listed).properties.driveList.map(hashes),
      entries.map(hashes),
    );

    // Past Creating a new drive is the server's refusal, as any drive list change is.
    const shipped = await w.json<Listed>([
      "job",
      "ship",
      "grow",
      "-g",
      "rg1",
      "--carrier",
      "FedEx",
      "--tracking",
      "781234567890",
    ]);
    assert.equal(shipped.properties.state, "Shipping");
    const third = JSON.parse(readFileSync(b.journal, "utf8")) as { drives: Record<string, unknown>[] };
    third.drives[0]!.driveId = "WD-UPD0003";
    third.drives[0]!.bitLockerKey = generateRecoveryPassword();
    const late = join(b.root, "late.json");
    writeFileSync(late, JSON.stringify(third));
    assertOneLineError(await w.cli(update(late)), EXIT.refused, /^error: PropertyChangeNotAllowed: /);
    const kept = await w.json<{ driveId: string; bitLockerKey: string }[]>([
      "job",
      "keys",
      "grow",
      "-g",
      "rg1",
    ]);
    assert.deepEqual(kept, keys);
  });

  it("update --journal sends the grown drive list only if the job is still as read: a change made meanwhile is kept, one line, exit 1", async () => {
    const s = setup("update-race");
    const prepared = await runCli(prepareArgs(s.dataset, s.drive, "WD-RACE0001", s.journal));
    assert.equal(prepared.code, EXIT.ok, prepared.stderr);
    await w.json(importJob("race", "--drive", `OTHER3=${generateRecoveryPassword()}`));
    // A proxy that, when the CLI's PATCH arrives, first lets someone else change the job, then passes it on.
    let raced = false;
    const proxy = await startProxy(
      w.server.url,
      (_request, answer, response) => answer.pipe(response),
      (request, response) => {
        if (request.method !== "PATCH" || raced) {
          return false;
        }
        raced = true;
        const chunks: Buffer[] = [];
        request.on("data", (chunk: Buffer) => chunks.push(chunk));
        request.on("end", () => {
          void (async () => {
            const meanwhile = await w.cli(["job", "update", "race", "-g", "rg1", "--log-level", "Verbose"]);
            assert.equal(meanwhile.code, EXIT.ok, meanwhile.stderr);
            const pick = ["authorization", "content-type", "accept", "if-match"];
            const headers = Object.fromEntries(
              pick.flatMap((h) => (typeof request.headers[h] === "string" ? [[h, request.headers[h]]] : [])),
            );
            const passed = await fetch(new URL(request.url ?? "/", w.server.url), {
              method: "PATCH",
              headers,
              body: Buffer.concat(chunks),
            });
            response.writeHead(passed.status, { "content-type": passed.headers.get("content-type") ?? "" });
            response.end(Buffer.from(await passed.arrayBuffer()));
          })();
        });
        return true;
      },
    );
    after(() => proxy.close());
    const result = await w.spawn(
      ["job", "update", "race", "-g", "rg1", "--journal", s.journal],
      "customer",
      proxy.url,
    ).done;
    assert.ok(raced, "the PATCH went through the proxy");
    assertOneLineError(
      result,
      EXIT.refused,
      /Job 'race' changed while its drives were being added; nothing was changed/,
    );
    const job = await w.json<{ properties: { logLevel: string; driveList: { driveId: string }[] } }>([
      "job",
      "show",
      "race",
      "-g",
      "rg1",
    ]);
    assert.equal(job.properties.logLevel, "Verbose", "the change made meanwhile is kept");
    assert.deepEqual(
      job.properties.driveList.map((d) => d.driveId),
      ["OTHER3"],
    );
  });
});
