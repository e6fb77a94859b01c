// The app's view of PostgreSQL: pool pressure, slow and failing queries, size, and whether the
// scrape-time database figures can be read at all.
import { METRICS } from "../conventions";
import { bytes, percent } from "../format";
import { histogram, matcher, num, quantile, sumRate } from "../promql";
import { RECORDED } from "../recorded";
import { defineAlert, type AlertRule, type AlertSpec, type RuleContext } from "./model";
import { appSeries } from "./selectors";

const GROWTH_TREND = "6h";
const GROWTH_HORIZON_DAYS = 4;

export function databaseAlerts(ctx: RuleContext): AlertRule[] {
  const t = ctx.thresholds;
  const warn = (spec: Omit<AlertSpec, "severity" | "for">): AlertRule =>
    defineAlert(ctx, { ...spec, severity: "warning", for: t.for });
  const pool = (state: string) => appSeries(ctx, METRICS.dbPoolConnections, matcher("state", "=", state));
  const queries = histogram(METRICS.dbQueryDuration);
  const byOperation = ["job", "operation"];
  const size = appSeries(ctx, RECORDED.dbSize);
  const sizeLimit = num(t.dbSizeBytes);
  return [
    warn({
      name: "DatabasePoolSaturated",
      expr:
        `(sum without (state) (${pool("total")}) - sum without (state) (${pool("idle")}))\n` +
        `/\n${appSeries(ctx, METRICS.dbPoolMaxConnections)}\n> ${num(t.dbPoolRatio)}`,
      summary: "The database connection pool is nearly exhausted.",
      description: `{{ $labels.instance }} has {{ $value | humanizePercentage }} of its database pool connections in use (threshold ${percent(t.dbPoolRatio)}).`,
    }),
    warn({
      name: "DatabasePoolWaitingClients",
      expr: `sum without (state) (${pool("waiting")}) > 0`,
      summary: "Queries are waiting for a database connection.",
      description: `{{ $value }} queries on {{ $labels.instance }} are waiting for a free database connection.`,
    }),
    warn({
      name: "DatabaseSlowQueries",
      expr: `${quantile(0.99, appSeries(ctx, queries.bucket), "5m", byOperation)} > ${num(t.dbQueryP99Seconds)}`,
      summary: "Database queries are slow.",
      description: `The p99 time of {{ $labels.operation }} queries of {{ $labels.job }} is {{ $value | humanizeDuration }} over the last 5m (threshold ${num(t.dbQueryP99Seconds)}s).`,
    }),
    // A query that fails may not be timed: a failing operation with no successes yields +Inf,
    // which still fires.
    warn({
      name: "DatabaseQueryErrors",
      expr:
        `${sumRate(appSeries(ctx, METRICS.dbQueryErrors), "5m", byOperation)}\n/\n` +
        `${sumRate(appSeries(ctx, queries.count), "5m", byOperation)}\n> ${num(t.dbErrorRatio)}`,
      summary: "Database queries are failing.",
      description: `{{ $value | humanizePercentage }} of {{ $labels.operation }} queries of {{ $labels.job }} failed over the last 5m (threshold ${percent(t.dbErrorRatio)}).`,
    }),
    warn({
      name: "DatabaseSizeHigh",
      expr: `${size} > ${sizeLimit}`,
      summary: "The database is larger than its threshold.",
      description: `The database of {{ $labels.job }} holds {{ $value | humanize1024 }}B (threshold ${bytes(t.dbSizeBytes)}).`,
    }),
    warn({
      name: "DatabaseSizeGrowingFast",
      expr:
        `predict_linear(${size}[${GROWTH_TREND}], ${GROWTH_HORIZON_DAYS} * 86400) > ${sizeLimit}\n` +
        `unless\n${size} > ${sizeLimit}`,
      summary: "The database will outgrow its threshold within days.",
      description: `At the growth of the last ${GROWTH_TREND}, the database of {{ $labels.job }} reaches {{ $value | humanize1024 }}B within ${GROWTH_HORIZON_DAYS} days (threshold ${bytes(t.dbSizeBytes)}).`,
    }),
    warn({
      name: "DatabaseStatsUnavailable",
      expr: `${appSeries(ctx, METRICS.dbStatsUp)} == 0`,
      summary: "The app cannot read the database's statistics.",
      description: `{{ $labels.instance }} has failed to read pg_stat_activity and pg_database_size for ${t.for}: database size and connection figures are missing.`,
    }),
  ];
}
