/** @module serveConfig's blob endpoint settings: on at port 10000 by default, flags over environment, ports checked. */

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { serveConfig } from "../../src/serve/config.js";

describe("serve configuration: the embedded blob endpoint", () => {
  it("is on, at port 10000, unless told otherwise", () => {
    const config = serveConfig({}, {});
    assert.deepEqual([config.azurite, config.azuritePort], [true, 10000]);
  });

  it("takes the environment, and the flags over it", () => {
    const env = { SNEAKERNET_AZURITE_PORT: "10010", SNEAKERNET_AZURITE: "0" };
    assert.deepEqual([serveConfig({}, env).azurite, serveConfig({}, env).azuritePort], [false, 10010]);
    assert.equal(serveConfig({ azuritePort: "0" }, env).azuritePort, 0, "0: any free port");
    assert.equal(serveConfig({ azurite: false }, {}).azurite, false, "--no-azurite");
  });

  it("refuses a port that is not one, naming the flag", () => {
    for (const text of ["abc", "70000", "-1", "1.5"]) {
      assert.throws(
        () => serveConfig({ azuritePort: text }, {}),
        /--azurite-port must be a number from 0 to 65535/,
      );
    }
  });
});
