/** @module The blob storage target's public face: what the import engine and the station use. */

export { BlobTargetError, isBlobTargetError } from "./errors.js";
export {
  type BlobHeaders,
  type BlobProperties,
  type BlobTarget,
  type BlobTargetOptions,
  type BlobWriteOptions,
  createBlobTarget,
  MAX_PAGE_WRITE,
  type RetryOptions,
} from "./target.js";
