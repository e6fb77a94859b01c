// Recording rules the alerts and dashboards reuse: API traffic, errors, slow requests and latency
// quantiles over 5m, and the database size.
import { matcher, num, orZero, quantile, SERVER_ERROR, sumRate } from "../promql";
import { RECORDED } from "../recorded";
import type { Rule, RuleContext } from "./model";
import { apiSeries, appSeries } from "./selectors";

const WINDOW = "5m";

export function httpRecordingRules(ctx: RuleContext): Rule[] {
  const requests = apiSeries(ctx, "http_requests_total");
  const buckets = apiSeries(ctx, "http_request_duration_seconds_bucket");
  const fast = apiSeries(
    ctx,
    "http_request_duration_seconds_bucket",
    matcher("le", "=", num(ctx.slo.latencyThresholdSeconds)),
  );
  return [
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
  ];
}

export function databaseRecordingRules(ctx: RuleContext): Rule[] {
  return [{ record: RECORDED.dbSize, expr: `max by (job) (${appSeries(ctx, "db_size_bytes")})` }];
}
