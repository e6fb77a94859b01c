// Recording rules the alerts and dashboards reuse: API traffic, errors, slow requests and latency
// quantiles over 5m, and the database size.
import { matcher, num, orZero, quantile, SERVER_ERROR, sumRate } from "../promql";
import { RECORDED } from "../recorded";
import type { RuleContext, RuleGroup } from "./model";
import { apiSeries, appSeries } from "./selectors";

const WINDOW = "5m";

export function httpRecordingGroup(ctx: RuleContext): RuleGroup {
  const requests = apiSeries(ctx, "http_requests_total");
  const buckets = apiSeries(ctx, "http_request_duration_seconds_bucket");
  const fast = apiSeries(
    ctx,
    "http_request_duration_seconds_bucket",
    matcher("le", "=", num(ctx.slo.latencyThresholdSeconds)),
  );
  return {
    name: `${ctx.job}.http.recording`,
    rules: [
      { record: RECORDED.requestRate, expr: sumRate(requests, WINDOW) },
      {
        record: RECORDED.errorRate,
        expr: orZero(
          sumRate(apiSeries(ctx, "http_requests_total", SERVER_ERROR), WINDOW),
          sumRate(requests, WINDOW),
        ),
      },
      {
        record: RECORDED.slowRate,
        expr: `${sumRate(apiSeries(ctx, "http_request_duration_seconds_count"), WINDOW)}\n- ${sumRate(fast, WINDOW)}`,
      },
      ...([50, 90, 99] as const).map((q) => ({
        record: RECORDED.latency(q),
        expr: quantile(q / 100, buckets, WINDOW),
      })),
    ],
  };
}

export function databaseRecordingGroup(ctx: RuleContext): RuleGroup {
  return {
    name: `${ctx.job}.database.recording`,
    rules: [{ record: RECORDED.dbSize, expr: `max by (job) (${appSeries(ctx, "db_size_bytes")})` }],
  };
}
