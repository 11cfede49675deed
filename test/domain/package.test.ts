/** @module Packages: a tracking number as a key, the jobs a package is for, what receiving it decides, a held package's history. */

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import type { Drive, Job } from "../../src/domain/model.js";
import {
  decidePackage,
  heldPackageReason,
  type JobDecision,
  type PackageCandidate,
  packageKey,
  packageRecipients,
} from "../../src/domain/package.js";
import { type DriveState, JOB_STATES, type JobState, type JobType } from "../../src/domain/states.js";
import { newDrive } from "../support/fixtures.js";
import { job, refusal, SUBSCRIPTION, T0 } from "./helpers.js";

const OTHER_SUBSCRIPTION = "00000000-0000-0000-0000-000000000002";

describe("packageKey", () => {
  const same: [string, [string, string], [string, string]][] = [
    ["carrier in any case", ["FedEx", "123456"], ["FEDEX", "123456"]],
    ["carrier with spaces around it", [" FedEx ", "123456"], ["FedEx", "123456"]],
    ["tracking number in any case", ["UPS", "1z999aa1"], ["UPS", "1Z999AA1"]],
    ["tracking number with spaces, as printed", ["DHL", "1234 5678 90"], ["DHL", "1234567890"]],
    ["tracking number with tabs and runs of spaces", ["DHL", " 1234\t 5678 "], ["DHL", "12345678"]],
  ];
  for (const [name, a, b] of same) {
    it(`the same package: ${name}`, () => {
      assert.equal(packageKey(...a), packageKey(...b));
    });
  }

  const different: [string, [string, string], [string, string]][] = [
    ["another carrier", ["FedEx", "123456"], ["DHL", "123456"]],
    ["another tracking number", ["FedEx", "123456"], ["FedEx", "1234567"]],
    ["a dash is not a space", ["FedEx", "123-456"], ["FedEx", "123456"]],
    ["the carrier's own words stay apart", ["Royal Mail", "1"], ["RoyalMail", "1"]],
  ];
  for (const [name, a, b] of different) {
    it(`another package: ${name}`, () => {
      assert.notEqual(packageKey(...a), packageKey(...b));
    });
  }
});

/** A job in `state` whose delivery package has the tracking number received (candidates are given oldest first). */
function candidate(
  name: string,
  state: JobState,
  over: { subscriptionId?: string; record?: PackageCandidate["record"] } = {},
): PackageCandidate {
  const c: PackageCandidate = {
    job: job({ name, state, subscriptionId: over.subscriptionId ?? SUBSCRIPTION }),
  };
  return over.record ? { ...c, record: over.record } : c;
}
const RECEIVED = { status: "Received", receivedAt: "2026-01-05T10:00:00.000Z", receivedBy: "ops-1" } as const;
const HELD = { status: "Held", receivedAt: "2026-01-04T09:00:00.000Z", receivedBy: "ops-2" } as const;
const SHOWN = { carrier: "FedEx", tracking: "1234 56" };
const names = (jobs: readonly Job[]): string[] => jobs.map((j) => j.name);

describe("packageRecipients (LIFECYCLE.md 'one package, several jobs')", () => {
  interface Row {
    name: string;
    candidates: PackageCandidate[];
    now: string[];
    held: string[];
  }
  const rows: Row[] = [
    {
      name: "a job in Shipping receives it now",
      candidates: [candidate("a", "Shipping")],
      now: ["a"],
      held: [],
    },
    {
      name: "Decision 'nothing arrives': a job the delivery timeout Closed still receives it",
      candidates: [candidate("a", "Closed")],
      now: ["a"],
      held: [],
    },
    {
      name: "a package received while its job is still Creating is held",
      candidates: [candidate("a", "Creating")],
      now: [],
      held: ["a"],
    },
    {
      name: "a tracking number shared by several jobs of one customer: each awaiting job takes it",
      candidates: [candidate("a", "Shipping"), candidate("b", "Closed"), candidate("c", "Creating")],
      now: ["a", "b"],
      held: ["c"],
    },
    {
      name: "one customer: the oldest awaiting job's; another customer's jobs are left",
      candidates: [
        candidate("a", "Completed", { subscriptionId: OTHER_SUBSCRIPTION }),
        candidate("b", "Shipping"),
        candidate("c", "Shipping", { subscriptionId: OTHER_SUBSCRIPTION }),
        candidate("d", "Creating"),
      ],
      now: ["b"],
      held: ["d"],
    },
    {
      name: "a job with a record of this package has it already: the others take it",
      candidates: [
        candidate("a", "Shipping", { record: RECEIVED }),
        candidate("b", "Creating", { record: HELD }),
        candidate("c", "Shipping"),
      ],
      now: ["c"],
      held: [],
    },
    {
      name: "jobs past receiving are left",
      candidates: [
        candidate("a", "Received"),
        candidate("b", "Transferring"),
        candidate("c", "Packaging"),
        candidate("d", "Completed"),
        candidate("e", "Canceled"),
        candidate("f", "Shipping"),
      ],
      now: ["f"],
      held: [],
    },
  ];
  for (const row of rows) {
    it(`${row.name}: now ${JSON.stringify(row.now)}, held ${JSON.stringify(row.held)}`, () => {
      const recipients = packageRecipients(row.candidates, SHOWN);
      assert.deepEqual(
        { now: names(recipients.now), held: names(recipients.held) },
        { now: row.now, held: row.held },
      );
    });
  }

  it("candidates come oldest first: the first is the oldest, whatever createdAt says", () => {
    const young = { job: job({ name: "first", state: "Shipping", createdAt: "2027-01-01T00:00:00.000Z" }) };
    const old = {
      job: job({ name: "second", state: "Shipping", createdAt: T0, subscriptionId: OTHER_SUBSCRIPTION }),
    };
    assert.deepEqual(names(packageRecipients([young, old], SHOWN).now), ["first"]);
  });

  it("no job expects it: PackageNotFound, naming the package as the operator typed it", () => {
    const error = refusal(() => packageRecipients([], SHOWN));
    assert.equal(error?.code, "PackageNotFound");
    assert.equal(error.target, "tracking");
    assert.ok(error.message.includes("'FedEx'") && error.message.includes("'1234 56'"), error.message);
  });

  it("received already: PackageAlreadyReceived, saying when and by whom", () => {
    const error = refusal(() =>
      packageRecipients([candidate("a", "Transferring", { record: RECEIVED })], SHOWN),
    );
    assert.equal(error?.code, "PackageAlreadyReceived");
    assert.equal(error.target, "tracking");
    assert.match(error.message, /already received \(2026-01-05T10:00:00\.000Z, by ops-1\)/);
  });

  it("held already: PackageAlreadyReceived, saying it is held", () => {
    const error = refusal(() => packageRecipients([candidate("a", "Creating", { record: HELD })], SHOWN));
    assert.equal(error?.code, "PackageAlreadyReceived");
    assert.match(error.message, /received and is held \(2026-01-04T09:00:00\.000Z, by ops-2\)/);
  });

  it("a record of the package is the reason, before a job past receiving", () => {
    const error = refusal(() =>
      packageRecipients(
        [candidate("a", "Received"), candidate("b", "Packaging", { record: RECEIVED })],
        SHOWN,
      ),
    );
    assert.equal(error?.code, "PackageAlreadyReceived");
  });

  for (const state of JOB_STATES.filter((s) => !["Creating", "Shipping", "Closed"].includes(s))) {
    it(`every job is past receiving, the oldest ${state}: InvalidJobState naming it and its state`, () => {
      const error = refusal(() =>
        packageRecipients([candidate("photos", state), candidate("b", "Canceled")], SHOWN),
      );
      assert.equal(error?.code, "InvalidJobState");
      assert.ok(error.message.includes("'photos'") && error.message.includes(`'${state}'`), error.message);
    });
  }
});

function drive(driveId: string, state: DriveState, over: Partial<Drive> = {}): Drive {
  return newDrive({ driveId, state, ...over });
}
/** A job of `type` waiting for its package, holding `drives`. */
const awaiting =
  (type: JobType) =>
  (id: number, drives: Drive[] = []) => ({
    job: job({ id, state: "Shipping", type }),
    drives: drives.map((d) => ({ ...d, jobId: id })),
  });
const importJob = awaiting("Import");
const exportJob = awaiting("Export");

/** A job's expected decision: only what it moves. */
const moves = (jobId: number, over: Partial<JobDecision> = {}): JobDecision => ({
  jobId,
  received: [],
  neverReceived: [],
  extra: [],
  registered: [],
  ...over,
});

describe("decidePackage (LIFECYCLE.md drive states and failure table)", () => {
  interface Row {
    name: string;
    input: Parameters<typeof decidePackage>[0];
    jobs: JobDecision[];
    found?: { serial: string; jobId: number; driveId: string }[];
  }
  const twoSpecified = () => importJob(1, [drive("A", "Specified"), drive("B", "Specified")]);
  const rows: Row[] = [
    {
      name: "listed and in the package → Received",
      input: { jobs: [twoSpecified()], serials: ["A", "B"], lost: [] },
      jobs: [moves(1, { received: ["A", "B"] })],
    },
    {
      name: "'the package arrived but did not contain this drive': Specified and absent → NeverReceived",
      input: { jobs: [twoSpecified()], serials: ["B"], lost: [] },
      jobs: [moves(1, { received: ["B"], neverReceived: ["A"] })],
    },
    {
      name: "an empty package: every Specified drive → NeverReceived",
      input: { jobs: [twoSpecified()], serials: [], lost: [] },
      jobs: [moves(1, { neverReceived: ["A", "B"] })],
    },
    {
      name: "NeverReceived and still absent → nothing (it stays so)",
      input: {
        jobs: [importJob(1, [drive("A", "Specified"), drive("B", "NeverReceived")])],
        serials: ["A"],
        lost: [],
      },
      jobs: [moves(1, { received: ["A"] })],
    },
    {
      name: "Decision 'nothing arrives': the package turns up after the timeout: NeverReceived → Received",
      input: {
        jobs: [importJob(1, [drive("A", "NeverReceived"), drive("B", "NeverReceived")])],
        serials: ["A"],
        lost: [],
      },
      jobs: [moves(1, { received: ["A"] })],
    },
    {
      name: "serials match ignoring case; the drive keeps the job's spelling",
      input: { jobs: [importJob(1, [drive("Wd-a", "Specified")])], serials: ["wD-A"], lost: [] },
      jobs: [moves(1, { received: ["Wd-a"] })],
    },
    {
      name: "a listed drive in another state (received already) moves nothing, and is no extra drive",
      input: {
        jobs: [importJob(1, [drive("A", "Received"), drive("B", "Transferring"), drive("C", "ShippedBack")])],
        serials: ["A", "B", "C"],
        lost: [],
      },
      jobs: [moves(1)],
    },
    {
      name: "'a drive marked NeverReceived arrives in another package' → found, Received in its own job",
      input: {
        jobs: [importJob(1, [drive("A", "Specified")])],
        serials: ["A", "lost-1"],
        lost: [drive("LOST-1", "NeverReceived", { jobId: 5 })],
      },
      jobs: [moves(1, { received: ["A"] })],
      found: [{ serial: "lost-1", jobId: 5, driveId: "LOST-1" }],
    },
    {
      name: "only a NeverReceived drive of another job is found: one in another state is an extra drive here",
      input: {
        jobs: [importJob(1, [drive("A", "Specified")])],
        serials: ["A", "X", "Y"],
        lost: [drive("X", "Received", { jobId: 5 }), drive("Y", "NeverReceived", { jobId: 6, extra: true })],
      },
      jobs: [moves(1, { received: ["A"], extra: ["X", "Y"] })],
    },
    {
      name: "'a drive that belongs to no job arrives inside the package of another job' → extra drive of that job",
      input: { jobs: [importJob(1, [drive("A", "Specified")])], serials: ["A", "X"], lost: [] },
      jobs: [moves(1, { received: ["A"], extra: ["X"] })],
    },
    {
      name: "'a serial listed by none of them is an extra drive of the oldest of those jobs'",
      input: {
        jobs: [importJob(1, [drive("A", "Specified")]), importJob(2, [drive("B", "Specified")])],
        serials: ["B", "X", "A"],
        lost: [],
      },
      jobs: [moves(1, { received: ["A"], extra: ["X"] }), moves(2, { received: ["B"] })],
    },
    {
      name: "an export job has no drive until they arrive: its serials are registered on it",
      input: { jobs: [exportJob(1)], serials: ["E-1", "E-2"], lost: [] },
      jobs: [moves(1, { registered: ["E-1", "E-2"] })],
    },
    {
      name: "an export job takes no decision on the drives it holds already",
      input: { jobs: [exportJob(1, [drive("E-1", "Received")])], serials: ["E-1", "E-2"], lost: [] },
      jobs: [moves(1, { registered: ["E-2"] })],
    },
    {
      name: "the oldest is an export job: an unlisted serial is registered on it, the import job's own are received",
      input: { jobs: [exportJob(1), importJob(2, [drive("B", "Specified")])], serials: ["B", "X"], lost: [] },
      jobs: [moves(1, { registered: ["X"] }), moves(2, { received: ["B"] })],
    },
    {
      name: "the oldest is an import job: an unlisted serial is its extra drive, not the export job's",
      input: { jobs: [importJob(1, [drive("A", "Specified")]), exportJob(2)], serials: ["A", "X"], lost: [] },
      jobs: [moves(1, { received: ["A"], extra: ["X"] }), moves(2)],
    },
    {
      name: "a serial held by another job sharing the package (`elsewhere`) moves nothing",
      input: {
        jobs: [importJob(1, [drive("A", "Specified")])],
        serials: ["A", "held-x"],
        lost: [],
        elsewhere: new Set(["HELD-X"]),
      },
      jobs: [moves(1, { received: ["A"] })],
    },
    {
      name: "a serial the job holds as an extra drive already moves nothing",
      input: {
        jobs: [importJob(1, [drive("A", "Specified"), drive("X", "Received", { extra: true })])],
        serials: ["A", "x"],
        lost: [],
      },
      jobs: [moves(1, { received: ["A"] })],
    },
    {
      name: "a serial another job of the package holds moves nothing there, and is no extra drive of the oldest",
      input: {
        jobs: [importJob(1, [drive("A", "Specified")]), importJob(2, [drive("B", "Received")])],
        serials: ["A", "B"],
        lost: [],
      },
      jobs: [moves(1, { received: ["A"] }), moves(2)],
    },
    {
      name: "a NeverReceived drive of a job of this package is received there, not found",
      input: {
        jobs: [importJob(1, [drive("A", "NeverReceived")])],
        serials: ["A"],
        lost: [drive("A", "NeverReceived", { jobId: 1 })],
      },
      jobs: [moves(1, { received: ["A"] })],
    },
    {
      name: "a serial typed twice, in any case, counts once, as first typed",
      input: { jobs: [importJob(1, [drive("A", "Specified")])], serials: ["x-1", "A", "X-1", "a"], lost: [] },
      jobs: [moves(1, { received: ["A"], extra: ["x-1"] })],
    },
    {
      name: "one package, several jobs: each job's listed drives found in it → Received, the others → NeverReceived",
      input: {
        jobs: [
          importJob(1, [drive("A", "Specified"), drive("B", "Specified")]),
          importJob(2, [drive("C", "Specified"), drive("D", "Specified")]),
        ],
        serials: ["D", "A"],
        lost: [],
      },
      jobs: [
        moves(1, { received: ["A"], neverReceived: ["B"] }),
        moves(2, { received: ["D"], neverReceived: ["C"] }),
      ],
    },
    {
      name: "Decision 'a package that holds only an extra drive': every own drive NeverReceived, the serial extra",
      input: { jobs: [twoSpecified()], serials: ["X"], lost: [] },
      jobs: [moves(1, { neverReceived: ["A", "B"], extra: ["X"] })],
    },
    { name: "no job: nothing decided", input: { jobs: [], serials: ["X"], lost: [] }, jobs: [] },
  ];
  for (const row of rows) {
    it(row.name, () => {
      assert.deepEqual(decidePackage(row.input), { jobs: row.jobs, found: row.found ?? [] });
    });
  }

  it("a serial goes to one place at most, whatever the order of the package", () => {
    for (const row of rows) {
      const reversed = { ...row.input, serials: [...row.input.serials].reverse() };
      for (const decision of [decidePackage(row.input), decidePackage(reversed)]) {
        const placed = [
          ...decision.jobs.flatMap((j) => [...j.received, ...j.neverReceived, ...j.extra, ...j.registered]),
          ...decision.found.map((f) => f.driveId),
        ].map((s) => s.toUpperCase());
        assert.equal(new Set(placed).size, placed.length, row.name);
      }
    }
  });
});

describe("heldPackageReason (a held package is processed whatever number is then recorded; the history notes both)", () => {
  const held = {
    reason: "Package received",
    carrier: "FedEx",
    tracking: "1234 56",
    packageKey: packageKey("FedEx", "1234 56"),
  };

  it("tracking recorded as the package came: says it was held", () => {
    assert.equal(
      heldPackageReason(held, { carrierName: "fedex", trackingNumber: "123456" }),
      "Package received (held until tracking was recorded)",
    );
  });

  it("no tracking at hand: says it was held", () => {
    assert.equal(heldPackageReason(held, undefined), "Package received (held until tracking was recorded)");
  });

  it("another number recorded: notes both, as typed", () => {
    assert.equal(
      heldPackageReason(held, { carrierName: "DHL", trackingNumber: "999" }),
      "Package received (held until tracking was recorded: the package came as FedEx 1234 56, the customer recorded DHL 999)",
    );
  });

  it("another number recorded, the package's own words unknown: notes its key", () => {
    const reason = heldPackageReason(
      { reason: "Package received", packageKey: held.packageKey },
      { carrierName: "DHL", trackingNumber: "999" },
    );
    assert.ok(reason.includes(`came as ${held.packageKey},`), reason);
    assert.ok(reason.endsWith("the customer recorded DHL 999)"), reason);
  });
});
