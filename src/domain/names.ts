/** @module Validation of every name and value a user sends: each refusal is a DomainError with its own code. */

import { DomainError, type ErrorCode } from "./errors.js";
import type { DeliveryPackage, ReturnAddress, ReturnShipping } from "./model.js";

export interface StorageAccountRef {
  subscriptionId: string;
  resourceGroup: string;
  provider: "Microsoft.Storage" | "Microsoft.ClassicStorage";
  accountName: string;
}

// Values arrive from JSON bodies and URL paths, so every check starts with `typeof`: a number or an
// object must be refused with the same code as a malformed string, never crash a regex.

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RESOURCE_GROUP = /^[\p{L}0-9_().-]+$/u;
const JOB_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const DRIVE_ID = /^[A-Za-z0-9._-]+$/;
const BITLOCKER_KEY = /^[0-9]{6}(?:-[0-9]{6}){7}$/;
const ACCOUNT_NAME = /^[a-z0-9]{3,24}$/;
const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;
const PHONE = /^[0-9 +()-]+$/;
const TRACKING_NUMBER = /^[A-Za-z0-9 -]+$/;
const ONLY_DOTS = /^\.+$/;
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Length in characters as a person counts them (code points), not UTF-16 units. */
function length(value: string): number {
  return [...value].length;
}

function fail(code: ErrorCode, message: string, target?: string): never {
  throw new DomainError(code, message, target);
}

/** A printable rendering of a refused value for a message; long or odd values are cut, not echoed. */
function shown(value: unknown): string {
  if (typeof value !== "string") {
    return `a ${value === null ? "null" : typeof value}`;
  }
  const clean = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?"); // eslint-disable-line no-control-regex
  return `'${length(clean) > 80 ? `${[...clean].slice(0, 80).join("")}…` : clean}'`;
}

export function validateSubscriptionId(value: string): void {
  if (typeof value !== "string" || !GUID.test(value)) {
    fail(
      "InvalidSubscriptionId",
      `The subscription id ${shown(value)} is not valid: it must be a GUID such as '00000000-0000-0000-0000-000000000000'.`,
      "subscriptionId",
    );
  }
}

export function validateResourceGroupName(value: string): void {
  const ok =
    typeof value === "string" &&
    length(value) >= 1 &&
    length(value) <= 90 &&
    RESOURCE_GROUP.test(value) &&
    !value.endsWith(".");
  // "Only dots" always ends with a dot, so the endsWith test covers it.
  if (!ok) {
    fail(
      "InvalidResourceGroupName",
      `The resource group name ${shown(value)} is not valid: use 1 to 90 letters, digits, '_', '-', '.', '(' or ')', not ending with '.'.`,
      "resourceGroupName",
    );
  }
}

export function validateJobName(value: string): void {
  if (typeof value !== "string" || value.length < 3 || value.length > 64 || !JOB_NAME.test(value)) {
    fail(
      "InvalidJobName",
      `The job name ${shown(value)} is not valid: use 3 to 64 characters from A-Z, a-z, 0-9, '-' and '_', starting with a letter or a digit.`,
      "jobName",
    );
  }
}

/** `target` names the field in the request (a drive list's row: `properties.driveList[2].driveId`). */
export function validateDriveId(value: string, target = "driveId"): void {
  if (
    typeof value !== "string" ||
    value.length < 1 ||
    value.length > 64 ||
    !DRIVE_ID.test(value) ||
    ONLY_DOTS.test(value)
  ) {
    fail(
      "InvalidDriveId",
      `The drive id ${shown(value)} is not valid: give the drive's serial number without spaces, 1 to 64 characters from A-Z, a-z, 0-9, '-', '_' and '.'.`,
      target,
    );
  }
}

export function validateBitLockerKey(driveId: string, value: string, target = "bitLockerKey"): void {
  if (typeof value !== "string" || !BITLOCKER_KEY.test(value)) {
    // The key is a secret: the message names the drive and the expected form, never the value sent.
    fail(
      "InvalidBitLockerKey",
      `The BitLocker key of drive ${shown(driveId)} is not valid: give its 48-digit recovery password, 8 groups of 6 digits separated by '-'.`,
      target,
    );
  }
}

const PROVIDERS: Record<string, StorageAccountRef["provider"]> = {
  "microsoft.storage": "Microsoft.Storage",
  "microsoft.classicstorage": "Microsoft.ClassicStorage",
};

export function parseStorageAccountId(value: string): StorageAccountRef {
  const refuse = (why: string): never =>
    fail(
      "InvalidStorageAccountId",
      `The storage account id ${shown(value)} is not valid (${why}). Expected '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.Storage/storageAccounts/{accountName}' (or Microsoft.ClassicStorage), with an account name of 3 to 24 lowercase letters and digits.`,
      "storageAccountId",
    );
  if (typeof value !== "string") {
    return refuse("it is not a string");
  }
  const parts = value.split("/");
  if (parts.length !== 9 || parts[0] !== "") {
    return refuse("it does not have the expected segments");
  }
  const [
    ,
    subscriptions,
    subscriptionId,
    resourceGroups,
    resourceGroup,
    providers,
    provider,
    accounts,
    name,
  ] = parts as [string, string, string, string, string, string, string, string, string];
  if (
    subscriptions.toLowerCase() !== "subscriptions" ||
    resourceGroups.toLowerCase() !== "resourcegroups" ||
    providers.toLowerCase() !== "providers" ||
    accounts.toLowerCase() !== "storageaccounts"
  ) {
    return refuse("it does not have the expected segments");
  }
  if (!GUID.test(subscriptionId)) {
    return refuse("the subscription id is not a GUID");
  }
  try {
    validateResourceGroupName(resourceGroup);
  } catch {
    return refuse("the resource group name is not valid");
  }
  const canonical = Object.hasOwn(PROVIDERS, provider.toLowerCase())
    ? PROVIDERS[provider.toLowerCase()]
    : undefined;
  if (canonical === undefined) {
    return refuse("the provider is neither Microsoft.Storage nor Microsoft.ClassicStorage");
  }
  if (!ACCOUNT_NAME.test(name)) {
    return refuse("the account name is not valid");
  }
  return { subscriptionId, resourceGroup, provider: canonical, accountName: name };
}

/** `West US`, `westus`, `WestUS` → `westus`. */
export function locationKey(value: string): string {
  return value.toLowerCase().replace(/\s+/g, "");
}

const ADDRESS_REQUIRED = [
  "recipientName",
  "streetAddress1",
  "city",
  "postalCode",
  "countryOrRegion",
  "phone",
  "email",
] as const;
const ADDRESS_OPTIONAL = ["streetAddress2", "stateOrProvince"] as const;
const ADDRESS_MAX = 200;

/** A required text field: a string with something besides spaces, at most `max` characters. */
function requireText(
  code: ErrorCode,
  value: unknown,
  max: number,
  target: string,
  what: string,
): asserts value is string {
  if (typeof value !== "string" || value.trim() === "") {
    fail(code, `Set ${target}: ${what} is required.`, target);
  }
  if (length(value) > max) {
    fail(code, `${target} is too long: at most ${max} characters.`, target);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function validateReturnAddress(value: ReturnAddress): void {
  if (!isObject(value)) {
    fail("InvalidAddress", "returnAddress must be an object with the address fields.", "returnAddress");
  }
  const fields = value as unknown as Record<string, unknown>;
  for (const field of ADDRESS_REQUIRED) {
    requireText(
      "InvalidAddress",
      fields[field],
      ADDRESS_MAX,
      `returnAddress.${field}`,
      "this field of the return address",
    );
  }
  for (const field of ADDRESS_OPTIONAL) {
    const text = fields[field];
    if (text === undefined || text === null) {
      continue;
    }
    if (typeof text !== "string" || length(text) > ADDRESS_MAX) {
      fail(
        "InvalidAddress",
        `returnAddress.${field} must be text of at most ${ADDRESS_MAX} characters.`,
        `returnAddress.${field}`,
      );
    }
  }
  if (!EMAIL.test(value.email)) {
    fail(
      "InvalidAddress",
      `returnAddress.email ${shown(value.email)} is not an email address (expected name@example.com).`,
      "returnAddress.email",
    );
  }
  if (!PHONE.test(value.phone) || !/[0-9]/.test(value.phone)) {
    fail(
      "InvalidAddress",
      `returnAddress.phone ${shown(value.phone)} is not a phone number: use digits, spaces, '+', '-', '(' and ')'.`,
      "returnAddress.phone",
    );
  }
}

export function validateReturnShipping(value: ReturnShipping): void {
  if (!isObject(value)) {
    fail(
      "InvalidCarrier",
      "returnShipping must be an object with carrierName and carrierAccountNumber.",
      "returnShipping",
    );
  }
  requireText(
    "InvalidCarrier",
    value.carrierName,
    100,
    "returnShipping.carrierName",
    "the return carrier's name",
  );
  requireText(
    "InvalidAddress",
    value.carrierAccountNumber,
    100,
    "returnShipping.carrierAccountNumber",
    "your account number with the return carrier",
  );
}

function checkCarrierName(value: unknown, supported: readonly string[] | undefined, target: string): void {
  requireText("InvalidCarrier", value, 50, target, "the carrier's name");
  if (supported && !supported.some((carrier) => carrier.toLowerCase() === value.trim().toLowerCase())) {
    const list = supported.length > 0 ? supported.map((carrier) => `'${carrier}'`).join(", ") : "none";
    fail(
      "InvalidCarrier",
      `The carrier ${shown(value)} is not supported here. Supported carriers: ${list}.`,
      target,
    );
  }
}

export function validateCarrierName(value: string, supported?: readonly string[]): void {
  checkCarrierName(value, supported, "carrierName");
}

function checkTrackingNumber(value: unknown, target: string): void {
  if (typeof value !== "string" || value.length > 64 || !TRACKING_NUMBER.test(value) || value.trim() === "") {
    fail(
      "InvalidTrackingNumber",
      `The tracking number ${shown(value)} is not valid: use 1 to 64 letters, digits, '-' and spaces, as the carrier printed it.`,
      target,
    );
  }
}

export function validateTrackingNumber(value: string): void {
  checkTrackingNumber(value, "trackingNumber");
}

export function validateDeliveryPackage(value: DeliveryPackage, supportedCarriers?: readonly string[]): void {
  if (!isObject(value)) {
    fail(
      "InvalidTrackingNumber",
      "deliveryPackage must be an object with carrierName and trackingNumber.",
      "deliveryPackage",
    );
  }
  checkCarrierName(value.carrierName, supportedCarriers, "deliveryPackage.carrierName");
  checkTrackingNumber(value.trackingNumber, "deliveryPackage.trackingNumber");
  const count: unknown = value.driveCount;
  if (
    count !== undefined &&
    count !== null &&
    (!Number.isInteger(count) || (count as number) < 0 || (count as number) > 10)
  ) {
    fail(
      "InvalidDriveList",
      `deliveryPackage.driveCount must be a whole number from 0 to 10 (the drives in the package).`,
      "deliveryPackage.driveCount",
    );
  }
}

const MAX_TAGS = 50;

export function validateTags(value: Record<string, string>): void {
  if (!isObject(value)) {
    fail("InvalidTags", "tags must be an object of string keys and string values.", "tags");
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_TAGS) {
    fail(
      "InvalidTags",
      `A job can have at most ${MAX_TAGS} tags; this request has ${entries.length}.`,
      "tags",
    );
  }
  for (const [key, tag] of entries) {
    if (length(key) < 1 || length(key) > 512) {
      fail("InvalidTags", `The tag name ${shown(key)} is not valid: use 1 to 512 characters.`, "tags");
    }
    if (typeof tag !== "string" || length(tag) > 256) {
      fail(
        "InvalidTags",
        `The value of tag ${shown(key)} must be text of at most 256 characters.`,
        `tags.${key}`,
      );
    }
  }
}

export function validateDiagnosticsPath(value: string): void {
  const ok =
    typeof value === "string" &&
    length(value) >= 1 &&
    length(value) <= 1024 &&
    !value.includes("..") &&
    !value.startsWith("/") &&
    !value.includes("\\") &&
    !CONTROL.test(value);
  if (!ok) {
    fail(
      "InvalidDiagnosticsPath",
      `The diagnostics path ${shown(value)} is not valid: give a blob directory such as 'waimportexport', 1 to 1024 characters, without '..', a leading '/', '\\' or control characters.`,
      "diagnosticsPath",
    );
  }
}
