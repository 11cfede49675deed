/** @module The service's configuration: flags, then environment variables, then embedded defaults. */

import { resolve } from "node:path";

export interface ServeConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string;
  azurite: boolean;
  /** The embedded blob endpoint's port (0: a free one, for tests). */
  azuritePort: number;
  /** Blocks in flight per drive in the embedded station. */
  stationConcurrency: number;
  station: boolean;
  tlsCert?: string;
  tlsKey?: string;
  sweepIntervalSeconds: number;
  logLevel: string;
}

export interface StoreConfig {
  dataDir: string;
  databaseUrl: string;
}

/** The data dir and database URL, as every command that opens the store resolves them. */
export function storeConfig(
  flags: { dataDir?: string; databaseUrl?: string },
  env = process.env,
): StoreConfig {
  const dataDir = resolve(flags.dataDir ?? env.SNEAKERNET_DATA_DIR ?? "./data");
  const databaseUrl = flags.databaseUrl ?? env.DATABASE_URL ?? resolve(dataDir, "sneakernet.db");
  // Anything else is taken for a SQLite file's path: `mysql://…` would quietly become a folder `mysql:`.
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(databaseUrl)?.[1];
  if (scheme !== undefined && !/^postgres(ql)?$/i.test(scheme)) {
    // Only the scheme is quoted: the rest of a URL may hold a password.
    throw new Error(
      `The database must be postgres://… (PostgreSQL) or a SQLite file's path, not a ${scheme}:// URL.`,
    );
  }
  return { dataDir, databaseUrl };
}

function off(value: string | undefined): boolean {
  return value !== undefined && ["0", "false", "no", "off"].includes(value.toLowerCase());
}

export interface ServeFlags {
  port?: string;
  host?: string;
  dataDir?: string;
  databaseUrl?: string;
  /** Commander's `--no-azurite` sets this false. */
  azurite?: boolean;
  azuritePort?: string;
  stationConcurrency?: string;
  station?: boolean;
  tlsCert?: string;
  tlsKey?: string;
}

function portOf(text: string, flag: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) {
    throw new Error(`${flag} must be a number from 0 to 65535, not '${text}'.`);
  }
  return port;
}

/** Blocks in flight per drive: at least one; past 256 the storage service answers 503s, not more speed. */
function concurrencyOf(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 256) {
    throw new Error(`--station-concurrency must be a whole number from 1 to 256, not '${text}'.`);
  }
  return n;
}

export function serveConfig(flags: ServeFlags, env = process.env): ServeConfig {
  const config: ServeConfig = {
    ...storeConfig(flags, env),
    port: portOf(flags.port ?? env.SNEAKERNET_PORT ?? "8080", "--port"),
    host: flags.host ?? env.SNEAKERNET_HOST ?? "127.0.0.1",
    azurite: flags.azurite !== false && !off(env.SNEAKERNET_AZURITE),
    // 10000: where every Azure Storage tool looks for the emulator's blob service.
    azuritePort: portOf(flags.azuritePort ?? env.SNEAKERNET_AZURITE_PORT ?? "10000", "--azurite-port"),
    station: flags.station !== false && !off(env.SNEAKERNET_STATION),
    stationConcurrency: concurrencyOf(flags.stationConcurrency ?? env.SNEAKERNET_STATION_CONCURRENCY ?? "16"),
    sweepIntervalSeconds: Number(env.SNEAKERNET_SWEEP_INTERVAL_SECONDS ?? "60"),
    logLevel: env.SNEAKERNET_LOG_LEVEL ?? "info",
  };
  const tlsCert = flags.tlsCert ?? env.SNEAKERNET_TLS_CERT;
  const tlsKey = flags.tlsKey ?? env.SNEAKERNET_TLS_KEY;
  if ((tlsCert === undefined) !== (tlsKey === undefined)) {
    throw new Error("--tls-cert and --tls-key go together: give both for HTTPS, or neither for HTTP.");
  }
  if (tlsCert !== undefined && tlsKey !== undefined) {
    config.tlsCert = resolve(tlsCert);
    config.tlsKey = resolve(tlsKey);
  }
  if (!Number.isFinite(config.sweepIntervalSeconds) || config.sweepIntervalSeconds < 1) {
    throw new Error("SNEAKERNET_SWEEP_INTERVAL_SECONDS must be a number of seconds, at least 1.");
  }
  return config;
}
