// The dashboards as buildDashboards returns them: plain JSON in the SDK's types (Grafana's own
// schema), with what our builders always set made required, so callers need no checks.
import type * as cloudwatch from "@grafana/grafana-foundation-sdk/cloudwatch";
import type * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import type * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import type { DataSourceRef } from "./datasources";

/** The SDK marks queries with a method; JSON has none. */
type Json<T> = Omit<T, "_implementsDataqueryVariant">;

export type PrometheusTarget = Json<prometheus.Dataquery> & {
  refId: string;
  datasource: DataSourceRef & { type: "prometheus" };
  legendFormat: string;
  range: boolean;
  instant: boolean;
  format: prometheus.PromQueryFormat;
};

export type CloudWatchTarget = Json<cloudwatch.MetricsQuery> & {
  refId: string;
  datasource: DataSourceRef & { type: "cloudwatch" };
  metricName: string;
  dimensions: Record<string, string>;
  statistic: string;
  label: string;
};

export type Target = PrometheusTarget | CloudWatchTarget;

export type Panel = Omit<dashboard.Panel, "targets" | "fieldConfig" | "options"> & {
  id: number;
  title: string;
  description: string;
  datasource: DataSourceRef;
  gridPos: dashboard.GridPos;
  targets: Target[];
  fieldConfig: { defaults: dashboard.FieldConfig & { unit: string }; overrides: unknown[] };
  options: Record<string, unknown>;
};

/** JSON holds the enum's values, so the type is named by them. */
export type Variable = Omit<dashboard.VariableModel, "type"> & { type: `${dashboard.VariableType}` };

export type GrafanaDashboard = Omit<dashboard.Dashboard, "panels" | "templating" | "links"> & {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  templating: { list: Variable[] };
  links: dashboard.DashboardLink[];
  panels: Panel[];
};
