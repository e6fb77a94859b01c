// Our kinds of panel and query, built with Grafana's own builders (@grafana/grafana-foundation-sdk):
// what every panel must have (title, description, unit, queries), and the options we use per type.
import * as cloudwatchSdk from "@grafana/grafana-foundation-sdk/cloudwatch";
import * as common from "@grafana/grafana-foundation-sdk/common";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import * as heatmapSdk from "@grafana/grafana-foundation-sdk/heatmap";
import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import * as statSdk from "@grafana/grafana-foundation-sdk/stat";
import * as tableSdk from "@grafana/grafana-foundation-sdk/table";
import * as timeseriesSdk from "@grafana/grafana-foundation-sdk/timeseries";
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import { CLOUDWATCH, PROMETHEUS } from "./datasources";

export type TargetBuilder = prometheus.DataqueryBuilder | cloudwatchSdk.MetricsQueryBuilder;

export function prom(
  expr: string,
  legendFormat = "__auto",
  mode: { instant?: boolean; format?: prometheus.PromQueryFormat } = {},
): prometheus.DataqueryBuilder {
  const query = new prometheus.DataqueryBuilder()
    .datasource(PROMETHEUS)
    .expr(expr)
    .legendFormat(legendFormat)
    .format(mode.format ?? prometheus.PromQueryFormat.TimeSeries);
  return mode.instant === true ? query.instant() : query.range();
}

export function cloudwatch(
  namespace: string,
  metricName: string,
  dimensions: Record<string, string>,
  statistic: string,
  label: string,
): cloudwatchSdk.MetricsQueryBuilder {
  return new cloudwatchSdk.MetricsQueryBuilder()
    .datasource(CLOUDWATCH)
    .queryMode(cloudwatchSdk.QueryMode.Metrics)
    .metricQueryType(cloudwatchSdk.MetricQueryType.Search)
    .metricEditorMode(cloudwatchSdk.MetricEditorMode.Builder)
    .namespace(namespace)
    .metricName(metricName)
    .dimensions(dimensions)
    .statistic(statistic)
    .region("$region")
    .period("")
    .matchExact(true)
    .id("")
    .expression("")
    .label(label);
}

export interface PanelSpec {
  title: string;
  description: string;
  unit: string;
  targets: TargetBuilder[];
  /** Grid columns out of 24. */
  width?: number;
  height?: number;
  thresholds?: dashboard.ThresholdsConfigBuilder;
  mappings?: dashboard.ValueMapping[];
  decimals?: number;
}

/** What the SDK's panel builders of every type share, as far as we use it. */
export interface PanelBuilder extends cog.Builder<dashboard.Panel> {
  id(id: number): this;
  title(title: string): this;
  description(description: string): this;
  unit(unit: string): this;
  span(w: number): this;
  height(h: number): this;
  datasource(datasource: common.DataSourceRef): this;
  withTarget(target: cog.Builder<cog.Dataquery>): this;
  thresholds(thresholds: cog.Builder<dashboard.ThresholdsConfig>): this;
  mappings(mappings: dashboard.ValueMapping[]): this;
  decimals(decimals: number): this;
}

const REF_IDS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

function withSpec<B extends PanelBuilder>(
  builder: B,
  spec: PanelSpec,
  size: { width: number; height: number },
): B {
  builder
    .title(spec.title)
    .description(spec.description)
    .unit(spec.unit)
    .span(spec.width ?? size.width)
    .height(spec.height ?? size.height)
    .datasource(spec.targets[0]?.build().datasource ?? PROMETHEUS);
  spec.targets.forEach((target, index) => builder.withTarget(target.refId(REF_IDS.charAt(index))));
  if (spec.thresholds) builder.thresholds(spec.thresholds);
  if (spec.mappings) builder.mappings(spec.mappings);
  if (spec.decimals !== undefined) builder.decimals(spec.decimals);
  return builder;
}

const WIDE = { width: 12, height: 8 };

export function timeseries(spec: PanelSpec): PanelBuilder {
  return withSpec(
    new timeseriesSdk.PanelBuilder()
      .legend(
        new common.VizLegendOptionsBuilder()
          .showLegend(true)
          .displayMode(common.LegendDisplayMode.Table)
          .placement(common.LegendPlacement.Bottom)
          .calcs(["mean", "max", "lastNotNull"]),
      )
      .tooltip(
        new common.VizTooltipOptionsBuilder()
          .mode(common.TooltipDisplayMode.Multi)
          .sort(common.SortOrder.Descending),
      )
      .fillOpacity(10)
      .showPoints(common.VisibilityMode.Never),
    spec,
    WIDE,
  );
}

export function stat(spec: PanelSpec): PanelBuilder {
  return withSpec(
    new statSdk.PanelBuilder()
      .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]).fields("").values(false))
      .colorMode(common.BigValueColorMode.Value)
      .graphMode(common.BigValueGraphMode.Area)
      .textMode(common.BigValueTextMode.Auto),
    spec,
    { width: 6, height: 4 },
  );
}

export function table(spec: PanelSpec): PanelBuilder {
  return withSpec(
    new tableSdk.PanelBuilder()
      .cellOptions({ type: common.TableCellDisplayMode.Auto })
      .showHeader(true)
      .sortBy([new common.TableSortByFieldStateBuilder().displayName("Value").desc(true)]),
    spec,
    WIDE,
  );
}

/** A heatmap of pre-bucketed data (`format: heatmap`); `yUnit` is the bucket bounds' unit. */
export function heatmap(spec: PanelSpec & { yUnit: string }): PanelBuilder {
  return withSpec(
    new heatmapSdk.PanelBuilder()
      .calculate(false)
      .yAxis(new heatmapSdk.YAxisConfigBuilder().unit(spec.yUnit))
      // The colour builder starts from zeros (0 steps, exponent 0), not the panel's defaults: set them.
      .color(
        new heatmapSdk.HeatmapColorOptionsBuilder()
          .mode(heatmapSdk.HeatmapColorMode.Scheme)
          .scheme("Spectral")
          .fill("dark-orange")
          .exponent(0.5)
          .steps(64),
      )
      .cellGap(1)
      // Grafana 10.4+ tooltip: a mode instead of `show`.
      .tooltip(
        new heatmapSdk.HeatmapTooltipBuilder()
          .mode(common.TooltipDisplayMode.Single)
          .yHistogram(true)
          .showColorScale(false),
      ),
    spec,
    WIDE,
  );
}

/** Value mappings of a 0/1 gauge such as `up`. */
export function upDownMapping(up = "UP", down = "DOWN"): dashboard.ValueMapping[] {
  return [
    {
      type: dashboard.MappingType.ValueToText,
      options: { "0": { text: down, color: "red" }, "1": { text: up, color: "green" } },
    },
  ];
}

/** Absolute thresholds: `[color, from]` pairs, the first from -Infinity (null). */
export function steps(...pairs: [string, number | null][]): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder()
    .mode(dashboard.ThresholdsMode.Absolute)
    .steps(pairs.map(([color, value]) => ({ color, value })));
}

/** Green, then orange from `warn`, red from `critical`. */
export function thresholds(warn: number, critical: number): dashboard.ThresholdsConfigBuilder {
  return steps(["green", null], ["orange", warn], ["red", critical]);
}
