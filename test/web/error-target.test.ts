/**
 * @module The portal finds the field an API error is about by its `target` alone (web/src/error-target.ts):
 * checked here against the targets the server's own validators and schemas give.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { parseBody } from "../../src/api/http/body.js";
import type { DeliveryPackage } from "../../src/domain/model.js";
import {
  parseStorageAccountId,
  validateDeliveryPackage,
  validateJobName,
  validateResourceGroupName,
  validateReturnAddress,
  validateReturnShipping,
} from "../../src/domain/names.js";
import { validatePackage } from "../../src/domain/package.js";
import { updateJobParameters } from "../../src/wire/arm.js";
import { RETURN_ADDRESS } from "../support/fixtures.js";
import { fieldOf, loadPortalModule, refusalTarget } from "./portal-modules.js";

// The create-job form's own fields, as it shows them when it opens.
const form = await loadPortalModule<{
  initialForm(subscription: string): unknown;
  formFields(form: unknown): Set<string>;
}>("pages/create-job/form.ts");
const CREATE_FIELDS = form.formFields(form.initialForm("6f1d2a3b-0000-4000-8000-0000000000aa"));
const SHIP_FIELDS = new Set([
  "deliveryPackage.carrierName",
  "deliveryPackage.trackingNumber",
  "deliveryPackage.driveCount",
]);
const PACKAGE = { carrierName: "FedEx", trackingNumber: "781234567890", driveCount: 1 };

describe("an API error's field, by its target", () => {
  it("names the create-job form's fields, the URL's parts by the form's names", () => {
    const cases: [() => unknown, string][] = [
      [() => validateJobName("x"), "name"],
      [() => validateResourceGroupName("ends.with.dot."), "resourceGroup"],
      [() => parseStorageAccountId("Compte_Invalide"), "storageAccountId"],
      [() => validateReturnAddress({ ...RETURN_ADDRESS, city: " " }), "returnAddress.city"],
      [() => validateReturnAddress({ ...RETURN_ADDRESS, email: "ada" }), "returnAddress.email"],
      [
        () => validateReturnShipping({ carrierName: "FedEx", carrierAccountNumber: "" }),
        "returnShipping.carrierAccountNumber",
      ],
    ];
    for (const [refuse, field] of cases) {
      const target = refusalTarget(refuse);
      assert.equal(fieldOf(target, CREATE_FIELDS), field, target);
    }
    // An ARM body's wrapper is not part of the field's name.
    assert.equal(fieldOf("properties.storageAccountId", CREATE_FIELDS), "storageAccountId");
    assert.equal(fieldOf("properties.logLevel", CREATE_FIELDS), "logLevel");
  });

  it("names the ship form's fields, from the domain's checks and from the body's schema alike", () => {
    const bad: [Partial<DeliveryPackage>, string][] = [
      [{ carrierName: "" }, "deliveryPackage.carrierName"],
      [{ trackingNumber: "no/slashes" }, "deliveryPackage.trackingNumber"],
      [{ driveCount: 11 }, "deliveryPackage.driveCount"],
    ];
    for (const [change, field] of bad) {
      const target = refusalTarget(() =>
        validateDeliveryPackage({ ...PACKAGE, ...change } as DeliveryPackage),
      );
      assert.equal(fieldOf(target, SHIP_FIELDS), field, target);
    }
    const schema = refusalTarget(() =>
      parseBody(updateJobParameters, {
        properties: { state: "Shipping", deliveryPackage: { ...PACKAGE, driveCount: 1.5 } },
      }),
    );
    assert.equal(schema, "properties.deliveryPackage.driveCount", "a schema error's path, dotted");
    assert.equal(fieldOf(schema, SHIP_FIELDS), "deliveryPackage.driveCount");
  });

  it("finds a row of a list, through the form's own row numbers when it sent fewer rows", () => {
    const target = refusalTarget(() =>
      validatePackage("FedEx", "T1", ["GOOD1", "GOOD2", "bad serial", "GOOD4"]),
    );
    assert.equal(target, "drives[2]");
    assert.equal(fieldOf(target, new Set(["drives.2"])), "drives.2");
    assert.equal(fieldOf(target, new Set(["drives.5"]), { drives: [0, 1, 5, 6] }), "drives.5");
    const fields = new Set(["driveList.0.driveId", "driveList.4.bitLockerKey"]);
    assert.equal(
      fieldOf("properties.driveList[1].bitLockerKey", fields, { driveList: [0, 4] }),
      "driveList.4.bitLockerKey",
    );
    assert.equal(
      fieldOf("properties.driveList.1.bitLockerKey", fields, { driveList: [0, 4] }),
      "driveList.4.bitLockerKey",
    );
    assert.equal(
      fieldOf("properties.driveList[2].driveId", fields, { driveList: [0, 4] }),
      undefined,
      "no such row sent",
    );
  });

  it("names no field when the target is missing, names the whole list, or is a field the form lacks", () => {
    assert.equal(fieldOf(undefined, CREATE_FIELDS), undefined);
    assert.equal(fieldOf("", CREATE_FIELDS), undefined);
    assert.equal(fieldOf("properties.driveList", new Set(["driveList.0.driveId"])), undefined);
    assert.equal(fieldOf("returnAddress", CREATE_FIELDS), undefined);
    assert.equal(fieldOf("subscriptionId", CREATE_FIELDS), undefined);
    assert.equal(fieldOf("constructor", CREATE_FIELDS), undefined);
    assert.equal(fieldOf("city", CREATE_FIELDS), undefined, "a field of the same name elsewhere is not it");
  });
});
