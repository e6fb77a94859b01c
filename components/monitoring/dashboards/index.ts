// The dashboards as Grafana JSON models: each module lays out its panels; here they get what they
// share (variables, links to each other, tags, time settings).
import { DEFAULT_APP_JOB } from "../conventions";
import { DEFAULT_THRESHOLDS } from "../rules/context";
import type { DashboardsInput } from "../types";
import { requireText } from "../validate";
import { databaseDashboard } from "./database";
import { httpDashboard } from "./http";
import { infrastructureDashboard } from "./infrastructure";
import type { DashboardLink, GrafanaDashboard, Variable } from "./model";
import { nodejsDashboard } from "./nodejs";
import { overviewDashboard } from "./overview";
import { layout } from "./panels";
import { sloDashboard } from "./slo";
import type { DashboardSpec } from "./spec";
import { datasourceVariable, instanceVariable, jobVariable, textVariable } from "./variables";

export type { GrafanaDashboard, Panel, Target, PrometheusTarget, CloudWatchTarget } from "./model";
export { UIDS } from "./spec";
export { dashboardQueries, resolveQuery, type DashboardQuery, type QueryVariables } from "./queries";

const TAG = "showcase";

function links(self: DashboardSpec, all: DashboardSpec[]): DashboardLink[] {
  return all
    .filter((other) => other.uid !== self.uid)
    .map((other) => ({
      title: other.title,
      type: "link",
      url: `/d/${other.uid}`,
      icon: "dashboard",
      tooltip: other.description,
      includeVars: true,
      keepTime: true,
      targetBlank: false,
      tags: [],
      asDropdown: false,
    }));
}

function toModel(spec: DashboardSpec, all: DashboardSpec[]): GrafanaDashboard {
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: [TAG],
    schemaVersion: 39,
    version: 1,
    editable: true,
    graphTooltip: 1,
    timezone: "browser",
    refresh: "30s",
    time: { from: "now-3h", to: "now" },
    templating: { list: spec.variables },
    annotations: {
      list: [
        {
          builtIn: 1,
          datasource: { type: "grafana", uid: "-- Grafana --" },
          enable: true,
          hide: true,
          iconColor: "rgba(0, 211, 255, 1)",
          name: "Annotations & Alerts",
          type: "dashboard",
        },
      ],
    },
    links: links(spec, all),
    panels: layout(spec.panels),
  };
}

export function buildDashboards(input: DashboardsInput = {}): GrafanaDashboard[] {
  const job = requireText("appJob", input.appJob ?? DEFAULT_APP_JOB);
  const prometheus = datasourceVariable("prometheus", "Prometheus");
  const perInstance: Variable[] = [prometheus, jobVariable(job), instanceVariable()];
  const aws = input.aws;
  const infrastructure: Variable[] = [
    datasourceVariable("cloudwatch", "CloudWatch"),
    textVariable("region", "Region", aws?.region ?? ""),
    textVariable("cluster", "ECS cluster", aws?.clusterName ?? ""),
    textVariable("service", "ECS service", aws?.serviceName ?? ""),
    textVariable("load_balancer", "Load balancer (app/…)", aws?.loadBalancer ?? ""),
    textVariable("target_group", "Target group (targetgroup/…)", aws?.targetGroup ?? ""),
    textVariable("db_instance", "RDS instance", aws?.dbInstanceId ?? ""),
  ];
  const specs = [
    overviewDashboard(perInstance, { ...DEFAULT_THRESHOLDS, ...input.thresholds }),
    httpDashboard(perInstance),
    nodejsDashboard(perInstance),
    databaseDashboard(perInstance),
    infrastructureDashboard(infrastructure),
    sloDashboard([prometheus, jobVariable(job)]),
  ];
  return specs.map((spec) => toModel(spec, specs));
}
