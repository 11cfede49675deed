/**
 * @module Reading a DriveLog back into rows (one per blob), so the control plane can show a drive's copy
 * log as a table. A small strict XML reader: elements, attributes, text, entities; anything else in the
 * document is refused rather than guessed at. And reading one from storage, with a registered credential.
 */

import type { DriveLogBlockRow, DriveLogRow, ParsedDriveLog } from "../../domain/drive-log.js";
import { type BlobReadFailure, type BlobReadOptions, readBlobText } from "../blob/read.js";
import type { BlobCredential } from "../blob/sas.js";
import { type Element, parseElements } from "../xml/elements.js";

export type { DriveLogBlockRow, DriveLogRow, ParsedDriveLog };

const child = (element: Element, name: string) => element.children.find((c) => c.name === name);
const childText = (element: Element, name: string) => child(element, name)?.text;

/** The rows of a DriveLog (ours, or one in the original's format: extensions are optional). */
export function parseDriveLog(xml: string): ParsedDriveLog {
  const log = parseElements(xml, "The log").children.find((element) => element.name === "DriveLog");
  if (!log) {
    throw new Error("The document is not a DriveLog.");
  }
  const blobs = log.children
    .filter((element) => element.name === "Blob")
    .map((blob): DriveLogRow => {
      const disposition = child(blob, "ImportDisposition");
      const list = child(blob, "BlockList") ?? child(blob, "PageRangeList");
      const row: DriveLogRow = {
        status: blob.attributes.Status ?? "",
        blobPath: childText(blob, "BlobPath") ?? "",
        filePath: childText(blob, "FilePath") ?? "",
        length: Number(childText(blob, "Length") ?? 0),
        blocks: (list?.children ?? []).map((block) => ({
          offset: Number(block.attributes.Offset ?? 0),
          length: Number(block.attributes.Length ?? 0),
          ...(block.attributes.Id === undefined ? {} : { id: block.attributes.Id }),
          ...(block.attributes.Hash === undefined ? {} : { hash: block.attributes.Hash.trim() }),
          status: block.attributes.Status ?? "",
        })),
      };
      const sourcePath = childText(blob, "sn:SourcePath");
      const snapshot = childText(blob, "Snapshot");
      const lastModified = childText(blob, "LastModified");
      const message = childText(blob, "sn:Message");
      return {
        ...row,
        ...(sourcePath === undefined ? {} : { sourcePath }),
        ...(snapshot === undefined ? {} : { snapshot }),
        ...(lastModified === undefined ? {} : { lastModified }),
        ...(disposition
          ? { disposition: disposition.text, dispositionStatus: disposition.attributes.Status }
          : {}),
        ...(message === undefined ? {} : { message }),
      };
    });
  const message = childText(log, "sn:Message");
  return {
    version: log.attributes.Version ?? "",
    driveId: childText(log, "DriveId") ?? "",
    status: childText(log, "Status") ?? "",
    ...(message === undefined ? {} : { message }),
    blobs,
  };
}

export type DriveLogReadFailure = BlobReadFailure | "notADriveLog";

export type DriveLogRead =
  | { ok: true; log: ParsedDriveLog }
  | { ok: false; reason: DriveLogReadFailure; message: string };

/**
 * A DriveLog read from storage with a registered credential and parsed; a blob past `maxBytes`, or one
 * that is not a DriveLog, is refused with the reason.
 */
export async function readDriveLog(
  account: { name: string; blobEndpoint: string; credential: BlobCredential },
  location: { container: string; blobName: string },
  options: BlobReadOptions,
): Promise<DriveLogRead> {
  const read = await readBlobText(account, location, options);
  if (!read.ok) {
    return read;
  }
  try {
    return { ok: true, log: parseDriveLog(read.text) };
  } catch (error) {
    return { ok: false, reason: "notADriveLog", message: (error as Error).message };
  }
}
