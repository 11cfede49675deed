/** @module Prometheus metrics: request counts and durations, sweep results, and the process defaults. */

import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";

export interface Metrics {
  registry: Registry;
  requests: Counter<"method" | "route" | "status">;
  requestSeconds: Histogram<"method" | "route">;
  sweepChanges: Counter<"action">;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "sneakernet_" });
  return {
    registry,
    requests: new Counter({
      name: "sneakernet_http_requests_total",
      help: "HTTP requests answered, by route template and status.",
      labelNames: ["method", "route", "status"],
      registers: [registry],
    }),
    requestSeconds: new Histogram({
      name: "sneakernet_http_request_duration_seconds",
      help: "Time to answer an HTTP request, by route template.",
      labelNames: ["method", "route"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    sweepChanges: new Counter({
      name: "sneakernet_lifecycle_sweep_changes_total",
      help: "Changes made by lifecycle sweeps (jobs deleted, drives marked NeverReceived).",
      labelNames: ["action"],
      registers: [registry],
    }),
  };
}
