/**
 * @module The one catalogue of refusals: every code, and a constructor per refusal that writes its message
 * once. Every refusal in Sneakernet is a DomainError made here; the API maps each code to an HTTP status
 * and the ARM envelope, the CLI to one line.
 */

export const ERROR_CODES = [
  // Request shape: what could not be read at all (raised by the API edge).
  "BadRequest",
  "RequestHeaderFieldsTooLarge",
  "RequestTimeout",
  "MissingApiVersionParameter",
  "InvalidApiVersionParameter",
  "InvalidRequestContent",
  "UnsupportedMediaType",
  "RequestEntityTooLarge",
  "UnknownProperty",
  "InvalidQueryParameter",
  "InvalidFilter",
  "InvalidSkipToken",
  "NotFound",
  // Identity.
  "AuthenticationFailed",
  "InvalidAuthenticationToken",
  "AuthorizationFailed",
  // Names and values: each field its own code.
  "InvalidSubscriptionId",
  "InvalidResourceGroupName",
  "InvalidJobName",
  "InvalidJobId",
  "InvalidDriveId",
  "InvalidBitLockerKey",
  "InvalidStorageAccountId",
  "InvalidBlobEndpoint",
  "InvalidFileShareRoot",
  "InvalidCredential",
  "StorageAccountNotFound",
  "InvalidLocation",
  "LocationNotFound",
  "InvalidJobType",
  "InvalidLogLevel",
  "InvalidAddress",
  "InvalidCarrier",
  "InvalidTrackingNumber",
  "InvalidShipDate",
  "InvalidDriveList",
  "DuplicateDriveId",
  "DriveInUse",
  "TooManyDrives",
  "InvalidExport",
  "InvalidTags",
  "InvalidStateValue",
  "InvalidCancelRequest",
  "InvalidDiagnosticsPath",
  "InvalidRole",
  "InvalidTokenLabel",
  "InvalidStationName",
  "InvalidBayReport",
  "InvalidDriveCapacity",
  "InvalidIncompleteBlobListUri",
  "StationNotRegistered",
  // Jobs and drives: the lifecycle's rules.
  "ResourceNotFound",
  "InvalidJobState",
  "InvalidJobTransition",
  "InvalidDriveTransition",
  "ReturnAddressRequired",
  "DeliveryPackageRequired",
  "PropertyChangeNotAllowed",
  "PreconditionFailed",
  "ConcurrentUpdate",
  // The data center.
  "PackageNotFound",
  "PackageAlreadyReceived",
  "DriveNotFound",
  "DriveNotClaimable",
  "LeaseNotHeld",
  "InvalidProgress",
  "InvalidCopyOutcome",
  // A drive's copy log, read from the job's storage account.
  "DriveLogNotAvailable",
  "DriveLogUnreadable",
  // Anything we did not foresee; never carries internal detail to a user.
  "InternalServerError",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorDetail {
  code: string;
  message: string;
  target?: string;
}

/** A refusal with a stable code and a message written for the person who made the request. */
export class DomainError extends Error {
  override readonly name = "DomainError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly target?: string,
    readonly details?: readonly ErrorDetail[],
  ) {
    super(message);
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError || (error instanceof Error && error.name === "DomainError");
}

/** Length in characters as a person counts them (code points), not UTF-16 units. */
export function textLength(value: string): number {
  return [...value].length;
}

/** A printable rendering of a refused value for a message; long or odd values are cut, not echoed. */
export function shown(value: unknown): string {
  if (typeof value !== "string") {
    return `a ${value === null ? "null" : typeof value}`;
  }
  const clean = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?"); // eslint-disable-line no-control-regex
  return `'${textLength(clean) > 80 ? `${[...clean].slice(0, 80).join("")}…` : clean}'`;
}

const quoted = (values: readonly string[]) => values.map((v) => `'${v}'`).join(", ");

/** The constructors, one per refusal, grouped as the catalogue above. */
export const errors = {
  // ---- Request shape ------------------------------------------------------------------------------
  /** What Node's HTTP parser refused before any route saw it; `problem` says what, as a phrase. */
  requestUnparsable(problem: string): DomainError {
    return new DomainError("BadRequest", `The request is not valid HTTP: ${problem}.`);
  },
  requestHeadersTooLarge(limitBytes: number): DomainError {
    return new DomainError(
      "RequestHeaderFieldsTooLarge",
      `The request line and headers are too large (the limit is ${limitBytes} bytes in all): shorten the query string or the headers.`,
    );
  },
  requestTimedOut(): DomainError {
    return new DomainError("RequestTimeout", "The request did not arrive in full in time.");
  },
  apiVersionMissing(supported: readonly string[]): DomainError {
    return new DomainError(
      "MissingApiVersionParameter",
      `The api-version query parameter is required. Supported versions: ${supported.join(", ")}.`,
    );
  },
  apiVersionNotSupported(value: string, supported: readonly string[]): DomainError {
    return new DomainError(
      "InvalidApiVersionParameter",
      `The api-version ${shown(value)} is not supported. Supported versions: ${supported.join(", ")}.`,
    );
  },
  bodyRequired(): DomainError {
    return new DomainError("InvalidRequestContent", "The request needs a JSON body.");
  },
  bodyNotJson(): DomainError {
    return new DomainError("InvalidRequestContent", "The request body is not valid JSON.");
  },
  bodyUnreadable(): DomainError {
    return new DomainError("InvalidRequestContent", "The request could not be read.");
  },
  contentLengthMismatch(): DomainError {
    return new DomainError("InvalidRequestContent", "The Content-Length header does not match the body.");
  },
  mediaTypeNotJson(): DomainError {
    return new DomainError("UnsupportedMediaType", "Send the request body as application/json.");
  },
  bodyTooLarge(): DomainError {
    return new DomainError("RequestEntityTooLarge", "The request body is too large (the limit is 1 MiB).");
  },
  /** A body the schema refuses: the first problem's code, message and target, and up to ten in details. */
  bodyRefused(details: readonly ErrorDetail[]): DomainError {
    const first = details[0] ?? { code: "InvalidRequestContent", message: "The body is not valid." };
    const code = first.code === "UnknownProperty" ? "UnknownProperty" : "InvalidRequestContent";
    return new DomainError(code, first.message, first.target, details);
  },
  urlNotDecodable(): DomainError {
    return new DomainError(
      "InvalidRequestContent",
      "The request URL is not valid: a '%' escape in its path does not decode.",
    );
  },
  pathSegmentTooLong(): DomainError {
    return new DomainError("InvalidRequestContent", "A segment of the request path is too long.");
  },
  queryParameterTwice(name: string, times: number): DomainError {
    return new DomainError("InvalidQueryParameter", `Give ${name} once, not ${times} times.`, name);
  },
  /** `kind` of a drive log: error or verbose. */
  logKindInvalid(value: unknown): DomainError {
    return new DomainError(
      "InvalidQueryParameter",
      `The log kind ${shown(value)} is not one of 'error', 'verbose'.`,
      "kind",
    );
  },
  queryParameterRequired(name: string): DomainError {
    return new DomainError("InvalidQueryParameter", `The query parameter '${name}' is required, once.`, name);
  },
  topOutOfRange(max: number): DomainError {
    return new DomainError("InvalidQueryParameter", `$top must be a whole number from 1 to ${max}.`, "$top");
  },
  orderByNotSupported(): DomainError {
    return new DomainError(
      "InvalidQueryParameter",
      "$orderby may only be 'createdAt asc' (the default) or 'createdAt desc'.",
      "$orderby",
    );
  },
  filterInvalid(why: string): DomainError {
    return new DomainError(
      "InvalidFilter",
      `${why} Filters look like: state eq 'Shipping' and jobType eq 'Import' and startswith(name,'photos').`,
      "$filter",
    );
  },
  skipTokenInvalid(): DomainError {
    return new DomainError(
      "InvalidSkipToken",
      "The $skiptoken is not one this service issued for this $orderby; start again from the first page.",
      "$skiptoken",
    );
  },
  noSuchOperation(method: string, path: string): DomainError {
    return new DomainError("NotFound", `No operation is served at ${method} ${path.slice(0, 200)}.`);
  },

  // ---- Identity -----------------------------------------------------------------------------------
  authorizationMissing(): DomainError {
    return new DomainError(
      "AuthenticationFailed",
      "Authentication failed. The 'Authorization' header is missing; send 'Authorization: Bearer <token>'.",
    );
  },
  notAuthenticated(): DomainError {
    return new DomainError(
      "AuthenticationFailed",
      "Authentication failed: the request carries no valid bearer token.",
    );
  },
  tokenInvalid(): DomainError {
    return new DomainError("InvalidAuthenticationToken", "The access token is invalid or has been revoked.");
  },
  noAccessToSubscription(client: string, subscriptionId: string): DomainError {
    return new DomainError(
      "AuthorizationFailed",
      `The client '${client}' does not have authorization to perform this action on subscription '${subscriptionId}'.`,
    );
  },
  roleNotAllowed(client: string, role: string, action: string, roles: readonly string[]): DomainError {
    return new DomainError(
      "AuthorizationFailed",
      `The client '${client}' (role ${role}) may not ${action}; that needs the role ${roles.join(" or ")}.`,
    );
  },
  operatorCannotChangeJobs(client: string): DomainError {
    return new DomainError(
      "AuthorizationFailed",
      `The client '${client}' (operator) may read customer jobs but not change them; data-center actions are under /ops/v1/.`,
    );
  },
  keysOnlyToOwner(client: string, role: string): DomainError {
    return new DomainError(
      "AuthorizationFailed",
      `Drive keys are released only to the job's owner, not to the client '${client}' (${role}).`,
    );
  },
  roleUnknown(role: string, roles: readonly string[]): DomainError {
    return new DomainError("InvalidRole", `Unknown role '${role}'. Roles: ${roles.join(", ")}.`);
  },
  customerTokenNeedsSubscription(): DomainError {
    return new DomainError("InvalidSubscriptionId", "A customer token needs at least one --subscription.");
  },
  onlyCustomerTokensScoped(role: string): DomainError {
    return new DomainError(
      "InvalidSubscriptionId",
      `Only customer tokens are scoped to subscriptions, not ${role}.`,
    );
  },
  tokenLabelInvalid(): DomainError {
    return new DomainError(
      "InvalidTokenLabel",
      "A token label is 1–64 letters, digits, '.', '@', '_' or '-'.",
      "label",
    );
  },

  // ---- Names and values ---------------------------------------------------------------------------
  subscriptionIdInvalid(value: unknown): DomainError {
    return new DomainError(
      "InvalidSubscriptionId",
      `The subscription id ${shown(value)} is not valid: it must be a GUID such as '00000000-0000-0000-0000-000000000000'.`,
      "subscriptionId",
    );
  },
  resourceGroupNameInvalid(value: unknown): DomainError {
    return new DomainError(
      "InvalidResourceGroupName",
      `The resource group name ${shown(value)} is not valid: use 1 to 90 letters, digits, '_', '-', '.', '(' or ')', not ending with '.'.`,
      "resourceGroupName",
    );
  },
  jobNameInvalid(value: unknown): DomainError {
    return new DomainError(
      "InvalidJobName",
      `The job name ${shown(value)} is not valid: use 3 to 64 characters from A-Z, a-z, 0-9, '-' and '_', starting with a letter or a digit.`,
      "jobName",
    );
  },
  jobIdInvalid(target: string): DomainError {
    return new DomainError(
      "InvalidJobId",
      "Name the job by its id: /subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.ImportExport/jobs/{name}.",
      target,
    );
  },
  driveIdInvalid(value: unknown, target: string): DomainError {
    return new DomainError(
      "InvalidDriveId",
      `The drive id ${shown(value)} is not valid: give the drive's serial number without spaces, 1 to 64 characters from A-Z, a-z, 0-9, '-', '_' and '.'.`,
      target,
    );
  },
  bitLockerKeyInvalid(driveId: unknown, target: string): DomainError {
    // The key is a secret: the message names the drive and the expected form, never the value sent.
    return new DomainError(
      "InvalidBitLockerKey",
      `The BitLocker key of drive ${shown(driveId)} is not valid: give its 48-digit recovery password, 8 groups of 6 digits separated by '-'.`,
      target,
    );
  },
  bitLockerKeyMissing(driveId: string, target: string): DomainError {
    return new DomainError(
      "InvalidBitLockerKey",
      `Drive '${driveId}' needs its bitLockerKey (the drive's 48-digit recovery password).`,
      target,
    );
  },
  storageAccountIdInvalid(value: unknown, why: string, target = "storageAccountId"): DomainError {
    return new DomainError(
      "InvalidStorageAccountId",
      `The storage account id ${shown(value)} is not valid (${why}). Expected '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.Storage/storageAccounts/{accountName}' (or Microsoft.ClassicStorage), with an account name of 3 to 24 lowercase letters and digits.`,
      target,
    );
  },
  storageAccountIdRequired(): DomainError {
    return new DomainError(
      "InvalidStorageAccountId",
      "The job needs properties.storageAccountId.",
      "properties.storageAccountId",
    );
  },
  storageAccountOfOtherSubscription(): DomainError {
    return new DomainError(
      "InvalidStorageAccountId",
      "The storage account must belong to the job's own subscription.",
      "properties.storageAccountId",
    );
  },
  storageAccountNameInvalid(): DomainError {
    return new DomainError(
      "InvalidStorageAccountId",
      "A storage account name is 3–24 lowercase letters and digits.",
      "name",
    );
  },
  storageAccountNotRegistered(name: string): DomainError {
    return new DomainError(
      "StorageAccountNotFound",
      `The storage account '${name}' is not registered with this service.`,
      "properties.storageAccountId",
    );
  },
  blobEndpointInvalid(): DomainError {
    return new DomainError("InvalidBlobEndpoint", "blobEndpoint must be an http(s) URL.", "blobEndpoint");
  },
  fileShareRootInvalid(why: string): DomainError {
    return new DomainError(
      "InvalidFileShareRoot",
      `fileShareRoot must be an absolute folder path on the stations (where the account's file shares are mounted): ${why}.`,
      "fileShareRoot",
    );
  },
  credentialSecretMissing(type: string): DomainError {
    return new DomainError(
      "InvalidCredential",
      `A ${type} credential needs its secret.`,
      "credential.secret",
    );
  },
  connectionStringInvalid(): DomainError {
    // The string itself is never quoted back: it holds the account key.
    return new DomainError(
      "InvalidCredential",
      "A connectionString credential must hold AccountName and AccountKey (base64), and a BlobEndpoint or EndpointSuffix that makes an http(s) URL.",
      "credential.secret",
    );
  },
  locationRequired(): DomainError {
    return new DomainError(
      "InvalidLocation",
      'The job needs a location (for example "West US").',
      "location",
    );
  },
  locationNotServed(name: string, known: readonly string[]): DomainError {
    return new DomainError(
      "LocationNotFound",
      `The location ${shown(name)} is not served here. Locations: ${quoted(known)}.`,
      "location",
    );
  },
  locationIdInvalid(): DomainError {
    return new DomainError(
      "InvalidLocation",
      "A location id is 2–32 lowercase letters and digits (e.g. westus).",
      "id",
    );
  },
  locationInUse(id: string, jobs: number): DomainError {
    return new DomainError(
      "InvalidLocation",
      `The location '${id}' is used by ${jobs} job(s); it cannot be deleted.`,
      "id",
    );
  },
  locationNameTaken(name: string, other: string): DomainError {
    return new DomainError(
      "InvalidLocation",
      `The name ${shown(name)} already names the location '${other}': customers name a location by its id or its name, so each must name one.`,
      "name",
    );
  },
  locationNeedsCarrier(): DomainError {
    return new DomainError("InvalidCarrier", "A location accepts at least one carrier.", "supportedCarriers");
  },
  locationFieldInvalid(field: string, max: number): DomainError {
    return new DomainError("InvalidAddress", `'${field}' is required, at most ${max} characters.`, field);
  },
  jobTypeInvalid(): DomainError {
    return new DomainError(
      "InvalidJobType",
      "properties.jobType must be 'Import' or 'Export'.",
      "properties.jobType",
    );
  },
  logLevelInvalid(levels: readonly string[]): DomainError {
    return new DomainError(
      "InvalidLogLevel",
      `logLevel must be one of ${levels.join(", ")}.`,
      "properties.logLevel",
    );
  },
  /** A text field left empty, or too long; `code` is the field's own. */
  textRequired(code: ErrorCode, target: string, what: string): DomainError {
    return new DomainError(code, `Set ${target}: ${what} is required.`, target);
  },
  textTooLong(code: ErrorCode, target: string, max: number): DomainError {
    return new DomainError(code, `${target} is too long: at most ${max} characters.`, target);
  },
  textInvalid(code: ErrorCode, target: string, max: number): DomainError {
    return new DomainError(code, `${target} must be text of at most ${max} characters.`, target);
  },
  returnAddressNotObject(): DomainError {
    return new DomainError(
      "InvalidAddress",
      "returnAddress must be an object with the address fields.",
      "returnAddress",
    );
  },
  emailInvalid(value: unknown): DomainError {
    return new DomainError(
      "InvalidAddress",
      `returnAddress.email ${shown(value)} is not an email address (expected name@example.com).`,
      "returnAddress.email",
    );
  },
  phoneInvalid(value: unknown): DomainError {
    return new DomainError(
      "InvalidAddress",
      `returnAddress.phone ${shown(value)} is not a phone number: use digits, spaces, '+', '-', '(' and ')'.`,
      "returnAddress.phone",
    );
  },
  returnShippingNotObject(): DomainError {
    return new DomainError(
      "InvalidCarrier",
      "returnShipping must be an object with carrierName and carrierAccountNumber.",
      "returnShipping",
    );
  },
  carrierNotSupported(value: unknown, supported: readonly string[], target: string): DomainError {
    const list = supported.length > 0 ? quoted(supported) : "none";
    return new DomainError(
      "InvalidCarrier",
      `The carrier ${shown(value)} is not supported here. Supported carriers: ${list}.`,
      target,
    );
  },
  trackingNumberInvalid(value: unknown, target: string): DomainError {
    return new DomainError(
      "InvalidTrackingNumber",
      `The tracking number ${shown(value)} is not valid: use 1 to 64 letters, digits, '-' and spaces, as the carrier printed it.`,
      target,
    );
  },
  deliveryPackageNotObject(): DomainError {
    return new DomainError(
      "InvalidTrackingNumber",
      "deliveryPackage must be an object with carrierName and trackingNumber.",
      "deliveryPackage",
    );
  },
  driveCountInvalid(): DomainError {
    return new DomainError(
      "InvalidDriveList",
      "deliveryPackage.driveCount must be a whole number from 0 to 10 (the drives in the package).",
      "deliveryPackage.driveCount",
    );
  },
  shipDateInvalid(value: string): DomainError {
    return new DomainError(
      "InvalidShipDate",
      `shipDate must be an ISO-8601 date, such as 2026-11-24, not ${shown(value)}.`,
      "shipDate",
    );
  },
  tagsNotObject(): DomainError {
    return new DomainError("InvalidTags", "tags must be an object of string keys and string values.", "tags");
  },
  tooManyTags(max: number, count: number): DomainError {
    return new DomainError(
      "InvalidTags",
      `A job can have at most ${max} tags; this request has ${count}.`,
      "tags",
    );
  },
  tagNameInvalid(name: string): DomainError {
    return new DomainError(
      "InvalidTags",
      `The tag name ${shown(name)} is not valid: use 1 to 512 characters.`,
      "tags",
    );
  },
  tagValueInvalid(name: string): DomainError {
    return new DomainError(
      "InvalidTags",
      `The value of tag ${shown(name)} must be text of at most 256 characters.`,
      `tags.${name}`,
    );
  },
  diagnosticsPathInvalid(value: unknown): DomainError {
    return new DomainError(
      "InvalidDiagnosticsPath",
      `The diagnostics path ${shown(value)} is not valid: give a blob directory such as 'waimportexport', 1 to 1024 characters, without '..', a leading '/', '\\' or control characters.`,
      "diagnosticsPath",
    );
  },
  exportRequired(): DomainError {
    return new DomainError(
      "InvalidExport",
      "An export job needs properties.export with blobList.blobPath, blobList.blobPathPrefix or blobListBlobPath.",
      "properties.export",
    );
  },
  exportOnlyForExportJobs(): DomainError {
    return new DomainError(
      "InvalidExport",
      "properties.export is for export jobs only.",
      "properties.export",
    );
  },
  blobPathInvalid(path: string): DomainError {
    return new DomainError(
      "InvalidExport",
      `The blob path ${shown(path)} is not valid.`,
      "properties.export",
    );
  },
  exportListsNoDrives(): DomainError {
    return new DomainError(
      "InvalidDriveList",
      "An export job lists no drives at creation; its drives are registered when they arrive.",
      "properties.driveList",
    );
  },
  importNeedsDrives(): DomainError {
    return new DomainError(
      "InvalidDriveList",
      "An import job needs at least one drive in driveList.",
      "properties.driveList",
    );
  },
  tooManyDrives(max: number, count: number): DomainError {
    return new DomainError(
      "TooManyDrives",
      `A job holds at most ${max} drives; this one lists ${count}.`,
      "properties.driveList",
    );
  },
  driveListedTwice(driveId: string, target: string): DomainError {
    return new DomainError("DuplicateDriveId", `Drive '${driveId}' is listed twice.`, target);
  },
  /** Another job holds the drive: said without naming that job or its subscription. */
  driveInUse(driveId: string, target: string): DomainError {
    return new DomainError(
      "DriveInUse",
      `Drive '${driveId}' is held by another job until it is shipped back: a drive can be in one job at a time.`,
      target,
    );
  },
  driveAlreadyRegistered(driveId: string): DomainError {
    return new DomainError("DuplicateDriveId", `Drive '${driveId}' is already registered on this job.`);
  },
  packageTooLarge(max: number): DomainError {
    return new DomainError("InvalidDriveList", `A package holds at most ${max} drives.`, "drives");
  },
  stateValueInvalid(value: string): DomainError {
    return new DomainError(
      "InvalidStateValue",
      `properties.state may only be set to 'Shipping' (the package was shipped), not ${shown(value)}. To cancel, send cancelRequested: true.`,
      "properties.state",
    );
  },
  shipAndCancel(): DomainError {
    return new DomainError(
      "InvalidStateValue",
      "A request cannot both ship (state: Shipping) and cancel (cancelRequested: true) the job.",
      "properties.state",
    );
  },
  cancelRequestFalse(): DomainError {
    return new DomainError(
      "InvalidCancelRequest",
      "cancelRequested, if given, must be true.",
      "properties.cancelRequested",
    );
  },
  stationNotRegistered(): DomainError {
    return new DomainError(
      "StationNotRegistered",
      "This station has not registered: POST /ops/v1/stations/register with its name first.",
    );
  },
  baysInvalid(message: string): DomainError {
    return new DomainError("InvalidBayReport", message, "bays");
  },
  stationNameInvalid(): DomainError {
    return new DomainError(
      "InvalidStationName",
      "A station name is 1–64 letters, digits, '.', '_' or '-'.",
      "name",
    );
  },

  // ---- Jobs and drives ----------------------------------------------------------------------------
  notFound(what: string, name: string): DomainError {
    return new DomainError("ResourceNotFound", `The ${what} '${name}' was not found.`);
  },
  invalidJobState(state: string, action: string): DomainError {
    return new DomainError("InvalidJobState", `The job is in state '${state}'; it cannot be ${action}.`);
  },
  invalidJobTransition(from: string, to: string): DomainError {
    return new DomainError("InvalidJobTransition", `A job cannot move from '${from}' to '${to}'.`);
  },
  invalidDriveTransition(driveId: string, from: string, to: string): DomainError {
    return new DomainError(
      "InvalidDriveTransition",
      `Drive '${driveId}' cannot move from '${from}' to '${to}'.`,
      driveId,
    );
  },
  notFoundDriveState(driveId: string, state: string): DomainError {
    return new DomainError(
      "InvalidDriveTransition",
      `Drive '${driveId}' is '${state}', not 'NeverReceived': it cannot move from '${state}' to 'Received' as a found drive.`,
      driveId,
    );
  },
  driveMoveWhileCreating(driveId: string): DomainError {
    return new DomainError(
      "InvalidJobState",
      `Drive '${driveId}' cannot move while the job is in state 'Creating': the customer must record the delivery package's tracking information (state Shipping) first.`,
      driveId,
    );
  },
  driveMoveWhileCanceled(driveId: string): DomainError {
    return new DomainError(
      "InvalidJobState",
      `Drive '${driveId}' cannot move: the job is in state 'Canceled'.`,
      driveId,
    );
  },
  extraDriveNeverCopied(driveId: string): DomainError {
    return new DomainError(
      "InvalidDriveTransition",
      `Drive '${driveId}' is an extra drive (it belongs to no job): it is never copied, only shipped back with the job.`,
      driveId,
    );
  },
  drivesStillSpecified(driveId: string, waiting: readonly string[]): DomainError {
    return new DomainError(
      "InvalidJobState",
      `Drive '${driveId}' cannot start transferring while drive(s) ${quoted(waiting)} of the job are still Specified: receive each drive of the package, or mark it NeverReceived, first.`,
      driveId,
    );
  },
  returnAddressRequired(): DomainError {
    return new DomainError(
      "ReturnAddressRequired",
      "Set returnAddress (in this request or an earlier one) before setting state to Shipping.",
      "returnAddress",
    );
  },
  deliveryPackageRequired(): DomainError {
    return new DomainError(
      "DeliveryPackageRequired",
      "Set deliveryPackage (carrierName and trackingNumber, in this request or an earlier one) before setting state to Shipping.",
      "deliveryPackage",
    );
  },
  importShipsWithoutDrives(): DomainError {
    return new DomainError(
      "InvalidDriveList",
      "An import job needs at least one drive in driveList before state can be set to Shipping. Add the drives you are shipping (driveId and bitLockerKey for each).",
      "driveList",
    );
  },
  propertyFixedInState(field: string, state: string): DomainError {
    return new DomainError(
      "PropertyChangeNotAllowed",
      `'${field}' cannot be changed while the job is in state '${state}'.`,
      `properties.${field}`,
    );
  },
  propertyFixedAtCreation(field: "location" | "jobType" | "storageAccountId"): DomainError {
    return new DomainError(
      "PropertyChangeNotAllowed",
      `A job's ${field} cannot change after creation.`,
      field === "location" ? "location" : `properties.${field}`,
    );
  },
  preconditionFailed(): DomainError {
    return new DomainError(
      "PreconditionFailed",
      "The job has changed since it was read (If-Match does not match its current ETag). Read it again and retry.",
    );
  },
  jobExists(name: string): DomainError {
    return new DomainError(
      "PreconditionFailed",
      `A job named '${name}' exists already (If-None-Match: * creates only a new job).`,
      "jobName",
    );
  },
  concurrentUpdate(): DomainError {
    return new DomainError(
      "ConcurrentUpdate",
      "The job was changed by another request at the same moment. Retry the request.",
    );
  },

  // ---- The data center ----------------------------------------------------------------------------
  packageNotFound(carrier: string, tracking: string): DomainError {
    return new DomainError(
      "PackageNotFound",
      `No job expects a package with carrier '${carrier}' and tracking number '${tracking}'.`,
      "tracking",
    );
  },
  packageAlreadyReceived(
    carrier: string,
    tracking: string,
    held: boolean,
    at: string,
    by: string,
  ): DomainError {
    return new DomainError(
      "PackageAlreadyReceived",
      `The package ${carrier} ${tracking} was already ${held ? "received and is held" : "received"} (${at}, by ${by}).`,
      "tracking",
    );
  },
  packageNotReceivable(job: string, state: string): DomainError {
    return new DomainError(
      "InvalidJobState",
      `The job '${job}' is in state '${state}'; its package cannot be received now.`,
    );
  },
  notAnExportJob(job: string): DomainError {
    return new DomainError(
      "InvalidJobState",
      `The job '${job}' is an import job: its drives are listed by the customer, not registered.`,
    );
  },
  driveCapacityInvalid(value: unknown): DomainError {
    return new DomainError(
      "InvalidDriveCapacity",
      `The drive capacity ${shown(value)} is not a size: give bytes (8000000000000) or a number and a unit (8TB, 500GB, 1.5TB, 512MiB, 2TiB), more than zero and at most 1PB.`,
      "capacity",
    );
  },
  incompleteBlobListUriInvalid(value: unknown): DomainError {
    return new DomainError(
      "InvalidIncompleteBlobListUri",
      `The incomplete blob list URI ${shown(value)} is not an absolute http(s) URL.`,
      "incompleteBlobListUri",
    );
  },
  incompleteBlobListOnImport(driveId: string): DomainError {
    return new DomainError(
      "InvalidIncompleteBlobListUri",
      `Drive '${driveId}' is an import job's drive: only an export drive finishes with an incomplete blob list.`,
      "incompleteBlobListUri",
    );
  },
  exportDriveWaitsForEarlier(driveId: string, earlier: string): DomainError {
    return new DomainError(
      "DriveNotClaimable",
      `Drive '${driveId}' waits for drive '${earlier}': an export job's drives are filled one after the other, in the order they were registered.`,
      driveId,
    );
  },
  registrationClosed(job: string, state: string): DomainError {
    return new DomainError(
      "InvalidJobState",
      `The job '${job}' is in state '${state}'; drives are registered while its package is being received.`,
    );
  },
  notReadyToShipBack(job: string, state: string): DomainError {
    return new DomainError(
      "InvalidJobState",
      `The job '${job}' is in state '${state}'; drives are shipped back once every drive is processed (Packaging).`,
    );
  },
  driveNotListed(serial: string): DomainError {
    return new DomainError("DriveNotFound", `No job lists a drive '${serial}'.`, "serial");
  },
  noDriveToCopy(serial: string): DomainError {
    return new DomainError("DriveNotFound", `No job has a drive '${serial}'.`, "serial");
  },
  driveGone(serial: string): DomainError {
    return new DomainError(
      "DriveNotFound",
      `No drive '${serial}' is waiting to be copied or being copied.`,
      "serial",
    );
  },
  driveNotCopyable(driveId: string, state: string): DomainError {
    return new DomainError(
      "DriveNotClaimable",
      `Drive '${driveId}' is '${state}': only a drive Received or Transferring can be copied.`,
      driveId,
    );
  },
  extraDriveNotClaimable(driveId: string): DomainError {
    return new DomainError(
      "DriveNotClaimable",
      `Drive '${driveId}' is an extra drive: it is never copied.`,
      driveId,
    );
  },
  driveLeasedToOther(driveId: string, until: string): DomainError {
    return new DomainError(
      "DriveNotClaimable",
      `Drive '${driveId}' is being copied by another station (lease until ${until}).`,
      driveId,
    );
  },
  /** A claim the job's rules do not allow yet: the rule's own message, as a claim refusal. */
  driveNotClaimableYet(cause: DomainError, driveId: string): DomainError {
    return new DomainError("DriveNotClaimable", cause.message, driveId);
  },
  noLeaseOnDrive(driveId: string, state: string): DomainError {
    return new DomainError(
      "LeaseNotHeld",
      `Drive '${driveId}' is '${state}': no station holds a copy lease on it.`,
      driveId,
    );
  },
  leaseHeldByOther(driveId: string): DomainError {
    return new DomainError(
      "LeaseNotHeld",
      `Drive '${driveId}' is held by another station; claim it before reporting on it.`,
      driveId,
    );
  },
  driveNotClaimed(driveId: string): DomainError {
    return new DomainError(
      "LeaseNotHeld",
      `Drive '${driveId}' is not claimed; claim it before reporting on it.`,
      driveId,
    );
  },
  progressOutOfRange(): DomainError {
    return new DomainError(
      "InvalidProgress",
      "bytesSucceeded must be between 0 and bytesTotal.",
      "bytesSucceeded",
    );
  },
  copyOutcomeMismatch(reported: string, expected: string): DomainError {
    return new DomainError(
      "InvalidCopyOutcome",
      expected === "CompletedMoreInfo"
        ? `A copy with errors, warnings or information to report finishes as CompletedMoreInfo, not ${reported}.`
        : `A copy with nothing to report finishes as Completed, not ${reported}: CompletedMoreInfo needs at least one error, warning or information.`,
      "state",
    );
  },
  // ---- A drive's copy log -------------------------------------------------------------------------
  /** No log of this kind for the drive yet (not copied yet, or a verbose log the job never asked for). */
  driveLogNotWritten(driveId: string, kind: string, verboseNotAsked: boolean): DomainError {
    return new DomainError(
      "DriveLogNotAvailable",
      verboseNotAsked
        ? `Drive '${driveId}' has no verbose log: the job's log level is Error, so only its error log is written.`
        : `Drive '${driveId}' has no ${kind} log yet: a station writes it when it has copied the drive.`,
      driveId,
    );
  },
  /**
   * The drive names a log outside the job's storage account and diagnostics container: the service
   * reads no other URL with the account's credential (a URL from the database is not a fetch target).
   */
  driveLogOutsideDiagnostics(driveId: string, kind: string, diagnosticsPath: string): DomainError {
    return new DomainError(
      "DriveLogNotAvailable",
      `Drive '${driveId}' names a ${kind} log outside the job's diagnostics container '${diagnosticsPath}' in its storage account's blob endpoint: the service does not read it.`,
      driveId,
    );
  },
  /** The log is named but cannot be read: `why` is a sentence (no credential, storage refused, too large…). */
  driveLogUnreadable(driveId: string, kind: string, why: string): DomainError {
    return new DomainError(
      "DriveLogUnreadable",
      `The ${kind} log of drive '${driveId}' could not be read: ${why}`,
      driveId,
    );
  },
};
