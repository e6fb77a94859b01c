// PromQL of the dashboards: selectors driven by the `job`/`instance` variables, and rates over
// Grafana's `$__rate_interval` (at least four scrapes, whatever the zoom).
import { ECS_EXPORTER_JOB, PROBE_ROUTES, PROMETHEUS_JOB } from "../conventions";
import { matcher, orZero, selector } from "../promql";

export const RATE_INTERVAL = "$__rate_interval";

/** `metric{job="$job",instance=~"$instance",extra…}` */
export function app(metric: string, ...extra: string[]): string {
  return selector(metric, matcher("job", "=", "$job"), matcher("instance", "=~", "$instance"), ...extra);
}

/** `metric{job="ecs-exporter",instance=~"$task",extra…}`: the ecs_exporter of the selected tasks. */
export function exporter(metric: string, ...extra: string[]): string {
  return selector(
    metric,
    matcher("job", "=", ECS_EXPORTER_JOB),
    matcher("instance", "=~", "$task"),
    ...extra,
  );
}

/** `metric{job="prometheus"}`: Prometheus's own metrics. */
export function prometheusSelf(metric: string): string {
  return selector(metric, matcher("job", "=", PROMETHEUS_JOB));
}

/** `app()` without the load balancer's probes: user traffic. */
export function api(metric: string, ...extra: string[]): string {
  return app(metric, matcher("route", "!~", PROBE_ROUTES.join("|")), ...extra);
}

/** `sum by (labels) (rate(series[$__rate_interval]))`; no labels sums everything. */
export function rate(series: string, by: string[] = [], window = RATE_INTERVAL): string {
  const grouping = by.length > 0 ? ` by (${by.join(", ")})` : "";
  return `sum${grouping} (rate(${series}[${window}]))`;
}

/** A rate of failures that shows 0 (not "no data") for every group that has traffic but no failure. */
export function failures(failed: string, total: string, by: string[] = []): string {
  return orZero(rate(failed, by), rate(total, by));
}

export function quantileOf(q: number, buckets: string, by: string[] = []): string {
  return `histogram_quantile(${q}, ${rate(buckets, [...by, "le"])})`;
}
