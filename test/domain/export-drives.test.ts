/** @module An export job's drives, filled in registration order: which drive waits, and what each takes. */

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { exportAfter, throwIfExportDriveWaits } from "../../src/domain/export-drives.js";
import type { Drive } from "../../src/domain/model.js";
import type { DriveState, JobType } from "../../src/domain/states.js";
import { newDrive } from "../support/fixtures.js";
import { refusal } from "./helpers.js";

/** Drives in registration order, each `ID:State` (`+` after the id: an extra drive; `>uri`: its list). */
function drives(...specs: string[]): Drive[] {
  return specs.map((spec) => {
    const [head, uri] = spec.split(">") as [string, string | undefined];
    const [id, state] = head.split(":") as [string, DriveState];
    const extra = id.endsWith("+");
    return newDrive({
      driveId: extra ? id.slice(0, -1) : id,
      state,
      extra,
      ...(uri !== undefined ? { incompleteBlobListUri: uri } : {}),
    });
  });
}

const drive = (list: Drive[], id: string) => list.find((d) => d.driveId === id && !d.extra)!;

describe("throwIfExportDriveWaits", () => {
  const rows: [string, JobType, string[], string, string | undefined][] = [
    ["the first drive never waits", "Export", ["A:Received", "B:Received"], "A", undefined],
    ["a later drive waits for a Received one", "Export", ["A:Received", "B:Received"], "B", "A"],
    ["it names the first unfilled one", "Export", ["A:Completed", "B:Transferring", "C:Received"], "C", "B"],
    ["a Transferring one holds it too", "Export", ["A:Transferring", "B:Received"], "B", "A"],
    [
      "filled drives let it go",
      "Export",
      ["A:Completed", "B:CompletedMoreInfo", "C:Received"],
      "C",
      undefined,
    ],
    ["a drive shipped back was filled", "Export", ["A:ShippedBack", "B:Received"], "B", undefined],
    [
      "an extra drive ahead is never filled, never waited for",
      "Export",
      ["X+:Received", "B:Received"],
      "B",
      undefined,
    ],
    ["later drives do not hold an earlier one", "Export", ["A:Received", "B:Transferring"], "A", undefined],
    ["an import job copies in any order", "Import", ["A:Received", "B:Received"], "B", undefined],
  ];
  for (const [what, type, specs, id, waitsFor] of rows) {
    it(what, () => {
      const list = drives(...specs);
      const error = refusal(() => throwIfExportDriveWaits({ type }, list, drive(list, id)));
      if (waitsFor === undefined) {
        assert.equal(error, undefined);
        return;
      }
      assert.equal(error?.code, "DriveNotClaimable");
      assert.equal(error?.target, id);
      assert.match(error?.message ?? "", new RegExp(`waits for drive '${waitsFor}'`));
    });
  }
});

describe("exportAfter", () => {
  const rows: [string, JobType, string[], string, ReturnType<typeof exportAfter>][] = [
    ["none for the first drive", "Export", ["A:Received", "B:Received"], "A", undefined],
    [
      "the drive before, and what it left",
      "Export",
      ["A:Completed>u1", "B:Received"],
      "B",
      { driveId: "A", incompleteBlobListUri: "u1" },
    ],
    ["no list: it took everything", "Export", ["A:Completed", "B:Received"], "B", { driveId: "A" }],
    [
      "the latest filled drive before it",
      "Export",
      ["A:ShippedBack>u1", "B:CompletedMoreInfo>u2", "C:Transferring", "D:Received"],
      "C",
      { driveId: "B", incompleteBlobListUri: "u2" },
    ],
    ["not a drive after it", "Export", ["A:Received", "B:Completed>u2"], "A", undefined],
    ["never an extra drive", "Export", ["X+:ShippedBack", "B:Received"], "B", undefined],
    ["none for an import job", "Import", ["A:Completed>u1", "B:Received"], "B", undefined],
  ];
  for (const [what, type, specs, id, expected] of rows) {
    it(what, () => {
      const list = drives(...specs);
      assert.deepEqual(exportAfter({ type }, list, drive(list, id)), expected);
    });
  }
});
