/** @module One mapping from error codes to HTTP statuses, and the ARM error envelope every refusal wears. */

import { type DomainError, type ErrorCode, errors, isDomainError } from "../../domain/errors.js";
import type { ErrorBody } from "../../wire/errors.js";

/** Every code has a status: adding a code without one does not compile. */
export const STATUS_OF: Record<ErrorCode, number> = {
  BadRequest: 400,
  RequestHeaderFieldsTooLarge: 431,
  RequestTimeout: 408,
  MissingApiVersionParameter: 400,
  InvalidApiVersionParameter: 400,
  InvalidRequestContent: 400,
  UnsupportedMediaType: 415,
  RequestEntityTooLarge: 413,
  UnknownProperty: 400,
  InvalidQueryParameter: 400,
  InvalidFilter: 400,
  InvalidSkipToken: 400,
  NotFound: 404,
  AuthenticationFailed: 401,
  InvalidAuthenticationToken: 401,
  AuthorizationFailed: 403,
  InvalidSubscriptionId: 400,
  InvalidResourceGroupName: 400,
  InvalidJobName: 400,
  InvalidJobId: 400,
  InvalidDriveId: 400,
  InvalidBitLockerKey: 400,
  InvalidStorageAccountId: 400,
  InvalidBlobEndpoint: 400,
  InvalidCredential: 400,
  StorageAccountNotFound: 400,
  InvalidLocation: 400,
  LocationNotFound: 400,
  InvalidJobType: 400,
  InvalidLogLevel: 400,
  InvalidAddress: 400,
  InvalidCarrier: 400,
  InvalidTrackingNumber: 400,
  InvalidShipDate: 400,
  InvalidDriveList: 400,
  DuplicateDriveId: 400,
  DriveInUse: 409,
  TooManyDrives: 400,
  InvalidExport: 400,
  InvalidTags: 400,
  InvalidStateValue: 400,
  InvalidCancelRequest: 400,
  InvalidDiagnosticsPath: 400,
  InvalidRole: 400,
  InvalidTokenLabel: 400,
  InvalidStationName: 400,
  InvalidBayReport: 400,
  InvalidDriveCapacity: 400,
  InvalidFileShareRoot: 400,
  InvalidIncompleteBlobListUri: 400,
  StationNotRegistered: 409,
  ResourceNotFound: 404,
  InvalidJobState: 409,
  InvalidJobTransition: 409,
  InvalidDriveTransition: 409,
  ReturnAddressRequired: 400,
  DeliveryPackageRequired: 400,
  PropertyChangeNotAllowed: 409,
  PreconditionFailed: 412,
  ConcurrentUpdate: 409,
  PackageNotFound: 404,
  PackageAlreadyReceived: 409,
  DriveNotFound: 404,
  DriveNotClaimable: 409,
  LeaseNotHeld: 409,
  InvalidProgress: 400,
  InvalidCopyOutcome: 400,
  DriveLogNotAvailable: 404,
  // The storage account, behind us, refused or was away: a gateway's failure, not the request's.
  DriveLogUnreadable: 502,
  InternalServerError: 500,
};

export function armError(error: DomainError): { status: number; body: ErrorBody } {
  const body: ErrorBody = { error: { code: error.code, message: error.message } };
  if (error.target !== undefined) {
    body.error.target = error.target;
  }
  if (error.details && error.details.length > 0) {
    body.error.details = error.details.map((d) => ({ ...d }));
  }
  return { status: STATUS_OF[error.code], body };
}

/** Errors raised by Fastify itself (body parsing, limits), turned into our codes. */
export function fromFrameworkError(error: unknown): DomainError | undefined {
  if (isDomainError(error)) {
    return error;
  }
  const e = error as { code?: string; statusCode?: number; message?: string } | null;
  switch (e?.code) {
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return errors.mediaTypeNotJson();
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return errors.bodyTooLarge();
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return errors.contentLengthMismatch();
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return errors.bodyNotJson();
    default:
      break;
  }
  if (error instanceof SyntaxError) {
    return errors.bodyNotJson();
  }
  if (e?.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) {
    return errors.bodyUnreadable();
  }
  return undefined;
}
