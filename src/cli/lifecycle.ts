/** @module `sneakernet lifecycle sweep`: applies the due timers once, as of now or `--now`, and prints what changed. */

import type { Command } from "commander";

import { sweep } from "../app/sweep.js";
import { fixedClock } from "../domain/clock.js";
import { systemClock } from "../serve/clock.js";
import { openDeps } from "../serve/open.js";
import { offlineStore } from "./common.js";
import { outputFormat, printTable, UsageError } from "./output.js";

export function registerLifecycle(program: Command): void {
  const lifecycle = program.command("lifecycle").description("Timers of the job lifecycle.");
  lifecycle
    .command("sweep")
    .description(
      "Delete expired jobs and mark undelivered drives NeverReceived, as of now or --now; print each change.",
    )
    .option("--now <iso-8601>", "sweep as of this instant instead of the current time")
    .option("--output <format>", "table | json (table on a terminal)")
    .option("--data-dir <dir>", "the service's data dir (env SNEAKERNET_DATA_DIR)")
    .option("--database-url <url>", "the service's database (env DATABASE_URL)")
    .addHelpText(
      "after",
      "\nExamples:\n  npx sneakernet lifecycle sweep\n  npx sneakernet lifecycle sweep --now 2026-12-31T00:00:00Z --output json",
    )
    .action(async (flags: { now?: string; output?: string; dataDir?: string; databaseUrl?: string }) => {
      const format = outputFormat(flags.output);
      let clock = systemClock;
      if (flags.now !== undefined) {
        if (
          !/^\d{4}-\d\d-\d\d(T[\d:.]+(Z|[+-]\d\d:?\d\d)?)?$/.test(flags.now) ||
          Number.isNaN(Date.parse(flags.now))
        ) {
          throw new UsageError(
            `--now must be an ISO-8601 instant such as 2026-12-31T00:00:00Z, not '${flags.now}'.`,
          );
        }
        clock = fixedClock(flags.now);
      }
      const deps = await openDeps(offlineStore(flags), clock);
      try {
        const report = await sweep(deps);
        if (format === "json") {
          console.log(JSON.stringify(report, null, 2));
        } else {
          console.log(
            `Sweep as of ${report.at}: ${report.examined} job(s) examined, ${report.changes.length} change(s).`,
          );
          printTable(
            report.changes as unknown as Record<string, unknown>[],
            ["action", "subscriptionId", "resourceGroup", "job", "detail"],
            { shrink: { detail: 16, subscriptionId: 14, resourceGroup: 13, job: 12 } },
          );
        }
        for (const failure of report.failures) {
          console.error(
            `error: could not sweep job ${failure.job} (${failure.resourceGroup}): ${failure.error}`,
          );
        }
        if (report.failures.length > 0) {
          // The other jobs were swept; the exit code tells a script that some were not.
          process.exitCode = 1;
        }
      } finally {
        await deps.store.close();
      }
    });
}
