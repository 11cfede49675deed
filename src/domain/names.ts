/** @module Validation of every name and value a user sends: each refusal is a DomainError with its own code. */

import type { DeliveryPackage, ReturnAddress, ReturnShipping } from "./model.js";

export interface StorageAccountRef {
  subscriptionId: string;
  resourceGroup: string;
  provider: "Microsoft.Storage" | "Microsoft.ClassicStorage";
  accountName: string;
}

export function validateSubscriptionId(value: string): void {
  void value;
  throw new Error("not implemented");
}
export function validateResourceGroupName(value: string): void {
  void value;
  throw new Error("not implemented");
}
export function validateJobName(value: string): void {
  void value;
  throw new Error("not implemented");
}
export function validateDriveId(value: string): void {
  void value;
  throw new Error("not implemented");
}
export function validateBitLockerKey(driveId: string, value: string): void {
  void driveId;
  void value;
  throw new Error("not implemented");
}
export function parseStorageAccountId(value: string): StorageAccountRef {
  void value;
  throw new Error("not implemented");
}
/** `West US`, `westus`, `WestUS` → `westus`. */
export function locationKey(value: string): string {
  void value;
  throw new Error("not implemented");
}
export function validateReturnAddress(value: ReturnAddress): void {
  void value;
  throw new Error("not implemented");
}
export function validateReturnShipping(value: ReturnShipping): void {
  void value;
  throw new Error("not implemented");
}
export function validateCarrierName(value: string, supported?: readonly string[]): void {
  void value;
  void supported;
  throw new Error("not implemented");
}
export function validateTrackingNumber(value: string): void {
  void value;
  throw new Error("not implemented");
}
export function validateDeliveryPackage(value: DeliveryPackage, supportedCarriers?: readonly string[]): void {
  void value;
  void supportedCarriers;
  throw new Error("not implemented");
}
export function validateTags(value: Record<string, string>): void {
  void value;
  throw new Error("not implemented");
}
export function validateDiagnosticsPath(value: string): void {
  void value;
  throw new Error("not implemented");
}
