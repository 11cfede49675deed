/**
 * @module The create-job form's pure parts (web/src/pages/create-job/): the reducer over what the person types,
 * the required-field check, and the body builder, whose PUT the server's own schema and validators read back as
 * the form meant it, with its refusals landing on the form row they are about.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { putInput } from "../../src/api/arm/map.js";
import { parseBody } from "../../src/api/http/body.js";
import { MAX_DRIVES_PER_JOB } from "../../src/domain/job.js";
import { planDriveList } from "../../src/domain/job-edits.js";
import type { ReturnAddress } from "../../src/domain/model.js";
import { validateReturnAddress } from "../../src/domain/names.js";
import { putJobParameters } from "../../src/wire/arm.js";
import { BITLOCKER_KEY, RETURN_ADDRESS } from "../support/fixtures.js";
import { fieldOf, loadPortalModule, refusalTarget } from "./portal-modules.js";

type DriveRow = { driveId: string; bitLockerKey: string };
interface Form {
  subscription: string;
  name: string;
  resourceGroup: string;
  location: string;
  type: "Import" | "Export";
  storageAccount: string;
  drives: DriveRow[];
  blobs: string;
  address: Record<string, string>;
  carrier: string;
  carrierAccount: string;
  logLevel: string;
}
type Action =
  | { type: "set"; field: string; value: string }
  | { type: "setJobType"; jobType: "Import" | "Export" }
  | { type: "setAddress"; field: string; value: string }
  | { type: "setDrive"; index: number; field: keyof DriveRow; value: string }
  | { type: "addDrive" }
  | { type: "removeDrive"; index: number };
interface FormModule {
  ADDRESS_FIELDS: readonly (readonly [string, boolean])[];
  initialForm(subscription: string): Form;
  createJobReducer(form: Form, action: Action): Form;
  formFields(form: Form): Set<string>;
  missingFields(form: Form): { field: string; label: string }[];
}
interface RequestModule {
  jobRequest(form: Form, location: string): { id: string; body: unknown; driveRows: number[] };
}

const { ADDRESS_FIELDS, initialForm, createJobReducer, formFields, missingFields } =
  await loadPortalModule<FormModule>("pages/create-job/form.ts");
const { jobRequest } = await loadPortalModule<RequestModule>("pages/create-job/job-request.ts");

const SUB = "6f1d2a3b-0000-4000-8000-0000000000aa";
const apply = (form: Form, ...actions: Action[]) => actions.reduce(createJobReducer, form);

/** A form filled in as a person would, spaces and all. */
function filled(over: Partial<Form> = {}): Form {
  return {
    ...initialForm(SUB),
    name: " photos ",
    resourceGroup: " rg1 ",
    storageAccount: " devstoreaccount1 ",
    address: Object.fromEntries(Object.entries(RETURN_ADDRESS).map(([k, v]) => [k, ` ${v} `])),
    ...over,
  };
}

/** What the server reads from the body: its schema, then its mapping to a use case's input. */
function serverReads(body: unknown) {
  return putInput(parseBody(putJobParameters, body));
}

describe("the create-job form's state", () => {
  it("changes only what each action names, never the state it was given", () => {
    const start = initialForm(SUB);
    const frozen = structuredClone(start);
    const typed = apply(
      start,
      { type: "set", field: "name", value: "photos" },
      { type: "setAddress", field: "city", value: "Redmond" },
      { type: "setDrive", index: 0, field: "bitLockerKey", value: BITLOCKER_KEY },
      { type: "setJobType", jobType: "Export" },
    );
    assert.deepEqual(start, frozen, "the reducer does not mutate");
    assert.deepEqual(typed, {
      ...start,
      name: "photos",
      type: "Export",
      address: { city: "Redmond" },
      drives: [{ driveId: "", bitLockerKey: BITLOCKER_KEY }],
    });
  });

  it("adds drive rows up to the server's limit and removes any row but the last one left", () => {
    let form = initialForm(SUB);
    for (let i = 0; i < MAX_DRIVES_PER_JOB + 3; i++) {
      form = apply(form, { type: "addDrive" });
    }
    assert.equal(form.drives.length, MAX_DRIVES_PER_JOB);
    form = form.drives.reduce(
      (f, _, i) => createJobReducer(f, { type: "setDrive", index: i, field: "driveId", value: `D${i}` }),
      form,
    );
    form = apply(form, { type: "removeDrive", index: 1 });
    assert.deepEqual(
      form.drives.map((d) => d.driveId),
      Array.from({ length: MAX_DRIVES_PER_JOB }, (_, i) => `D${i}`).filter((id) => id !== "D1"),
    );
    while (form.drives.length > 1) {
      form = apply(form, { type: "removeDrive", index: 0 });
    }
    assert.deepEqual(apply(form, { type: "removeDrive", index: 0 }).drives, form.drives, "one row stays");
  });

  it("requires what the server requires of a return address, and the job's name, group and account", () => {
    // The server's own check, field by field: a required field left out is refused, an optional one is not.
    for (const [field, needed] of ADDRESS_FIELDS) {
      const address: Record<string, string> = {
        ...RETURN_ADDRESS,
        streetAddress2: "B",
        stateOrProvince: "WA",
      };
      delete address[field];
      const refused = refusalTarget(() => validateReturnAddress(address as unknown as ReturnAddress));
      assert.equal(refused, needed ? `returnAddress.${field}` : undefined, field);
      const missing = missingFields(filled({ address: { ...address, [field]: "   " } })).map((m) => m.field);
      assert.deepEqual(missing, needed ? [`returnAddress.${field}`] : [], field);
    }
    const missing = missingFields(initialForm(SUB));
    assert.deepEqual(
      missing.map((m) => m.field),
      [
        "name",
        "resourceGroup",
        "storageAccountId",
        ...ADDRESS_FIELDS.filter(([, needed]) => needed).map(([f]) => `returnAddress.${f}`),
      ],
    );
    for (const { field } of missing) {
      assert.ok(formFields(initialForm(SUB)).has(field), `${field} is a field the error can sit next to`);
    }
    assert.deepEqual(missingFields(filled()), []);
  });
});

describe("the create-job request", () => {
  it("sends an import job as the server reads it: trimmed, blank rows and empty fields left out", () => {
    const form = filled({
      drives: [
        { driveId: " DRIVEA01 ", bitLockerKey: BITLOCKER_KEY },
        { driveId: " ", bitLockerKey: "" },
        { driveId: "DRIVEB02", bitLockerKey: ` ${BITLOCKER_KEY}` },
      ],
      address: { ...filled().address, streetAddress2: "  " },
      blobs: "/ignored/for/an/import",
    });
    const request = jobRequest(form, "West US");
    assert.equal(
      request.id,
      `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.ImportExport/jobs/photos`,
    );
    const input = serverReads(request.body);
    assert.equal(input.location, "West US");
    assert.equal(input.jobType, "Import");
    assert.equal(
      input.storageAccountId,
      `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/devstoreaccount1`,
    );
    assert.deepEqual(input.returnAddress, RETURN_ADDRESS);
    assert.equal(input.returnShipping, undefined, "no return carrier given: none sent");
    assert.equal(input.export, undefined);
    assert.deepEqual(input.driveList, [
      { driveId: "DRIVEA01", bitLockerKey: BITLOCKER_KEY },
      { driveId: "DRIVEB02", bitLockerKey: BITLOCKER_KEY },
    ]);
    assert.deepEqual(request.driveRows, [0, 2]);
    assert.equal(planDriveList({ id: 1, type: "Import" }, input.driveList!, () => false, "t").length, 2);
  });

  it("sends an export job's lines as paths and prefixes, a full account id as given, and return shipping", () => {
    const account = `/subscriptions/${SUB}/resourceGroups/other/providers/Microsoft.Storage/storageAccounts/acct2`;
    const form = filled({
      type: "Export",
      storageAccount: ` ${account} `,
      blobs: " /photos/ \n\n/docs/report.pdf\n",
      carrier: " FedEx ",
      carrierAccount: "123",
      logLevel: "Verbose",
    });
    const request = jobRequest(form, "West US");
    const input = serverReads(request.body);
    assert.equal(input.storageAccountId, account);
    assert.deepEqual(input.export, { blobPaths: ["/docs/report.pdf"], blobPathPrefixes: ["/photos/"] });
    assert.equal(input.driveList, undefined, "an export job lists no drives");
    assert.deepEqual(request.driveRows, []);
    assert.deepEqual(input.returnShipping, { carrierName: "FedEx", carrierAccountNumber: "123" });
    assert.equal(input.logLevel, "Verbose");
  });

  it("puts the server's refusal of a drive on the form row the drive was typed in", () => {
    const form = filled({
      drives: [
        { driveId: "", bitLockerKey: "" },
        { driveId: "DRIVEA01", bitLockerKey: BITLOCKER_KEY },
        { driveId: "", bitLockerKey: "" },
        { driveId: "DRIVEB02", bitLockerKey: "12345" },
        { driveId: "drivea01", bitLockerKey: BITLOCKER_KEY },
      ],
    });
    const request = jobRequest(form, "West US");
    const rows = { driveList: request.driveRows };
    const drives = serverReads(request.body).driveList!;
    const badKey = refusalTarget(() => planDriveList({ id: 1, type: "Import" }, drives, () => false, "t"));
    assert.equal(badKey, "properties.driveList[1].bitLockerKey", "the server counts the rows it was sent");
    assert.equal(fieldOf(badKey, formFields(form), rows), "driveList.3.bitLockerKey");
    const twice = drives.map((d, i) => (i === 1 ? { ...d, bitLockerKey: BITLOCKER_KEY } : d));
    const duplicate = refusalTarget(() => planDriveList({ id: 1, type: "Import" }, twice, () => false, "t"));
    assert.equal(fieldOf(duplicate, formFields(form), rows), "driveList.4.driveId");
    // The same form as an export job shows no drive rows: a drive's refusal has no field there.
    assert.equal(fieldOf(badKey, formFields({ ...form, type: "Export" }), rows), undefined);
  });
});
