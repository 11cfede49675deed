/** @module The portal's files beside the API: public, cached by content, gzip, a CSP; the API still needs its token. */

import assert from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import { DEFAULT_PORTAL_DIR } from "../../src/api/http/portal.js";
import { jobsPath, PROVIDER } from "../../src/wire/ids.js";
import { withVersion } from "../support/customer-api.js";
import { TMP } from "../support/db.js";
import { startSqliteServer, TestClock, type TestServer } from "../support/server.js";

const dir = join(TMP, `portal-files-${process.pid}`);
let built: TestServer;
let fake: TestServer;
let none: TestServer;

async function get(server: TestServer, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${path}`, { headers });
  return {
    status: response.status,
    headers: response.headers,
    body: Buffer.from(await response.arrayBuffer()),
  };
}

describe("portal files", () => {
  before(async () => {
    mkdirSync(join(dir, "assets"), { recursive: true });
    writeFileSync(
      join(dir, "index.html"),
      '<!doctype html><script type="module" src="/assets/app-Ab12.js"></script>',
    );
    writeFileSync(join(dir, "assets", "app-Ab12.js"), "console.log('portal');".repeat(50));
    writeFileSync(join(dir, "favicon.svg"), "<svg/>");
    const servers: TestServer[] = [];
    for (const portalDir of [DEFAULT_PORTAL_DIR, dir, join(dir, "missing")]) {
      servers.push(await startSqliteServer("portal-files", new TestClock(), { portalDir }));
    }
    [built, fake, none] = servers as [TestServer, TestServer, TestServer];
  });
  after(async () => {
    await Promise.all([built, fake, none].map((s) => s?.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves the page without a token at / and at every portal path, with a CSP, never cached stale", async () => {
    for (const path of [
      "/",
      "/signin",
      "/jobs",
      "/jobs/new",
      "/jobs/s/rg/name",
      "/operator/queue",
      "/Operator/Receive",
    ]) {
      const answer = await get(fake, path);
      assert.equal(answer.status, 200, path);
      assert.match(answer.headers.get("content-type") ?? "", /^text\/html/);
      assert.equal(answer.headers.get("cache-control"), "no-cache");
      assert.match(answer.headers.get("content-security-policy") ?? "", /script-src 'self'/);
      assert.match(answer.body.toString(), /app-Ab12\.js/);
    }
  });

  it("serves hashed assets for good, gzipped when asked, and answers 304 to a known ETag", async () => {
    const plain = await get(fake, "/assets/app-Ab12.js");
    assert.equal(plain.status, 200);
    assert.match(plain.headers.get("content-type") ?? "", /^text\/javascript/);
    assert.match(plain.headers.get("cache-control") ?? "", /immutable/);
    const zipped = await fetch(`${fake.url}/assets/app-Ab12.js`, { headers: { "accept-encoding": "gzip" } });
    assert.equal(zipped.headers.get("content-encoding"), "gzip"); // fetch unzips it for us
    assert.equal(Buffer.from(await zipped.arrayBuffer()).toString(), plain.body.toString());
    const etag = plain.headers.get("etag") ?? "";
    assert.equal((await get(fake, "/assets/app-Ab12.js", { "if-none-match": etag })).status, 304);
    assert.equal((await get(fake, "/favicon.svg")).status, 200);
  });

  it("answers 404 for an asset it does not have, and never reads outside the build", async () => {
    for (const path of [
      "/assets/nope.js",
      "/assets/../index.html",
      "/assets/%2e%2e/%2e%2e/package.json",
      "/assets/",
    ]) {
      const answer = await get(fake, path);
      assert.notEqual(answer.status, 200, path);
      assert.doesNotMatch(answer.body.toString(), /"name": "sneakernet"/);
    }
  });

  it("leaves the API to its token: API paths beside the portal's still answer 401", async () => {
    for (const path of [
      "/ops/v1/queue",
      withVersion(jobsPath("6f1d2a3b-0000-4000-8000-000000000001")),
      withVersion(`/providers/${PROVIDER}/locations`),
    ]) {
      const answer = await get(fake, path);
      assert.equal(answer.status, 401, path);
      assert.equal(JSON.parse(answer.body.toString()).error.code, "AuthenticationFailed");
    }
    // Writing to a portal path is not a way around the token either.
    const post = await fetch(`${fake.url}/jobs`, { method: "POST" });
    assert.equal(post.status, 401);
  });

  it("says how to build the portal when it is not built, and the API runs on", async () => {
    const answer = await get(none, "/");
    assert.equal(answer.status, 503);
    assert.match(answer.body.toString(), /npm run build/);
    assert.equal((await get(none, "/healthz")).status, 200);
  });

  it("the real build: its page names assets that are served, and the JavaScript fits the 250 KB budget", async () => {
    const page = await get(built, "/");
    assert.equal(page.status, 200, "dist/web is built by the test runner (npm run build)");
    const html = page.body.toString();
    const scripts = [...html.matchAll(/src="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
    assert.ok(scripts.length > 0);
    let gzipped = 0;
    for (const src of scripts) {
      const response = await fetch(`${built.url}${src}`, { headers: { "accept-encoding": "gzip" } });
      assert.equal(response.status, 200, src);
      gzipped += Number(response.headers.get("content-length"));
    }
    assert.ok(gzipped <= 250 * 1024, `${gzipped} bytes gzipped`);
    assert.ok(readFileSync(join(DEFAULT_PORTAL_DIR, "favicon.svg")).length > 0);
  });
});
