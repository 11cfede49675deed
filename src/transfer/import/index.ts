/** @module The import engine's public face: what the station runs for a drive, and its copy logs. */

export { blockId } from "./block-id.js";
export type {
  DispositionStatus,
  FileDecision,
  ImportJournal,
  ImportProgress,
  JournalFile,
} from "./contract.js";
export {
  DEFAULT_LOG_CONTAINER,
  type DriveFailure,
  type DriveLogKind,
  driveLogName,
  type DriveLogOptions,
  type DriveLogSource,
  driveLogXml,
  driveStatus,
  writeDriveLogs,
  type WriteDriveLogsOptions,
} from "./drive-log.js";
export {
  type DriveLogBlockRow,
  type DriveLogRead,
  type DriveLogReadFailure,
  type DriveLogRow,
  type ParsedDriveLog,
  parseDriveLog,
  readDriveLog,
} from "./drive-log-read.js";
export { DEFAULT_CONCURRENCY, DEFAULT_MEMORY_BUDGET, importDrive, type ImportOptions } from "./engine.js";
export { MemoryJournal } from "./journal.js";
export {
  type BlockOutcome,
  type BlockStatus,
  type FileErrorCode,
  type FileOutcome,
  type FileStatus,
  type ImportCounts,
  type ImportResult,
} from "./outcome.js";
export { renamed } from "./rename.js";
