/** @module Domain objects for tests: a drive with nothing copied, and whatever a test sets on top. */

import type { Drive } from "../../src/domain/model.js";

export function newDrive(over: Partial<Drive> & Pick<Drive, "state">): Drive {
  return {
    jobId: 1,
    driveId: "WD-1",
    extra: false,
    percentComplete: 0,
    bytesSucceeded: 0,
    bytesTotal: 0,
    errorCount: 0,
    warningCount: 0,
    infoCount: 0,
    stateChangedAt: "2026-01-01T00:00:00.000Z",
    ...over,
  };
}
