// The data sources the dashboards query. Panels name them through datasource variables (so the JSON
// imports into any Grafana); each variable defaults to the uid of the data source the stack creates.
import type { DataSourceRef } from "./model";

/** Uids of the data sources the stack provisions in Grafana, by plugin type. */
export const DATASOURCE_UIDS = {
  prometheus: "prometheus",
  alertmanager: "alertmanager",
  cloudwatch: "cloudwatch",
} as const;

export type DataSourceType = keyof typeof DATASOURCE_UIDS;

const viaVariable = (type: DataSourceType): DataSourceRef => ({ type, uid: `\${${type}}` });

export const PROMETHEUS = viaVariable("prometheus");
export const CLOUDWATCH = viaVariable("cloudwatch");
