/** @module Validation of every name and value a user sends: each refusal is a DomainError with its own code. */

import { type ErrorCode, errors, textLength as length } from "./errors.js";
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

export function validateSubscriptionId(value: string): void {
  if (typeof value !== "string" || !GUID.test(value)) {
    throw errors.subscriptionIdInvalid(value);
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
    throw errors.resourceGroupNameInvalid(value);
  }
}

export function validateJobName(value: string): void {
  if (typeof value !== "string" || value.length < 3 || value.length > 64 || !JOB_NAME.test(value)) {
    throw errors.jobNameInvalid(value);
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
    throw errors.driveIdInvalid(value, target);
  }
}

export function validateBitLockerKey(driveId: string, value: string, target = "bitLockerKey"): void {
  if (typeof value !== "string" || !BITLOCKER_KEY.test(value)) {
    throw errors.bitLockerKeyInvalid(driveId, target);
  }
}

const PROVIDERS: Record<string, StorageAccountRef["provider"]> = {
  "microsoft.storage": "Microsoft.Storage",
  "microsoft.classicstorage": "Microsoft.ClassicStorage",
};

export function parseStorageAccountId(value: string): StorageAccountRef {
  const refuse = (why: string): never => {
    throw errors.storageAccountIdInvalid(value, why);
  };
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

/** The resource provider whose ARM names the service speaks (its jobs' and locations' ids). */
export const PROVIDER = "Microsoft.ImportExport";

/** A location's ARM id (`/providers/Microsoft.ImportExport/locations/westus`): how a location names its alternates. */
export function locationResourceId(id: string): string {
  return `/providers/${PROVIDER}/locations/${id}`;
}

/** `West US`, `westus`, `WestUS` → `westus`. */
export function locationKey(value: string): string {
  return value.toLowerCase().replace(/\s+/g, "");
}

/** Whether a customer's `name` names this location: its id or its display name, ignoring case and spaces. */
export function namesLocation(location: { id: string; name: string }, name: string): boolean {
  const key = locationKey(name);
  return location.id === key || locationKey(location.name) === key;
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
    throw errors.textRequired(code, target, what);
  }
  if (length(value) > max) {
    throw errors.textTooLong(code, target, max);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function validateReturnAddress(value: ReturnAddress): void {
  if (!isObject(value)) {
    throw errors.returnAddressNotObject();
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
      throw errors.textInvalid("InvalidAddress", `returnAddress.${field}`, ADDRESS_MAX);
    }
  }
  if (!EMAIL.test(value.email)) {
    throw errors.emailInvalid(value.email);
  }
  if (!PHONE.test(value.phone) || !/[0-9]/.test(value.phone)) {
    throw errors.phoneInvalid(value.phone);
  }
}

export function validateReturnShipping(value: ReturnShipping): void {
  if (!isObject(value)) {
    throw errors.returnShippingNotObject();
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
    throw errors.carrierNotSupported(value, supported, target);
  }
}

export function validateCarrierName(value: string, supported?: readonly string[]): void {
  checkCarrierName(value, supported, "carrierName");
}

function checkTrackingNumber(value: unknown, target: string): void {
  if (typeof value !== "string" || value.length > 64 || !TRACKING_NUMBER.test(value) || value.trim() === "") {
    throw errors.trackingNumberInvalid(value, target);
  }
}

export function validateTrackingNumber(value: string): void {
  checkTrackingNumber(value, "trackingNumber");
}

export function validateDeliveryPackage(value: DeliveryPackage, supportedCarriers?: readonly string[]): void {
  if (!isObject(value)) {
    throw errors.deliveryPackageNotObject();
  }
  checkCarrierName(value.carrierName, supportedCarriers, "deliveryPackage.carrierName");
  checkTrackingNumber(value.trackingNumber, "deliveryPackage.trackingNumber");
  const count: unknown = value.driveCount;
  if (
    count !== undefined &&
    count !== null &&
    (!Number.isInteger(count) || (count as number) < 0 || (count as number) > 10)
  ) {
    throw errors.driveCountInvalid();
  }
}

const MAX_TAGS = 50;

export function validateTags(value: Record<string, string>): void {
  if (!isObject(value)) {
    throw errors.tagsNotObject();
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_TAGS) {
    throw errors.tooManyTags(MAX_TAGS, entries.length);
  }
  for (const [key, tag] of entries) {
    if (length(key) < 1 || length(key) > 512) {
      throw errors.tagNameInvalid(key);
    }
    if (typeof tag !== "string" || length(tag) > 256) {
      throw errors.tagValueInvalid(key);
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
    throw errors.diagnosticsPathInvalid(value);
  }
}
