/** @module What a customer may set on a job, and when: the editable-fields table, validation, a new job and its drive list. */

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import type { ErrorCode } from "../../src/domain/errors.js";
import {
  applyChanges,
  type DriveInput,
  type JobChanges,
  newJob,
  type NewJobInput,
  parseJobType,
  planDriveList,
  throwIfFixedFieldsChanged,
  validateExport,
  validateLogLevel,
} from "../../src/domain/job-edits.js";
import type { Drive, ExportSpec, Job, Location } from "../../src/domain/model.js";
import { JOB_STATES, type JobState, type JobType } from "../../src/domain/states.js";
import { BITLOCKER_KEY, bitLockerKey, newDrive, RETURN_ADDRESS } from "../support/fixtures.js";
import { job, refusal, SUBSCRIPTION, T0 } from "./helpers.js";

const LOCATION: Location = {
  id: "westus",
  name: "West US",
  recipientName: "Sneakernet West",
  streetAddress1: "1 Data Center Way",
  city: "Quincy",
  postalCode: "98848",
  countryOrRegion: "USA",
  phone: "5090000000",
  supportedCarriers: ["FedEx", "DHL"],
  alternateLocations: [],
};

const EXPORT: ExportSpec = { blobPaths: ["/photos/a.jpg"], blobPathPrefixes: ["/music/"] };
/** The key the job already holds for its drive WD-1. */
const HELD_KEY = BITLOCKER_KEY;

/** The job's drives: its own WD-1, and an extra drive found in its package (never part of its list). */
const DRIVES: readonly Drive[] = [
  newDrive({ driveId: "WD-1", state: "Specified" }),
  newDrive({ driveId: "EXTRA-9", state: "Received", extra: true }),
];
const keyOf = (driveId: string): string | undefined =>
  driveId.toUpperCase() === "WD-1" ? HELD_KEY : undefined;

/** Applies `changes` to a job in `state` (and `over`) that holds DRIVES, in West US. */
function edit(state: JobState, changes: JobChanges, over: Partial<Job> = {}) {
  return applyChanges(job({ state, ...over }), DRIVES, changes, LOCATION, keyOf);
}

const ALL = JOB_STATES;
const UNTIL_ENDED: readonly JobState[] = ["Creating", "Shipping", "Received", "Transferring", "Packaging"];
const ON_ITS_WAY: readonly JobState[] = ["Creating", "Shipping"];
const CREATING: readonly JobState[] = ["Creating"];

interface FieldRow {
  field: keyof JobChanges;
  /** The states in which it may still change: written out here, not read from EDITABLE_IN (which is private). */
  editableIn: readonly JobState[];
  why: string;
  type?: JobType;
  /** What a client re-sends after reading the job: the same value, perhaps spelled otherwise. */
  same: JobChanges;
  /** A change. */
  other: JobChanges;
  /** The value the change leaves, when it is not the value sent. */
  changedTo?: unknown;
}

/** The field as a result holds it: on the job, or the drive list to replace. */
const readBack = (field: keyof JobChanges, result: ReturnType<typeof applyChanges>): unknown =>
  field === "driveList" ? result.driveList : result.job[field];

const FIELDS: FieldRow[] = [
  {
    field: "tags",
    editableIn: ALL,
    why: "tags are the customer's own labels, in every state",
    same: { tags: {} },
    other: { tags: { team: "photos" } },
  },
  {
    field: "returnAddress",
    editableIn: UNTIL_ENDED,
    why: "the drives go back to it, until the job has ended",
    // Keys in another order: the same address.
    same: {
      returnAddress: Object.fromEntries(Object.entries(RETURN_ADDRESS).reverse()) as typeof RETURN_ADDRESS,
    },
    other: { returnAddress: { ...RETURN_ADDRESS, city: "Bellevue" } },
  },
  {
    field: "returnShipping",
    editableIn: UNTIL_ENDED,
    why: "the drives go back with it, until the job has ended",
    same: { returnShipping: { carrierAccountNumber: "12345", carrierName: "FedEx" } },
    other: { returnShipping: { carrierName: "DHL", carrierAccountNumber: "999" } },
  },
  {
    field: "deliveryPackage",
    editableIn: ON_ITS_WAY,
    why: "a tracking number can be corrected while the package is on its way, not after it arrived",
    // The same carrier and tracking number: the package is the same, whatever else is re-sent.
    same: { deliveryPackage: { carrierName: "FedEx", trackingNumber: "123456", driveCount: 1 } },
    other: { deliveryPackage: { carrierName: "DHL", trackingNumber: "987654" } },
  },
  {
    field: "logLevel",
    editableIn: ON_ITS_WAY,
    why: "the log is chosen until the package arrives",
    same: { logLevel: "error" },
    other: { logLevel: "verbose" },
    changedTo: "Verbose",
  },
  {
    field: "backupDriveManifest",
    editableIn: ON_ITS_WAY,
    why: "chosen until the package arrives",
    same: { backupDriveManifest: false },
    other: { backupDriveManifest: true },
  },
  {
    field: "diagnosticsPath",
    editableIn: CREATING,
    why: "fixed once the drives are on their way",
    same: { diagnosticsPath: "waimportexport" },
    other: { diagnosticsPath: "logs/2026" },
  },
  {
    field: "driveList",
    editableIn: CREATING,
    why: "the drives are fixed once shipped",
    // Ids in another case, keys left out (they are never read back): the same list.
    same: { driveList: [{ driveId: "wd-1" }] },
    other: { driveList: [{ driveId: "WD-2", bitLockerKey: BITLOCKER_KEY }] },
  },
  {
    field: "export",
    editableIn: CREATING,
    type: "Export",
    why: "what an export copies is fixed once the drives are on their way",
    same: { export: { blobPathPrefixes: ["/music/"], blobPaths: ["/photos/a.jpg"] } },
    other: { export: { blobPaths: [], blobPathPrefixes: ["/"] } },
  },
];

describe("applyChanges: which field may change in which state (EDITABLE_IN)", () => {
  it("has a row for every field a request may set", () => {
    const fields: Record<keyof JobChanges, true> = {
      tags: true,
      returnAddress: true,
      returnShipping: true,
      deliveryPackage: true,
      logLevel: true,
      backupDriveManifest: true,
      diagnosticsPath: true,
      driveList: true,
      export: true,
    };
    assert.deepEqual(FIELDS.map((row) => row.field).sort(), Object.keys(fields).sort());
  });

  for (const row of FIELDS) {
    for (const state of JOB_STATES) {
      const over: Partial<Job> = row.type === "Export" ? { type: "Export", export: EXPORT } : {};
      const editable = row.editableIn.includes(state);
      const before = job({ state, ...over });

      it(`${row.field} in ${state}: a change is ${editable ? "applied" : `refused (${row.why})`}`, () => {
        if (editable) {
          const expected = "changedTo" in row ? row.changedTo : row.other[row.field];
          assert.deepEqual(readBack(row.field, edit(state, row.other, over)), expected);
          return;
        }
        const error = refusal(() => edit(state, row.other, over));
        assert.equal(error?.code, "PropertyChangeNotAllowed");
        assert.equal(error.target, `properties.${row.field}`);
        assert.ok(error.message.includes(`'${row.field}'`), error.message);
        assert.ok(error.message.includes(`'${state}'`), error.message);
      });

      it(`${row.field} in ${state}: the same value re-sent is accepted (clients re-send what they read)`, () => {
        const result = edit(state, row.same, over);
        if (!editable) {
          // Accepted and left exactly as it was: no field set, no drive list replaced.
          assert.deepEqual(result, { job: before });
        } else if (row.field === "driveList") {
          // In Creating the list is replaced by itself.
          assert.deepEqual(result.driveList, row.same.driveList);
        }
      });
    }
  }
});

describe("applyChanges: what counts as the same drive list (job in Shipping)", () => {
  const rows: [string, DriveInput[], boolean][] = [
    ["its drives, ids in any case, no keys", [{ driveId: "Wd-1" }], true],
    ["its drives with the key it holds", [{ driveId: "WD-1", bitLockerKey: HELD_KEY }], true],
    ["its drives with another key", [{ driveId: "WD-1", bitLockerKey: bitLockerKey() }], false],
    ["another drive", [{ driveId: "WD-2" }], false],
    ["a drive more", [{ driveId: "WD-1" }, { driveId: "WD-2" }], false],
    ["no drive", [], false],
    [
      "its extra drive listed too (an extra drive is not the customer's)",
      [{ driveId: "WD-1" }, { driveId: "EXTRA-9" }],
      false,
    ],
  ];
  for (const [name, driveList, same] of rows) {
    it(`${name}: ${same ? "accepted" : "PropertyChangeNotAllowed"}`, () => {
      const error = refusal(() => edit("Shipping", { driveList }));
      assert.equal(error?.code, same ? undefined : "PropertyChangeNotAllowed");
    });
  }
});

describe("applyChanges: each field is validated, with its own code and target", () => {
  interface Row {
    name: string;
    changes: JobChanges;
    code: ErrorCode;
    target: string;
    type?: JobType;
  }
  const tooMany = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, "v"]));
  const rows: Row[] = [
    { name: "a tag without a name", changes: { tags: { "": "v" } }, code: "InvalidTags", target: "tags" },
    { name: "51 tags", changes: { tags: tooMany }, code: "InvalidTags", target: "tags" },
    {
      name: "a tag value of 257 characters",
      changes: { tags: { team: "x".repeat(257) } },
      code: "InvalidTags",
      target: "tags.team",
    },
    {
      name: "a return address without its city",
      changes: { returnAddress: { ...RETURN_ADDRESS, city: " " } },
      code: "InvalidAddress",
      target: "returnAddress.city",
    },
    {
      name: "a return address with no email address",
      changes: { returnAddress: { ...RETURN_ADDRESS, email: "ada" } },
      code: "InvalidAddress",
      target: "returnAddress.email",
    },
    {
      name: "a return carrier without a name",
      changes: { returnShipping: { carrierName: "", carrierAccountNumber: "1" } },
      code: "InvalidCarrier",
      target: "returnShipping.carrierName",
    },
    {
      name: "a return carrier without an account number",
      changes: { returnShipping: { carrierName: "DHL", carrierAccountNumber: "" } },
      code: "InvalidAddress",
      target: "returnShipping.carrierAccountNumber",
    },
    {
      name: "a delivery carrier the location does not accept",
      changes: { deliveryPackage: { carrierName: "UPS", trackingNumber: "1" } },
      code: "InvalidCarrier",
      target: "deliveryPackage.carrierName",
    },
    {
      name: "a tracking number with a slash",
      changes: { deliveryPackage: { carrierName: "FedEx", trackingNumber: "12/34" } },
      code: "InvalidTrackingNumber",
      target: "deliveryPackage.trackingNumber",
    },
    {
      name: "a package of 11 drives",
      changes: { deliveryPackage: { carrierName: "FedEx", trackingNumber: "1", driveCount: 11 } },
      code: "InvalidDriveList",
      target: "deliveryPackage.driveCount",
    },
    {
      name: "log level Loud",
      changes: { logLevel: "Loud" },
      code: "InvalidLogLevel",
      target: "properties.logLevel",
    },
    {
      name: "a diagnostics path that climbs out",
      changes: { diagnosticsPath: "logs/../../x" },
      code: "InvalidDiagnosticsPath",
      target: "diagnosticsPath",
    },
    {
      name: "an absolute diagnostics path",
      changes: { diagnosticsPath: "/logs" },
      code: "InvalidDiagnosticsPath",
      target: "diagnosticsPath",
    },
    {
      name: "an export spec on an import job",
      changes: { export: EXPORT },
      code: "InvalidExport",
      target: "properties.export",
    },
    {
      name: "an export spec that names nothing",
      type: "Export",
      changes: { export: { blobPaths: [], blobPathPrefixes: [] } },
      code: "InvalidExport",
      target: "properties.export",
    },
  ];
  for (const row of rows) {
    it(`${row.name}: ${row.code} at ${row.target}`, () => {
      const error = refusal(() => edit("Creating", row.changes, row.type ? { type: row.type } : {}));
      assert.equal(error?.code, row.code);
      assert.equal(error.target, row.target);
    });
  }

  it("a malformed value is refused as malformed in every state, even where the field is fixed", () => {
    for (const state of JOB_STATES) {
      const error = refusal(() => edit(state, { returnAddress: { ...RETURN_ADDRESS, email: "ada" } }));
      assert.equal(error?.code, "InvalidAddress", state);
    }
  });

  it("any carrier is accepted where no location is known", () => {
    const result = applyChanges(
      job(),
      DRIVES,
      { deliveryPackage: { carrierName: "UPS", trackingNumber: "1Z 999" } },
      undefined,
      keyOf,
    );
    assert.equal(result.job.deliveryPackage?.carrierName, "UPS");
  });
});

describe("applyChanges: the rest of the job", () => {
  it("an empty request changes nothing and replaces no drive list", () => {
    assert.deepEqual(edit("Creating", {}), { job: job() });
  });

  it("applies several fields at once and leaves the job it was given untouched", () => {
    const original = job();
    const snapshot = structuredClone(original);
    const result = applyChanges(
      original,
      DRIVES,
      { tags: { a: "1" }, logLevel: "Verbose", backupDriveManifest: true },
      LOCATION,
      keyOf,
    );
    assert.deepEqual(original, snapshot);
    assert.deepEqual(result.job, {
      ...snapshot,
      tags: { a: "1" },
      logLevel: "Verbose",
      backupDriveManifest: true,
    });
  });
});

describe("validateLogLevel", () => {
  for (const [value, level] of [
    ["Error", "Error"],
    ["error", "Error"],
    ["VERBOSE", "Verbose"],
    ["Verbose", "Verbose"],
  ] as const) {
    it(`${JSON.stringify(value)} is ${level}`, () => {
      assert.equal(validateLogLevel(value), level);
    });
  }
  for (const value of ["", "Info", " Error", "Errors", "Warning"]) {
    it(`refuses ${JSON.stringify(value)}, listing the levels`, () => {
      const error = refusal(() => validateLogLevel(value));
      assert.equal(error?.code, "InvalidLogLevel");
      assert.equal(error.target, "properties.logLevel");
      assert.match(error.message, /Error/);
      assert.match(error.message, /Verbose/);
    });
  }
});

describe("validateExport", () => {
  const spec = (over: Partial<ExportSpec>): ExportSpec => ({ blobPaths: [], blobPathPrefixes: [], ...over });
  const accepted: [string, ExportSpec][] = [
    ["a blob path", spec({ blobPaths: ["/photos/a.jpg"] })],
    ["a prefix", spec({ blobPathPrefixes: ["/"] })],
    ["a blob that lists them", spec({ blobListBlobPath: "lists/export.txt" })],
    ["a path of 1024 characters", spec({ blobPaths: [`/${"a".repeat(1023)}`] })],
    ["dots that do not climb", spec({ blobPaths: ["/a.b/c.d"] })],
  ];
  for (const [name, value] of accepted) {
    it(`accepts ${name}`, () => {
      assert.equal(
        refusal(() => validateExport(value)),
        undefined,
      );
    });
  }

  const required: [string, ExportSpec | undefined][] = [
    ["no export spec", undefined],
    ["an export spec that names nothing", spec({})],
    ["an empty blob-list path alone", spec({ blobListBlobPath: "" })],
  ];
  for (const [name, value] of required) {
    it(`asks for what to export: ${name}`, () => {
      const error = refusal(() => validateExport(value));
      assert.equal(error?.code, "InvalidExport");
      assert.equal(error.target, "properties.export");
      assert.match(error.message, /needs properties\.export/);
    });
  }

  const invalid: [string, ExportSpec][] = [
    ["an empty blob path", spec({ blobPaths: ["/a", ""] })],
    ["an empty prefix", spec({ blobPathPrefixes: [""] })],
    ["a path of 1025 characters", spec({ blobPaths: [`/${"a".repeat(1024)}`] })],
    ["a path that climbs", spec({ blobPathPrefixes: ["/a/../b"] })],
    ["a control character", spec({ blobPaths: ["/a\nb"] })],
    ["an empty blob-list path beside a blob path", spec({ blobPaths: ["/a"], blobListBlobPath: "" })],
    ["a blob-list path that climbs", spec({ blobListBlobPath: "../list.txt" })],
  ];
  for (const [name, value] of invalid) {
    it(`refuses ${name}`, () => {
      const error = refusal(() => validateExport(value));
      assert.equal(error?.code, "InvalidExport");
      assert.match(error.message, /^The blob path /);
    });
  }

  it("refuses DEL and C1 control characters too, as a diagnostics path does", () => {
    for (const path of ["/a\u007fb", "/a\u0085b"]) {
      assert.equal(refusal(() => validateExport(spec({ blobPaths: [path] })))?.code, "InvalidExport");
    }
  });
});

describe("planDriveList", () => {
  const importJob = { id: 7, type: "Import" } as const;
  const row = (driveId: string, key: string = bitLockerKey()): DriveInput => ({ driveId, bitLockerKey: key });
  const noKeys = () => false;
  const ELEVEN = Array.from({ length: 11 }, (_, i) => row(`WD-${i}`));
  const plan = (list: DriveInput[], hasKey: (id: string) => boolean = noKeys) =>
    planDriveList(importJob, list, hasKey, T0);

  interface Refused {
    name: string;
    list: DriveInput[];
    hasKey?: (id: string) => boolean;
    code: ErrorCode;
    target: string | undefined;
    message: RegExp;
  }
  const refused: Refused[] = [
    {
      name: "an import job needs at least one drive",
      list: [],
      code: "InvalidDriveList",
      target: "properties.driveList",
      message: /at least one drive/,
    },
    {
      name: "at most 10 drives: 11 are refused",
      list: ELEVEN,
      code: "TooManyDrives",
      target: "properties.driveList",
      message: /at most 10 drives; this one lists 11/,
    },
    {
      name: "a malformed serial names its row",
      list: [row("WD-1"), row("WD 2")],
      code: "InvalidDriveId",
      target: "properties.driveList[1].driveId",
      message: /'WD 2'/,
    },
    {
      name: "a drive listed twice, ignoring case, names the second row",
      list: [row("WD-1"), row("WD-2"), row("wd-1")],
      code: "DuplicateDriveId",
      target: "properties.driveList[2].driveId",
      message: /'wd-1' is listed twice/,
    },
    {
      name: "a malformed key names its row, not the key",
      list: [row("WD-1"), row("WD-2", "123")],
      code: "InvalidBitLockerKey",
      target: "properties.driveList[1].bitLockerKey",
      message: /'WD-2'/,
    },
    {
      name: "a missing key, when none is kept for the drive",
      list: [row("WD-1"), { driveId: "WD-2" }],
      hasKey: (id) => id === "WD-1",
      code: "InvalidBitLockerKey",
      target: "properties.driveList[1].bitLockerKey",
      message: /'WD-2' needs its bitLockerKey/,
    },
  ];
  for (const r of refused) {
    it(`${r.name}: ${r.code}`, () => {
      const error = refusal(() => plan(r.list, r.hasKey));
      assert.equal(error?.code, r.code);
      assert.equal(error.target, r.target);
      assert.match(error.message, r.message);
      for (const sent of r.list) {
        assert.ok(!sent.bitLockerKey || !error.message.includes(sent.bitLockerKey), "a key is never echoed");
      }
    });
  }

  it("too many drives is a refusal of the list, at properties.driveList like the list's other refusals", () => {
    assert.equal(refusal(() => plan(ELEVEN))?.target, "properties.driveList");
  });

  it("10 drives are accepted", () => {
    assert.equal(plan(Array.from({ length: 10 }, (_, i) => row(`WD-${i}`))).length, 10);
  });

  it("a missing key is accepted when one is kept for the drive, and the plan brings none", () => {
    const asked: string[] = [];
    const planned = plan([{ driveId: "WD-1" }], (id) => {
      asked.push(id);
      return true;
    });
    assert.deepEqual(asked, ["WD-1"]);
    assert.equal(planned.length, 1);
    assert.ok(!("bitLockerKey" in planned[0]!));
  });

  it("a key sent is planned with its drive, even if one is kept already", () => {
    const key = bitLockerKey();
    assert.equal(plan([row("WD-1", key)], () => true)[0]?.bitLockerKey, key);
  });

  it("each drive is Specified, own, in the job, as listed, with nothing copied", () => {
    const planned = plan([
      {
        driveId: "wd-1",
        bitLockerKey: BITLOCKER_KEY,
        manifestFile: "\\m.xml",
        manifestHash: "AB",
        driveHeaderHash: "CD",
      },
      row("WD-2"),
    ]);
    assert.deepEqual(
      planned.map((p) => p.drive),
      [
        newDrive({
          jobId: 7,
          driveId: "wd-1",
          state: "Specified",
          stateChangedAt: T0,
          manifestFile: "\\m.xml",
          manifestHash: "AB",
          driveHeaderHash: "CD",
        }),
        newDrive({ jobId: 7, driveId: "WD-2", state: "Specified", stateChangedAt: T0 }),
      ],
    );
  });

  it("an export job lists no drives (they are registered when they arrive)", () => {
    const exportJob = { id: 7, type: "Export" } as const;
    assert.deepEqual(planDriveList(exportJob, [], noKeys, T0), []);
    const error = refusal(() => planDriveList(exportJob, [row("WD-1")], noKeys, T0));
    assert.equal(error?.code, "InvalidDriveList");
    assert.equal(error.target, "properties.driveList");
  });
});

describe("parseJobType", () => {
  for (const [value, type] of [
    ["Import", "Import"],
    ["import", "Import"],
    ["EXPORT", "Export"],
  ] as const) {
    it(`${value} is ${type}`, () => {
      assert.equal(parseJobType(value), type);
    });
  }
  for (const value of [undefined, "", "Both", " Import", "Imports"]) {
    it(`refuses ${JSON.stringify(value)}`, () => {
      const error = refusal(() => parseJobType(value));
      assert.equal(error?.code, "InvalidJobType");
      assert.equal(error.target, "properties.jobType");
    });
  }
});

describe("newJob", () => {
  const input = (over: Partial<NewJobInput> = {}): NewJobInput => ({
    address: {
      subscriptionId: SUBSCRIPTION.toUpperCase().replace(/0/g, "A"),
      resourceGroup: "My-RG",
      name: "Photos_1",
    },
    location: LOCATION,
    type: "Import",
    storageAccountId: "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct",
    at: T0,
    actor: "ada@example.com",
    ...over,
  });

  it("starts in Creating with the service's defaults", () => {
    const created = newJob(input());
    assert.equal(created.state, "Creating");
    assert.equal(created.diagnosticsPath, "waimportexport");
    assert.equal(created.logLevel, "Error");
    assert.deepEqual(created.encryptionKey, { kekType: "MicrosoftManaged" });
    assert.equal(created.backupDriveManifest, false);
    assert.equal(created.cancelRequested, false);
    assert.deepEqual(created.tags, {});
    for (const field of [
      "returnAddress",
      "returnShipping",
      "deliveryPackage",
      "trackingRecordedAt",
    ] as const) {
      assert.ok(!(field in created), field);
    }
  });

  it("lower-cases the subscription, keeps the resource group's and the name's case, and takes the location's id", () => {
    const created = newJob(input());
    assert.equal(created.subscriptionId, "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaa1");
    assert.equal(created.resourceGroup, "My-RG");
    assert.equal(created.name, "Photos_1");
    assert.equal(created.location, "westus");
  });

  it("is made, modified and in its state since the moment and by the person given", () => {
    const created = newJob(input());
    assert.deepEqual(
      [
        created.createdAt,
        created.lastModifiedAt,
        created.stateChangedAt,
        created.createdBy,
        created.lastModifiedBy,
      ],
      [T0, T0, T0, "ada@example.com", "ada@example.com"],
    );
  });

  it("takes a log level in any case, and refuses an unknown one", () => {
    assert.equal(newJob(input({ logLevel: "verbose" })).logLevel, "Verbose");
    assert.equal(refusal(() => newJob(input({ logLevel: "Debug" })))?.code, "InvalidLogLevel");
  });

  it("keeps a customer-managed key", () => {
    const key = { kekType: "CustomerManaged", kekUrl: "https://vault/keys/k" } as const;
    assert.deepEqual(newJob(input({ encryptionKey: key })).encryptionKey, key);
  });

  it("an export job needs an export spec, and it must be valid", () => {
    assert.equal(newJob(input({ type: "Export", export: EXPORT })).type, "Export");
    for (const spec of [
      undefined,
      { blobPaths: [], blobPathPrefixes: [] },
      { blobPaths: [".."], blobPathPrefixes: [] },
    ]) {
      const error = refusal(() => newJob(input({ type: "Export", ...(spec ? { export: spec } : {}) })));
      assert.equal(error?.code, "InvalidExport");
    }
  });

  it("an import job takes no export spec", () => {
    const error = refusal(() => newJob(input({ export: EXPORT })));
    assert.equal(error?.code, "InvalidExport");
    assert.match(error.message, /export jobs only/);
  });
});

describe("throwIfFixedFieldsChanged", () => {
  const fixed = job({
    storageAccountId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct",
  });
  const rows: [string, Parameters<typeof throwIfFixedFieldsChanged>[1], string | undefined][] = [
    ["the same location alone", { location: "westus" }, undefined],
    ["the same job type in another case", { location: "westus", jobType: "import" }, undefined],
    [
      "the same storage account in another case",
      { location: "westus", storageAccountId: fixed.storageAccountId.toUpperCase() },
      undefined,
    ],
    ["another location", { location: "eastus" }, "location"],
    ["another job type", { location: "westus", jobType: "Export" }, "properties.jobType"],
    [
      "another storage account",
      { location: "westus", storageAccountId: fixed.storageAccountId.replace("acct", "other") },
      "properties.storageAccountId",
    ],
  ];
  for (const [name, sent, target] of rows) {
    it(`${name}: ${target === undefined ? "accepted" : `PropertyChangeNotAllowed at ${target}`}`, () => {
      const error = refusal(() => throwIfFixedFieldsChanged(fixed, sent));
      assert.equal(error?.code, target === undefined ? undefined : "PropertyChangeNotAllowed");
      assert.equal(error?.target, target);
      if (error) {
        assert.match(error.message, /cannot change after creation/);
      }
    });
  }

  it("a job type that is no job type is refused as such", () => {
    assert.equal(
      refusal(() => throwIfFixedFieldsChanged(fixed, { location: "westus", jobType: "Both" }))?.code,
      "InvalidJobType",
    );
  });
});
