/**
 * @module `sneakernet serve`: the embedded blob endpoint (Azurite), the API on one port, the lifecycle
 * sweep on a timer, and a clean stop in the reverse order.
 */

import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { pino } from "pino";
import type { Registry } from "prom-client";

import { createMetrics } from "../api/http/metrics.js";
import { portalBuilt } from "../api/http/portal.js";
import { buildServer } from "../api/http/server.js";
import { DEV_STORAGE_ACCOUNT, registerEmbeddedAccount } from "../app/seed-defaults.js";
import { createAuthenticator } from "../app/support/authenticate.js";
import type { AppDeps } from "../app/support/deps.js";
import { sweep } from "../app/sweep.js";
import { ApiClient } from "../client/http.js";
import { StationApi } from "../client/station.js";
import { createStationMetrics } from "../station/metrics.js";
import { Station } from "../station/station.js";
import { DEMO_SUBSCRIPTION } from "../wire/ids.js";
import { AZURITE_SAVE_MS, DEV_ACCOUNT_KEY, type RunningAzurite, startAzurite } from "./azurite.js";
import { systemClock } from "./clock.js";
import type { ServeConfig } from "./config.js";
import { describeDatabase, openDeps } from "./open.js";
import { embeddedStationToken } from "./station-identity.js";

export interface RunningService {
  url: string;
  /** `<data-dir>/bays`: a drive's folder in a subfolder of it is a drive in a bay. */
  baysDir: string;
  /** devstoreaccount1's endpoint on the embedded Azurite; absent with --no-azurite. */
  blobEndpoint?: string;
  /** The embedded station's token (kept in the data dir); absent with --no-station. */
  stationToken?: string;
  /**
   * Something to stop on close before the API, the store and the blob endpoint do (the embedded
   * station: it talks to all three). The last added stops first.
   */
  onClose(stop: () => Promise<void> | void): void;
  close(): Promise<void>;
}

/** Azurite's port was taken: one line naming the port and the two ways out. */
export class BlobPortTakenError extends Error {
  constructor(port: number) {
    super(
      `The embedded blob endpoint cannot listen on 127.0.0.1:${port}: the port is taken (another serve, or Azurite?). Choose another with --azurite-port <port> (0: any free one), or run without it: --no-azurite.`,
    );
  }
}

async function startBlobEndpoint(config: ServeConfig, logger: pino.Logger): Promise<RunningAzurite> {
  try {
    return await startAzurite({
      location: join(config.dataDir, "azurite"),
      host: "127.0.0.1",
      port: config.azuritePort,
      // Azurite's own chatter is for whoever debugs it, not for the operator's log.
      onLine: (line) => logger.debug({ component: "azurite" }, line),
    });
  } catch (error) {
    if (/EADDRINUSE/.test((error as Error).message)) {
      throw new BlobPortTakenError(config.azuritePort);
    }
    throw error;
  }
}

export async function startService(
  config: ServeConfig,
  out: (line: string) => void = console.log,
): Promise<RunningService> {
  const logger = pino({
    level: config.logLevel,
    base: { service: "sneakernet" },
    // Belt and braces: no code path logs these, and if one ever did, they would not be written.
    redact: {
      paths: [
        "req.headers.authorization",
        "*.authorization",
        "*.bitLockerKey",
        "*.token",
        "*.sas",
        "*.*.sas",
        "*.secret",
      ],
      censor: "[redacted]",
    },
  });
  // First, so that a taken port ends the start before anything else is opened.
  const azurite = config.azurite ? await startBlobEndpoint(config, logger) : undefined;
  const baysDir = join(config.dataDir, "bays");
  let deps: AppDeps | undefined;
  try {
    mkdirSync(baysDir, { recursive: true });
    deps = await openDeps(config, systemClock, {
      onIdleError: (error) =>
        logger.warn({ err: error.message }, "PostgreSQL ended an idle connection; the next query reconnects"),
    });
    return await serveWith(config, out, logger, deps, baysDir, azurite);
  } catch (error) {
    await deps?.store.close();
    await azurite?.stop();
    throw error;
  }
}

/** The rest of the start, once the blob endpoint and the store are open (the caller closes them on failure). */
async function serveWith(
  config: ServeConfig,
  out: (line: string) => void,
  logger: pino.Logger,
  deps: AppDeps,
  baysDir: string,
  azurite: RunningAzurite | undefined,
): Promise<RunningService> {
  const blobEndpoint = azurite ? `${azurite.origin}/${DEV_STORAGE_ACCOUNT.name}` : undefined;
  if (blobEndpoint) {
    // At every start: the data dir may come from a start on another port, or from before credentials.
    await registerEmbeddedAccount(deps, blobEndpoint, DEV_ACCOUNT_KEY);
  }
  const stationToken = config.station ? await embeddedStationToken(deps, config.dataDir) : undefined;
  const metrics = createMetrics();
  const https =
    config.tlsCert && config.tlsKey
      ? { cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey) }
      : undefined;
  const app = await buildServer({
    deps,
    authenticate: createAuthenticator(deps),
    logger,
    metrics,
    ...(https ? { https } : {}),
  });

  let sweeping: Promise<void> | undefined;
  const runSweep = () => {
    if (sweeping) {
      return; // The previous sweep is still at work; the next tick will catch up.
    }
    sweeping = sweep(deps)
      .then((report) => {
        for (const change of report.changes) {
          metrics.sweepChanges.inc({ action: change.action });
          logger.info({ sweep: report.at, ...change }, "state change by lifecycle sweep");
        }
        for (const failure of report.failures) {
          logger.error({ sweep: report.at, ...failure }, "lifecycle sweep could not act on a job");
        }
      })
      .catch((error: unknown) => logger.error({ err: error }, "lifecycle sweep failed"))
      .finally(() => {
        sweeping = undefined;
      });
  };
  const timer = setInterval(runSweep, config.sweepIntervalSeconds * 1000);
  timer.unref();

  let address: string;
  try {
    address = await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    clearInterval(timer);
    await app.close();
    throw error;
  }
  runSweep();

  const scheme = https ? "https" : "http";
  const shown = address.replace("://[::1]", "://localhost");
  // One write, so whoever reads it (a person, a test, a supervisor) sees the whole banner at once.
  const lines: string[] = [];
  lines.push(`Sneakernet is listening on ${shown}  (state: ${describeDatabase(config.databaseUrl)})`);
  lines.push(
    portalBuilt()
      ? `  Portal: ${shown}/`
      : "  Portal: not built (run `npm run build`, then restart); the API works without it",
  );
  lines.push(
    `  API (Azure Import/Export compatible): ${shown}/subscriptions/{subscriptionId}/providers/Microsoft.ImportExport/jobs`,
  );
  lines.push(`  OpenAPI: ${shown}/openapi.json   health: ${shown}/healthz   metrics: ${shown}/metrics`);
  lines.push(
    blobEndpoint
      ? `  Blob endpoint: ${blobEndpoint} (embedded Azurite, data in ${join(config.dataDir, "azurite")})`
      : "  Blob endpoint: none embedded (--no-azurite); jobs copy to the storage accounts an admin registers",
  );
  lines.push(`  Drive bays: ${baysDir} — put a drive's folder in a subfolder`);
  if (!config.station) {
    lines.push("  Copy station: none embedded (--no-station)");
  }
  lines.push("To sign in, make a token (in another terminal, from this folder):");
  lines.push(`  npx sneakernet token create --role customer --subscription ${DEMO_SUBSCRIPTION}`);
  lines.push("  npx sneakernet token create --role operator");
  lines.push(`Then open ${shown}/ and paste it in the Token field, or call the API with it:`);
  lines.push(
    `  curl -H "Authorization: Bearer <token>" "${shown}/providers/Microsoft.ImportExport/locations?api-version=2021-01-01"`,
  );
  if (scheme === "http" && config.host !== "127.0.0.1" && config.host !== "localhost") {
    lines.push(
      "  warning: serving plain HTTP on a non-loopback address; tokens cross the network in the clear (use --tls-cert/--tls-key).",
    );
  }

  out(lines.join("\n"));

  const stops: (() => Promise<void> | void)[] = [];
  const running: RunningService = {
    url: address,
    baysDir,
    onClose: (stop) => void stops.unshift(stop),
    async close() {
      for (const stop of stops) {
        await stop();
      }
      clearInterval(timer);
      await app.close();
      await sweeping;
      await deps.store.close();
      // Last: whatever was still writing blobs has stopped.
      await azurite?.stop();
    },
  };
  if (blobEndpoint) {
    running.blobEndpoint = blobEndpoint;
  }
  if (stationToken) {
    running.stationToken = stationToken;
    await startEmbeddedStation(config, running, stationToken, logger, metrics.registry);
  }
  return running;
}

/**
 * The embedded station: a client of this server's own API like any other station (its token kept in the
 * data dir, so a restart takes back its leases), its journals in `<data-dir>/station`, its metrics on
 * serve's /metrics. It stops first on close, after the blocks it has in flight.
 */
async function startEmbeddedStation(
  config: ServeConfig,
  running: RunningService,
  token: string,
  logger: pino.Logger,
  registry: Registry,
): Promise<void> {
  // Made here, once: a file share root is never made by the copy (a missing one is a share not mounted).
  const fileSharesDir = join(config.dataDir, "fileshares");
  mkdirSync(fileSharesDir, { recursive: true });
  const station = new Station({
    api: new StationApi(new ApiClient({ endpoint: running.url, token })),
    name: "embedded",
    baysDir: running.baysDir,
    stateDir: join(config.dataDir, "station"),
    // File share items (Azure Files form datasets) land in folders here, one per share.
    fileSharesDir,
    clock: systemClock,
    log: logger.child({ component: "station" }),
    metrics: createStationMetrics(registry),
    concurrency: config.stationConcurrency,
    // The embedded Azurite saves its metadata every 5 s: a drive is reported copied once that has passed.
    ...(running.blobEndpoint !== undefined ? { storageSettleMs: AZURITE_SAVE_MS + 1000 } : {}),
  });
  try {
    await station.start();
  } catch (error) {
    // The API serves on without it: say why, and how to run one by hand.
    logger.error(
      { component: "station", err: (error as Error).message },
      "the embedded copy station could not start (over HTTPS, its certificate must be trusted: NODE_EXTRA_CA_CERTS); run one with `sneakernet station run`",
    );
    return;
  }
  running.onClose(() => station.stop());
}
