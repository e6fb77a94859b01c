// Database metrics: the pool's connections, each query's duration and failures by operation, and
// figures read from the server at scrape time (bounded by a timeout, shared for a few seconds).
import { Counter, Gauge, type Registry } from "prom-client";
import type { Pool } from "pg";
import { METRICS, QUERY_DURATION_BUCKETS } from "showcase-monitoring-conventions";
import type { QueryObserver } from "../db/database";
import { OPERATIONS, type Operation } from "../db/operations";
import type { ServerStats } from "../db/stats";
import { registerHistogram, Series } from "./sliced-families";

export function registerQueryMetrics(registry: Registry): QueryObserver {
  // Observed on every query: plain numbers, as the HTTP metrics (sliced-families.ts). Every
  // operation's series exist from the start, at zero, so rates and ratios are defined.
  const durations = new Map(
    OPERATIONS.map((operation) => [operation, new Series({ operation }, QUERY_DURATION_BUCKETS)]),
  );
  registerHistogram(registry, [...durations.values()], {
    name: METRICS.dbQueryDuration,
    help: "Duration of database operations (one query or one transaction), in seconds.",
    buckets: QUERY_DURATION_BUCKETS,
  });
  // Failures are rare: prom-client's own counter costs only when one happens.
  const errors = new Counter<"operation">({
    name: METRICS.dbQueryErrors,
    help: "Database operations that failed, by operation.",
    labelNames: ["operation"],
    registers: [registry],
  });
  for (const operation of OPERATIONS) errors.inc({ operation }, 0);
  return (operation: Operation, seconds: number, failed: boolean) => {
    durations.get(operation)!.observe(seconds);
    if (failed) errors.inc({ operation });
  };
}

export function registerPoolMetrics(registry: Registry, pool: Pool, max: number): void {
  new Gauge<"state">({
    name: METRICS.dbPoolConnections,
    help: "Connections of the main database pool by state (total, idle), and requests waiting for one.",
    labelNames: ["state"],
    registers: [registry],
    collect() {
      this.set({ state: "total" }, pool.totalCount);
      this.set({ state: "idle" }, pool.idleCount);
      this.set({ state: "waiting" }, pool.waitingCount);
    },
  });
  new Gauge({
    name: METRICS.dbPoolMaxConnections,
    help: "Maximum connections of the main database pool.",
    registers: [registry],
  }).set(max);
}

export interface StatsOptions {
  timeoutMs: number;
  /** Scrapes within this time of a read share it. */
  cacheMs: number;
}

/**
 * Wraps `read` so that concurrent and closely spaced callers share one read, and no caller waits
 * longer than `timeoutMs`; a failed or late read yields undefined.
 */
export function cachedWithTimeout<T>(
  read: () => Promise<T>,
  { timeoutMs, cacheMs }: StatsOptions,
): () => Promise<T | undefined> {
  let last: { at: number; value: Promise<T | undefined> } | undefined;
  return () => {
    const now = performance.now();
    if (last !== undefined && now - last.at < cacheMs) return last.value;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(resolve, timeoutMs, undefined);
    });
    const value = Promise.race([read().catch(() => undefined), timeout]).finally(() => clearTimeout(timer));
    last = { at: now, value };
    return value;
  };
}

export function registerServerStatsMetrics(
  registry: Registry,
  read: () => Promise<ServerStats>,
  options: StatsOptions,
): void {
  const current = cachedWithTimeout(read, options);
  // The two figures keep their last successful value when a read fails; db_stats_up says so.
  const gauge = (name: string, help: string, pick: (stats: ServerStats) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const stats = await current();
        if (stats !== undefined) this.set(pick(stats));
      },
    });
  gauge(
    METRICS.dbServerActiveConnections,
    "Backends connected to the service's database, all clients included (last successful read).",
    (s) => s.connections,
  );
  gauge(
    METRICS.dbSize,
    "Size of the service's database in bytes (last successful read).",
    (s) => s.sizeBytes,
  );
  new Gauge({
    name: METRICS.dbStatsUp,
    help: "1 when the last scrape-time read of the database server figures succeeded, else 0.",
    registers: [registry],
    async collect() {
      this.set((await current()) === undefined ? 0 : 1);
    },
  });
}
