/** @module The drive's recovery password: BitLocker's shape, accepted by the API's validator, typos caught without echoing digits. */

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { validateBitLockerKey } from "../../../src/domain/names.js";
import { generateRecoveryPassword, parseRecoveryPassword } from "../../../src/transfer/drive/index.js";

describe("recovery password", () => {
  it("is generated in BitLocker's shape, fresh each time, and the API accepts it", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i += 1) {
      const password = generateRecoveryPassword();
      assert.match(password, /^[0-9]{6}(-[0-9]{6}){7}$/);
      for (const group of password.split("-")) {
        assert.equal(Number(group) % 11, 0, `group ${group} of ${password}`);
        assert.ok(Number(group) < 720896);
      }
      assert.doesNotThrow(() => validateBitLockerKey("DRIVE1", password));
      assert.equal(parseRecoveryPassword(password), password);
      seen.add(password);
    }
    assert.equal(seen.size, 500);
  });

  it("reads the forms people copy: spaces, no separators, surrounding blanks", () => {
    const password = generateRecoveryPassword();
    const digits = password.replaceAll("-", "");
    assert.equal(parseRecoveryPassword(digits), password);
    assert.equal(parseRecoveryPassword(` ${password.replaceAll("-", " ")}\n`), password);
  });

  it("refuses what is not one, naming the problem but never the digits", () => {
    const password = generateRecoveryPassword();
    const groups = password.split("-");
    // One digit changed in group 3: an odd step keeps it from being another multiple of 11.
    const typo = [...groups];
    typo[2] = String((Number(typo[2]) + 1) % 1_000_000).padStart(6, "0");
    const cases: [string, RegExp][] = [
      [typo.join("-"), /group 3 is not one/],
      [password.slice(0, -1), /47 digits instead of 48/],
      [`${password}1`, /49 digits/],
      [password.replace(/^[0-9]/, "x"), /other than digits/],
      ["", /0 digits/],
      [["999999", ...groups.slice(1)].join("-"), /group 1/],
    ];
    for (const [text, why] of cases) {
      assert.throws(
        () => parseRecoveryPassword(text),
        (error: Error & { code?: string }) => {
          assert.equal(error.code, "BitLockerKeyInvalid");
          assert.match(error.message, why);
          assert.doesNotMatch(error.message, /[0-9]{6}/, "a group of the password leaked into the message");
          return true;
        },
      );
    }
  });
});
