// The dashboards, built with Grafana's own dashboards-as-code library: each module lays out its
// panels; here they get what they share (variables, links to each other, tags, time settings).
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { DEFAULT_APP_JOB } from "../conventions";
import { DEFAULT_THRESHOLDS } from "../rules/context";
import type { DashboardsInput } from "../types";
import { requireText } from "../validate";
import { databaseDashboard } from "./database";
import { httpDashboard } from "./http";
import { infrastructureDashboard } from "./infrastructure";
import type { GrafanaDashboard } from "./model";
import { nodejsDashboard } from "./nodejs";
import { overviewDashboard } from "./overview";
import { sloDashboard } from "./slo";
import type { DashboardSpec } from "./spec";
import {
  datasourceVariable,
  instanceVariable,
  jobVariable,
  taskVariable,
  textVariable,
  type VariableBuilder,
} from "./variables";

export type { GrafanaDashboard, Panel, Target, PrometheusTarget, CloudWatchTarget, Variable } from "./model";
export { DATASOURCE_UIDS } from "./datasources";
export { UIDS } from "./uids";
export { dashboardQueries, resolveQuery, type DashboardQuery, type QueryVariables } from "./queries";

const TAG = "showcase";

/** A value the SDK has no builder for as we need it, handed to the builders as it is. */
const given = <T>(value: T) => ({ build: () => value });

// Plain objects rather than the SDK's link and annotation builders: those default `placement` to
// "inControlsMenu", which hides them in Grafana 12's controls menu instead of the dashboard header.
function links(self: DashboardSpec, all: DashboardSpec[]) {
  return all
    .filter((other) => other.uid !== self.uid)
    .map((other) =>
      given<dashboard.DashboardLink>({
        title: other.title,
        type: dashboard.DashboardLinkType.Link,
        url: `/d/${other.uid}`,
        icon: "dashboard",
        tooltip: other.description,
        includeVars: true,
        keepTime: true,
        targetBlank: false,
        tags: [],
        asDropdown: false,
      }),
    );
}

const BUILT_IN_ANNOTATIONS = given<dashboard.AnnotationQuery>({
  builtIn: 1,
  datasource: { type: "grafana", uid: "-- Grafana --" },
  enable: true,
  hide: true,
  iconColor: "rgba(0, 211, 255, 1)",
  name: "Annotations & Alerts",
  type: "dashboard",
});

function build(spec: DashboardSpec, all: DashboardSpec[], prometheusPlugin: string): GrafanaDashboard {
  const builder = new dashboard.DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags([TAG])
    .version(1)
    .editable()
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .timezone("browser")
    .refresh("30s")
    .time({ from: "now-3h", to: "now" })
    .variables(spec.variables)
    .annotations([BUILT_IN_ANNOTATIONS])
    .links(links(spec, all));
  // The SDK places each panel after the previous one, wrapping at 24 columns; ids follow the order.
  spec.panels.forEach((panel, index) => builder.withPanel(panel.id(index + 1)));
  // What Grafana stores is JSON: the SDK's objects carry a marker method that JSON drops.
  const json = JSON.parse(JSON.stringify(builder.build())) as GrafanaDashboard;
  return withPrometheusPlugin(withoutStaleDefaults(json), prometheusPlugin);
}

/**
 * The panels are written for the core Prometheus plugin; another Prometheus-compatible plugin (AMP's)
 * takes its place in every data source reference and in the data source variables' plugin filter.
 */
function withPrometheusPlugin(built: GrafanaDashboard, plugin: string): GrafanaDashboard {
  if (plugin === "prometheus") return built;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== "object" || node === null) return;
    const record = node as Record<string, unknown>;
    const ref = record["datasource"] as { type?: unknown } | undefined;
    if (ref?.type === "prometheus") ref.type = plugin;
    if (record["type"] === "datasource" && record["query"] === "prometheus") record["query"] = plugin;
    Object.values(record).forEach(visit);
  };
  visit(built);
  return built;
}

/**
 * Drops what SDK 0.0.21's builders always write but Grafana 12.4's schema does not have (the
 * schema test names each): the interval variable's `auto*` keys on every kind of variable, and the
 * table's `options.footer` (Grafana 12 moved footers into the field config).
 */
function withoutStaleDefaults(built: GrafanaDashboard): GrafanaDashboard {
  for (const variable of built.templating.list) {
    if (variable.type === "interval") continue;
    delete variable.auto;
    delete variable.auto_min;
    delete variable.auto_count;
  }
  for (const panel of built.panels) {
    if (panel.type === "table") delete panel.options["footer"];
  }
  return built;
}

export function buildDashboards(input: DashboardsInput = {}): GrafanaDashboard[] {
  const job = requireText("appJob", input.appJob ?? DEFAULT_APP_JOB);
  const perInstance = (): VariableBuilder[] => [
    datasourceVariable("prometheus", "Prometheus"),
    jobVariable(job),
    instanceVariable(),
  ];
  const aws = input.aws;
  const infrastructure: VariableBuilder[] = [
    datasourceVariable("prometheus", "Prometheus"),
    taskVariable(),
    datasourceVariable("cloudwatch", "CloudWatch"),
    textVariable("region", "Region", aws?.region ?? ""),
    textVariable("cluster", "ECS cluster", aws?.clusterName ?? ""),
    textVariable("service", "ECS service", aws?.serviceName ?? ""),
    textVariable("load_balancer", "Load balancer (app/…)", aws?.loadBalancer ?? ""),
    textVariable("target_group", "Target group (targetgroup/…)", aws?.targetGroup ?? ""),
    textVariable("db_instance", "RDS instance", aws?.dbInstanceId ?? ""),
    textVariable("prometheus_service", "Prometheus ECS service", aws?.prometheusServiceName ?? ""),
    textVariable("prometheus_file_system", "Prometheus EFS file system", aws?.prometheusFileSystemId ?? ""),
  ];
  const specs = [
    overviewDashboard(perInstance(), { ...DEFAULT_THRESHOLDS, ...input.thresholds }),
    httpDashboard(perInstance()),
    nodejsDashboard(perInstance()),
    databaseDashboard(perInstance()),
    infrastructureDashboard(infrastructure),
    sloDashboard([datasourceVariable("prometheus", "Prometheus"), jobVariable(job)]),
  ];
  const plugin = requireText("prometheusPlugin", input.prometheusPlugin ?? "prometheus");
  return specs.map((spec) => build(spec, specs, plugin));
}
