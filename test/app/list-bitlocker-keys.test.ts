/** @module listBitLockerKeys: the drives' keys, to the job's owner alone — never to the data center, an admin or a stranger. */

import assert from "node:assert/strict";
import { it } from "node:test";

import { listBitLockerKeys } from "../../src/app/list-bitlocker-keys.js";
import { describeOnEngines } from "../support/app.js";
import { refusal } from "../support/customer.js";

describeOnEngines("list BitLocker keys", (world) => {
  it("gives the owner each listed drive's key, in list order, for as long as the job exists; an extra drive has none", async () => {
    const w = world();
    await w.createImport("bk-keys", ["BK1-B", "BK1-A"]);
    const expected = [
      { driveId: "BK1-B", bitLockerKey: w.keys.get("BK1-B") },
      { driveId: "BK1-A", bitLockerKey: w.keys.get("BK1-A") },
    ];
    assert.deepEqual(await listBitLockerKeys(w.deps, w.cast.customer, w.address("bk-keys")), expected);
    await w.ship("bk-keys", "BK1");
    const received = await w.receive("BK1", ["BK1-A", "BK1-X"]);
    assert.deepEqual(received.extra, ["BK1-X"]);
    assert.deepEqual(
      await listBitLockerKeys(w.deps, w.cast.customer, w.address("bk-keys")),
      expected,
      "the extra drive came without a key",
    );
  });

  it("has no key for an export job before its drives arrive; each drive registered on arrival has its own", async () => {
    const w = world();
    await w.createExport("bk-export");
    assert.deepEqual(await listBitLockerKeys(w.deps, w.cast.customer, w.address("bk-export")), []);
    await w.ship("bk-export", "BK2");
    await w.receive("BK2", ["BK2-E"]);
    const keys = await listBitLockerKeys(w.deps, w.cast.customer, w.address("bk-export"));
    assert.deepEqual(
      keys.map((k) => k.driveId),
      ["BK2-E"],
    );
    assert.match(keys[0]!.bitLockerKey, /^(\d{6}-){7}\d{6}$/);
  });

  it("refuses the keys to an operator, an admin, a station and a stranger; a missing job is not found", async () => {
    const w = world();
    await w.createImport("bk-private", ["BK3-A"]);
    // The data center may read the job, but not its keys.
    for (const principal of [w.cast.operator, w.cast.admin]) {
      const call = listBitLockerKeys(w.deps, principal, w.address("bk-private"));
      assert.equal(await refusal(call, /only to the job's owner/), "AuthorizationFailed", principal.label);
    }
    for (const principal of [w.cast.stranger, w.cast.stationA]) {
      for (const name of ["bk-private", "bk-nowhere"]) {
        const call = listBitLockerKeys(w.deps, principal, w.address(name));
        assert.equal(await refusal(call, /does not have authorization/), "AuthorizationFailed", name);
      }
    }
    const missing = listBitLockerKeys(w.deps, w.cast.customer, w.address("bk-nowhere"));
    assert.equal(await refusal(missing), "ResourceNotFound");
  });
});
