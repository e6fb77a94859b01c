// Cases of the monitoring's own alerts (monitoring.rules.yml).
import type { AlertCase } from "../support/rule-tests";
import { counter, gauge, series } from "../support/series";

const PROM = { job: "prometheus", instance: "localhost:9090" };
const AM = { job: "alertmanager", instance: "localhost:9093" };
const AM_URL = "http://localhost:9093/api/v2/alerts";
const GROUP = "/etc/prometheus/rules/http.rules.yml;showcase-api.app.alerts";
const GIB = 1024 ** 3;
/** A remote write queue's labels as Prometheus 3 writes them (remote_name: a hash of its config). */
const QUEUE = {
  ...PROM,
  remote_name: "87361d",
  url: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/api/v1/remote_write",
};

/** The TSDB's parts and its retention size limit, in GiB. */
function tsdb(blocks: number, wal: number, head: number, limit: number) {
  return [
    gauge("prometheus_tsdb_storage_blocks_bytes", PROM, blocks * GIB),
    gauge("prometheus_tsdb_wal_storage_size_bytes", PROM, wal * GIB),
    gauge("prometheus_tsdb_head_chunks_storage_size_bytes", PROM, head * GIB),
    gauge("prometheus_tsdb_retention_limit_bytes", PROM, limit * GIB),
  ];
}

/** Newest sample appended (a timestamp advancing a minute a minute) and newest sent by the queue. */
function remoteWrite(sent: string) {
  return [
    series("prometheus_remote_storage_highest_timestamp_in_seconds", PROM, "1000+60x40"),
    series("prometheus_remote_storage_queue_highest_sent_timestamp_seconds", QUEUE, sent),
  ];
}

function reload(alert: string, metric: string, labels: Record<string, string>, what: string): AlertCase[] {
  return [
    {
      name: "last reload failed",
      alert,
      evalTime: "15m",
      series: [series(metric, labels, "1x4 0x30")],
      expect: [
        {
          labels: { severity: "warning", ...labels },
          description: `The last configuration reload of ${what} ${labels.instance} failed: it still runs the previous configuration.`,
        },
      ],
    },
    {
      name: "a failed reload fixed by the next",
      alert,
      evalTime: "15m",
      series: [series(metric, labels, "1x4 0 1x30")],
      expect: [],
    },
  ];
}

const TARGETS_FILE = "/etc/prometheus/discovery/showcase-api.json";

export const metaCases: AlertCase[] = [
  {
    name: "the discovery file last written at 1m",
    alert: "PrometheusTargetDiscoveryStale",
    evalTime: "15m",
    series: [series("prometheus_sd_file_mtime_seconds", { ...PROM, filename: TARGETS_FILE }, "60x40")],
    expect: [
      {
        labels: { severity: "warning", ...PROM, filename: TARGETS_FILE },
        description: `The targets file ${TARGETS_FILE} of Prometheus localhost:9090 was last written 14m 0s ago.`,
      },
    ],
  },
  {
    name: "the discovery file rewritten every minute",
    alert: "PrometheusTargetDiscoveryStale",
    evalTime: "15m",
    series: [series("prometheus_sd_file_mtime_seconds", { ...PROM, filename: TARGETS_FILE }, "0+60x40")],
    expect: [],
  },
  {
    name: "one failure a minute",
    alert: "PrometheusRuleEvaluationFailures",
    evalTime: "15m",
    series: [counter("prometheus_rule_evaluation_failures_total", { ...PROM, rule_group: GROUP }, 1)],
    expect: [
      {
        labels: { severity: "critical", ...PROM, rule_group: GROUP },
        description: `Prometheus localhost:9090 failed 5 evaluations of rule group ${GROUP} in the last 5m.`,
      },
    ],
  },
  {
    name: "old failures only",
    alert: "PrometheusRuleEvaluationFailures",
    evalTime: "15m",
    series: [gauge("prometheus_rule_evaluation_failures_total", { ...PROM, rule_group: GROUP }, 3)],
    expect: [],
  },
  {
    name: "30% of sends fail",
    alert: "PrometheusNotificationsFailing",
    evalTime: "15m",
    series: [
      counter("prometheus_notifications_errors_total", { ...PROM, alertmanager: AM_URL }, 3),
      counter("prometheus_notifications_sent_total", { ...PROM, alertmanager: AM_URL }, 10),
    ],
    expect: [
      {
        labels: { severity: "warning", ...PROM, alertmanager: AM_URL },
        description: `Prometheus localhost:9090 failed to send 30% of its alerts to ${AM_URL} over the last 5m.`,
      },
    ],
  },
  {
    name: "every send succeeds",
    alert: "PrometheusNotificationsFailing",
    evalTime: "15m",
    series: [
      gauge("prometheus_notifications_errors_total", { ...PROM, alertmanager: AM_URL }, 0),
      counter("prometheus_notifications_sent_total", { ...PROM, alertmanager: AM_URL }, 10),
    ],
    expect: [],
  },
  {
    name: "a quarter of Slack notifications fail",
    alert: "AlertmanagerNotificationsFailing",
    evalTime: "15m",
    series: [
      counter("alertmanager_notifications_failed_total", { ...AM, integration: "slack" }, 1),
      counter("alertmanager_notifications_total", { ...AM, integration: "slack" }, 4),
      gauge("alertmanager_notifications_failed_total", { ...AM, integration: "email" }, 0),
      counter("alertmanager_notifications_total", { ...AM, integration: "email" }, 4),
    ],
    expect: [
      {
        labels: { severity: "warning", ...AM, integration: "slack" },
        description: "Alertmanager localhost:9093 failed 25% of its slack notifications over the last 5m.",
      },
    ],
  },
  {
    name: "every notification delivered",
    alert: "AlertmanagerNotificationsFailing",
    evalTime: "15m",
    series: [
      gauge("alertmanager_notifications_failed_total", { ...AM, integration: "slack" }, 0),
      counter("alertmanager_notifications_total", { ...AM, integration: "slack" }, 4),
    ],
    expect: [],
  },
  {
    name: "18.5 of 20 GiB",
    alert: "PrometheusStorageFillingUp",
    evalTime: "15m",
    series: tsdb(17, 1, 0.5, 20),
    expect: [
      {
        labels: { severity: "warning", ...PROM },
        description:
          "Prometheus localhost:9090 holds 92.5% of its retention size limit (threshold 90%): beyond it, its oldest data is deleted before the retention time.",
      },
    ],
  },
  {
    name: "no size limit (retention by time only)",
    alert: "PrometheusStorageFillingUp",
    evalTime: "15m",
    series: tsdb(17, 1, 0.5, 0),
    expect: [],
  },
  {
    name: "10 of 20 GiB",
    alert: "PrometheusStorageFillingUp",
    evalTime: "15m",
    series: tsdb(9, 0.8, 0.2, 20),
    expect: [],
  },
  {
    name: "the queue stopped sending at minute 5",
    alert: "PrometheusRemoteWriteBehind",
    evalTime: "15m",
    series: remoteWrite("1000+60x5 1300x35"),
    expect: [
      {
        labels: { severity: "warning", ...QUEUE },
        description: `Remote write of Prometheus localhost:9090 to ${QUEUE.url} is 10m 0s behind (threshold 120s).`,
      },
    ],
  },
  {
    name: "the queue keeps up",
    alert: "PrometheusRemoteWriteBehind",
    evalTime: "15m",
    series: remoteWrite("1000+60x40"),
    expect: [],
  },
  {
    name: "3% of samples fail for good",
    alert: "PrometheusRemoteWriteFailing",
    evalTime: "15m",
    series: [
      counter("prometheus_remote_storage_samples_failed_total", QUEUE, 30),
      counter("prometheus_remote_storage_samples_total", QUEUE, 1000),
    ],
    expect: [
      {
        labels: { severity: "warning", ...QUEUE },
        description: `Prometheus localhost:9090 failed to send 3% of its samples to ${QUEUE.url} for good over the last 5m.`,
      },
    ],
  },
  {
    name: "retries only, nothing lost",
    alert: "PrometheusRemoteWriteFailing",
    evalTime: "15m",
    series: [
      gauge("prometheus_remote_storage_samples_failed_total", QUEUE, 0),
      counter("prometheus_remote_storage_samples_retried_total", QUEUE, 50),
      counter("prometheus_remote_storage_samples_total", QUEUE, 1000),
    ],
    expect: [],
  },
  ...reload("PrometheusConfigReloadFailed", "prometheus_config_last_reload_successful", PROM, "Prometheus"),
  ...reload(
    "AlertmanagerConfigReloadFailed",
    "alertmanager_config_last_reload_successful",
    AM,
    "Alertmanager",
  ),
  {
    name: "always",
    alert: "Watchdog",
    evalTime: "1m",
    series: [],
    expect: [
      {
        labels: { severity: "info" },
        description:
          'This alert always fires in environment "test": it reaches the dead man\'s switch through Alertmanager, which raises the alarm when it stops arriving.',
      },
    ],
  },
];
