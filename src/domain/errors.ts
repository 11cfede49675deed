/**
 * @module The one catalogue of error codes. Every refusal in Sneakernet is a DomainError with one of
 * these codes; the API maps each code to an HTTP status and the ARM envelope, the CLI to one line.
 */

export const ERROR_CODES = [
  // Request shape (raised by the API edge, listed here so there is one catalogue).
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
  "MethodNotAllowed",
  // Identity.
  "AuthenticationFailed",
  "InvalidAuthenticationToken",
  "AuthorizationFailed",
  // Names and values.
  "InvalidSubscriptionId",
  "InvalidResourceGroupName",
  "InvalidJobName",
  "InvalidDriveId",
  "InvalidBitLockerKey",
  "InvalidStorageAccountId",
  "StorageAccountNotFound",
  "InvalidLocation",
  "LocationNotFound",
  "InvalidJobType",
  "InvalidLogLevel",
  "InvalidAddress",
  "InvalidCarrier",
  "InvalidTrackingNumber",
  "InvalidDriveList",
  "DuplicateDriveId",
  "TooManyDrives",
  "InvalidExport",
  "InvalidTags",
  "InvalidStateValue",
  "InvalidCancelRequest",
  "InvalidDiagnosticsPath",
  "InvalidEncryptionKey",
  "InvalidRole",
  // Jobs and drives.
  "ResourceNotFound",
  "InvalidJobState",
  "InvalidJobTransition",
  "InvalidDriveTransition",
  "DriveNotInJob",
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

/** Constructors for the refusals that recur, so each message is written once. */
export const errors = {
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
  preconditionFailed(): DomainError {
    return new DomainError(
      "PreconditionFailed",
      "The job has changed since it was read (If-Match does not match its current ETag). Read it again and retry.",
    );
  },
  concurrentUpdate(): DomainError {
    return new DomainError(
      "ConcurrentUpdate",
      "The job was changed by another request at the same moment. Retry the request.",
    );
  },
};
