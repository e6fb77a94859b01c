// prometheus.yml: global intervals and the `env` external label, rule files, Alertmanager, and the
// scrape jobs (itself, Alertmanager, the app by static targets or Cloud Map DNS, optional ECS
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
import {
  durationMs,
  invalid,
  requireHostPort,
  requireHostname,
  requirePort,
  requireText,
  requireUrl,
} from "./validate";
import { toYaml } from "./yaml";

/** Cloud Map answers a DNS query with at most 8 records: more tasks would go unscraped. */
export const CLOUD_MAP_MAX_RECORDS = 8;
const DEFAULT_SCRAPE_TIMEOUT_MS = 10_000;
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const LABEL_VALUE_SAFE = /^[A-Za-z0-9_.-]+$/;
const LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]"];

type ScrapeTargets = { static_configs: { targets: string[] }[] } | { dns_sd_configs: DnsSdConfig[] };
interface DnsSdConfig {
  names: string[];
  type: "A";
  port: number;
  refresh_interval: string;
}

function discoveryTargets(app: AppDiscovery, port: number | undefined, field: string): ScrapeTargets {
  if (app.kind === "static") {
    if (!Array.isArray(app.targets) || app.targets.length === 0) {
      invalid(`${field}.targets`, app.targets, 'expected at least one "host:port"');
    }
    const targets = app.targets.map((target, i) => requireHostPort(`${field}.targets[${i}]`, target));
    // The exporter runs beside each app process: same hosts, its own port.
    const moved =
      port === undefined ? targets : targets.map((t) => `${t.slice(0, t.lastIndexOf(":"))}:${port}`);
    return { static_configs: [{ targets: moved }] };
  }
  if (app.kind === "dns") {
    requireHostname(`${field}.name`, app.name);
    requirePort(`${field}.port`, app.port);
    if (!Number.isInteger(app.maxTasks) || app.maxTasks < 1 || app.maxTasks > CLOUD_MAP_MAX_RECORDS) {
      invalid(
        `${field}.maxTasks`,
        app.maxTasks,
        `Cloud Map DNS discovery returns at most ${CLOUD_MAP_MAX_RECORDS} records, so at most ${CLOUD_MAP_MAX_RECORDS} app tasks can be scraped; lower the task count or use another discovery`,
      );
    }
    return {
      dns_sd_configs: [{ names: [app.name], type: "A", port: port ?? app.port, refresh_interval: "30s" }],
    };
  }
  return invalid(`${field}.kind`, (app as { kind: unknown }).kind, 'expected "static" or "dns"');
}

function remoteWrite({ url, region }: NonNullable<PrometheusConfigInput["remoteWrite"]>): object {
  if (region === undefined) {
    // Unsigned writes only to this host (the local stack's receiver), never across a network.
    requireUrl("remoteWrite.url", url, ["http:", "https:"]);
    if (!LOOPBACK_HOSTS.includes(new URL(url).hostname)) {
      invalid("remoteWrite.url", url, "expected a loopback URL without region, or region for SigV4 (AMP)");
    }
    return { url };
  }
  requireUrl("remoteWrite.url", url, ["https:"]);
  if (!AWS_REGION.test(region)) {
    invalid("remoteWrite.region", region, "expected an AWS region such as eu-west-1");
  }
  // SigV4 with the task role's credentials: no keys in the file.
  return { url, sigv4: { region } };
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
  if (input.remoteWrite) config.remote_write = [remoteWrite(input.remoteWrite)];
  return toYaml(`Prometheus configuration for environment "${input.environment}".`, config);
}
