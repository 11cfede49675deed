/** @module The station's Prometheus metrics: bytes and files into storage and onto export drives, verification failures, drives in bays by state. */

import { Counter, Gauge, Registry } from "prom-client";

export interface StationMetrics {
  registry: Registry;
  bytesUploaded: Counter;
  filesCommitted: Counter;
  verifyFailures: Counter;
  bytesExported: Counter;
  filesExported: Counter;
  drivesInBays: Gauge<"state">;
}

/** On its own registry, or on the one given (serve's, so the embedded station shows on serve's /metrics). */
export function createStationMetrics(registry = new Registry()): StationMetrics {
  return {
    registry,
    bytesUploaded: new Counter({
      name: "sneakernet_station_bytes_uploaded_total",
      help: "Bytes this station sent to storage (verified blocks and small files), since it started.",
      registers: [registry],
    }),
    filesCommitted: new Counter({
      name: "sneakernet_station_files_committed_total",
      help: "Files this station committed to storage and read back, since it started.",
      registers: [registry],
    }),
    verifyFailures: new Counter({
      name: "sneakernet_station_verify_failures_total",
      help: "Files that failed verification on the drive (a block's tag or MD5, a length), since it started.",
      registers: [registry],
    }),
    bytesExported: new Counter({
      name: "sneakernet_station_bytes_exported_total",
      help: "Bytes this station read from storage onto export drives (written and recorded), since it started.",
      registers: [registry],
    }),
    filesExported: new Counter({
      name: "sneakernet_station_files_exported_total",
      help: "Blobs this station wrote onto export drives, since it started.",
      registers: [registry],
    }),
    drivesInBays: new Gauge({
      name: "sneakernet_station_drives",
      help: "Drives in this station's bays, by state.",
      labelNames: ["state"],
      registers: [registry],
    }),
  };
}
