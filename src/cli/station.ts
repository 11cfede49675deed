/** @module `sneakernet station run`: a copy station on this machine's bays, a client of the API, until Ctrl-C. */

import { createServer } from "node:http";
import { hostname } from "node:os";
import { resolve } from "node:path";

import { type Command, Option } from "commander";
import { pino } from "pino";

import { StationApi } from "../client/station.js";
import { systemClock } from "../serve/clock.js";
import { createStationMetrics } from "../station/metrics.js";
import { Station } from "../station/station.js";
import { connect, examples, type GlobalFlags, verb } from "./common.js";
import { UsageError } from "./output.js";

interface RunFlags extends GlobalFlags {
  bays: string;
  name?: string;
  stateDir?: string;
  fileShares?: string;
  concurrency: string;
  metricsPort?: string;
}

function positive(flag: string, text: string, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > max) {
    throw new UsageError(`${flag} must be a whole number from 1 to ${max}, not '${text}'.`);
  }
  return n;
}

export function registerStation(program: Command): void {
  const station = program
    .command("station")
    .description("Copy stations: the machines the drives are plugged into.");
  const run = verb(
    station,
    "run",
    "Run a copy station: each subfolder of --bays is a bay; a drive that appears in one is claimed once received, copied into its job's storage, verified, and reported. Ctrl-C stops after the blocks in flight; a restart resumes.",
  )
    .requiredOption("--bays <dir>", "the bays folder: one subfolder (a mount point) per drive bay")
    .option("--name <name>", "the name operators see for this station (default: the host name)")
    .option(
      "--state-dir <dir>",
      "where the station keeps its per-drive journals (default: <bays>/.sneakernet-station)",
    )
    .option(
      "--file-shares <dir>",
      "the file share root: file share items (Azure Files form datasets) land in <dir>/<share>/<path>; an existing local folder or a mounted SMB/NFS share, never made by the station (while it is missing or unmounted, such copies wait; without the option, such items fail)",
    )
    .addOption(new Option("--concurrency <n>", "blocks in flight per drive").default("16"))
    .option("--metrics-port <port>", "serve Prometheus metrics on 127.0.0.1:<port>/metrics");
  examples(run, [
    "npx sneakernet station run --bays /mnt/bays --token $STATION_TOKEN",
    "npx sneakernet station run --endpoint https://sneakernet.example:8443 --bays /mnt/bays --name dock-2",
    "npx sneakernet station run --bays /mnt/bays --file-shares /mnt/azfiles --token $STATION_TOKEN",
  ]).action(async (flags: RunFlags) => {
    const concurrency = positive("--concurrency", flags.concurrency, 256);
    const metricsPort =
      flags.metricsPort === undefined ? undefined : positive("--metrics-port", flags.metricsPort, 65535);
    const { client } = connect(flags, "station");
    const baysDir = resolve(flags.bays);
    const log = pino({ base: { service: "sneakernet-station" } });
    const metrics = createStationMetrics();
    const runner = new Station({
      api: new StationApi(client),
      name: flags.name ?? hostname(),
      baysDir,
      stateDir: resolve(flags.stateDir ?? resolve(baysDir, ".sneakernet-station")),
      ...(flags.fileShares === undefined ? {} : { fileSharesDir: resolve(flags.fileShares) }),
      clock: systemClock,
      log,
      metrics,
      concurrency,
    });
    const server =
      metricsPort === undefined
        ? undefined
        : createServer((request, response) => {
            if (request.url !== "/metrics") {
              response.writeHead(404).end();
              return;
            }
            void metrics.registry.metrics().then((text) => {
              response.writeHead(200, { "content-type": metrics.registry.contentType }).end(text);
            });
          }).listen(metricsPort, "127.0.0.1");
    await runner.start();
    console.error(
      `Station watching ${baysDir} (a subfolder per bay). Ctrl-C stops it after the blocks in flight.`,
    );
    await new Promise<void>((done) => {
      const stop = () => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        console.error("Stopping the station after the blocks in flight…");
        void runner.stop().then(() => {
          server?.close();
          done();
        });
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
  });
}
