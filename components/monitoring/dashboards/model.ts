// The dashboards as buildDashboards returns them: plain JSON, typed here without the SDK's types so
// that the package's declarations stay readable by programs with classic `moduleResolution: node`
// (the SDK is reachable only through subpath exports). The builders use the SDK, and a test checks
// the JSON against Grafana's published schema.

/** A data source as a panel or query names it: a plugin type and a uid (or a `${variable}`). */
export interface DataSourceRef {
  type: string;
  uid: string;
}

export interface PrometheusTarget {
  refId: string;
  datasource: DataSourceRef;
  expr: string;
  legendFormat: string;
  range: boolean;
  instant: boolean;
  format: string;
  [key: string]: unknown;
}

export interface CloudWatchTarget {
  refId: string;
  datasource: DataSourceRef;
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  statistic: string;
  label: string;
  [key: string]: unknown;
}

export type Target = PrometheusTarget | CloudWatchTarget;

export interface Panel {
  id: number;
  type: string;
  title: string;
  description: string;
  datasource: DataSourceRef;
  gridPos: { h: number; w: number; x: number; y: number };
  targets: Target[];
  fieldConfig: { defaults: { unit: string; [key: string]: unknown }; overrides: unknown[] };
  options: Record<string, unknown>;
  [key: string]: unknown;
}

export interface Variable {
  name: string;
  type: string;
  /** The data source a query variable asks. */
  datasource?: DataSourceRef;
  /** A query variable's query; a data source variable's plugin type. */
  query?: unknown;
  current?: { text?: unknown; value?: unknown };
  [key: string]: unknown;
}

export interface Annotation {
  name: string;
  datasource?: DataSourceRef;
  [key: string]: unknown;
}

export interface GrafanaDashboard {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  templating: { list: Variable[] };
  annotations: { list: Annotation[] };
  links: Record<string, unknown>[];
  panels: Panel[];
  [key: string]: unknown;
}
