/** @module createToken: a token shown once and kept as its hash, the rules of roles, subscriptions and labels, and the token at work through createAuthenticator. */

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { it } from "node:test";

import { createToken, type CreateTokenInput } from "../../src/app/create-token.js";
import { createAuthenticator, hashToken } from "../../src/app/support/authenticate.js";
import { type AppWorld, describeOnEngines } from "../support/app.js";
import { refusal } from "../support/customer.js";

async function tokenCount(w: AppWorld): Promise<number> {
  const { n } = await w.deps.store.db
    .selectFrom("tokens")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** The service has no revoke use case yet: a revoked token is one whose row is gone. */
async function revoke(w: AppWorld, id: string): Promise<void> {
  await w.deps.store.db.deleteFrom("tokens").where("id", "=", id).execute();
}

/** The label the token was given, as the authenticator reads it. */
async function labelOf(w: AppWorld, input: CreateTokenInput): Promise<string | undefined> {
  const { token } = await createToken(w.deps, input);
  return (await createAuthenticator(w.deps, 0)(token))?.label;
}

describeOnEngines("create a token", (world) => {
  it("creates a customer token for its subscriptions (lower-cased, each once), kept only as its hash", async () => {
    const w = world();
    const created = await createToken(w.deps, {
      role: "customer",
      subscriptions: [w.sub.toUpperCase(), w.sub],
      label: "ada-laptop",
    });
    assert.match(created.token, /^snk_[A-Za-z0-9_-]{43}$/);
    const hash = hashToken(created.token);
    assert.deepEqual(
      { id: created.id, role: created.role, subscriptions: created.subscriptions },
      { id: hash.slice(0, 12), role: "customer", subscriptions: [w.sub] },
    );
    assert.deepEqual(await w.deps.store.direct.tokens.findByHash(hash), {
      id: created.id,
      hash,
      role: "customer",
      subscriptions: [w.sub],
      label: "ada-laptop",
      createdAt: w.clock.now().toISOString(),
    });
    const row = await w.deps.store.db
      .selectFrom("tokens")
      .selectAll()
      .where("id", "=", created.id)
      .executeTakeFirst();
    assert.ok(
      row && !JSON.stringify(row).includes(created.token.slice(4)),
      "the token itself is stored nowhere",
    );

    const principal = await createAuthenticator(w.deps)(created.token);
    assert.deepEqual(principal, {
      tokenId: created.id,
      label: "ada-laptop",
      role: "customer",
      subscriptions: [w.sub],
    });
    const other = await createToken(w.deps, { role: "customer", subscriptions: [w.sub] });
    assert.notEqual(other.token, created.token);
  });

  it("creates operator, station and admin tokens, unscoped", async () => {
    const w = world();
    const authenticate = createAuthenticator(w.deps);
    for (const role of ["operator", "station", "admin"]) {
      const created = await createToken(w.deps, { role });
      assert.deepEqual(created.subscriptions, []);
      assert.equal((await authenticate(created.token))?.role, role);
    }
  });

  it("refuses an unknown role, a customer without a subscription, a scoped data-center token or a malformed subscription, storing nothing", async () => {
    const w = world();
    const refusals: [CreateTokenInput, string, RegExp][] = [
      [{ role: "root" }, "InvalidRole", /Unknown role 'root'/],
      [{ role: "Customer", subscriptions: [w.sub] }, "InvalidRole", /Customer/],
      [{ role: "customer" }, "InvalidSubscriptionId", /needs at least one/],
      [{ role: "customer", subscriptions: [] }, "InvalidSubscriptionId", /needs at least one/],
      [{ role: "operator", subscriptions: [w.sub] }, "InvalidSubscriptionId", /not operator/],
      [{ role: "admin", subscriptions: [w.sub] }, "InvalidSubscriptionId", /not admin/],
      [{ role: "customer", subscriptions: [w.sub, "not-a-guid"] }, "InvalidSubscriptionId", /not-a-guid/],
    ];
    const before = await tokenCount(w);
    for (const [input, code, message] of refusals) {
      assert.equal(await refusal(createToken(w.deps, input), message), code, JSON.stringify(input));
    }
    assert.equal(await tokenCount(w), before);
  });

  it("labels a token as asked (trimmed), or after its role and id; refuses a label outside the rule, storing nothing", async () => {
    const w = world();
    assert.equal(await labelOf(w, { role: "operator", label: "  alice  " }), "alice");
    assert.equal(await labelOf(w, { role: "operator", label: "ops.team@dc-1_x" }), "ops.team@dc-1_x");
    assert.equal(await labelOf(w, { role: "operator", label: "a".repeat(64) }), "a".repeat(64));
    for (const label of [undefined, "", "   "]) {
      const { token, id } = await createToken(w.deps, {
        role: "station",
        ...(label !== undefined ? { label } : {}),
      });
      assert.equal(
        (await createAuthenticator(w.deps)(token))?.label,
        `station-${id.slice(0, 6)}`,
        String(label),
      );
    }
    const before = await tokenCount(w);
    for (const label of ["two words", "a".repeat(65), "semi;colon", "ünï"]) {
      const call = createToken(w.deps, { role: "operator", label });
      assert.equal(await refusal(call, /token label/), "InvalidTokenLabel", label);
    }
    assert.equal(await tokenCount(w), before);
  });

  it("authenticates no unknown or malformed token, and no revoked one once the cache has expired by the deps clock", async () => {
    const w = world();
    const authenticate = createAuthenticator(w.deps);
    for (const token of [
      `snk_${randomBytes(32).toString("base64url")}`,
      "Bearer snk_x",
      `snk_${"a".repeat(300)}`,
      "",
    ]) {
      assert.equal(await authenticate(token), undefined, token.slice(0, 20));
    }

    const { token, id } = await createToken(w.deps, { role: "operator", label: "leaving" });
    assert.equal((await authenticate(token))?.tokenId, id);
    await revoke(w, id);
    assert.equal(await createAuthenticator(w.deps, 0)(token), undefined, "without a cache, refused at once");
    assert.equal((await authenticate(token))?.tokenId, id, "cached");
    w.clock.advance(29_999);
    assert.equal((await authenticate(token))?.tokenId, id, "still cached 29.999 s later");
    w.clock.advance(1);
    assert.equal(await authenticate(token), undefined, "30 s later, read again: revoked");
  });

  it("does not keep a revoked token longer when the clock moves back", async () => {
    const w = world();
    const authenticate = createAuthenticator(w.deps);
    const { token, id } = await createToken(w.deps, { role: "operator" });
    await authenticate(token);
    await revoke(w, id);
    w.clock.advance(-60_000);
    assert.equal(await authenticate(token), undefined);
    w.clock.advance(60_000);
  });
});
