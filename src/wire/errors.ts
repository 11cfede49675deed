/** @module The error envelope every refusal wears, on both surfaces: ARM's `{error:{code,message,target?,details?}}`. */

import { z } from "zod/v4";

import { ERROR_CODES } from "../domain/errors.js";

/** One problem of several (a body with three wrong fields): what the envelope's `details` list. */
export const errorDetail = z.strictObject({
  code: z.string(),
  message: z.string(),
  target: z.string().optional(),
});

export const errorBody = z.strictObject({
  error: z.strictObject({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    /** The field, parameter or drive the refusal is about: a form shows the message next to it. */
    target: z.string().optional(),
    details: z.array(errorDetail).optional(),
  }),
});

export type ErrorDetail = z.infer<typeof errorDetail>;
export type ErrorBody = z.infer<typeof errorBody>;
