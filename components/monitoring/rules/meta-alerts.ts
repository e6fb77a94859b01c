// The monitoring watching itself: Prometheus rule evaluation and alert delivery, its storage (the
// TSDB against its retention size, remote write keeping up), Alertmanager notifications, config
// reloads of both, and the Watchdog that always fires.
import { ALERTMANAGER_JOB, PROMETHEUS_JOB } from "../conventions";
import { percent } from "../format";
import { matcher, num, selector, sumRate } from "../promql";
import { defineAlert, type AlertRule, type RuleContext } from "./model";

const FAILURE_RATIO = 0.01;
/** The discovery sidecar rewrites its file every 15 s; five minutes without means it is stuck. */
const DISCOVERY_STALE_SECONDS = 300;

export function metaAlerts(ctx: RuleContext): AlertRule[] {
  const t = ctx.thresholds;
  const prom = (metric: string) => selector(metric, matcher("job", "=", PROMETHEUS_JOB));
  const am = (metric: string) => selector(metric, matcher("job", "=", ALERTMANAGER_JOB));
  const failureRatio = (failed: string, total: string, by: string[]) =>
    `${sumRate(failed, "5m", by)}\n/\n${sumRate(total, "5m", by)}\n> ${num(FAILURE_RATIO)}`;
  const reloadFailed = (name: string, series: string, what: string) =>
    defineAlert(ctx, {
      name,
      severity: "warning",
      expr: `max_over_time(${series}[5m]) == 0`,
      for: t.for,
      summary: `${what} could not load its configuration.`,
      description: `The last configuration reload of ${what} {{ $labels.instance }} failed: it still runs the previous configuration.`,
    });
  return [
    defineAlert(ctx, {
      name: "PrometheusRuleEvaluationFailures",
      severity: "critical",
      expr: `sum by (job, instance, rule_group) (increase(${prom("prometheus_rule_evaluation_failures_total")}[5m])) > 0`,
      for: t.for,
      summary: "Prometheus fails to evaluate rules: alerts may be missed.",
      description: `Prometheus {{ $labels.instance }} failed {{ $value | humanize }} evaluations of rule group {{ $labels.rule_group }} in the last 5m.`,
    }),
    defineAlert(ctx, {
      name: "PrometheusNotificationsFailing",
      severity: "warning",
      expr: failureRatio(
        prom("prometheus_notifications_errors_total"),
        prom("prometheus_notifications_sent_total"),
        ["job", "instance", "alertmanager"],
      ),
      for: t.for,
      summary: "Prometheus fails to send alerts to Alertmanager.",
      description: `Prometheus {{ $labels.instance }} failed to send {{ $value | humanizePercentage }} of its alerts to {{ $labels.alertmanager }} over the last 5m.`,
    }),
    defineAlert(ctx, {
      name: "AlertmanagerNotificationsFailing",
      severity: "warning",
      expr: failureRatio(
        am("alertmanager_notifications_failed_total"),
        am("alertmanager_notifications_total"),
        ["job", "instance", "integration"],
      ),
      for: t.for,
      summary: "Alertmanager fails to deliver notifications.",
      description: `Alertmanager {{ $labels.instance }} failed {{ $value | humanizePercentage }} of its {{ $labels.integration }} notifications over the last 5m.`,
    }),
    // Past the size limit Prometheus deletes its oldest blocks, however young: the history it keeps
    // then falls short of the retention time. WAL and head chunks count towards the limit.
    defineAlert(ctx, {
      name: "PrometheusStorageFillingUp",
      severity: "warning",
      expr:
        `(${prom("prometheus_tsdb_storage_blocks_bytes")} + ${prom("prometheus_tsdb_wal_storage_size_bytes")} + ${prom("prometheus_tsdb_head_chunks_storage_size_bytes")})\n` +
        `/\n(${prom("prometheus_tsdb_retention_limit_bytes")} > 0)\n> ${num(t.prometheusStorageRatio)}`,
      for: t.for,
      summary: "Prometheus's storage is close to its retention size limit.",
      description: `Prometheus {{ $labels.instance }} holds {{ $value | humanizePercentage }} of its retention size limit (threshold ${percent(t.prometheusStorageRatio)}): beyond it, its oldest data is deleted before the retention time.`,
    }),
    // The mixin's measure: the newest sample appended against the newest one each queue has sent.
    defineAlert(ctx, {
      name: "PrometheusRemoteWriteBehind",
      severity: "warning",
      expr:
        `(\nmax_over_time(${prom("prometheus_remote_storage_highest_timestamp_in_seconds")}[5m])\n` +
        `- ignoring (remote_name, url) group_right\n` +
        `max_over_time(${prom("prometheus_remote_storage_queue_highest_sent_timestamp_seconds")}[5m])\n)\n` +
        `> ${num(t.remoteWriteLagSeconds)}`,
      for: t.for,
      summary: "Prometheus's remote write is falling behind.",
      description: `Remote write of Prometheus {{ $labels.instance }} to {{ $labels.url }} is {{ $value | humanizeDuration }} behind (threshold ${num(t.remoteWriteLagSeconds)}s).`,
    }),
    defineAlert(ctx, {
      name: "PrometheusRemoteWriteFailing",
      severity: "warning",
      expr: failureRatio(
        prom("prometheus_remote_storage_samples_failed_total"),
        prom("prometheus_remote_storage_samples_total"),
        ["job", "instance", "remote_name", "url"],
      ),
      for: t.for,
      summary: "Prometheus's remote write loses samples.",
      description: `Prometheus {{ $labels.instance }} failed to send {{ $value | humanizePercentage }} of its samples to {{ $labels.url }} for good over the last 5m.`,
    }),
    reloadFailed(
      "PrometheusConfigReloadFailed",
      prom("prometheus_config_last_reload_successful"),
      "Prometheus",
    ),
    reloadFailed(
      "AlertmanagerConfigReloadFailed",
      am("alertmanager_config_last_reload_successful"),
      "Alertmanager",
    ),
    defineAlert(ctx, {
      name: "PrometheusTargetDiscoveryStale",
      severity: "warning",
      expr: `time() - max by (job, instance, filename) (${prom("prometheus_sd_file_mtime_seconds")}) > ${num(DISCOVERY_STALE_SECONDS)}`,
      for: t.for,
      summary: "Prometheus's list of targets is no longer refreshed: new tasks go unscraped.",
      description: `The targets file {{ $labels.filename }} of Prometheus {{ $labels.instance }} was last written {{ $value | humanizeDuration }} ago.`,
    }),
    defineAlert(ctx, {
      name: "Watchdog",
      severity: "info",
      expr: "vector(1)",
      summary: "The alerting pipeline is alive.",
      description:
        'This alert always fires in environment "{{ $externalLabels.env }}": it reaches the dead man\'s switch through Alertmanager, which raises the alarm when it stops arriving.',
    }),
  ];
}
