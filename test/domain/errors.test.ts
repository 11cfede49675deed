/** @module The catalogue of refusals: every code has a constructor, every message is a sentence, refused values are shown, not echoed. */

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  DomainError,
  ERROR_CODES,
  type ErrorCode,
  type ErrorDetail,
  errors,
  isDomainError,
  shown,
  textLength,
} from "../../src/domain/errors.js";

type Constructor = keyof typeof errors;

interface Row {
  /** The constructor called with plausible arguments. */
  call: () => DomainError;
  code: ErrorCode;
  /** What its refusal names as the field at fault (undefined: the request as a whole). */
  target: string | undefined;
}
const row = (code: ErrorCode, target: string | undefined, call: () => DomainError): Row => ({
  code,
  target,
  call,
});

const VERSIONS = ["2021-01-01", "2020-08-01"];
const SUB = "0f8fad5b-d9cb-469f-a165-70867728950e";
const KEY_ROW = "properties.driveList[1].bitLockerKey";
const CAUSE = errors.drivesStillSpecified("WD-1", ["WD-2"]);

/**
 * Every constructor, by name (the type makes a new constructor without a row a compile error), with the
 * code it refuses with and the target its refusal names.
 */
const CATALOGUE: Record<Constructor, Row> = {
  // Request shape.
  requestUnparsable: row("BadRequest", undefined, () =>
    errors.requestUnparsable("a header line is malformed"),
  ),
  requestHeadersTooLarge: row("RequestHeaderFieldsTooLarge", undefined, () =>
    errors.requestHeadersTooLarge(16384),
  ),
  requestTimedOut: row("RequestTimeout", undefined, () => errors.requestTimedOut()),
  apiVersionMissing: row("MissingApiVersionParameter", undefined, () => errors.apiVersionMissing(VERSIONS)),
  apiVersionNotSupported: row("InvalidApiVersionParameter", undefined, () =>
    errors.apiVersionNotSupported("2015-01-01", VERSIONS),
  ),
  bodyRequired: row("InvalidRequestContent", undefined, () => errors.bodyRequired()),
  bodyNotJson: row("InvalidRequestContent", undefined, () => errors.bodyNotJson()),
  bodyUnreadable: row("InvalidRequestContent", undefined, () => errors.bodyUnreadable()),
  contentLengthMismatch: row("InvalidRequestContent", undefined, () => errors.contentLengthMismatch()),
  mediaTypeNotJson: row("UnsupportedMediaType", undefined, () => errors.mediaTypeNotJson()),
  bodyTooLarge: row("RequestEntityTooLarge", undefined, () => errors.bodyTooLarge()),
  // The first problem's code (when UnknownProperty), message and target.
  bodyRefused: row("UnknownProperty", "properties.colour", () =>
    errors.bodyRefused([
      {
        code: "UnknownProperty",
        message: "The property 'colour' is not known.",
        target: "properties.colour",
      },
    ]),
  ),
  urlNotDecodable: row("InvalidRequestContent", undefined, () => errors.urlNotDecodable()),
  pathSegmentTooLong: row("InvalidRequestContent", undefined, () => errors.pathSegmentTooLong()),
  queryParameterTwice: row("InvalidQueryParameter", "$top", () => errors.queryParameterTwice("$top", 2)),
  logKindInvalid: row("InvalidQueryParameter", "kind", () => errors.logKindInvalid("debug")),
  queryParameterRequired: row("InvalidQueryParameter", "api-version", () =>
    errors.queryParameterRequired("api-version"),
  ),
  topOutOfRange: row("InvalidQueryParameter", "$top", () => errors.topOutOfRange(100)),
  orderByNotSupported: row("InvalidQueryParameter", "$orderby", () => errors.orderByNotSupported()),
  filterInvalid: row("InvalidFilter", "$filter", () =>
    errors.filterInvalid("'state' must be compared with eq."),
  ),
  skipTokenInvalid: row("InvalidSkipToken", "$skiptoken", () => errors.skipTokenInvalid()),
  noSuchOperation: row("NotFound", undefined, () => errors.noSuchOperation("GET", "/nothing/here")),
  // Identity.
  authorizationMissing: row("AuthenticationFailed", undefined, () => errors.authorizationMissing()),
  notAuthenticated: row("AuthenticationFailed", undefined, () => errors.notAuthenticated()),
  tokenInvalid: row("InvalidAuthenticationToken", undefined, () => errors.tokenInvalid()),
  noAccessToSubscription: row("AuthorizationFailed", undefined, () =>
    errors.noAccessToSubscription("ada", SUB),
  ),
  roleNotAllowed: row("AuthorizationFailed", undefined, () =>
    errors.roleNotAllowed("ada", "customer", "receive packages", ["operator", "admin"]),
  ),
  operatorCannotChangeJobs: row("AuthorizationFailed", undefined, () =>
    errors.operatorCannotChangeJobs("ops"),
  ),
  keysOnlyToOwner: row("AuthorizationFailed", undefined, () => errors.keysOnlyToOwner("st-1", "station")),
  roleUnknown: row("InvalidRole", undefined, () => errors.roleUnknown("boss", ["customer", "operator"])),
  customerTokenNeedsSubscription: row("InvalidSubscriptionId", undefined, () =>
    errors.customerTokenNeedsSubscription(),
  ),
  onlyCustomerTokensScoped: row("InvalidSubscriptionId", undefined, () =>
    errors.onlyCustomerTokensScoped("operator"),
  ),
  tokenLabelInvalid: row("InvalidTokenLabel", "label", () => errors.tokenLabelInvalid()),
  // Names and values.
  subscriptionIdInvalid: row("InvalidSubscriptionId", "subscriptionId", () =>
    errors.subscriptionIdInvalid("abc"),
  ),
  resourceGroupNameInvalid: row("InvalidResourceGroupName", "resourceGroupName", () =>
    errors.resourceGroupNameInvalid("rg."),
  ),
  jobNameInvalid: row("InvalidJobName", "jobName", () => errors.jobNameInvalid("-x")),
  jobIdInvalid: row("InvalidJobId", "job", () => errors.jobIdInvalid("job")),
  driveIdInvalid: row("InvalidDriveId", "properties.driveList[0].driveId", () =>
    errors.driveIdInvalid("WD 1", "properties.driveList[0].driveId"),
  ),
  bitLockerKeyInvalid: row("InvalidBitLockerKey", KEY_ROW, () => errors.bitLockerKeyInvalid("WD-1", KEY_ROW)),
  bitLockerKeyMissing: row("InvalidBitLockerKey", KEY_ROW, () => errors.bitLockerKeyMissing("WD-1", KEY_ROW)),
  storageAccountIdInvalid: row("InvalidStorageAccountId", "storageAccountId", () =>
    errors.storageAccountIdInvalid("/x", "it does not have the expected segments"),
  ),
  storageAccountIdRequired: row("InvalidStorageAccountId", "properties.storageAccountId", () =>
    errors.storageAccountIdRequired(),
  ),
  storageAccountOfOtherSubscription: row("InvalidStorageAccountId", "properties.storageAccountId", () =>
    errors.storageAccountOfOtherSubscription(),
  ),
  storageAccountNameInvalid: row("InvalidStorageAccountId", "name", () => errors.storageAccountNameInvalid()),
  storageAccountNotRegistered: row("StorageAccountNotFound", "properties.storageAccountId", () =>
    errors.storageAccountNotRegistered("acct"),
  ),
  blobEndpointInvalid: row("InvalidBlobEndpoint", "blobEndpoint", () => errors.blobEndpointInvalid()),
  fileShareRootInvalid: row("InvalidFileShareRoot", "fileShareRoot", () =>
    errors.fileShareRootInvalid("it is relative"),
  ),
  credentialSecretMissing: row("InvalidCredential", "credential.secret", () =>
    errors.credentialSecretMissing("sharedKey"),
  ),
  connectionStringInvalid: row("InvalidCredential", "credential.secret", () =>
    errors.connectionStringInvalid(),
  ),
  locationRequired: row("InvalidLocation", "location", () => errors.locationRequired()),
  locationNotServed: row("LocationNotFound", "location", () => errors.locationNotServed("Mars", ["West US"])),
  locationIdInvalid: row("InvalidLocation", "id", () => errors.locationIdInvalid()),
  locationInUse: row("InvalidLocation", "id", () => errors.locationInUse("westus", 3)),
  locationNameTaken: row("InvalidLocation", "name", () => errors.locationNameTaken("Harbor", "harbor1")),
  locationNeedsCarrier: row("InvalidCarrier", "supportedCarriers", () => errors.locationNeedsCarrier()),
  locationFieldInvalid: row("InvalidAddress", "city", () => errors.locationFieldInvalid("city", 200)),
  jobTypeInvalid: row("InvalidJobType", "properties.jobType", () => errors.jobTypeInvalid()),
  logLevelInvalid: row("InvalidLogLevel", "properties.logLevel", () =>
    errors.logLevelInvalid(["Error", "Verbose"]),
  ),
  textRequired: row("InvalidAddress", "returnAddress.city", () =>
    errors.textRequired("InvalidAddress", "returnAddress.city", "this field of the return address"),
  ),
  textTooLong: row("InvalidAddress", "returnAddress.city", () =>
    errors.textTooLong("InvalidAddress", "returnAddress.city", 200),
  ),
  textInvalid: row("InvalidAddress", "returnAddress.streetAddress2", () =>
    errors.textInvalid("InvalidAddress", "returnAddress.streetAddress2", 200),
  ),
  returnAddressNotObject: row("InvalidAddress", "returnAddress", () => errors.returnAddressNotObject()),
  emailInvalid: row("InvalidAddress", "returnAddress.email", () => errors.emailInvalid("ada")),
  phoneInvalid: row("InvalidAddress", "returnAddress.phone", () => errors.phoneInvalid("call me")),
  returnShippingNotObject: row("InvalidCarrier", "returnShipping", () => errors.returnShippingNotObject()),
  carrierNotSupported: row("InvalidCarrier", "deliveryPackage.carrierName", () =>
    errors.carrierNotSupported("UPS", ["FedEx"], "deliveryPackage.carrierName"),
  ),
  trackingNumberInvalid: row("InvalidTrackingNumber", "deliveryPackage.trackingNumber", () =>
    errors.trackingNumberInvalid("12/34", "deliveryPackage.trackingNumber"),
  ),
  deliveryPackageNotObject: row("InvalidTrackingNumber", "deliveryPackage", () =>
    errors.deliveryPackageNotObject(),
  ),
  driveCountInvalid: row("InvalidDriveList", "deliveryPackage.driveCount", () => errors.driveCountInvalid()),
  shipDateInvalid: row("InvalidShipDate", "shipDate", () => errors.shipDateInvalid("tomorrow")),
  tagsNotObject: row("InvalidTags", "tags", () => errors.tagsNotObject()),
  tooManyTags: row("InvalidTags", "tags", () => errors.tooManyTags(50, 51)),
  tagNameInvalid: row("InvalidTags", "tags", () => errors.tagNameInvalid("")),
  tagValueInvalid: row("InvalidTags", "tags.team", () => errors.tagValueInvalid("team")),
  diagnosticsPathInvalid: row("InvalidDiagnosticsPath", "diagnosticsPath", () =>
    errors.diagnosticsPathInvalid("../x"),
  ),
  exportRequired: row("InvalidExport", "properties.export", () => errors.exportRequired()),
  exportOnlyForExportJobs: row("InvalidExport", "properties.export", () => errors.exportOnlyForExportJobs()),
  blobPathInvalid: row("InvalidExport", "properties.export", () => errors.blobPathInvalid("/a/../b")),
  exportListsNoDrives: row("InvalidDriveList", "properties.driveList", () => errors.exportListsNoDrives()),
  importNeedsDrives: row("InvalidDriveList", "properties.driveList", () => errors.importNeedsDrives()),
  tooManyDrives: row("TooManyDrives", "properties.driveList", () => errors.tooManyDrives(10, 11)),
  driveListedTwice: row("DuplicateDriveId", "properties.driveList[2].driveId", () =>
    errors.driveListedTwice("WD-1", "properties.driveList[2].driveId"),
  ),
  driveInUse: row("DriveInUse", "properties.driveList[0].driveId", () =>
    errors.driveInUse("WD-1", "properties.driveList[0].driveId"),
  ),
  driveAlreadyRegistered: row("DuplicateDriveId", undefined, () => errors.driveAlreadyRegistered("E-1")),
  packageTooLarge: row("InvalidDriveList", "drives", () => errors.packageTooLarge(100)),
  stateValueInvalid: row("InvalidStateValue", "properties.state", () => errors.stateValueInvalid("Received")),
  shipAndCancel: row("InvalidStateValue", "properties.state", () => errors.shipAndCancel()),
  cancelRequestFalse: row("InvalidCancelRequest", "properties.cancelRequested", () =>
    errors.cancelRequestFalse(),
  ),
  stationNameInvalid: row("InvalidStationName", "name", () => errors.stationNameInvalid()),
  stationNotRegistered: row("StationNotRegistered", undefined, () => errors.stationNotRegistered()),
  baysInvalid: row("InvalidBayReport", "bays", () =>
    errors.baysInvalid("Bay 'b1' is named twice or has no name."),
  ),
  // Jobs and drives: a drive's refusal names the drive.
  notFound: row("ResourceNotFound", undefined, () => errors.notFound("job", "photos")),
  invalidJobState: row("InvalidJobState", undefined, () => errors.invalidJobState("Shipping", "canceled")),
  invalidJobTransition: row("InvalidJobTransition", undefined, () =>
    errors.invalidJobTransition("Completed", "Shipping"),
  ),
  invalidDriveTransition: row("InvalidDriveTransition", "WD-1", () =>
    errors.invalidDriveTransition("WD-1", "ShippedBack", "Received"),
  ),
  notFoundDriveState: row("InvalidDriveTransition", "WD-1", () =>
    errors.notFoundDriveState("WD-1", "Transferring"),
  ),
  driveMoveWhileCreating: row("InvalidJobState", "WD-1", () => errors.driveMoveWhileCreating("WD-1")),
  driveMoveWhileCanceled: row("InvalidJobState", "WD-1", () => errors.driveMoveWhileCanceled("WD-1")),
  extraDriveNeverCopied: row("InvalidDriveTransition", "X-1", () => errors.extraDriveNeverCopied("X-1")),
  drivesStillSpecified: row("InvalidJobState", "WD-1", () =>
    errors.drivesStillSpecified("WD-1", ["WD-2", "WD-3"]),
  ),
  returnAddressRequired: row("ReturnAddressRequired", "returnAddress", () => errors.returnAddressRequired()),
  deliveryPackageRequired: row("DeliveryPackageRequired", "deliveryPackage", () =>
    errors.deliveryPackageRequired(),
  ),
  importShipsWithoutDrives: row("InvalidDriveList", "driveList", () => errors.importShipsWithoutDrives()),
  propertyFixedInState: row("PropertyChangeNotAllowed", "properties.driveList", () =>
    errors.propertyFixedInState("driveList", "Shipping"),
  ),
  propertyFixedAtCreation: row("PropertyChangeNotAllowed", "properties.jobType", () =>
    errors.propertyFixedAtCreation("jobType"),
  ),
  preconditionFailed: row("PreconditionFailed", undefined, () => errors.preconditionFailed()),
  jobExists: row("PreconditionFailed", "jobName", () => errors.jobExists("photos")),
  concurrentUpdate: row("ConcurrentUpdate", undefined, () => errors.concurrentUpdate()),
  // The data center.
  packageNotFound: row("PackageNotFound", "tracking", () => errors.packageNotFound("FedEx", "123")),
  packageAlreadyReceived: row("PackageAlreadyReceived", "tracking", () =>
    errors.packageAlreadyReceived("FedEx", "123", false, "2026-01-05T10:00:00.000Z", "ops-1"),
  ),
  packageNotReceivable: row("InvalidJobState", undefined, () =>
    errors.packageNotReceivable("photos", "Received"),
  ),
  notAnExportJob: row("InvalidJobState", undefined, () => errors.notAnExportJob("photos")),
  driveCapacityInvalid: row("InvalidDriveCapacity", "capacity", () => errors.driveCapacityInvalid("8XB")),
  incompleteBlobListUriInvalid: row("InvalidIncompleteBlobListUri", "incompleteBlobListUri", () =>
    errors.incompleteBlobListUriInvalid("ftp://x/list.xml"),
  ),
  incompleteBlobListOnImport: row("InvalidIncompleteBlobListUri", "incompleteBlobListUri", () =>
    errors.incompleteBlobListOnImport("WD-1"),
  ),
  exportDriveWaitsForEarlier: row("DriveNotClaimable", "WD-2", () =>
    errors.exportDriveWaitsForEarlier("WD-2", "WD-1"),
  ),
  registrationClosed: row("InvalidJobState", undefined, () =>
    errors.registrationClosed("backup", "Packaging"),
  ),
  notReadyToShipBack: row("InvalidJobState", undefined, () =>
    errors.notReadyToShipBack("photos", "Transferring"),
  ),
  driveNotListed: row("DriveNotFound", "serial", () => errors.driveNotListed("WD-9")),
  noDriveToCopy: row("DriveNotFound", "serial", () => errors.noDriveToCopy("WD-9")),
  driveGone: row("DriveNotFound", "serial", () => errors.driveGone("WD-9")),
  driveNotCopyable: row("DriveNotClaimable", "WD-1", () => errors.driveNotCopyable("WD-1", "ShippedBack")),
  extraDriveNotClaimable: row("DriveNotClaimable", "X-1", () => errors.extraDriveNotClaimable("X-1")),
  driveLeasedToOther: row("DriveNotClaimable", "WD-1", () =>
    errors.driveLeasedToOther("WD-1", "2026-01-01T00:05:00.000Z"),
  ),
  // The rule's own message, as a claim refusal of the drive.
  driveNotClaimableYet: row("DriveNotClaimable", "WD-1", () => errors.driveNotClaimableYet(CAUSE, "WD-1")),
  noLeaseOnDrive: row("LeaseNotHeld", "WD-1", () => errors.noLeaseOnDrive("WD-1", "Received")),
  leaseHeldByOther: row("LeaseNotHeld", "WD-1", () => errors.leaseHeldByOther("WD-1")),
  driveNotClaimed: row("LeaseNotHeld", "WD-1", () => errors.driveNotClaimed("WD-1")),
  progressOutOfRange: row("InvalidProgress", "bytesSucceeded", () => errors.progressOutOfRange()),
  copyOutcomeMismatch: row("InvalidCopyOutcome", "state", () =>
    errors.copyOutcomeMismatch("Completed", "CompletedMoreInfo"),
  ),
  driveLogNotWritten: row("DriveLogNotAvailable", "WD-1", () =>
    errors.driveLogNotWritten("WD-1", "error", false),
  ),
  driveLogOutsideDiagnostics: row("DriveLogNotAvailable", "WD-1", () =>
    errors.driveLogOutsideDiagnostics("WD-1", "error", "waimportexport"),
  ),
  driveLogUnreadable: row("DriveLogUnreadable", "WD-1", () =>
    errors.driveLogUnreadable(
      "WD-1",
      "verbose",
      "the storage account refused the read (403 AuthorizationFailure).",
    ),
  ),
};

/** Codes no constructor makes: the API edge raises them itself. */
const RAISED_BY_THE_EDGE: Partial<Record<ErrorCode, string>> = {
  InternalServerError:
    "written by the HTTP server's last-resort handler for an exception no rule foresaw (src/api/http/server.ts); a refusal never carries it",
};

const ROWS = Object.entries(CATALOGUE) as [Constructor, Row][];

describe("the catalogue: one row per constructor", () => {
  it("names every constructor of `errors`, and nothing else", () => {
    assert.deepEqual(Object.keys(CATALOGUE).sort(), Object.keys(errors).sort());
  });

  for (const [name, { call, code, target }] of ROWS) {
    it(`${name}: ${code}${target === undefined ? "" : ` at ${target}`}, with a sentence for a message`, () => {
      const error = call();
      assert.ok(error instanceof DomainError && isDomainError(error));
      assert.equal(error.name, "DomainError");
      assert.equal(error.code, code);
      assert.equal(error.target, target);
      const { message } = error;
      assert.ok(message.length > 10, message);
      assert.equal(message, message.trim());
      assert.match(message, /^[A-Z'$a-z]/, "starts with a word or a quoted name");
      assert.match(message, /[.)]$/, "ends as a sentence");
      assert.doesNotMatch(message, /undefined|null|NaN|\[object |\s{2}| \./, message);
    });
  }
});

describe("the catalogue: every code is made by a constructor", () => {
  it("ERROR_CODES holds each code once", () => {
    assert.equal(new Set(ERROR_CODES).size, ERROR_CODES.length);
  });

  it("the codes the constructors make are ERROR_CODES, but for those the API edge raises itself", () => {
    const made = new Set(ROWS.map(([, r]) => r.call().code));
    const expected = ERROR_CODES.filter((code) => !(code in RAISED_BY_THE_EDGE));
    assert.deepEqual([...made].sort(), [...expected].sort());
  });
});

describe("refusals whose doc says what they carry", () => {
  it("textRequired, textTooLong and textInvalid: `code` is the field's own", () => {
    for (const code of ["InvalidAddress", "InvalidCarrier", "InvalidTrackingNumber"] as const) {
      for (const error of [
        errors.textRequired(code, "f", "it"),
        errors.textTooLong(code, "f", 9),
        errors.textInvalid(code, "f", 9),
      ]) {
        assert.deepEqual([error.code, error.target], [code, "f"]);
      }
    }
  });

  it("bodyRefused: the first problem's code, message and target, and the problems in details", () => {
    const details: ErrorDetail[] = [
      { code: "InvalidRequestContent", message: "Expected a string.", target: "properties.logLevel" },
      { code: "UnknownProperty", message: "Unknown property 'x'.", target: "x" },
    ];
    const error = errors.bodyRefused(details);
    assert.deepEqual(
      [error.code, error.message, error.target, error.details],
      ["InvalidRequestContent", "Expected a string.", "properties.logLevel", details],
    );
    // A first problem of another code is InvalidRequestContent; no problem at all still says something.
    assert.equal(errors.bodyRefused([{ code: "Whatever", message: "No." }]).code, "InvalidRequestContent");
    const empty = errors.bodyRefused([]);
    assert.equal(empty.code, "InvalidRequestContent");
    assert.ok(empty.message.length > 0);
  });

  it("driveNotClaimableYet: the rule's own message, as a claim refusal of the drive", () => {
    const error = errors.driveNotClaimableYet(CAUSE, "WD-1");
    assert.deepEqual([error.code, error.message, error.target], ["DriveNotClaimable", CAUSE.message, "WD-1"]);
  });

  it("storageAccountIdInvalid: storageAccountId unless told where the id was", () => {
    assert.equal(errors.storageAccountIdInvalid("/x", "why").target, "storageAccountId");
    assert.equal(
      errors.storageAccountIdInvalid("/x", "why", "properties.storageAccountId").target,
      "properties.storageAccountId",
    );
  });

  it("propertyFixedAtCreation: location at the top of the job, the others under properties", () => {
    assert.deepEqual(
      (["location", "jobType", "storageAccountId"] as const).map(
        (f) => errors.propertyFixedAtCreation(f).target,
      ),
      ["location", "properties.jobType", "properties.storageAccountId"],
    );
  });
});

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe("shown: a refused value in a message", () => {
  const rows: [string, unknown, string][] = [
    ["a short string, quoted", "abc", "'abc'"],
    ["80 characters whole", "x".repeat(80), `'${"x".repeat(80)}'`],
    ["81 characters cut to 80 and an ellipsis", "x".repeat(81), `'${"x".repeat(80)}…'`],
    ["characters as a person counts them: 81 emoji cut to 80", "🚚".repeat(81), `'${"🚚".repeat(80)}…'`],
    ["a line feed, a tab and NUL masked", "a\nb\tc\u0000", "'a?b?c?'"],
    ["DEL and the C1 controls masked", "a\u007fb\u0085c\u009f", "'a?b?c?'"],
    ["masked before cut", "\n".repeat(81), `'${"?".repeat(80)}…'`],
    ["a number, by its kind", 42, "a number"],
    ["a boolean, by its kind", true, "a boolean"],
    ["null, by its kind", null, "a null"],
  ];
  for (const [name, value, expected] of rows) {
    it(`${name}: ${expected.length > 30 ? `${expected.slice(0, 12)}…` : expected}`, () => {
      assert.equal(shown(value), expected);
    });
  }

  it("never shows more than 80 characters of a value, nor a control character, nor half a surrogate pair", () => {
    for (const unit of ["a", "é", "🚚", "\u0001", "\r\n", "日本"]) {
      for (const count of [0, 1, 79, 80, 81, 500]) {
        const text = shown(unit.repeat(count));
        assert.ok(textLength(text) <= 83, `${count} × ${JSON.stringify(unit)}`);
        assert.doesNotMatch(text, /[\u0000-\u001f\u007f-\u009f]/); // eslint-disable-line no-control-regex
        assert.doesNotMatch(text, LONE_SURROGATE);
      }
    }
  });
});

describe("a value a person typed is shown, not echoed (no control character, not without end)", () => {
  const TYPED = `x\u0000\n${"y".repeat(4000)}`;
  // Constructors handed a value as it came in a request.
  const rows: [Constructor, () => DomainError][] = [
    ["subscriptionIdInvalid", () => errors.subscriptionIdInvalid(TYPED)],
    ["resourceGroupNameInvalid", () => errors.resourceGroupNameInvalid(TYPED)],
    ["jobNameInvalid", () => errors.jobNameInvalid(TYPED)],
    ["driveIdInvalid", () => errors.driveIdInvalid(TYPED, "driveId")],
    ["bitLockerKeyInvalid", () => errors.bitLockerKeyInvalid(TYPED, "bitLockerKey")],
    ["storageAccountIdInvalid", () => errors.storageAccountIdInvalid(TYPED, "why")],
    ["emailInvalid", () => errors.emailInvalid(TYPED)],
    ["phoneInvalid", () => errors.phoneInvalid(TYPED)],
    ["carrierNotSupported", () => errors.carrierNotSupported(TYPED, ["FedEx"], "carrierName")],
    ["trackingNumberInvalid", () => errors.trackingNumberInvalid(TYPED, "trackingNumber")],
    ["tagNameInvalid", () => errors.tagNameInvalid(TYPED)],
    ["diagnosticsPathInvalid", () => errors.diagnosticsPathInvalid(TYPED)],
    ["blobPathInvalid", () => errors.blobPathInvalid(TYPED)],
    ["shipDateInvalid", () => errors.shipDateInvalid(TYPED)],
    ["stateValueInvalid", () => errors.stateValueInvalid(TYPED)],
    ["locationNotServed", () => errors.locationNotServed(TYPED, ["West US"])],
    ["apiVersionNotSupported", () => errors.apiVersionNotSupported(TYPED, VERSIONS)],
  ];
  for (const [name, call] of rows) {
    it(name, () => {
      const { message } = call();
      assert.doesNotMatch(message, /[\u0000-\u001f\u007f-\u009f]/, name); // eslint-disable-line no-control-regex
      assert.ok(message.length < 600, `${name}: ${message.length} characters`);
    });
  }
});
