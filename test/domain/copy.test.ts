/** @module Copying a drive: LIFECYCLE.md's copy outcomes table as rows, and what a progress or finish report sets. */

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  type CopyCounts,
  copyOutcome,
  type DriveProgress,
  finishedCopyStatus,
  finishedFields,
  finishedJobFields,
  isProgressEventDue,
  PROGRESS_EVENT_MS,
  progressFields,
  type ProgressReport,
  throwIfIncompleteBlobListInvalid,
  throwIfOutcomeMismatch,
  throwIfProgressInvalid,
} from "../../src/domain/copy.js";
import { deriveJobState, jobHasErrors } from "../../src/domain/derive.js";
import { moveDrive } from "../../src/domain/drive.js";
import type { Drive } from "../../src/domain/model.js";
import type { JobState } from "../../src/domain/states.js";
import { newDrive } from "../support/fixtures.js";
import { CHANGE, refusal } from "./helpers.js";

interface OutcomeRow {
  /** LIFECYCLE.md's "Met while copying", and its kind. */
  met: string;
  counts: CopyCounts;
  /** "Drive ends". */
  drive: "Completed" | "CompletedMoreInfo";
  copyStatus: "Completed" | "CompletedWithInfo" | "CompletedWithErrors";
  /** "Job can end", once the drive is shipped back. */
  job: JobState;
}

const counts = (errorCount: number, warningCount: number, infoCount: number): CopyCounts => ({
  errorCount,
  warningCount,
  infoCount,
});

// LIFECYCLE.md "Copy outcomes (the data plane)", one row per line and kind.
const OUTCOMES: OutcomeRow[] = [
  { met: "nothing", counts: counts(0, 0, 0), drive: "Completed", copyStatus: "Completed", job: "Completed" },
  {
    met: "a blob renamed or skipped (no-overwrite): warning",
    counts: counts(0, 1, 0),
    drive: "CompletedMoreInfo",
    copyStatus: "CompletedWithInfo",
    job: "Completed",
  },
  {
    met: "a blob overwritten as its disposition asked: info",
    counts: counts(0, 0, 1),
    drive: "CompletedMoreInfo",
    copyStatus: "CompletedWithInfo",
    job: "Completed",
  },
  {
    met: "an export that did not fit (incomplete blob list), with warnings and info: errorCount = 0",
    counts: counts(0, 4, 2),
    drive: "CompletedMoreInfo",
    copyStatus: "CompletedWithInfo",
    job: "Completed",
  },
  {
    met: "a block whose tag or MD5 fails: error",
    counts: counts(1, 0, 0),
    drive: "CompletedMoreInfo",
    copyStatus: "CompletedWithErrors",
    job: "Closed",
  },
  {
    met: "a file shorter than its manifest, among warnings and info: errorCount > 0",
    counts: counts(2, 3, 5),
    drive: "CompletedMoreInfo",
    copyStatus: "CompletedWithErrors",
    job: "Closed",
  },
  {
    met: "a drive that cannot be read at all (wrong key): error, drive-level code",
    counts: counts(1, 0, 0),
    drive: "CompletedMoreInfo",
    copyStatus: "CompletedWithErrors",
    job: "Closed",
  },
];

/** The drive copied with `row`'s counts, reported as the station should, then shipped back. */
function copiedAndShipped(row: OutcomeRow, driveId = "WD-1"): { copied: Drive; shipped: Drive } {
  const report = { ...row.counts, state: row.drive };
  const transferring = newDrive({ driveId, state: "Transferring" });
  const copied = {
    ...moveDrive(transferring, copyOutcome(row.counts), CHANGE.at),
    ...finishedFields(report),
  };
  return { copied, shipped: moveDrive(copied, "ShippedBack", CHANGE.at) };
}

describe("the copy outcomes table (LIFECYCLE.md)", () => {
  for (const row of OUTCOMES) {
    const { errorCount, warningCount, infoCount } = row.counts;
    const label = `${row.met} (${errorCount}/${warningCount}/${infoCount})`;

    it(`${label}: the drive ends ${row.drive}, showing ${row.copyStatus}`, () => {
      assert.equal(copyOutcome(row.counts), row.drive);
      assert.equal(finishedCopyStatus(row.counts), row.copyStatus);
    });

    it(`${label}: a station may report ${row.drive}, and only that`, () => {
      assert.equal(
        refusal(() => throwIfOutcomeMismatch({ ...row.counts, state: row.drive })),
        undefined,
      );
      const wrong = row.drive === "Completed" ? "CompletedMoreInfo" : "Completed";
      const error = refusal(() => throwIfOutcomeMismatch({ ...row.counts, state: wrong }));
      assert.equal(error?.code, "InvalidCopyOutcome");
      assert.equal(error.target, "state");
      assert.ok(error.message.includes(`as ${row.drive}, not ${wrong}`), error.message);
    });

    it(`${label}: the job waits in Packaging, then ends ${row.job} once the drive is shipped back`, () => {
      const { copied, shipped } = copiedAndShipped(row);
      assert.equal(deriveJobState({ state: "Transferring", type: "Import" }, [copied]), "Packaging");
      assert.equal(deriveJobState({ state: "Packaging", type: "Import" }, [shipped]), row.job);
      assert.equal(jobHasErrors([shipped]), row.job === "Closed");
      // Beside a drive that met nothing, the job still ends as this drive decides.
      const clean = copiedAndShipped(OUTCOMES[0]!, "WD-2").shipped;
      assert.equal(deriveJobState({ state: "Packaging", type: "Import" }, [clean, shipped]), row.job);
    });
  }

  it("'Completed only when nothing at all is to report': any single count makes it CompletedMoreInfo", () => {
    for (const [e, w, i] of [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
      [1_000_000, 0, 0],
    ] as const) {
      assert.equal(copyOutcome(counts(e, w, i)), "CompletedMoreInfo", `${e}/${w}/${i}`);
    }
  });

  it("the refusal tells a station what each state needs", () => {
    assert.match(
      refusal(() => throwIfOutcomeMismatch({ ...counts(0, 0, 0), state: "CompletedMoreInfo" }))?.message ??
        "",
      /needs at least one error, warning or information/,
    );
  });
});

describe("progressFields", () => {
  const rows: [string, ProgressReport, number][] = [
    ["an unknown total: 0", { bytesSucceeded: 0, bytesTotal: 0 }, 0],
    ["nothing copied yet", { bytesSucceeded: 0, bytesTotal: 100 }, 0],
    ["half", { bytesSucceeded: 50, bytesTotal: 100 }, 50],
    ["a third is 33", { bytesSucceeded: 1, bytesTotal: 3 }, 33],
    ["two thirds is 66, rounded down", { bytesSucceeded: 2, bytesTotal: 3 }, 66],
    ["just under 1 %: 0", { bytesSucceeded: 9, bytesTotal: 1000 }, 0],
    [
      "its last byte copied is still 99: never 100 before the station says it finished",
      { bytesSucceeded: 100, bytesTotal: 100 },
      99,
    ],
    ["a terabyte less one byte: 99", { bytesSucceeded: 1e12 - 1, bytesTotal: 1e12 }, 99],
  ];
  for (const [name, report, percent] of rows) {
    it(`${name}: ${percent}`, () => {
      assert.deepEqual(progressFields(report), {
        ...report,
        percentComplete: percent,
        copyStatus: "InProgress",
      });
    });
  }

  it("keeps the station's own copy status", () => {
    assert.equal(
      progressFields({ bytesSucceeded: 1, bytesTotal: 2, copyStatus: "Verifying" }).copyStatus,
      "Verifying",
    );
  });

  it("is a whole number from 0 to 99, at most the exact share, for a spread of reports", () => {
    for (const total of [1, 2, 3, 7, 100, 4096, 1e9 + 7, Number.MAX_SAFE_INTEGER]) {
      for (const done of [0, 1, Math.floor(total / 3), Math.floor(total / 2), total - 1, total]) {
        const { percentComplete } = progressFields({ bytesSucceeded: done, bytesTotal: total });
        assert.ok(Number.isInteger(percentComplete), `${done}/${total}`);
        assert.ok(percentComplete >= 0 && percentComplete <= 99, `${done}/${total} → ${percentComplete}`);
        assert.ok(percentComplete <= (100 * done) / total, `${done}/${total} → ${percentComplete}`);
      }
    }
  });
});

describe("throwIfProgressInvalid", () => {
  const rows: [string, number, number, boolean][] = [
    ["nothing of nothing", 0, 0, true],
    ["nothing yet", 0, 10, true],
    ["all of it", 10, 10, true],
    ["more than the total", 11, 10, false],
    ["negative bytes copied", -1, 10, false],
    ["a negative total", 0, -1, false],
    ["bytes copied not a number", Number.NaN, 10, false],
    ["a total not a number", 5, Number.NaN, false],
  ];
  for (const [name, bytesSucceeded, bytesTotal, valid] of rows) {
    it(`${name} (${bytesSucceeded}/${bytesTotal}): ${valid ? "accepted" : "InvalidProgress"}`, () => {
      const error = refusal(() => throwIfProgressInvalid({ bytesSucceeded, bytesTotal }));
      assert.equal(error?.code, valid ? undefined : "InvalidProgress");
      assert.equal(error?.target, valid ? undefined : "bytesSucceeded");
    });
  }
});

describe("finishedFields", () => {
  const uris = {
    verboseLogUri: "https://acct.blob/waimportexport/WD-1_verbose.xml",
    errorLogUri: "https://acct.blob/waimportexport/WD-1_error.xml",
    manifestUri: "https://acct.blob/waimportexport/WD-1.manifest",
    incompleteBlobListUri: "https://acct.blob/waimportexport/WD-1_incomplete.xml",
  };

  it("sets the counts, 100 % and the copy status, and no state (the move sets it)", () => {
    assert.deepEqual(finishedFields({ ...counts(2, 1, 0), state: "CompletedMoreInfo" }), {
      ...counts(2, 1, 0),
      percentComplete: 100,
      copyStatus: "CompletedWithErrors",
    });
  });

  it("sets the log URIs given", () => {
    assert.deepEqual(finishedFields({ ...counts(0, 0, 0), state: "Completed", ...uris }), {
      ...counts(0, 0, 0),
      percentComplete: 100,
      copyStatus: "Completed",
      ...uris,
    });
  });

  for (const given of Object.keys(uris) as (keyof typeof uris)[]) {
    it(`sets only the log URI given: ${given}`, () => {
      const fields = finishedFields({ ...counts(0, 0, 0), state: "Completed", [given]: uris[given] });
      for (const key of Object.keys(uris)) {
        assert.equal(key in fields, key === given, key);
      }
    });
  }
});

describe("throwIfIncompleteBlobListInvalid", () => {
  const accepted = [
    undefined,
    "https://acct.blob.core.windows.net/waimportexport/WD-1_incomplete.xml",
    "http://127.0.0.1:10000/devstoreaccount1/logs/list.xml?sv=2024&sig=x",
  ];
  for (const uri of accepted) {
    it(`accepts ${JSON.stringify(uri)} on an export drive`, () => {
      assert.equal(
        refusal(() =>
          throwIfIncompleteBlobListInvalid({ type: "Export" }, "WD-1", { incompleteBlobListUri: uri }),
        ),
        undefined,
      );
    });
  }
  const refused = [
    "",
    "waimportexport/list.xml",
    "/list.xml",
    "ftp://host/list.xml",
    "file:///list.xml",
    "https://",
    "x",
  ];
  for (const uri of refused) {
    it(`refuses ${JSON.stringify(uri)}: not an absolute http(s) URL`, () => {
      const error = refusal(() =>
        throwIfIncompleteBlobListInvalid({ type: "Export" }, "WD-1", { incompleteBlobListUri: uri }),
      );
      assert.equal(error?.code, "InvalidIncompleteBlobListUri");
      assert.equal(error?.target, "incompleteBlobListUri");
    });
  }
  it("refuses any on an import drive, and accepts none there", () => {
    const error = refusal(() =>
      throwIfIncompleteBlobListInvalid({ type: "Import" }, "WD-1", { incompleteBlobListUri: accepted[1] }),
    );
    assert.equal(error?.code, "InvalidIncompleteBlobListUri");
    assert.match(error?.message ?? "", /'WD-1' is an import job's drive/);
    assert.equal(
      refusal(() => throwIfIncompleteBlobListInvalid({ type: "Import" }, "WD-1", {})),
      undefined,
    );
  });
});

describe("finishedJobFields", () => {
  it("an export drive's list becomes the job's; none clears it; an import job's is left alone", () => {
    assert.deepEqual(finishedJobFields({ type: "Export" }, { incompleteBlobListUri: "https://a/l.xml" }), {
      incompleteBlobListUri: "https://a/l.xml",
    });
    const cleared = finishedJobFields({ type: "Export" }, {});
    assert.ok(cleared && "incompleteBlobListUri" in cleared && cleared.incompleteBlobListUri === undefined);
    assert.equal(finishedJobFields({ type: "Import" }, {}), undefined);
  });
});

describe("isProgressEventDue", () => {
  const T = Date.parse("2026-01-01T00:00:00.000Z");
  const progress = (copyStatus = "InProgress"): DriveProgress => ({
    percentComplete: 10,
    bytesSucceeded: 10,
    bytesTotal: 100,
    copyStatus,
  });
  const last = { at: new Date(T).toISOString(), progress: progress() };
  const after = (ms: number) => new Date(T + ms);

  it("the first report always; then not before PROGRESS_EVENT_MS, and from then on", () => {
    assert.equal(isProgressEventDue(undefined, progress(), after(0)), true);
    assert.equal(isProgressEventDue(last, progress(), after(0)), false);
    assert.equal(isProgressEventDue(last, progress(), after(PROGRESS_EVENT_MS - 1)), false);
    assert.equal(isProgressEventDue(last, progress(), after(PROGRESS_EVENT_MS)), true);
  });

  it("at once when the copy status changes; and a clock set back does not silence the drive", () => {
    assert.equal(isProgressEventDue(last, progress("Retrying"), after(1)), true);
    assert.equal(isProgressEventDue(last, progress(), after(-1)), true);
  });

  it("at once when the bytes to copy change: an export drive planned after its first report", () => {
    const unplanned = { at: new Date(T).toISOString(), progress: { ...progress(), bytesTotal: 0 } };
    assert.equal(isProgressEventDue(unplanned, progress(), after(1)), true);
    assert.equal(isProgressEventDue(unplanned, { ...progress(), bytesTotal: 0 }, after(1)), false);
  });
});
