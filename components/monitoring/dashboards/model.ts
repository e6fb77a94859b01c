// The parts of Grafana's dashboard JSON model these dashboards use (schemaVersion 39).
import type { Dashboard } from "../types";

export interface DataSourceRef {
  type: "prometheus" | "cloudwatch";
  /** A dashboard variable (`${prometheus}`), so the dashboards work with any data source. */
  uid: string;
}

export interface PrometheusTarget {
  refId: string;
  datasource: DataSourceRef;
  expr: string;
  legendFormat: string;
  range: boolean;
  instant: boolean;
  format: "time_series" | "table" | "heatmap";
}

export interface CloudWatchTarget {
  refId: string;
  datasource: DataSourceRef;
  queryMode: "Metrics";
  metricQueryType: 0;
  metricEditorMode: 0;
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  statistic: string;
  region: string;
  period: string;
  matchExact: boolean;
  id: string;
  expression: string;
  label: string;
}

export type Target = PrometheusTarget | CloudWatchTarget;
export type PanelType = "timeseries" | "stat" | "table" | "heatmap";

export interface Panel {
  id: number;
  type: PanelType;
  title: string;
  description: string;
  datasource: DataSourceRef;
  gridPos: { x: number; y: number; w: number; h: number };
  targets: Target[];
  fieldConfig: { defaults: { unit: string } & Record<string, unknown>; overrides: unknown[] };
  options: Record<string, unknown>;
}

export interface Variable {
  name: string;
  label: string;
  type: "datasource" | "query" | "textbox";
  [key: string]: unknown;
}

export interface DashboardLink {
  title: string;
  type: "link";
  url: string;
  icon: "dashboard";
  tooltip: string;
  includeVars: boolean;
  keepTime: boolean;
  targetBlank: boolean;
  tags: string[];
  asDropdown: boolean;
}

export interface GrafanaDashboard extends Dashboard {
  description: string;
  tags: string[];
  schemaVersion: number;
  version: number;
  editable: boolean;
  graphTooltip: number;
  timezone: string;
  refresh: string;
  time: { from: string; to: string };
  templating: { list: Variable[] };
  annotations: { list: unknown[] };
  links: DashboardLink[];
  panels: Panel[];
}
