/**
 * @module An export job's drives in the portal (web/src/pages/job/export-drives.ts): a drive not started waits
 * for the first drive before it still to fill or being filled, as the service refuses its claim; the drive
 * whose incomplete blob list is the job's; what "did not fit" counts in its log.
 */

import assert from "node:assert/strict";
import { it } from "node:test";

import type { ArmDrive, ArmJob } from "../../src/wire/arm.js";
import { loadPortalModule } from "./portal-modules.js";

const { incompleteListDrive, notFitting, waitingFor } = await loadPortalModule<{
  waitingFor(job: ArmJob): ReadonlyMap<string, string>;
  incompleteListDrive(job: ArmJob): ArmDrive | undefined;
  notFitting(log: { blobs: readonly { status: string }[] }): number;
}>("pages/job/export-drives.ts");

const drive = (driveId: string, state: string, incompleteBlobListUri?: string) =>
  ({
    driveId,
    state,
    percentComplete: 0,
    bytesSucceeded: 0,
    ...(incompleteBlobListUri ? { incompleteBlobListUri } : {}),
  }) as ArmDrive;
const job = (jobType: "Import" | "Export", drives: ArmDrive[], incompleteBlobListUri?: string) =>
  ({
    id: "/jobs/j",
    properties: { jobType, driveList: drives, ...(incompleteBlobListUri ? { incompleteBlobListUri } : {}) },
  }) as unknown as ArmJob;

it("each Received export drive waits for the first drive before it still to fill or being filled", () => {
  const drives = [
    drive("A", "CompletedMoreInfo", "https://a/1.xml"),
    drive("B", "Transferring"),
    drive("C", "Received"),
    drive("D", "Received"),
  ];
  assert.deepEqual(
    [...waitingFor(job("Export", drives))],
    [
      ["C", "B"],
      ["D", "B"],
    ],
  );
  // The first drive still to fill waits for none; the one after it waits for it.
  assert.deepEqual(
    [...waitingFor(job("Export", [drive("A", "Completed"), drive("B", "Received"), drive("C", "Received")]))],
    [["C", "B"]],
  );
  assert.equal(waitingFor(job("Export", [drive("A", "Completed"), drive("B", "Completed")])).size, 0);
  // An import job's drives are copied in any order.
  assert.equal(waitingFor(job("Import", drives)).size, 0);
});

it("the drive that left the job's incomplete blob list; none when the job has none", () => {
  const drives = [
    drive("A", "CompletedMoreInfo", "https://a/1.xml"),
    drive("B", "CompletedMoreInfo", "https://a/2.xml"),
  ];
  assert.equal(incompleteListDrive(job("Export", drives, "https://a/2.xml"))?.driveId, "B");
  assert.equal(incompleteListDrive(job("Export", drives)), undefined);
  assert.equal(
    notFitting({
      blobs: [{ status: "NotEnoughSpace" }, { status: "BlobArchived" }, { status: "NotEnoughSpace" }],
    }),
    2,
  );
});
