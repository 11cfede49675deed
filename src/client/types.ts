/**
 * @module The JSON the APIs answer and take, as the client reads and writes it: the wire's own types
 * (src/wire/), under the names the CLI knows them by.
 */

import type { PutJobParameters } from "../wire/arm.js";

export type { DriveState, JobState, JobType, LogLevel } from "../domain/states.js";
export type {
  ArmDrive,
  ArmJob,
  ArmJobPage,
  ArmLocation,
  BitLockerKey,
  BitLockerKeyList,
  DriveLog,
  DriveLogBlob,
  PatchJobBody,
  ReturnAddress,
  ReturnShipping,
} from "../wire/arm.js";
export type { DeliveryPackage, HistoryList, HistoryRow, ReturnPackage, StateEvent } from "../wire/common.js";
export type { ErrorBody } from "../wire/errors.js";
export type { JobAddress } from "../wire/ids.js";
export type {
  ClaimAnswer,
  CredentialType,
  DriveAnswer,
  DriveFoundBody,
  ExportAfter,
  ExportSpec,
  FinishAnswer,
  FinishBody,
  JobBrief,
  JobSummary,
  JobSummaryList,
  Location,
  LocationInput,
  LocationList,
  OpsDrive,
  ProgressAnswer,
  ProgressBody,
  QueueDrive,
  ReceiveAnswer,
  ReceivePackageBody,
  RegisterDriveBody,
  ReportBaysBody,
  ShipAnswer,
  ShipBody,
  Station,
  StationBrief,
  StationStatus,
  StorageAccountInput,
  StorageAccountList,
  StorageAccountView,
  WhoAmI,
  WorkQueue,
} from "../wire/ops.js";

/**
 * The body of a job PUT as the CLI assembles it: the wire's fields, loosely typed, since a `--from-file`
 * may carry any of them (or more) and the server is the one to say what is wrong with it.
 */
export type PutJobBody = {
  [K in keyof PutJobParameters]?: K extends "properties" ? Record<string, unknown> : unknown;
} & Record<string, unknown>;
