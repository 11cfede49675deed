/**
 * @module The embedded station's token: made at the first start and kept (0600) in the data dir, the
 * same one at the next start, a new one when the database no longer knows it.
 */

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";

import { createAuthenticator } from "../../src/app/support/authenticate.js";
import { embeddedStationToken, STATION_TOKEN_FILE } from "../../src/serve/station-identity.js";
import { freshSqlite, TMP } from "../support/db.js";
import { openTestDeps } from "../support/server.js";

describe("the embedded station's identity", () => {
  const dir = join(TMP, `station-identity-${randomUUID()}`);
  mkdirSync(dir, { recursive: true });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("makes a station token once, keeps it private, and gives it back at the next start", async () => {
    const db = freshSqlite("station-identity");
    const deps = await openTestDeps(db.url);
    try {
      const first = await embeddedStationToken(deps, dir);
      const file = join(dir, STATION_TOKEN_FILE);
      assert.equal(readFileSync(file, "utf8").trim(), first);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      const principal = await createAuthenticator(deps, 0)(first);
      assert.equal(principal?.role, "station");
      assert.equal(await embeddedStationToken(deps, dir), first, "the same station after a restart");
    } finally {
      await deps.store.close();
      db.cleanup();
    }
  });

  it("replaces a token the database does not know (a new database) or that is not a station's", async () => {
    const file = join(dir, STATION_TOKEN_FILE);
    writeFileSync(file, "snk_not-a-token-this-database-knows\n", { mode: 0o644 });
    const db = freshSqlite("station-identity-new");
    const deps = await openTestDeps(db.url);
    try {
      const made = await embeddedStationToken(deps, dir);
      assert.notEqual(made, "snk_not-a-token-this-database-knows");
      assert.equal(readFileSync(file, "utf8").trim(), made);
      assert.equal(statSync(file).mode & 0o777, 0o600, "an older file is narrowed too");
      assert.equal((await createAuthenticator(deps, 0)(made))?.role, "station");
    } finally {
      await deps.store.close();
      db.cleanup();
    }
  });
});
