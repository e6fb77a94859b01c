// prometheus.yml: global intervals and the `env` external label, rule files, Alertmanager, and the
// scrape jobs (itself, Alertmanager, the app by static targets or file_sd from Cloud Map, optional ECS
// exporter), plus optional remote_write to Amazon Managed Service for Prometheus.
import {
  ALERTMANAGER_JOB,
  DEFAULT_APP_JOB,
  ECS_EXPORTER_JOB,
  METRICS_PATH,
  PROMETHEUS_JOB,
} from "./conventions";
import { check, schemas } from "./schema";
import type { AppDiscovery, PrometheusConfigInput } from "./types";
import { durationMs, invalid, requireHostPort, requirePort, requireText, requireUrl } from "./validate";
import { toYaml } from "./yaml";

const DEFAULT_SCRAPE_TIMEOUT_MS = 10_000;
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const LABEL_VALUE_SAFE = /^[A-Za-z0-9_.-]+$/;

type ScrapeTargets =
  | { static_configs: { targets: string[] }[] }
  | { file_sd_configs: { files: string[]; refresh_interval: string }[]; relabel_configs?: object[] };

/** The app's targets; with `port`, the same hosts on that port (a sidecar beside each process). */
function discoveryTargets(app: AppDiscovery, port: number | undefined, field: string): ScrapeTargets {
  if (app.kind === "static") {
    if (!Array.isArray(app.targets) || app.targets.length === 0) {
      invalid(`${field}.targets`, app.targets, 'expected at least one "host:port"');
    }
    const targets = app.targets.map((target, i) => requireHostPort(`${field}.targets[${i}]`, target));
    const moved =
      port === undefined ? targets : targets.map((t) => `${t.slice(0, t.lastIndexOf(":"))}:${port}`);
    return { static_configs: [{ targets: moved }] };
  }
  if (app.kind === "file") {
    if (!Array.isArray(app.files) || app.files.length === 0) {
      invalid(`${field}.files`, app.files, "expected at least one file_sd file");
    }
    app.files.forEach((file, i) => requireText(`${field}.files[${i}]`, file));
    // Files are watched; the refresh is a backstop for a missed change.
    const files = { file_sd_configs: [{ files: app.files, refresh_interval: "1m" }] };
    if (port === undefined) return files;
    const toPort = {
      source_labels: ["__address__"],
      regex: "(.+):\\d+",
      target_label: "__address__",
      replacement: `$1:${port}`,
    };
    return { ...files, relabel_configs: [toPort] };
  }
  return invalid(`${field}.kind`, (app as { kind: unknown }).kind, 'expected "static" or "file"');
}

function staticJob(jobName: string, targets: string[]) {
  return { job_name: jobName, static_configs: [{ targets }] };
}

export function renderPrometheusConfig(input: PrometheusConfigInput): string {
  if (!LABEL_VALUE_SAFE.test(input.environment ?? "")) {
    invalid("environment", input.environment, "expected a short name such as dev, prod or local");
  }
  const scrapeInterval = input.scrapeInterval ?? "15s";
  const evaluationInterval = input.evaluationInterval ?? "15s";
  const scrapeMs = durationMs("scrapeInterval", scrapeInterval);
  durationMs("evaluationInterval", evaluationInterval);
  const appJob = requireText("appJob", input.appJob ?? DEFAULT_APP_JOB);
  const metricsPath = check(schemas.httpPath, "metricsPath", input.metricsPath ?? METRICS_PATH);
  requireHostPort("prometheusTarget", input.prometheusTarget);
  if (!Array.isArray(input.alertmanagerTargets) || input.alertmanagerTargets.length === 0) {
    invalid("alertmanagerTargets", input.alertmanagerTargets, 'expected at least one "host:port"');
  }
  input.alertmanagerTargets.forEach((t, i) => requireHostPort(`alertmanagerTargets[${i}]`, t));
  if (!Array.isArray(input.ruleFiles) || input.ruleFiles.length === 0) {
    invalid("ruleFiles", input.ruleFiles, "expected at least one rule file path or glob");
  }
  input.ruleFiles.forEach((f, i) => requireText(`ruleFiles[${i}]`, f));

  const scrapeConfigs: object[] = [
    staticJob(PROMETHEUS_JOB, [input.prometheusTarget]),
    staticJob(ALERTMANAGER_JOB, input.alertmanagerTargets),
    { job_name: appJob, metrics_path: metricsPath, ...discoveryTargets(input.app, undefined, "app") },
  ];
  if (input.ecsExporterPort !== undefined) {
    requirePort("ecsExporterPort", input.ecsExporterPort);
    scrapeConfigs.push({
      job_name: ECS_EXPORTER_JOB,
      ...discoveryTargets(input.app, input.ecsExporterPort, "app"),
    });
  }

  const config: Record<string, unknown> = {
    global: {
      scrape_interval: scrapeInterval,
      // Prometheus rejects a timeout above the interval: short local intervals cap it.
      scrape_timeout: scrapeMs < DEFAULT_SCRAPE_TIMEOUT_MS ? scrapeInterval : "10s",
      evaluation_interval: evaluationInterval,
      external_labels: { env: input.environment },
    },
    rule_files: input.ruleFiles,
    alerting: {
      alertmanagers: [{ api_version: "v2", static_configs: [{ targets: input.alertmanagerTargets }] }],
    },
    scrape_configs: scrapeConfigs,
  };
  if (input.remoteWrite) {
    requireUrl("remoteWrite.url", input.remoteWrite.url, ["https:"]);
    if (!AWS_REGION.test(input.remoteWrite.region ?? "")) {
      invalid("remoteWrite.region", input.remoteWrite.region, "expected an AWS region such as eu-west-1");
    }
    // SigV4 with the task role's credentials: no keys in the file.
    config.remote_write = [{ url: input.remoteWrite.url, sigv4: { region: input.remoteWrite.region } }];
  }
  return toYaml(`Prometheus configuration for environment "${input.environment}".`, config);
}
