/** @module The operator and station request bodies, as strict schemas: unknown properties are refused. */

import { z } from "zod";

const serial = z.string().max(200);

export const receivePackageBody = z
  .object({
    carrier: z.string().max(200),
    tracking: z.string().max(200),
    drives: z.array(serial).max(100),
    reason: z.string().max(500).optional(),
  })
  .strict();

export const driveFoundBody = z
  .object({ serial, carrier: z.string().max(200), tracking: z.string().max(200) })
  .strict();

export const registerDriveBody = z.object({ job: z.string().max(1000), drive: serial }).strict();

export const shipBody = z
  .object({
    job: z.string().max(1000),
    carrier: z.string().max(200),
    tracking: z.string().max(200),
    shipDate: z.string().max(100).optional(),
  })
  .strict();

export const registerStationBody = z.object({ name: z.string().max(200) }).strict();

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const progressBody = z
  .object({
    bytesSucceeded: count,
    bytesTotal: count,
    copyStatus: z.string().max(100).optional(),
    filesSucceeded: count.optional(),
  })
  .strict();

const uri = z.string().max(2048).optional();

export const finishBody = z
  .object({
    state: z.enum(["Completed", "CompletedMoreInfo"]),
    errorCount: count,
    warningCount: count,
    infoCount: count,
    verboseLogUri: uri,
    errorLogUri: uri,
    manifestUri: uri,
  })
  .strict();
