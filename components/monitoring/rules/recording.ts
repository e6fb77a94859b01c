// Recording rules the alerts and dashboards reuse: API traffic, errors, slow requests and latency
// quantiles over 5m, and the database size.
import { METRICS } from "../conventions";
import { histogram, matcher, num, orZero, quantile, SERVER_ERROR, sumRate } from "../promql";
import { RECORDED } from "../recorded";
import type { Rule, RuleContext } from "./model";
import { apiSeries, appSeries } from "./selectors";

const WINDOW = "5m";

export function httpRecordingRules(ctx: RuleContext): Rule[] {
  const duration = histogram(METRICS.httpRequestDuration);
  const requests = apiSeries(ctx, METRICS.httpRequests);
  const buckets = apiSeries(ctx, duration.bucket);
  const fast = apiSeries(ctx, duration.bucket, matcher("le", "=", num(ctx.slo.latencyThresholdSeconds)));
  return [
    { record: RECORDED.requestRate, expr: sumRate(requests, WINDOW) },
    {
      record: RECORDED.errorRate,
      expr: orZero(
        sumRate(apiSeries(ctx, METRICS.httpRequests, SERVER_ERROR), WINDOW),
        sumRate(requests, WINDOW),
      ),
    },
    {
      record: RECORDED.slowRate,
      expr: `${sumRate(apiSeries(ctx, duration.count), WINDOW)}\n- ${sumRate(fast, WINDOW)}`,
    },
    ...([50, 90, 99] as const).map((q) => ({
      record: RECORDED.latency(q),
      expr: quantile(q / 100, buckets, WINDOW),
    })),
  ];
}

export function databaseRecordingRules(ctx: RuleContext): Rule[] {
  return [{ record: RECORDED.dbSize, expr: `max by (job) (${appSeries(ctx, METRICS.dbSize)})` }];
}
