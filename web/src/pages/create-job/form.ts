/**
 * @module The create-job form's state: what the person typed, changed only by a pure reducer, and which of its
 * fields an error can be shown next to.
 */

import type { MessageKey } from "../../i18n";
import { type JOB_TYPES, MAX_DRIVES_PER_JOB } from "../../lifecycle";

/** The return address's fields, in the form's order, and whether each is required. */
export const ADDRESS_FIELDS = [
  ["recipientName", true],
  ["streetAddress1", true],
  ["streetAddress2", false],
  ["city", true],
  ["stateOrProvince", false],
  ["postalCode", true],
  ["countryOrRegion", true],
  ["phone", true],
  ["email", true],
] as const;
export type AddressField = (typeof ADDRESS_FIELDS)[number][0];

export type JobType = (typeof JOB_TYPES)[number];

export interface DriveRow {
  driveId: string;
  bitLockerKey: string;
}

export interface CreateJobForm {
  subscription: string;
  name: string;
  resourceGroup: string;
  /** Empty until one is picked: the first location offered is then meant. */
  location: string;
  type: JobType;
  /** A name, or a full resource id (starting with /). */
  storageAccount: string;
  /** Import jobs: one row per drive, blank rows allowed (they are not sent). */
  drives: DriveRow[];
  /** Export jobs: blob paths and prefixes, one per line. */
  blobs: string;
  address: Partial<Record<AddressField, string>>;
  carrier: string;
  carrierAccount: string;
  logLevel: string;
}

type TextField =
  | "subscription"
  | "name"
  | "resourceGroup"
  | "location"
  | "storageAccount"
  | "blobs"
  | "carrier"
  | "carrierAccount"
  | "logLevel";

export type CreateJobAction =
  | { type: "set"; field: TextField; value: string }
  | { type: "setJobType"; jobType: JobType }
  | { type: "setAddress"; field: AddressField; value: string }
  | { type: "setDrive"; index: number; field: keyof DriveRow; value: string }
  | { type: "addDrive" }
  | { type: "removeDrive"; index: number };

const BLANK_DRIVE: DriveRow = { driveId: "", bitLockerKey: "" };

export function initialForm(subscription: string): CreateJobForm {
  return {
    subscription,
    name: "",
    resourceGroup: "",
    location: "",
    type: "Import",
    storageAccount: "",
    drives: [BLANK_DRIVE],
    blobs: "",
    address: {},
    carrier: "",
    carrierAccount: "",
    logLevel: "Error",
  };
}

export function createJobReducer(form: CreateJobForm, action: CreateJobAction): CreateJobForm {
  switch (action.type) {
    case "set":
      return { ...form, [action.field]: action.value };
    case "setJobType":
      return { ...form, type: action.jobType };
    case "setAddress":
      return { ...form, address: { ...form.address, [action.field]: action.value } };
    case "setDrive":
      return {
        ...form,
        drives: form.drives.map((drive, i) =>
          i === action.index ? { ...drive, [action.field]: action.value } : drive,
        ),
      };
    case "addDrive":
      // The server takes at most this many; the button stops there too.
      return form.drives.length >= MAX_DRIVES_PER_JOB
        ? form
        : { ...form, drives: [...form.drives, BLANK_DRIVE] };
    case "removeDrive":
      // One row always stays: an import job needs a drive, and the form a place to type it.
      return form.drives.length <= 1
        ? form
        : { ...form, drives: form.drives.filter((_, i) => i !== action.index) };
  }
}

/** A field of the form, named as the request names it (less `properties.`), the URL's parts as the form does. */
export type FieldKey =
  | "name"
  | "resourceGroup"
  | "location"
  | "storageAccountId"
  | "logLevel"
  | "export"
  | `driveList.${number}.${keyof DriveRow}`
  | `returnAddress.${AddressField}`
  | `returnShipping.${"carrierName" | "carrierAccountNumber"}`;

export const driveField = (index: number, field: keyof DriveRow): FieldKey => `driveList.${index}.${field}`;
export const addressField = (field: AddressField): FieldKey => `returnAddress.${field}`;

/** The fields the form shows now, where an error can be shown next to its field. */
export function formFields(form: CreateJobForm): Set<string> {
  const fields: FieldKey[] = [
    "name",
    "resourceGroup",
    "location",
    "storageAccountId",
    "logLevel",
    ...ADDRESS_FIELDS.map(([field]) => addressField(field)),
    "returnShipping.carrierName",
    "returnShipping.carrierAccountNumber",
  ];
  if (form.type === "Import") {
    fields.push(...form.drives.flatMap((_, i) => [driveField(i, "driveId"), driveField(i, "bitLockerKey")]));
  } else {
    fields.push("export");
  }
  return new Set(fields);
}

/** What is plainly missing, said at once without a round trip: each empty required field with its label. */
export function missingFields(form: CreateJobForm): { field: FieldKey; label: MessageKey }[] {
  const required: [FieldKey, MessageKey, string | undefined][] = [
    ["name", "jobName", form.name],
    ["resourceGroup", "resourceGroup", form.resourceGroup],
    ["storageAccountId", "storageAccountName", form.storageAccount],
    ...ADDRESS_FIELDS.filter(([, needed]) => needed).map(
      ([field]): [FieldKey, MessageKey, string | undefined] => [
        addressField(field),
        field,
        form.address[field],
      ],
    ),
  ];
  return required.filter(([, , value]) => !value?.trim()).map(([field, label]) => ({ field, label }));
}
