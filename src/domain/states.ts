/** @module The job and drive states of LIFECYCLE.md, and the job types, as closed sets. */

export const JOB_STATES = [
  "Creating",
  "Shipping",
  "Received",
  "Transferring",
  "Packaging",
  "Completed",
  "Closed",
  "Canceled",
] as const;
export type JobState = (typeof JOB_STATES)[number];

export const DRIVE_STATES = [
  "Specified",
  "Received",
  "NeverReceived",
  "Transferring",
  "Completed",
  "CompletedMoreInfo",
  "ShippedBack",
] as const;
export type DriveState = (typeof DRIVE_STATES)[number];

export const JOB_TYPES = ["Import", "Export"] as const;
export type JobType = (typeof JOB_TYPES)[number];

export const LOG_LEVELS = ["Error", "Verbose"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** States in which a job has ended; the retention timer runs from entering one of them. */
export const FINAL_JOB_STATES: readonly JobState[] = ["Completed", "Closed", "Canceled"];
