// Every Prometheus query of the dashboards, and how to resolve Grafana's template variables so a
// query can run against Prometheus directly (the end-to-end test does, for each of them).
import type { GrafanaDashboard, PrometheusTarget } from "./model";

export interface DashboardQuery {
  dashboard: string;
  panel: string;
  refId: string;
  expr: string;
  /** Instant queries (tables) are evaluated at one time, not over a range. */
  instant: boolean;
}

export function dashboardQueries(dashboards: readonly GrafanaDashboard[]): DashboardQuery[] {
  return dashboards.flatMap((dashboard) =>
    dashboard.panels.flatMap((panel) =>
      panel.targets
        .filter((t): t is PrometheusTarget => t.datasource.type === "prometheus")
        .map((t) => ({
          dashboard: dashboard.uid,
          panel: panel.title,
          refId: t.refId,
          expr: t.expr,
          instant: t.instant,
        })),
    ),
  );
}

export interface QueryVariables {
  /** The app's job label. */
  job: string;
  /** A regex of instances; default ".*" (Grafana's "All"). */
  instance?: string;
  /** A regex of ecs_exporter targets (the Infrastructure dashboard's tasks); default ".*". */
  task?: string;
  /** `$__rate_interval`: default "1m" (Grafana: max(4 × scrape interval, step + scrape interval)). */
  rateInterval?: string;
  /** `$__interval`: default "15s". */
  interval?: string;
  /** `$__range`: default "1h". */
  range?: string;
}

/** Replaces `$name` and `${name}`; an unknown variable throws (a dashboard bug, not a default). */
export function resolveQuery(expr: string, vars: QueryVariables): string {
  const values: Record<string, string> = {
    job: vars.job,
    instance: vars.instance ?? ".*",
    task: vars.task ?? ".*",
    __rate_interval: vars.rateInterval ?? "1m",
    __interval: vars.interval ?? "15s",
    __range: vars.range ?? "1h",
  };
  return expr.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced?: string, bare?: string) => {
    const name = braced ?? bare ?? "";
    const value = values[name];
    if (value === undefined) throw new Error(`unknown template variable ${whole} in query: ${expr}`);
    return value;
  });
}
