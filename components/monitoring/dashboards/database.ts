// Database: the app's connection pool, query time and errors by operation, and the server's
// connections and size (read by the app at scrape time).
import { METRICS } from "../conventions";
import { histogram, matcher } from "../promql";
import type { VariableBuilder } from "./variables";
import { app, failures, quantileOf, rate } from "./promql";
import { prom, stat, timeseries, upDownMapping } from "./panels";
import type { DashboardSpec } from "./spec";
import { UIDS } from "./uids";

const pool = (state: string) => app(METRICS.dbPoolConnections, matcher("state", "=", state));
const QUERY_DURATION = histogram(METRICS.dbQueryDuration);
const QUERIES = app(QUERY_DURATION.count);
const BUCKETS = app(QUERY_DURATION.bucket);

export function databaseDashboard(variables: VariableBuilder[]): DashboardSpec {
  return {
    uid: UIDS.database,
    title: "Showcase API: database",
    description: "PostgreSQL as the app sees it: pool, queries by operation, server connections and size.",
    variables,
    panels: [
      timeseries({
        title: "Pool connections",
        description:
          "Connections of each instance's pool by state (total, idle, waiting clients), and the pool's maximum.",
        unit: "short",
        targets: [
          prom(app(METRICS.dbPoolConnections), "{{state}} {{instance}}"),
          prom(app(METRICS.dbPoolMaxConnections), "max {{instance}}"),
        ],
      }),
      timeseries({
        title: "Pool in use",
        description: "Share of each pool's maximum connections checked out by queries.",
        unit: "percentunit",
        targets: [
          prom(
            `(sum without (state) (${pool("total")}) - sum without (state) (${pool("idle")}))\n/ ${app(METRICS.dbPoolMaxConnections)}`,
            "{{instance}}",
          ),
        ],
      }),
      timeseries({
        title: "Queries by operation",
        description: "Queries per second by operation.",
        unit: "ops",
        targets: [prom(rate(QUERIES, ["operation"]), "{{operation}}")],
      }),
      timeseries({
        title: "Query errors by operation",
        description: "Failed queries per second by operation (0 for operations without failures).",
        unit: "ops",
        targets: [prom(failures(app(METRICS.dbQueryErrors), QUERIES, ["operation"]), "{{operation}}")],
      }),
      timeseries({
        title: "Query time p99 by operation",
        description: "99th percentile of query duration by operation.",
        unit: "s",
        targets: [prom(quantileOf(0.99, BUCKETS, ["operation"]), "{{operation}}")],
      }),
      timeseries({
        title: "Query time p50 by operation",
        description: "Median query duration by operation.",
        unit: "s",
        targets: [prom(quantileOf(0.5, BUCKETS, ["operation"]), "{{operation}}")],
      }),
      timeseries({
        title: "Server connections",
        description: "Backends connected to the app's database (pg_stat_activity), all clients included.",
        unit: "short",
        targets: [prom(`max(${app(METRICS.dbServerActiveConnections)})`, "connections")],
      }),
      timeseries({
        title: "Database size",
        description: "Size of the app's database on disk (pg_database_size).",
        unit: "bytes",
        targets: [prom(`max(${app(METRICS.dbSize)})`, "size")],
      }),
      stat({
        title: "Database statistics readable",
        description:
          "Whether each instance's last scrape-time read of pg_stat_activity and pg_database_size succeeded.",
        unit: "none",
        targets: [prom(app(METRICS.dbStatsUp), "{{instance}}")],
        mappings: upDownMapping("OK", "FAILING"),
      }),
    ],
  };
}
