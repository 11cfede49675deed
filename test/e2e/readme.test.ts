/**
 * @module Every shell block of README.md, in the README's order, pasted into one bash session against a
 * real server on one data dir, as a newcomer would; then what each block printed, held to what the
 * README says of it.
 */

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import { DEV_ACCOUNT_KEY } from "../../src/serve/azurite.js";
import { DEMO_SUBSCRIPTION } from "../../src/wire/ids.js";
import { ROOT, TMP } from "../support/db.js";
import {
  type ProcessResult,
  type ServerProcess,
  startProcess,
  startServerProcess,
} from "../support/server.js";

/**
 * A shell block of the README, and what the comment just above it tells this test:
 * `<!-- readme-test: skip: why -->` (not run: `npm start`, `npm test`), `<!-- readme-test: follow -->`
 * (a stream that runs until Ctrl-C: stopped after a few seconds, as a reader would), or
 * `<!-- readme-test: expect-error: Code -->` (the README announces that error just before the block).
 */
interface Block {
  line: number;
  text: string;
  mark:
    | { kind: "run" }
    | { kind: "skip"; why: string }
    | { kind: "follow" }
    | { kind: "expect-error"; code: string };
}

function readmeBlocks(readme: string): Block[] {
  const lines = readme.split("\n");
  const blocks: Block[] = [];
  let mark: Block["mark"] = { kind: "run" };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const comment = /^<!-- readme-test: (skip|follow|expect-error)(?::\s*(.*?))? -->$/.exec(line);
    if (comment) {
      const [, kind, detail = ""] = comment;
      mark =
        kind === "skip"
          ? { kind, why: detail }
          : kind === "expect-error"
            ? { kind, code: detail }
            : { kind: "follow" };
      continue;
    }
    if (line === "```sh") {
      const start = i + 1;
      const end = lines.indexOf("```", start);
      assert.ok(end > start, `README.md:${start}: an unclosed block`);
      blocks.push({ line: start, text: lines.slice(start, end).join("\n"), mark });
      mark = { kind: "run" };
      i = end;
    } else if (line.trim() !== "" && mark.kind !== "run") {
      assert.fail(`README.md:${i + 1}: a readme-test comment must come just before its block`);
    }
  }
  return blocks;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

const FOLLOW_SECONDS = 3;
const dir = join(TMP, `readme-${process.pid}`);
const home = join(dir, "home"); // the reader's folder: a checkout as `npm ci` leaves it
const readme = readFileSync(join(ROOT, "README.md"), "utf8");
const blocks = readmeBlocks(readme);
let server: ServerProcess;
let result: ProcessResult;
/** What each run block printed (stdout and stderr, in order), by the block's index in `blocks`. */
const printed = new Map<number, string>();

/** The blocks as one bash session; the README's ports replaced with free ones, nothing else changed. */
function session(port: number, tlsPort: number, blobPort: number): string {
  const script = [
    "set -m   # jobs in their own process groups, as in an interactive terminal (`kill %%`)",
    "set -a   # variables exported, so a followed stream, run under `timeout`, sees them",
    "set -euo pipefail",
    "exec 2>&1",
    // A block that fails before its `kill %%` must not leave its server running after the test.
    "trap 'for job in $(jobs -p); do kill -- -$job 2> /dev/null || true; done' EXIT",
  ];
  blocks.forEach((block, index) => {
    if (block.mark.kind === "skip") {
      return;
    }
    const text = block.text
      .replaceAll("127.0.0.1:8080", `127.0.0.1:${port}`)
      .replaceAll("8443", String(tlsPort))
      .replaceAll("127.0.0.1:10000", `127.0.0.1:${blobPort}`);
    script.push(`echo "@@block ${index}"`);
    if (block.mark.kind === "follow") {
      const file = join(dir, `follow-${index}.sh`);
      writeFileSync(file, `set -eu\n${text}\n`);
      // Ctrl-C after a few seconds, as the README tells the reader; timeout's own status is 124.
      script.push(`timeout -s INT ${FOLLOW_SECONDS} bash ${file} || [ $? -eq 124 ]`);
    } else {
      script.push(text);
    }
  });
  script.push('echo "@@end"');
  return script.join("\n");
}

function output(block: Block): string {
  const text = printed.get(blocks.indexOf(block));
  assert.ok(text !== undefined, `README.md:${block.line}: the block ran`);
  return text;
}

function blockWith(fragment: string): Block {
  const found = blocks.find((b) => b.text.includes(fragment));
  assert.ok(found, `README.md has a block with ${fragment}`);
  return found;
}

describe("README.md, every block pasted in order", () => {
  before(async () => {
    mkdirSync(join(home, "node_modules", ".bin"), { recursive: true });
    mkdirSync(join(dir, "bin"), { recursive: true });
    // The checkout's packages, for the SDK example (which imports from this folder).
    for (const entry of readdirSync(join(ROOT, "node_modules"))) {
      if (entry !== ".bin") {
        symlinkSync(join(ROOT, "node_modules", entry), join(home, "node_modules", entry));
      }
    }
    // `npx sneakernet …` in a checkout runs the package's own bin: the same thing, without npx's start-up.
    writeFileSync(
      join(dir, "bin", "npx"),
      `#!/bin/sh\n[ "$1" = sneakernet ] && shift\nexec "${process.execPath}" "${join(ROOT, "dist/cli/main.js")}" "$@"\n`,
    );
    chmodSync(join(dir, "bin", "npx"), 0o755);

    const [port, tlsPort, blobPort] = [await freePort(), await freePort(), await freePort()];
    const env = {
      PATH: `${join(dir, "bin")}:${process.env.PATH ?? ""}`,
      // The reader's shell has none of the test run's settings: ./data, not the suite's PostgreSQL.
      DATABASE_URL: undefined,
      SNEAKERNET_DATA_DIR: undefined,
      SNEAKERNET_TOKEN: undefined,
      NODE_EXTRA_CA_CERTS: undefined,
    };
    // What `npm start` runs, in the reader's folder, on the README's ports (replaced by free ones): the
    // embedded blob endpoint too.
    server = await startServerProcess(
      ["--port", String(port), "--azurite-port", String(blobPort)],
      { ...env, SNEAKERNET_AZURITE: "1", SNEAKERNET_STATION: "1" },
      { cwd: home },
    );
    assert.equal(server.blobEndpoint, `http://127.0.0.1:${blobPort}/devstoreaccount1`, server.output());
    const script = join(dir, "readme.sh");
    writeFileSync(script, session(port, tlsPort, blobPort));
    result = await startProcess("bash", [script], {
      cwd: home,
      // The CLI's default endpoint is the README's port; the free one is given as its variable.
      env: { ...env, SNEAKERNET_ENDPOINT: server.url },
    }).done;
    // Kept for a person to read what a newcomer would have seen (test-results/ is git-ignored).
    mkdirSync(join(ROOT, "test-results"), { recursive: true });
    writeFileSync(join(ROOT, "test-results", "readme-transcript.txt"), result.stdout);
    const parts = result.stdout.split(/@@block (\d+)\n/);
    for (let i = 1; i < parts.length; i += 2) {
      printed.set(Number(parts[i]), parts[i + 1]!);
    }
  });

  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs every block to its end, and skips only the server and the test suite", () => {
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /^@@end$/m, result.stdout);
    const skipped = blocks.filter((b) => b.mark.kind === "skip");
    assert.deepEqual(
      skipped.map((b) => b.text.split("\n").every((line) => /^npm ci && npm (start|test)\b/.test(line))),
      skipped.map(() => true),
      "only `npm ci && npm start|test` is left to the test itself",
    );
    assert.ok(blocks.length - skipped.length >= 15, `${blocks.length} blocks`);
  });

  it("prints no error that the README does not announce just before its block", () => {
    for (const block of blocks.filter((b) => b.mark.kind !== "skip")) {
      const text = output(block);
      const errors = [...text.matchAll(/"error":\s*\{\s*"code":\s*"(\w+)"|^error: (\w+)/gm)].map(
        (m) => m[1] ?? m[2],
      );
      const announced = block.mark.kind === "expect-error" ? [block.mark.code] : [];
      assert.deepEqual(errors, announced, `README.md:${block.line} printed:\n${text}`);
      assert.doesNotMatch(
        text,
        /command not found|No such file|Terminated|undefined/,
        `README.md:${block.line}`,
      );
    }
  });

  it("ends every answer with a newline, so no two run together", () => {
    assert.doesNotMatch(result.stdout, /[^\n]@@(block|end)/, "a block's last answer has its newline");
    for (const block of blocks.filter((b) => b.mark.kind === "run")) {
      assert.doesNotMatch(output(block), /\}\{|\]\{|\}\[/, `README.md:${block.line}`);
    }
  });

  it("creates job1 and job2, ships, cancels and deletes them as the API examples say", () => {
    assert.match(output(blockWith(`"$JOBS/job1?$V" -d '{`)), /"state":\s*"Creating"/);
    assert.match(output(blockWith(`"$JOBS/job2?$V" -d '{`)), /"jobType":\s*"Export"/);
    assert.match(output(blockWith('"state": "Shipping"')), /"state":\s*"Shipping"/);
    assert.match(output(blockWith('"cancelRequested": true')), /"state":\s*"Canceled"/);
    assert.match(output(blockWith(`-X DELETE -H "$H" "$JOBS/job2`)), /^200$/m);
    assert.match(output(blockWith("packages/receive")), /"Received"/);
  });

  it("follows the job's events from the first one", () => {
    for (const block of blocks.filter((b) => b.mark.kind === "follow")) {
      const text = output(block);
      assert.match(text, /^event: state$/m, `README.md:${block.line}`);
      assert.match(text, /"to":\s*"Shipping"/, `README.md:${block.line}`);
    }
  });

  it("runs the SDK example over HTTPS and prints the job's state from its properties", () => {
    const text = output(blockWith("node --input-type=module"));
    // Here job1 has been shipped; its package is received in the next section.
    assert.match(text, /^job1 Shipping Import$/m, text);
    assert.match(text, /^job1 Shipping \[ '9CA995BB' \]$/m, text);
    assert.match(text, /^West US \S+ \[.*'FedEx'/m, "the location's city and carriers");
  });

  it("takes the CLI walkthrough to Completed, then sees the job swept away", () => {
    const walkthrough = output(blockWith("npx sneakernet job create photos"));
    assert.match(walkthrough, /Completed/, "job show says Completed");
    assert.match(walkthrough, /ShippedBack/, "and the drive ShippedBack");
    assert.match(
      output(blockWith("lifecycle sweep --now $(date")),
      /error: ResourceNotFound: [^\n]*\nswept away\s*$/,
    );
  });

  it("prepares an encrypted drive, verifies it, and creates its job from the journal", () => {
    const text = output(blockWith("npx sneakernet drive prepare"));
    assert.match(text, /"driveId":\s*"WD-WMATV123456"[\s\S]*"manifestHash":\s*"[0-9A-F]{32}"/, text);
    assert.match(text, /^docs +notes\.txt +5 /m, "drive show lists what the drive holds");
    assert.match(text, /"name":\s*"holiday"[\s\S]*"driveId":\s*"WD-WMATV123456"/, "the job lists the drive");
  });

  it("copies the drive moved into data/bays/ into the embedded blob endpoint: Packaging, every blob with its bytes, Content-MD5 and metadata", () => {
    const watched = output(blockWith("mv $D/disk1 data/bays/bay-1"));
    assert.match(watched, /"to":\s*"Packaging"/, watched);
    assert.match(watched, /WD-WMATV123456\s+Completed\s+Completed\s+100/, "job show: the drive copied");
    const md5 = (text: string) => createHash("md5").update(text).digest("base64");
    // The drive's error log, read by the service from the embedded account: nothing failed, no blob in it.
    assert.match(
      output(blockWith("job logs holiday")),
      /^drive WD-WMATV123456 \(Completed\): error log, Completed; 0 blobs$/m,
    );
    const listed = output(blockWith("listBlobsFlat"));
    assert.equal(
      listed,
      `photos/2024/sunrise.raw 7 bytes, Content-MD5 ${md5("sunrise")} {"Project":"Apollo"}\n` +
        `docs/notes.txt 5 bytes, Content-MD5 ${md5("notes")} {}\n`,
    );
  });

  it("exports the uploaded archive onto two drives filled in order, ships them back, and extracts it exactly", () => {
    const preview = output(blockWith("drive preview-export"));
    assert.match(preview, /^Exportable: 4 blob\(s\)/m, preview);
    assert.match(preview, /^Drives of 3 MB needed: 2\.$/m, preview);
    const shown = output(blockWith("npx sneakernet job create backup"));
    assert.match(shown, /"to":\s*"Packaging"/, shown);
    assert.match(shown, /EXP-0001\s+ShippedBack/, shown);
    assert.match(shown, /EXP-0002\s+ShippedBack/, shown);
    assert.match(shown, /\bCompleted\b/, shown);
    const extracted = output(blockWith("drive extract data/bays/EXP-0001"));
    assert.match(extracted, /^the archive, exactly$/m, extracted);
    assert.match(extracted, /^first draft$/m, "the snapshot, beside the blob");
  });

  it("shows devstoreaccount1 registered at the embedded blob endpoint, with the well-known key", () => {
    const text = output(blockWith("npx sneakernet admin storage-account list"));
    // After the token's note (stderr, which the session merges): the list, as JSON when piped.
    const accounts = JSON.parse(text.slice(text.search(/^\[/m))) as {
      name: string;
      blobEndpoint: string;
      credential?: object;
    }[];
    assert.deepEqual(
      accounts.find((a) => a.name === "devstoreaccount1"),
      {
        name: "devstoreaccount1",
        blobEndpoint: server.blobEndpoint,
        credential: { type: "accountKey", hint: `…${DEV_ACCOUNT_KEY.slice(-4)}` },
      },
      text,
    );
  });

  it("writes nothing into the reader's folder but ./data (the checkout stays clean for npm test)", () => {
    assert.deepEqual(readdirSync(home).sort(), ["data", "node_modules"]);
  });

  it("uses one documented subscription everywhere: README, start banner, sign-in page", () => {
    assert.match(server.output(), new RegExp(`--subscription ${DEMO_SUBSCRIPTION}\\n`));
    const subscriptions = new Set(
      readme.match(/\b[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}\b/g),
    );
    subscriptions.delete("0e7d3c55-8f0a-4b7e-9d61-3c2a1b0f9e84"); // the second one of a two-subscription token
    assert.deepEqual([...subscriptions], [DEMO_SUBSCRIPTION]);
    assert.match(readFileSync(join(ROOT, "web/src/pages/SignIn.tsx"), "utf8"), new RegExp(DEMO_SUBSCRIPTION));
  });
});
