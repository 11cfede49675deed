/** @module updateJob: the fields each state still allows to change (the rest accepted only re-sent as they are), and who may edit. */

import assert from "node:assert/strict";
import { it } from "node:test";

import { getJob } from "../../src/app/get-job.js";
import { listBitLockerKeys } from "../../src/app/list-bitlocker-keys.js";
import type { JobView } from "../../src/app/support/job-view.js";
import { updateJob } from "../../src/app/update-job.js";
import type { JobChanges } from "../../src/domain/job-edits.js";
import { JOB_STATES, type JobState } from "../../src/domain/states.js";
import { type AppWorld, describeOnEngines } from "../support/app.js";
import { asCustomer, jobIn, refusedUnchanged, serialOf, trackingOf } from "../support/customer.js";
import { bitLockerKey, RETURN_ADDRESS } from "../support/fixtures.js";

const ACTIVE: JobState[] = ["Creating", "Shipping", "Received", "Transferring", "Packaging"];

/** One editable field: a new value for it, the value the job holds (to re-send), and how a view shows it. */
interface Edit {
  /** The states in which it may change (job-edits.ts, LIFECYCLE.md); elsewhere only re-sent unchanged. */
  editableIn: readonly JobState[];
  next: JobChanges;
  same(view: JobView): JobChanges;
  shown(view: JobView): unknown;
  /** How a view shows `next` once saved, when not as sent. */
  nextShown?: unknown;
}

function edits(w: AppWorld, name: string): Record<string, Edit> {
  const serial = serialOf(name);
  const added = `${serial}-2`;
  return {
    tags: {
      editableIn: JOB_STATES,
      next: { tags: { edited: name } },
      same: (v) => ({ tags: v.job.tags }),
      shown: (v) => v.job.tags,
    },
    returnAddress: {
      editableIn: ACTIVE,
      next: { returnAddress: { ...RETURN_ADDRESS, city: "Bellevue" } },
      same: (v) => ({ returnAddress: v.job.returnAddress! }),
      shown: (v) => v.job.returnAddress,
    },
    returnShipping: {
      editableIn: ACTIVE,
      next: { returnShipping: { carrierName: "DHL", carrierAccountNumber: "778899" } },
      same: (v) => ({ returnShipping: v.job.returnShipping! }),
      shown: (v) => v.job.returnShipping,
    },
    deliveryPackage: {
      editableIn: ["Creating", "Shipping"],
      next: { deliveryPackage: { carrierName: "UPS", trackingNumber: `U-${name}` } },
      same: (v) => ({ deliveryPackage: v.job.deliveryPackage! }),
      shown: (v) => v.job.deliveryPackage,
    },
    logLevel: {
      editableIn: ["Creating", "Shipping"],
      next: { logLevel: "Verbose" },
      same: (v) => ({ logLevel: v.job.logLevel }),
      shown: (v) => v.job.logLevel,
    },
    backupDriveManifest: {
      editableIn: ["Creating", "Shipping"],
      next: { backupDriveManifest: true },
      same: (v) => ({ backupDriveManifest: v.job.backupDriveManifest }),
      shown: (v) => v.job.backupDriveManifest,
    },
    diagnosticsPath: {
      editableIn: ["Creating"],
      next: { diagnosticsPath: "diagnostics/edited" },
      same: (v) => ({ diagnosticsPath: v.job.diagnosticsPath }),
      shown: (v) => v.job.diagnosticsPath,
    },
    driveList: {
      editableIn: ["Creating"],
      next: { driveList: [{ driveId: serial }, { driveId: added, bitLockerKey: bitLockerKey() }] },
      // Re-sent with its key, as the customer gave it.
      same: (v) => ({
        driveList: v.drives.map((d) => ({ driveId: d.driveId, bitLockerKey: w.keys.get(d.driveId)! })),
      }),
      shown: (v) => v.drives.map((d) => d.driveId),
      nextShown: [serial, added],
    },
  };
}

const SHIPPING = { carrierName: "FedEx", carrierAccountNumber: "112233" };

const patch = asCustomer(updateJob);

describeOnEngines("update a job", (world) => {
  for (const state of JOB_STATES) {
    it(`in ${state}: changes what the state allows, refuses the rest naming the state, accepts any field re-sent as it is`, async () => {
      const w = world();
      const name = `uj-${state.toLowerCase()}`;
      // Every field has a value from the start, so each can be re-sent as it is in every state.
      await jobIn(w, name, state, {
        returnAddress: RETURN_ADDRESS,
        returnShipping: SHIPPING,
        deliveryPackage: { carrierName: "FedEx", trackingNumber: trackingOf(name) },
      });
      const movesBefore = await w.moves(name);
      for (const [field, edit] of Object.entries(edits(w, name))) {
        const current = await getJob(w.deps, w.cast.customer, w.address(name));
        const resent = await patch(w, name, edit.same(current));
        assert.deepEqual(edit.shown(resent), edit.shown(current), `${field} re-sent`);
        if (edit.editableIn.includes(state)) {
          const changed = await patch(w, name, edit.next);
          const expected = edit.nextShown ?? edit.next[field as keyof JobChanges];
          assert.notDeepEqual(expected, edit.shown(current), `${field} has a new value to take`);
          assert.deepEqual(edit.shown(changed), expected, `${field} changed`);
          assert.deepEqual(
            edit.shown(changed),
            edit.shown(await getJob(w.deps, w.cast.customer, w.address(name))),
            `${field} saved`,
          );
        } else {
          const message = new RegExp(`'${field}' cannot be changed while the job is in state '${state}'`);
          const code = await refusedUnchanged(w, name, () => patch(w, name, edit.next), message);
          assert.equal(code, "PropertyChangeNotAllowed", field);
        }
      }
      const after = await getJob(w.deps, w.cast.customer, w.address(name));
      assert.equal(after.job.state, state, "an edit moves nothing");
      const added = state === "Creating" ? [`${serialOf(name)}-2:∅→Specified`] : [];
      assert.deepEqual(await w.moves(name), [...movesBefore, ...added], "only an added drive is recorded");
    });
  }

  it("records who edited and when, and gives the job a new etag", async () => {
    const w = world();
    const created = await jobIn(w, "uj-who", "Creating");
    w.clock.advance(90_000);
    const edited = await patch(w, "uj-who", { tags: { a: "1" } });
    assert.equal(edited.job.lastModifiedAt, w.clock.now().toISOString());
    assert.equal(edited.job.lastModifiedBy, "customer:ada");
    assert.equal(edited.job.createdAt, created.job.createdAt);
    assert.notEqual(edited.job.etag, created.job.etag);
    const byAdmin = await patch(w, "uj-who", { tags: { a: "2" } }, { principal: w.cast.admin });
    assert.equal(byAdmin.job.lastModifiedBy, "admin:root");
  });

  it("replaces the drive list in Creating: a drive re-listed keeps its key or takes a new one, a drive left out goes", async () => {
    const w = world();
    await w.createImport("uj-drives", ["UJ1-A", "UJ1-B"]);
    const newKeyB = bitLockerKey();
    const keyC = bitLockerKey();
    const view = await patch(w, "uj-drives", {
      driveList: [
        { driveId: "UJ1-B", bitLockerKey: newKeyB },
        { driveId: "UJ1-C", bitLockerKey: keyC },
      ],
    });
    assert.deepEqual(
      view.drives.map((d) => `${d.driveId} ${d.state}`),
      ["UJ1-B Specified", "UJ1-C Specified"],
    );
    assert.deepEqual(await listBitLockerKeys(w.deps, w.cast.customer, w.address("uj-drives")), [
      { driveId: "UJ1-B", bitLockerKey: newKeyB },
      { driveId: "UJ1-C", bitLockerKey: keyC },
    ]);
    const kept = await patch(w, "uj-drives", { driveList: [{ driveId: "UJ1-C" }] });
    assert.deepEqual(
      kept.drives.map((d) => d.driveId),
      ["UJ1-C"],
    );
    assert.deepEqual(await listBitLockerKeys(w.deps, w.cast.customer, w.address("uj-drives")), [
      { driveId: "UJ1-C", bitLockerKey: keyC },
    ]);
    assert.deepEqual(await w.moves("uj-drives"), [
      "∅→Creating",
      "UJ1-A:∅→Specified",
      "UJ1-B:∅→Specified",
      "UJ1-C:∅→Specified",
    ]);
  });

  it("refuses a value that is not valid, saving nothing of the request", async () => {
    const w = world();
    await w.createImport("uj-bad", ["UJ2-A"]);
    const refusals: [string, JobChanges, string][] = [
      ["an email that is not one", { returnAddress: { ...RETURN_ADDRESS, email: "ada" } }, "InvalidAddress"],
      [
        "a return address without a city",
        { returnAddress: { ...RETURN_ADDRESS, city: " " } },
        "InvalidAddress",
      ],
      [
        "a return carrier without account",
        { returnShipping: { carrierName: "UPS", carrierAccountNumber: "" } },
        "InvalidAddress",
      ],
      [
        "a carrier the location does not take",
        { deliveryPackage: { carrierName: "Pony", trackingNumber: "1" } },
        "InvalidCarrier",
      ],
      [
        "a malformed tracking number",
        { deliveryPackage: { carrierName: "FedEx", trackingNumber: "#1!" } },
        "InvalidTrackingNumber",
      ],
      [
        "eleven drives in the package",
        { deliveryPackage: { carrierName: "FedEx", trackingNumber: "1", driveCount: 11 } },
        "InvalidDriveList",
      ],
      ["an unknown log level", { logLevel: "Chatty" }, "InvalidLogLevel"],
      ["a diagnostics path that climbs", { diagnosticsPath: "../up" }, "InvalidDiagnosticsPath"],
      ["a tag value too long", { tags: { a: "x".repeat(257) } }, "InvalidTags"],
      ["no drive", { driveList: [] }, "InvalidDriveList"],
      ["a drive twice", { driveList: [{ driveId: "UJ2-A" }, { driveId: "uj2-a" }] }, "DuplicateDriveId"],
      ["a new drive without its key", { driveList: [{ driveId: "UJ2-B" }] }, "InvalidBitLockerKey"],
      [
        "an export on an import job",
        { export: { blobPaths: ["/a"], blobPathPrefixes: [] } },
        "InvalidExport",
      ],
      // A valid edit sent with an invalid one is not saved either.
      [
        "tags with a bad address",
        { tags: { b: "2" }, returnAddress: { ...RETURN_ADDRESS, phone: "call me" } },
        "InvalidAddress",
      ],
    ];
    for (const [what, changes, code] of refusals) {
      assert.equal(await refusedUnchanged(w, "uj-bad", () => patch(w, "uj-bad", changes)), code, what);
    }
  });

  it("edits an export job's export while Creating only, and lists no drives for it", async () => {
    const w = world();
    await w.createExport("uj-export");
    const spec = { blobPaths: [], blobPathPrefixes: ["/music/"] };
    assert.deepEqual((await patch(w, "uj-export", { export: spec })).job.export, spec);
    assert.equal(
      await refusedUnchanged(w, "uj-export", () =>
        patch(w, "uj-export", { driveList: [{ driveId: "UJ3-E", bitLockerKey: bitLockerKey() }] }),
      ),
      "InvalidDriveList",
    );
    await w.ship("uj-export", "UJ3");
    assert.deepEqual((await patch(w, "uj-export", { export: spec })).job.export, spec, "re-sent as it is");
    assert.equal(
      await refusedUnchanged(
        w,
        "uj-export",
        () => patch(w, "uj-export", { export: { blobPaths: ["/other"], blobPathPrefixes: [] } }),
        /'export' cannot be changed while the job is in state 'Shipping'/,
      ),
      "PropertyChangeNotAllowed",
    );
  });

  it("lets only the customer (or an admin) edit: a stranger and an operator are refused; a missing job is not found", async () => {
    const w = world();
    await w.createImport("uj-access", ["UJ4-A"]);
    for (const principal of [w.cast.stranger, w.cast.operator, w.cast.stationA]) {
      const call = () => patch(w, "uj-access", { tags: { x: "1" } }, { principal });
      assert.equal(await refusedUnchanged(w, "uj-access", call), "AuthorizationFailed", principal.label);
    }
    assert.equal(
      await refusedUnchanged(w, "uj-missing", () => patch(w, "uj-missing", { tags: {} })),
      "ResourceNotFound",
    );
  });

  it("applies an edit only to the etag it was read at (If-Match), or to any with *", async () => {
    const w = world();
    const read = await jobIn(w, "uj-etag", "Shipping");
    const first = await patch(w, "uj-etag", { tags: { n: "1" } }, { ifMatch: [read.job.etag] });
    assert.deepEqual(first.job.tags, { n: "1" });
    const stale = () => patch(w, "uj-etag", { tags: { n: "2" } }, { ifMatch: [read.job.etag] });
    assert.equal(await refusedUnchanged(w, "uj-etag", stale), "PreconditionFailed");
    const any = await patch(w, "uj-etag", { tags: { n: "3" } }, { ifMatch: ["*"] });
    assert.deepEqual(any.job.tags, { n: "3" });
  });
});
