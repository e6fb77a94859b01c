// Alerts on what only CloudWatch has (RDS storage and IOPS): Grafana-managed alert rules on the
// CloudWatch data source, built with Grafana's Foundation SDK, labelled like our Prometheus alerts
// (severity, env, runbook_url) so our Alertmanager routes them the same way (docs/decisions/0017).
import * as alerting from "@grafana/grafana-foundation-sdk/alerting";
import * as cloudwatch from "@grafana/grafana-foundation-sdk/cloudwatch";
import * as expr from "@grafana/grafana-foundation-sdk/expr";
import { DATASOURCE_UIDS } from "./dashboards";
import { percent } from "./format";
import { runbookTemplate, runbookUrl } from "./rules/runbook";
import type { Severity } from "./rules";
import { invalid, requireFraction, requirePositive, requireText } from "./validate";

/** The alerts on CloudWatch metrics (their runbooks are docs/runbooks/<name>.md). */
export const CLOUDWATCH_ALERT_NAMES = { storage: "RdsStorageLow", iops: "RdsIopsSaturated" } as const;

/** The defaults of CloudWatchAlertsInput. */
export const CLOUDWATCH_ALERT_DEFAULTS = {
  /** Free storage below this share of the instance's first allocation. */
  rdsFreeStorageRatio: 0.1,
  /** Read plus write IOPS above this share of the volume's provisioned IOPS. */
  rdsIopsRatio: 0.9,
  /** gp3's baseline below 400 GiB (RDS stripes larger volumes: 12,000). */
  rdsProvisionedIops: 3000,
  for: "15m",
  /** How often Grafana evaluates the rules (CloudWatch's RDS metrics are per minute). */
  intervalSeconds: 60,
} as const;

export interface CloudWatchAlertsInput {
  /** The `env` label, as Prometheus's external label sets it on our other alerts. */
  environment: string;
  runbookBaseUrl?: string;
  runbookUrlTemplate?: string;
  /** The region of the CloudWatch queries (an alert rule has no dashboard variables). */
  region: string;
  rds: {
    dbInstanceIdentifier: string;
    /** The storage the instance was created with, GiB (storage autoscaling may have grown it). */
    allocatedStorageGb: number;
    /** Default 3000 (gp3 below 400 GiB). */
    provisionedIops?: number;
  };
  /** Default 0.1. */
  rdsFreeStorageRatio?: number;
  /** Default 0.9. */
  rdsIopsRatio?: number;
  /** Default 15m. */
  for?: string;
}

/**
 * An alert rule as Grafana's provisioning API takes it, without its folder and group. Our own type:
 * the SDK's subpath modules do not resolve under `moduleResolution: node` in a consumer's program.
 */
export interface CloudWatchAlertRule {
  uid?: string;
  title: string;
  condition: string;
  for: string;
  noDataState: "OK" | "Alerting" | "NoData" | "KeepLast";
  execErrState: "Alerting" | "Error" | "OK" | "KeepLast";
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  data: {
    refId?: string;
    datasourceUid?: string;
    queryType?: string;
    relativeTimeRange?: { from?: number; to?: number };
    model?: object;
  }[];
}

/** The parts of a built rule that are ours (the SDK fills folder, group and org with defaults). */
function ruleOf(built: alerting.Rule): CloudWatchAlertRule {
  const {
    uid,
    title,
    condition,
    for: forDuration,
    noDataState,
    execErrState,
    labels,
    annotations,
    data,
  } = built;
  return {
    ...(uid === undefined ? {} : { uid }),
    title,
    condition,
    for: forDuration,
    noDataState,
    execErrState,
    ...(labels === undefined ? {} : { labels }),
    ...(annotations === undefined ? {} : { annotations }),
    data,
  };
}

const GIB = 1024 ** 3;
const EXPRESSIONS = { type: "__expr__", uid: "__expr__" };
// CloudWatch publishes RDS metrics every minute; a 5-minute statistic smooths single spikes.
const PERIOD_SECONDS = 300;
const WINDOW_SECONDS = 900;

function metric(refId: string, region: string, name: string, statistic: string, db: string) {
  return new alerting.QueryBuilder(refId)
    .datasourceUid(DATASOURCE_UIDS.cloudwatch)
    .relativeTimeRange({ from: WINDOW_SECONDS, to: 0 })
    .model(
      new cloudwatch.MetricsQueryBuilder()
        .refId(refId)
        .datasource({ type: "cloudwatch", uid: DATASOURCE_UIDS.cloudwatch })
        .queryMode(cloudwatch.QueryMode.Metrics)
        .metricQueryType(cloudwatch.MetricQueryType.Search)
        .metricEditorMode(cloudwatch.MetricEditorMode.Builder)
        .region(region)
        .namespace("AWS/RDS")
        .metricName(name)
        .dimensions({ DBInstanceIdentifier: db })
        .statistic(statistic)
        .period(String(PERIOD_SECONDS))
        .matchExact(true),
    );
}

/** A server-side expression (math, reduce, threshold) over the queries before it. */
function expression(
  refId: string,
  model: expr.TypeMathBuilder | expr.TypeReduceBuilder | expr.TypeThresholdBuilder,
) {
  return new alerting.QueryBuilder(refId)
    .datasourceUid(EXPRESSIONS.uid)
    .relativeTimeRange({ from: 0, to: 0 })
    .model(model.refId(refId).datasource(EXPRESSIONS));
}

/** Series → its last value (`of`), compared with `threshold` (`C`, the condition). */
function lastValue(of: string, compare: "lt" | "gt", threshold: number) {
  return [
    expression("B", new expr.TypeReduceBuilder().expression(of).reducer("last").settings({ mode: "dropNN" })),
    expression(
      "C",
      new expr.TypeThresholdBuilder()
        .expression("$B")
        .conditions([{ evaluator: { type: compare, params: [threshold] } }]),
    ),
  ];
}

/** RdsStorageLow (critical) and RdsIopsSaturated (warning) for one RDS instance. */
export function buildCloudWatchAlerts(input: CloudWatchAlertsInput): CloudWatchAlertRule[] {
  const d = CLOUDWATCH_ALERT_DEFAULTS;
  const env = requireText("environment", input.environment);
  const region = requireText("region", input.region);
  const db = requireText("rds.dbInstanceIdentifier", input.rds?.dbInstanceIdentifier);
  const allocated = requirePositive("rds.allocatedStorageGb", input.rds.allocatedStorageGb);
  const iops = requirePositive("rds.provisionedIops", input.rds.provisionedIops ?? d.rdsProvisionedIops);
  const storageRatio = requireFraction(
    "rdsFreeStorageRatio",
    input.rdsFreeStorageRatio ?? d.rdsFreeStorageRatio,
  );
  const iopsRatio = requireFraction("rdsIopsRatio", input.rdsIopsRatio ?? d.rdsIopsRatio);
  const forDuration = input.for ?? d.for;
  if (!/^\d+[smh]$/.test(forDuration))
    invalid("for", forDuration, 'expected a Grafana duration such as "15m"');
  const template = runbookTemplate(input);
  const rule = (name: string, severity: Severity, summary: string, description: string) =>
    new alerting.RuleBuilder(name)
      .uid(`showcase-${name.toLowerCase()}`)
      .condition("C")
      .forDuration(forDuration)
      .labels({ severity, env })
      .annotations({ summary, description, runbook_url: runbookUrl(template, name) })
      // CloudWatch sends nothing while an instance is stopped; a failing query is an error to see.
      .noDataState("OK")
      .execErrState("Error");

  const freeBytes = Math.round(storageRatio * allocated * GIB);
  const iopsLimit = Math.round(iopsRatio * iops);
  const rules = [
    rule(
      CLOUDWATCH_ALERT_NAMES.storage,
      "critical",
      "The database instance is running out of storage.",
      `${db} has {{ humanize1024 $values.B.Value }}B of storage free (threshold ${percent(storageRatio)} of its first ${allocated} GiB). Storage autoscaling grows the volume at 10% free: staying below means it is at its maximum or failing.`,
    )
      .queries([metric("A", region, "FreeStorageSpace", "Minimum", db), ...lastValue("$A", "lt", freeBytes)])
      .build(),
    rule(
      CLOUDWATCH_ALERT_NAMES.iops,
      "warning",
      "The database's disk is at its IOPS limit.",
      `${db} does {{ humanize $values.B.Value }} read and write IOPS (threshold ${percent(iopsRatio)} of ${iops} provisioned): queries wait for the disk.`,
    )
      .queries([
        metric("R", region, "ReadIOPS", "Average", db),
        metric("W", region, "WriteIOPS", "Average", db),
        expression("A", new expr.TypeMathBuilder().expression("$R + $W")),
        ...lastValue("$A", "gt", iopsLimit),
      ])
      .build(),
  ];
  return rules.map(ruleOf);
}
