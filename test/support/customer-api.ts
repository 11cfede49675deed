/**
 * @module The customer API as tests set jobs up through it: the PUT bodies of import and export jobs, the
 * PATCH that ships one, and jobs created and shipped over HTTP (callJson). Setups only: a test of what the
 * API answers writes out the answer it expects.
 */

import assert from "node:assert/strict";

import { API_VERSION, type JobAddress, jobPath } from "../../src/wire/ids.js";
import { callJson, driveList, type DriveSpec, RETURN_ADDRESS, storageAccount } from "./fixtures.js";

/** `path` with its `api-version` (the one our own clients send, unless told). */
export function withVersion(path: string, version: string = API_VERSION): string {
  return `${path}${path.includes("?") ? "&" : "?"}api-version=${version}`;
}

export type ReturnAddress = typeof RETURN_ADDRESS;

/** What a setup may say of its job beyond the usual. */
export interface JobOptions {
  /** "West US" unless told. */
  location?: string;
  tags?: Record<string, string>;
  /** RETURN_ADDRESS unless told; `null` for none (the customer may give it with the tracking). */
  returnAddress?: ReturnAddress | null;
  /** More properties (logLevel, returnShipping, …), or other values for the usual ones. */
  properties?: Record<string, unknown>;
}

type Where = Pick<JobAddress, "subscriptionId" | "resourceGroup">;

export interface JobBody<P> {
  location: string;
  tags?: Record<string, string>;
  properties: P & { storageAccountId: string; returnAddress?: ReturnAddress } & Record<string, unknown>;
}

function body<P extends object>(where: Where, properties: P, options: JobOptions): JobBody<P> {
  const returnAddress = options.returnAddress === undefined ? RETURN_ADDRESS : options.returnAddress;
  return {
    location: options.location ?? "West US",
    ...(options.tags !== undefined ? { tags: options.tags } : {}),
    properties: {
      storageAccountId: storageAccount(where.subscriptionId, where.resourceGroup),
      ...properties,
      ...(returnAddress !== null ? { returnAddress } : {}),
      ...options.properties,
    },
  };
}

/** The PUT body of an import job of these drives, on the test account of its resource group. */
export function importBody(
  where: Where,
  drives: DriveSpec[],
  options: JobOptions = {},
): JobBody<{ jobType: "Import"; driveList: DriveSpec[] }> {
  return body(where, { jobType: "Import" as const, driveList: drives }, options);
}

/** The PUT body of an export job of every blob (prefix `/`), on the test account of its resource group. */
export function exportBody(
  where: Where,
  options: JobOptions = {},
): JobBody<{ jobType: "Export"; export: { blobList: { blobPathPrefix: string[] } } }> {
  return body(
    where,
    { jobType: "Export" as const, export: { blobList: { blobPathPrefix: ["/"] } } },
    options,
  );
}

/** The PATCH body that records the delivery package and moves the job to Shipping. */
export function shippingBody(
  tracking: string,
  { carrier = "FedEx", returnAddress }: { carrier?: string; returnAddress?: ReturnAddress } = {},
) {
  return {
    properties: {
      state: "Shipping",
      ...(returnAddress !== undefined ? { returnAddress } : {}),
      deliveryPackage: { carrierName: carrier, trackingNumber: tracking },
    },
  };
}

async function callExpecting(
  status: number,
  base: string,
  method: string,
  path: string,
  token: string,
  sent: unknown,
): Promise<Record<string, unknown>> {
  const answer = await callJson(base, method, withVersion(path), token, sent);
  assert.equal(answer.status, status, `${method} ${path}: ${answer.text}`);
  return answer.json!;
}

/** Creates an import job of these serials (each with a fresh key, told to `keys`): 201, in Creating. */
export function createImport(
  base: string,
  token: string,
  address: JobAddress,
  serials: readonly string[],
  options: JobOptions & { keys?: Map<string, string> } = {},
): Promise<Record<string, unknown>> {
  const sent = importBody(address, driveList(serials, options.keys), options);
  return callExpecting(201, base, "PUT", jobPath(address), token, sent);
}

/** Creates an export job of every blob: 201, in Creating. */
export function createExport(
  base: string,
  token: string,
  address: JobAddress,
  options: JobOptions = {},
): Promise<Record<string, unknown>> {
  return callExpecting(201, base, "PUT", jobPath(address), token, exportBody(address, options));
}

/** The customer records the delivery package (`FedEx <tracking>` unless told): 200, the job in Shipping. */
export function ship(
  base: string,
  token: string,
  address: JobAddress,
  tracking: string,
  options: { carrier?: string; returnAddress?: ReturnAddress } = {},
): Promise<Record<string, unknown>> {
  return callExpecting(200, base, "PATCH", jobPath(address), token, shippingBody(tracking, options));
}

/** An import job of these serials, created and shipped with `FedEx <tracking>`. */
export async function shippedImport(
  base: string,
  token: string,
  address: JobAddress,
  serials: readonly string[],
  tracking: string,
): Promise<Record<string, unknown>> {
  await createImport(base, token, address, serials);
  return ship(base, token, address, tracking);
}
