// Typed builders for panels and targets, and the grid layout that numbers them.
import type { CloudWatchTarget, DataSourceRef, Panel, PanelType, PrometheusTarget } from "./model";

export const PROMETHEUS: DataSourceRef = { type: "prometheus", uid: "${prometheus}" };
export const CLOUDWATCH: DataSourceRef = { type: "cloudwatch", uid: "${cloudwatch}" };

type Unnumbered<T> = Omit<T, "refId">;
export type TargetSpec = Unnumbered<PrometheusTarget> | Unnumbered<CloudWatchTarget>;

export function prom(
  expr: string,
  legendFormat = "__auto",
  mode: { instant?: boolean; format?: PrometheusTarget["format"] } = {},
): Unnumbered<PrometheusTarget> {
  const instant = mode.instant ?? false;
  return {
    datasource: PROMETHEUS,
    expr,
    legendFormat,
    range: !instant,
    instant,
    format: mode.format ?? "time_series",
  };
}

export function cloudwatch(
  namespace: string,
  metricName: string,
  dimensions: Record<string, string>,
  statistic: string,
  label: string,
): Unnumbered<CloudWatchTarget> {
  return {
    datasource: CLOUDWATCH,
    queryMode: "Metrics",
    metricQueryType: 0,
    metricEditorMode: 0,
    namespace,
    metricName,
    dimensions,
    statistic,
    region: "$region",
    period: "",
    matchExact: true,
    id: "",
    expression: "",
    label,
  };
}

export interface PanelSpec {
  title: string;
  description: string;
  unit: string;
  targets: TargetSpec[];
  /** Grid columns out of 24. */
  width?: number;
  height?: number;
  /** Extra field defaults (mappings, thresholds, min/max). */
  defaults?: Record<string, unknown>;
}

export interface TypedPanelSpec extends PanelSpec {
  type: PanelType;
  options: Record<string, unknown>;
}

const SIZES: Record<PanelType, { width: number; height: number }> = {
  timeseries: { width: 12, height: 8 },
  heatmap: { width: 12, height: 8 },
  table: { width: 12, height: 8 },
  stat: { width: 6, height: 4 },
};

export function timeseries(spec: PanelSpec): TypedPanelSpec {
  return {
    type: "timeseries",
    options: {
      legend: { displayMode: "table", placement: "bottom", calcs: ["mean", "max", "lastNotNull"] },
      tooltip: { mode: "multi", sort: "desc" },
    },
    ...spec,
    defaults: { custom: { fillOpacity: 10, showPoints: "never" }, ...spec.defaults },
  };
}

export function stat(spec: PanelSpec): TypedPanelSpec {
  return {
    type: "stat",
    options: {
      reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false },
      colorMode: "value",
      graphMode: "area",
      textMode: "auto",
    },
    ...spec,
  };
}

export function table(spec: PanelSpec): TypedPanelSpec {
  return {
    type: "table",
    options: { showHeader: true, sortBy: [{ displayName: "Value", desc: true }] },
    ...spec,
  };
}

/** A heatmap of pre-bucketed data (`format: heatmap`); `yUnit` is the bucket bounds' unit. */
export function heatmap(spec: PanelSpec & { yUnit: string }): TypedPanelSpec {
  const { yUnit, ...rest } = spec;
  return {
    type: "heatmap",
    options: {
      calculate: false,
      yAxis: { unit: yUnit },
      color: { mode: "scheme", scheme: "Spectral" },
      cellGap: 1,
      tooltip: { show: true, yHistogram: true },
    },
    ...rest,
  };
}

/** Value mappings of a 0/1 gauge such as `up`. */
export function upDownMapping(up = "UP", down = "DOWN"): Record<string, unknown> {
  return {
    mappings: [
      { type: "value", options: { "0": { text: down, color: "red" }, "1": { text: up, color: "green" } } },
    ],
  };
}

const REF_IDS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** Places panels left to right, top to bottom, on Grafana's 24-column grid; ids follow the order. */
export function layout(specs: TypedPanelSpec[]): Panel[] {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  return specs.map((spec, index) => {
    const w = spec.width ?? SIZES[spec.type].width;
    const h = spec.height ?? SIZES[spec.type].height;
    if (x + w > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const gridPos = { x, y, w, h };
    x += w;
    rowHeight = Math.max(rowHeight, h);
    const targets = spec.targets.map((t, i) => ({ refId: REF_IDS.charAt(i), ...t }));
    return {
      id: index + 1,
      type: spec.type,
      title: spec.title,
      description: spec.description,
      datasource: spec.targets[0]?.datasource ?? PROMETHEUS,
      gridPos,
      targets,
      fieldConfig: { defaults: { unit: spec.unit, ...spec.defaults }, overrides: [] },
      options: spec.options,
    };
  });
}

/** Green, then orange from `warn`, red from `critical`. */
export function thresholds(warn: number, critical: number): Record<string, unknown> {
  return {
    thresholds: {
      mode: "absolute",
      steps: [
        { color: "green", value: null },
        { color: "orange", value: warn },
        { color: "red", value: critical },
      ],
    },
  };
}
