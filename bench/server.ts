/** @module Bench-only: the API on a free port in its own process, with an empty route to compare against. */

// Usage: node --import tsx bench/server.ts <databaseUrl> <benchNowIso>. Prints `listening <url>` once
// ready. bench/api.ts runs it as a child so that autocannon does not share the server's event loop.

import { pino } from "pino";

import { createMetrics } from "../src/api/http/metrics.js";
import { buildServer } from "../src/api/http/server.js";
import { createAuthenticator } from "../src/app/support/authenticate.js";
import { openTestDeps, TestClock } from "../test/support/server.js";

const [databaseUrl, now] = process.argv.slice(2);
if (!databaseUrl || !now) {
  console.error("usage: bench/server.ts <databaseUrl> <benchNowIso>");
  process.exit(2);
}

// The bench clock, so the PATCHes write timestamps consistent with the generated jobs.
const deps = await openTestDeps(databaseUrl, new TestClock(new Date(now)));
// As `sneakernet serve` builds it (pino, metrics, the 30 s token cache), except that the per-request
// log line is not written (level warn): we measure the API, not the speed of a pipe to the parent.
const app = await buildServer({
  deps,
  authenticate: createAuthenticator(deps),
  logger: pino({ level: "warn" }),
  metrics: createMetrics(),
});
// The baseline: the same instance, hooks (request id, token check, metrics) and socket, no work.
app.get("/bench/empty", async () => ({}));
const url = await app.listen({ port: 0, host: "127.0.0.1" });

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) {
    return;
  }
  stopping = true;
  await app.close();
  await deps.store.close();
  process.exit(0);
}
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
// If the bench dies without stopping us, its end of our stdin closes: never outlive it.
process.stdin.on("end", () => void stop());
process.stdin.on("error", () => void stop());
process.stdin.resume();

console.log(`listening ${url}`);
