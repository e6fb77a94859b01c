// Cases of the monitoring's own alerts (monitoring.rules.yml).
import type { AlertCase } from "../support/rule-tests";
import { counter, gauge, series } from "../support/series";

const PROM = { job: "prometheus", instance: "localhost:9090" };
const AM = { job: "alertmanager", instance: "localhost:9093" };
const AM_URL = "http://localhost:9093/api/v2/alerts";
const GROUP = "/etc/prometheus/rules/http.rules.yml;showcase-api.app.alerts";

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

const TARGETS_FILE = "/etc/prometheus/discovery/targets.json";

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
