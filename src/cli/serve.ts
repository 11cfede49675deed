/** @module `sneakernet serve`: runs the service until Ctrl-C. */

import { type Command, Option } from "commander";

import { serveConfig, type ServeFlags } from "../serve/config.js";
import { UsageError } from "./output.js";

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description(
      "Run the service: the REST API, the web portal and the blob endpoint (embedded Azurite) (and, as it lands, the copy station).",
    )
    .option("--port <port>", "port to listen on (env SNEAKERNET_PORT)", undefined)
    .option("--host <host>", "address to listen on (env SNEAKERNET_HOST)")
    .option("--data-dir <dir>", "where state lives (env SNEAKERNET_DATA_DIR)")
    .option(
      "--database-url <url>",
      "postgres://… for PostgreSQL (env DATABASE_URL); default SQLite in the data dir",
    )
    .addOption(
      new Option(
        "--no-azurite",
        "do not start the embedded blob endpoint (Azurite) (env SNEAKERNET_AZURITE=0)",
      ),
    )
    .option(
      "--azurite-port <port>",
      "port of the embedded blob endpoint, default 10000; 0 = any free port (env SNEAKERNET_AZURITE_PORT)",
    )
    .addOption(
      new Option("--no-station", "do not start the embedded copy station (env SNEAKERNET_STATION=0)"),
    )
    .option(
      "--station-concurrency <n>",
      "blocks in flight per drive in the embedded station, default 16 (env SNEAKERNET_STATION_CONCURRENCY)",
    )
    .option("--tls-cert <file>", "PEM certificate: serve HTTPS (env SNEAKERNET_TLS_CERT)")
    .option("--tls-key <file>", "PEM private key for --tls-cert (env SNEAKERNET_TLS_KEY)")
    .addHelpText(
      "after",
      "\nExamples:\n  npx sneakernet serve\n  npx sneakernet serve --azurite-port 10010\n  npx sneakernet serve --port 8443 --tls-cert cert.pem --tls-key key.pem --no-azurite --no-station\n  DATABASE_URL=postgres://postgres@127.0.0.1:5432/sneakernet npx sneakernet serve",
    )
    .action(async (flags: ServeFlags) => {
      let config;
      try {
        config = serveConfig(flags);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      // Loaded here, not at the top: other commands should not pay for loading the HTTP server.
      const { startService } = await import("../serve/service.js");
      const service = await startService(config);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          console.log("Stopping…");
          void service.close().then(resolve);
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
    });
}
