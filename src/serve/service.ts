/** @module `sneakernet serve`: the API on one port, the lifecycle sweep on a timer, a clean stop. */

import { readFileSync } from "node:fs";

import { pino } from "pino";

import { createMetrics } from "../api/http/metrics.js";
import { portalBuilt } from "../api/http/portal.js";
import { buildServer } from "../api/http/server.js";
import { createAuthenticator } from "../app/support/authenticate.js";
import { sweep } from "../app/sweep.js";
import { DEMO_SUBSCRIPTION } from "../wire/ids.js";
import { systemClock } from "./clock.js";
import type { ServeConfig } from "./config.js";
import { describeDatabase, openDeps } from "./open.js";

export interface RunningService {
  url: string;
  close(): Promise<void>;
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
      paths: ["req.headers.authorization", "*.authorization", "*.bitLockerKey", "*.token"],
      censor: "[redacted]",
    },
  });
  const deps = await openDeps(config, systemClock, {
    onIdleError: (error) =>
      logger.warn({ err: error.message }, "PostgreSQL ended an idle connection; the next query reconnects"),
  });
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
    await deps.store.close();
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
  if (!config.azurite || !config.station) {
    lines.push(
      `  embedded blob endpoint: ${config.azurite ? "requested" : "off"}; embedded copy station: ${config.station ? "requested" : "off"}`,
    );
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

  return {
    url: address,
    async close() {
      clearInterval(timer);
      await app.close();
      await sweeping;
      await deps.store.close();
    },
  };
}
