import assert from "node:assert/strict";
import { describe, it } from "node:test";

import type { ErrorCode } from "../../src/domain/errors.js";
import type { DeliveryPackage, ReturnAddress, ReturnShipping } from "../../src/domain/model.js";
import {
  locationKey,
  parseStorageAccountId,
  validateBitLockerKey,
  validateCarrierName,
  validateDeliveryPackage,
  validateDiagnosticsPath,
  validateDriveId,
  validateJobName,
  validateResourceGroupName,
  validateReturnAddress,
  validateReturnShipping,
  validateSubscriptionId,
  validateTags,
  validateTrackingNumber,
} from "../../src/domain/names.js";
import { refusal } from "./helpers.js";

/** One accept/refuse table for a validator of one string. */
function table(
  name: string,
  validate: (value: string) => unknown,
  code: ErrorCode,
  accept: readonly string[],
  refuse: readonly unknown[],
): void {
  describe(name, () => {
    for (const value of accept) {
      it(`accepts ${JSON.stringify(value)}`, () => {
        assert.equal(
          refusal(() => validate(value)),
          undefined,
        );
      });
    }
    for (const value of refuse) {
      const label =
        typeof value === "string" && value.length > 40 ? `${value.slice(0, 20)}… (${value.length})` : value;
      it(`refuses ${JSON.stringify(label)}`, () => {
        assert.equal(refusal(() => validate(value as string))?.code, code);
      });
    }
  });
}

const GUID = "0f8fad5b-d9cb-469f-a165-70867728950e";

table(
  "validateSubscriptionId",
  validateSubscriptionId,
  "InvalidSubscriptionId",
  [GUID, GUID.toUpperCase(), "00000000-0000-0000-0000-000000000000"],
  [
    "",
    "not-a-guid",
    `{${GUID}}`,
    GUID.replace(/-/g, ""),
    `${GUID} `,
    `${GUID}0`,
    "0f8fad5b-d9cb-469f-a165-70867728950g",
    "..",
    "%2F",
    "/",
    "ジョブ",
    42,
  ],
);

table(
  "validateResourceGroupName",
  validateResourceGroupName,
  "InvalidResourceGroupName",
  ["rg", "a", "My_Resource-Group.1", "(prod)", "jöb", "ジョブ", "rg.x", ".hidden", "r".repeat(90)],
  ["", "rg.", "..", ".", "...", "%2F", "/", "rg/x", "rg x", "r".repeat(91), "rg\u0000", "rg#1", "rg😀", null],
);

table(
  "validateJobName",
  validateJobName,
  "InvalidJobName",
  ["job", "job-1", "Job_2026", "1job", "a".repeat(64), "A-_"],
  [
    "",
    "ab",
    "a".repeat(65),
    "-job",
    "_job",
    "jöb",
    "ジョブ",
    "..",
    "job..x",
    "job.1",
    "%2F",
    "job%2Fx",
    "/",
    "job/x",
    "job x",
    "job\n",
    undefined,
  ],
);

table(
  "validateDriveId",
  validateDriveId,
  "InvalidDriveId",
  ["9V", "WD-WCC4E1234567", "S3Z9NB0K123456A", "a.b_c-d", ".x", "x".repeat(64)],
  ["", ".", "..", "...", "has space", "x".repeat(65), "%2F", "/", "a/b", "jöb", "ジョブ", "a\tb", 7],
);

describe("validateBitLockerKey", () => {
  const KEY = "123456-234567-345678-456789-567890-678901-789012-890123";
  it("accepts a 48-digit recovery password", () => {
    assert.equal(
      refusal(() => validateBitLockerKey("DRIVE-1", KEY)),
      undefined,
    );
  });
  const bad = [
    "",
    "123456",
    KEY.replace(/-/g, ""),
    `${KEY}-123456`,
    KEY.slice(0, -1),
    KEY.replace("1", "a"),
    KEY.replace(/-/g, " "),
    ` ${KEY}`,
    "１２３４５６-234567-345678-456789-567890-678901-789012-890123",
  ];
  for (const key of bad) {
    it(`refuses ${JSON.stringify(key)}, naming the drive but never the key`, () => {
      const error = refusal(() => validateBitLockerKey("DRIVE-1", key));
      assert.equal(error?.code, "InvalidBitLockerKey");
      assert.ok(error.message.includes("DRIVE-1"), error.message);
      if (key.length > 0) {
        assert.ok(!error.message.includes(key), error.message);
        // Not even a fragment of it.
        for (const group of key.split(/[- ]/).filter((g) => g.length >= 4)) {
          assert.ok(!error.message.includes(group), error.message);
        }
      }
    });
  }
  it("refuses a value that is not a string", () => {
    assert.equal(
      refusal(() => validateBitLockerKey("DRIVE-1", 123 as unknown as string))?.code,
      "InvalidBitLockerKey",
    );
  });
});

describe("parseStorageAccountId", () => {
  const base = `/subscriptions/${GUID}/resourceGroups/my-rg/providers/Microsoft.Storage/storageAccounts/acct01`;

  it("parses a Microsoft.Storage id", () => {
    assert.deepEqual(parseStorageAccountId(base), {
      subscriptionId: GUID,
      resourceGroup: "my-rg",
      provider: "Microsoft.Storage",
      accountName: "acct01",
    });
  });

  it("parses a Microsoft.ClassicStorage id", () => {
    assert.equal(
      parseStorageAccountId(base.replace("Microsoft.Storage", "Microsoft.ClassicStorage")).provider,
      "Microsoft.ClassicStorage",
    );
  });

  it("accepts any case in the fixed segments and normalizes the provider", () => {
    const lower = `/SUBSCRIPTIONS/${GUID}/resourcegroups/my-rg/PROVIDERS/microsoft.classicstorage/STORAGEACCOUNTS/acct01`;
    assert.deepEqual(parseStorageAccountId(lower), {
      subscriptionId: GUID,
      resourceGroup: "my-rg",
      provider: "Microsoft.ClassicStorage",
      accountName: "acct01",
    });
  });

  const refused = [
    "",
    "acct01",
    base.slice(1),
    `${base}/`,
    `${base}/blobServices/default`,
    base.replace(GUID, "not-a-guid"),
    base.replace("my-rg", "bad.rg."),
    base.replace("my-rg", ".."),
    base.replace("my-rg", "%2F"),
    base.replace("Microsoft.Storage", "Microsoft.Compute"),
    base.replace("storageAccounts", "virtualMachines"),
    base.replace("acct01", "Acct01"),
    base.replace("acct01", "ab"),
    base.replace("acct01", "a".repeat(25)),
    base.replace("acct01", "acct-01"),
    base.replace("acct01", "jöb"),
    base.replace("/resourceGroups/", "/resourceGroups//"),
    base.replace("/providers/", "/toString/"),
  ];
  for (const id of refused) {
    it(`refuses ${JSON.stringify(id)} and shows the expected form`, () => {
      const error = refusal(() => parseStorageAccountId(id));
      assert.equal(error?.code, "InvalidStorageAccountId");
      assert.match(error.message, /\/subscriptions\/\{subscriptionId\}\/resourceGroups\/\{resourceGroup\}/);
    });
  }

  it("accepts a unicode resource group name", () => {
    assert.equal(parseStorageAccountId(base.replace("my-rg", "grüppe")).resourceGroup, "grüppe");
  });
});

describe("locationKey", () => {
  for (const [input, expected] of [
    ["West US", "westus"],
    ["westus", "westus"],
    ["WestUS", "westus"],
    ["  West   US 2 ", "westus2"],
    ["North\tEurope", "northeurope"],
  ] as const) {
    it(`${JSON.stringify(input)} → ${expected}`, () => {
      assert.equal(locationKey(input), expected);
    });
  }
});

describe("validateReturnAddress", () => {
  const good: ReturnAddress = {
    recipientName: "Ada Lovelace",
    streetAddress1: "1 Microsoft Way",
    city: "Redmond",
    postalCode: "98052",
    countryOrRegion: "USA",
    phone: "+1 (425) 555-0100",
    email: "ada@example.com",
  };

  it("accepts a complete address, with or without the optional lines", () => {
    assert.equal(
      refusal(() => validateReturnAddress(good)),
      undefined,
    );
    assert.equal(
      refusal(() => validateReturnAddress({ ...good, streetAddress2: "Bldg 92", stateOrProvince: "WA" })),
      undefined,
    );
    assert.equal(
      refusal(() => validateReturnAddress({ ...good, recipientName: "Zoë Ōtsuka 大塚" })),
      undefined,
    );
  });

  const required = [
    "recipientName",
    "streetAddress1",
    "city",
    "postalCode",
    "countryOrRegion",
    "phone",
    "email",
  ] as const;
  for (const field of required) {
    for (const [label, value] of [
      ["missing", undefined],
      ["empty", ""],
      ["blank", "   "],
      ["not text", 5],
    ] as const) {
      it(`refuses ${field} ${label}, targeting returnAddress.${field}`, () => {
        const error = refusal(() =>
          validateReturnAddress({ ...good, [field]: value } as unknown as ReturnAddress),
        );
        assert.equal(error?.code, "InvalidAddress");
        assert.equal(error.target, `returnAddress.${field}`);
      });
    }
  }

  for (const field of [...required, "streetAddress2", "stateOrProvince"] as const) {
    it(`refuses ${field} over 200 characters`, () => {
      const long =
        field === "email"
          ? `${"a".repeat(190)}@example.com`
          : field === "phone"
            ? "1".repeat(201)
            : "x".repeat(201);
      const error = refusal(() => validateReturnAddress({ ...good, [field]: long }));
      assert.equal(error?.code, "InvalidAddress");
      assert.equal(error.target, `returnAddress.${field}`);
    });
  }

  for (const email of [
    "ada",
    "ada@",
    "@example.com",
    "ada@example",
    "ada example@x.com",
    "ada@@example.com",
  ]) {
    it(`refuses email ${JSON.stringify(email)}`, () => {
      assert.equal(refusal(() => validateReturnAddress({ ...good, email }))?.target, "returnAddress.email");
    });
  }

  for (const phone of ["call me", "555-0100 ext. 3", "+1#425", "()"]) {
    it(`refuses phone ${JSON.stringify(phone)}`, () => {
      assert.equal(refusal(() => validateReturnAddress({ ...good, phone }))?.target, "returnAddress.phone");
    });
  }

  it("refuses something that is not an object", () => {
    assert.equal(
      refusal(() => validateReturnAddress(null as unknown as ReturnAddress))?.code,
      "InvalidAddress",
    );
  });
});

describe("validateReturnShipping", () => {
  const good: ReturnShipping = { carrierName: "FedEx", carrierAccountNumber: "123456789" };
  it("accepts a carrier and an account number", () => {
    assert.equal(
      refusal(() => validateReturnShipping(good)),
      undefined,
    );
  });
  for (const [label, value, code, target] of [
    ["empty carrier", { ...good, carrierName: "" }, "InvalidCarrier", "returnShipping.carrierName"],
    [
      "long carrier",
      { ...good, carrierName: "x".repeat(101) },
      "InvalidCarrier",
      "returnShipping.carrierName",
    ],
    [
      "empty account",
      { ...good, carrierAccountNumber: " " },
      "InvalidAddress",
      "returnShipping.carrierAccountNumber",
    ],
    [
      "long account",
      { ...good, carrierAccountNumber: "1".repeat(101) },
      "InvalidAddress",
      "returnShipping.carrierAccountNumber",
    ],
  ] as const) {
    it(`refuses ${label}`, () => {
      const error = refusal(() => validateReturnShipping(value));
      assert.equal(error?.code, code);
      assert.equal(error.target, target);
    });
  }
});

describe("validateCarrierName", () => {
  it("accepts any non-empty name up to 50 characters without a list", () => {
    for (const name of ["FedEx", "DHL", "x".repeat(50), "La Poste"]) {
      assert.equal(
        refusal(() => validateCarrierName(name)),
        undefined,
      );
    }
  });
  it("refuses empty and too long", () => {
    for (const name of ["", "  ", "x".repeat(51)]) {
      assert.equal(refusal(() => validateCarrierName(name))?.code, "InvalidCarrier");
    }
  });
  it("matches the supported list case-insensitively", () => {
    assert.equal(
      refusal(() => validateCarrierName("fedex", ["FedEx", "DHL"])),
      undefined,
    );
    assert.equal(
      refusal(() => validateCarrierName("DHL", ["FedEx", "DHL"])),
      undefined,
    );
  });
  it("refuses a carrier the location does not support, listing those it does", () => {
    const error = refusal(() => validateCarrierName("UPS", ["FedEx", "DHL"]));
    assert.equal(error?.code, "InvalidCarrier");
    assert.match(error.message, /FedEx/);
    assert.match(error.message, /DHL/);
  });
});

table(
  "validateTrackingNumber",
  validateTrackingNumber,
  "InvalidTrackingNumber",
  ["1", "123456789012", "1Z 999 AA1 01 2345 6784", "JD-0142", "x".repeat(64)],
  ["", "   ", "x".repeat(65), "123/456", "..", "%2F", "/", "jöb", "ジョブ", "12\n34", 123456],
);

describe("validateDeliveryPackage", () => {
  const good: DeliveryPackage = { carrierName: "FedEx", trackingNumber: "123456789012" };
  it("accepts carrier and tracking number, with or without driveCount and shipDate", () => {
    for (const pkg of [
      good,
      { ...good, driveCount: 0 },
      { ...good, driveCount: 10, shipDate: "2026-01-02" },
    ]) {
      assert.equal(
        refusal(() => validateDeliveryPackage(pkg, ["FedEx"])),
        undefined,
      );
    }
  });
  for (const [label, pkg, code, target] of [
    ["no carrier", { ...good, carrierName: "" }, "InvalidCarrier", "deliveryPackage.carrierName"],
    [
      "an unsupported carrier",
      { ...good, carrierName: "UPS" },
      "InvalidCarrier",
      "deliveryPackage.carrierName",
    ],
    [
      "no tracking number",
      { ...good, trackingNumber: "" },
      "InvalidTrackingNumber",
      "deliveryPackage.trackingNumber",
    ],
    [
      "a bad tracking number",
      { ...good, trackingNumber: "a/b" },
      "InvalidTrackingNumber",
      "deliveryPackage.trackingNumber",
    ],
    ["11 drives", { ...good, driveCount: 11 }, "InvalidDriveList", "deliveryPackage.driveCount"],
    ["-1 drives", { ...good, driveCount: -1 }, "InvalidDriveList", "deliveryPackage.driveCount"],
    ["1.5 drives", { ...good, driveCount: 1.5 }, "InvalidDriveList", "deliveryPackage.driveCount"],
    [
      "'2' drives",
      { ...good, driveCount: "2" as unknown as number },
      "InvalidDriveList",
      "deliveryPackage.driveCount",
    ],
  ] as const) {
    it(`refuses ${label}`, () => {
      const error = refusal(() => validateDeliveryPackage(pkg, ["FedEx", "DHL"]));
      assert.equal(error?.code, code);
      assert.equal(error.target, target);
    });
  }
});

describe("validateTags", () => {
  const many = (n: number): Record<string, string> =>
    Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"]));
  it("accepts no tags, 50 tags, long keys and values at their limits, unicode", () => {
    for (const tags of [
      {},
      many(50),
      { ["k".repeat(512)]: "v".repeat(256) },
      { clé: "ジョブ" },
      { env: "" },
    ]) {
      assert.equal(
        refusal(() => validateTags(tags)),
        undefined,
      );
    }
  });
  for (const [label, tags] of [
    ["51 tags", many(51)],
    ["an empty key", { "": "v" }],
    ["a key over 512 characters", { ["k".repeat(513)]: "v" }],
    ["a value over 256 characters", { k: "v".repeat(257) }],
    ["a value that is not text", { k: 1 }],
    ["a value that is null", { k: null }],
    ["an array", ["a"]],
    ["null", null],
  ] as const) {
    it(`refuses ${label}`, () => {
      assert.equal(
        refusal(() => validateTags(tags as unknown as Record<string, string>))?.code,
        "InvalidTags",
      );
    });
  }
});

table(
  "validateDiagnosticsPath",
  validateDiagnosticsPath,
  "InvalidDiagnosticsPath",
  ["waimportexport", "logs/import-2026", "a", "jöb/ジョブ", "x".repeat(1024), "a.b/c"],
  ["", "..", "a/../b", "../x", "/waimportexport", "a\\b", "a\u0000b", "a\nb", "x".repeat(1025), 1],
);
