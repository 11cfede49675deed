/** @module checkReadiness: ready while the database answers, not once it does not. */

import assert from "node:assert/strict";
import { it } from "node:test";

import { checkReadiness } from "../../src/app/check-readiness.js";
import { Store } from "../../src/store/store.js";
import { describeOnEngines } from "../support/app.js";

describeOnEngines("check readiness", (world) => {
  it("is ready while the database answers", async () => {
    assert.equal(await checkReadiness(world().deps), true);
  });

  it("is not ready once its database connection is gone, and says so rather than failing", async () => {
    const w = world();
    const store = await Store.open(w.url);
    assert.equal(await checkReadiness({ store }), true);
    await store.close();
    assert.equal(await checkReadiness({ store }), false);
    assert.equal(await checkReadiness(w.deps), true, "another store on the database is unaffected");
  });
});
