/** @module The README's "day at the data center" walkthrough, run verbatim with bash against a real server. */

import assert from "node:assert/strict";
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import { ROOT, TMP } from "../support/db.js";
import { type ServerProcess, startProcess, startServerProcess } from "../support/server.js";

const dir = join(TMP, `walkthrough-${process.pid}`);
let server: ServerProcess;

/** The README's block between the walkthrough markers, as a reader would copy it. */
function walkthrough(): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = /<!-- walkthrough:start -->\s*```sh\n([\s\S]*?)```\s*<!-- walkthrough:end -->/.exec(readme);
  assert.ok(section, "README.md has the walkthrough block");
  return section[1]!;
}

describe("README walkthrough", () => {
  before(async () => {
    mkdirSync(join(dir, "bin"), { recursive: true });
    // `npx sneakernet …` in the checkout runs the package's own bin: the same thing, without npx's start-up.
    const shim = join(dir, "bin", "npx");
    writeFileSync(
      shim,
      `#!/bin/sh\n[ "$1" = sneakernet ] && shift\nexec "${process.execPath}" "${join(ROOT, "dist/cli/main.js")}" "$@"\n`,
    );
    chmodSync(shim, 0o755);
    server = await startServerProcess(["--data-dir", join(dir, "data")]);
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs from creation to Completed to swept away, every command as written", async () => {
    const script = `set -euo pipefail\n${walkthrough()}`;
    const result = await startProcess("bash", ["-c", script], {
      cwd: dir,
      env: {
        PATH: `${join(dir, "bin")}:${process.env.PATH ?? ""}`,
        SNEAKERNET_DATA_DIR: join(dir, "data"),
        SNEAKERNET_ENDPOINT: server.url,
      },
    }).done;
    const all = `${result.stdout}\n${result.stderr}`;
    assert.equal(result.code, 0, all);
    assert.match(result.stdout, /Completed/, "job show says Completed");
    assert.match(result.stdout, /ShippedBack/, "and the drive ShippedBack");
    assert.match(result.stderr, /error: ResourceNotFound: /, "after the retention sweep the job is gone");
    assert.match(result.stdout, /swept away\s*$/);
  });
});
