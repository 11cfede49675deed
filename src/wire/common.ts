/**
 * @module The pieces both wire surfaces show (the ARM customer API and /ops/v1/): the closed sets of
 * states, a postal address, the packages, a state-history row, and lists of things.
 */

import { z } from "zod/v4";

import { DRIVE_STATES, JOB_STATES, JOB_TYPES, LOG_LEVELS } from "../domain/states.js";

export const jobState = z.enum(JOB_STATES);
export const driveState = z.enum(DRIVE_STATES);
export const jobType = z.enum(JOB_TYPES);
export const logLevel = z.enum(LOG_LEVELS);

/** A moment the service recorded (ISO 8601, UTC): what it writes is always `Date.toISOString()`. */
export const instant = z.iso.datetime();

/** A whole number: counts, bytes and percentages are never fractions on the wire. */
export const count = z.number().int();

/**
 * An address as a carrier needs it. The customer's return address adds an email; a data center's (a
 * location's, a job's shipping information) adds a note for the sender.
 */
export const postalAddress = z.strictObject({
  recipientName: z.string(),
  streetAddress1: z.string(),
  streetAddress2: z.string().optional(),
  city: z.string(),
  stateOrProvince: z.string().optional(),
  postalCode: z.string(),
  countryOrRegion: z.string(),
  phone: z.string(),
});

/** The package the customer ships to the data center (carrier and tracking are what receiving matches). */
export const deliveryPackage = z.strictObject({
  carrierName: z.string(),
  trackingNumber: z.string(),
  driveCount: count.optional(),
  shipDate: z.string().optional(),
});

/** The package the data center ships back: all of it is known once it has left. */
export const returnPackage = z.strictObject({
  carrierName: z.string(),
  trackingNumber: z.string(),
  driveCount: count,
  shipDate: z.string(),
});

/** One move of a job (no driveId) or of one of its drives; `from` is null for the job's first state. */
export const historyRow = z.strictObject({
  at: instant,
  driveId: z.string().optional(),
  from: z.string().nullable(),
  to: z.string(),
  actor: z.string(),
  reason: z.string(),
});

/** A state change as the event streams send it (an event's data): the history row, its id and its job's ARM id. */
export const stateEvent = historyRow.extend({ id: count, job: z.string().optional() });

/**
 * A drive's copy progress as the event streams send it (`event: progress`; the moves are `event: state`):
 * at most one every few seconds per drive copying, absent from the history listing, since it moves nothing.
 */
export const progressEvent = z.strictObject({
  id: count,
  at: instant,
  job: z.string().optional(),
  driveId: z.string(),
  /** The drive's state (Transferring while copying). */
  state: z.string(),
  percentComplete: count,
  bytesSucceeded: count,
  bytesTotal: count,
  filesSucceeded: count.optional(),
  copyStatus: z.string(),
  /** The job's estimated completion time as of this report, when it has one. */
  estimatedCompletionTime: instant.optional(),
});

/** An event's data on a stream: a move (`event: state`) or a drive's progress (`event: progress`). */
export const streamEvent = z.union([stateEvent, progressEvent]);

/** Every item of a collection in one answer. */
export function list<T extends z.ZodType>(item: T) {
  return z.strictObject({ value: z.array(item) });
}

/** One page of a collection; `nextLink`, when present, is the URL of the next page, to follow verbatim. */
export function page<T extends z.ZodType>(item: T) {
  return z.strictObject({ value: z.array(item), nextLink: z.string().optional() });
}

/** A job's state history: `GET {job}/history` (an extension of ours) and `/ops/v1/history`. */
export const historyList = list(historyRow);

export type PostalAddress = z.infer<typeof postalAddress>;
export type DeliveryPackage = z.infer<typeof deliveryPackage>;
export type ReturnPackage = z.infer<typeof returnPackage>;
export type HistoryRow = z.infer<typeof historyRow>;
export type HistoryList = z.infer<typeof historyList>;
export type StateEvent = z.infer<typeof stateEvent>;
export type ProgressEvent = z.infer<typeof progressEvent>;
