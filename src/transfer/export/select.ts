/**
 * @module What an export job selects, read where it lives: its inline lists, or its blob list read from
 * the job's own storage account (a list that cannot be read is BlobRequestForbidden, one that does not
 * parse BlobListFormatInvalid: the drive's failure codes of formats.md §2.4).
 */

import { isBlobTargetError } from "../blob/errors.js";
import type { BlobSource } from "../blob/source.js";
import {
  blobListLocation,
  MAX_BLOB_LIST_BYTES,
  parseBlobList,
  type Selection,
  SelectionError,
  selectionFromLists,
} from "./selection.js";

/** An export job's `export` as the control plane hands it over. */
export interface ExportSpec {
  blobPaths?: string[];
  blobPathPrefixes?: string[];
  blobListBlobPath?: string;
}

export async function loadSelection(
  source: BlobSource,
  spec: ExportSpec,
  blobEndpoint: string,
): Promise<Selection> {
  if (spec.blobListBlobPath === undefined) {
    const selection = selectionFromLists({
      blobPath: spec.blobPaths ?? [],
      blobPathPrefix: spec.blobPathPrefixes ?? [],
    });
    if (selection.paths.length === 0 && selection.prefixes.length === 0) {
      throw new SelectionError(
        "The export job selects nothing: no blobPath, blobPathPrefix or blobListBlobPath.",
      );
    }
    return selection;
  }
  const where = blobListLocation(spec.blobListBlobPath, blobEndpoint);
  let text: string;
  try {
    text = await source.readText(where.container, where.blob, MAX_BLOB_LIST_BYTES);
  } catch (error) {
    if (isBlobTargetError(error) && error.status >= 400 && error.status < 500) {
      const why =
        error.status === 404
          ? "it does not exist"
          : error.status === 413
            ? `it is larger than ${MAX_BLOB_LIST_BYTES} bytes`
            : error.message;
      throw new SelectionError(
        `The blob list ${where.container}/${where.blob} cannot be read: ${why}.`,
        "BlobRequestForbidden",
      );
    }
    throw error;
  }
  return parseBlobList(text);
}
