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
import type { AppDiscovery, AppScrapeInput, HttpClientInput, PrometheusConfigInput } from "./types";
import { durationMs, invalid, requireHostPort, requirePort, requireText, requireUrl } from "./validate";
import { httpClientSettings } from "./web-config";
import { toYaml } from "./yaml";

const DEFAULT_SCRAPE_TIMEOUT_MS = 10_000;
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const LABEL_VALUE_SAFE = /^[A-Za-z0-9_.-]+$/;
const LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]"];

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

/** `scheme: https` with the client's TLS and credential, or nothing (plain HTTP). */
function client(field: string, input: HttpClientInput | undefined): Record<string, unknown> {
  return input === undefined ? {} : { scheme: "https", ...httpClientSettings(field, input) };
}

function staticJob(jobName: string, targets: string[], tls: Record<string, unknown>) {
  return { job_name: jobName, ...tls, static_configs: [{ targets }] };
}

/** Prometheus's own defaults for how often it scrapes and evaluates rules. */
export const DEFAULT_SCRAPE_INTERVAL = "15s";
export const DEFAULT_EVALUATION_INTERVAL = "15s";

export function renderPrometheusConfig(input: PrometheusConfigInput): string {
  if (!LABEL_VALUE_SAFE.test(input.environment ?? "")) {
    invalid("environment", input.environment, "expected a short name such as dev, prod or local");
  }
  const scrapeInterval = input.scrapeInterval ?? DEFAULT_SCRAPE_INTERVAL;
  const evaluationInterval = input.evaluationInterval ?? DEFAULT_EVALUATION_INTERVAL;
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

  const apps: AppScrapeInput[] = [
    {
      job: appJob,
      app: input.app,
      metricsPath,
      ecsExporter: input.ecsExporterPort !== undefined,
      tls: input.appTls,
      ecsExporterTls: input.ecsExporterTls,
    },
    ...(input.moreApps ?? []),
  ];
  const jobs = new Set([PROMETHEUS_JOB, ALERTMANAGER_JOB, ECS_EXPORTER_JOB]);
  const appJobs = apps.map((app, i) => {
    const field = i === 0 ? "app" : `moreApps[${i - 1}]`;
    const job = i === 0 ? appJob : requireText(`${field}.job`, app.job);
    if (jobs.has(job)) invalid(`${field}.job`, job, "expected a job name no other scrape job has");
    jobs.add(job);
    const path =
      i === 0
        ? metricsPath
        : check(schemas.httpPath, `${field}.metricsPath`, app.metricsPath ?? METRICS_PATH);
    return {
      job_name: job,
      metrics_path: path,
      ...client(i === 0 ? "appTls" : `${field}.tls`, app.tls),
      ...discoveryTargets(app.app, undefined, i === 0 ? "app" : `${field}.app`),
    };
  });
  const alertmanagerTls = client("alertmanagerTls", input.alertmanagerTls);
  const scrapeConfigs: object[] = [
    staticJob(PROMETHEUS_JOB, [input.prometheusTarget], client("prometheusTls", input.prometheusTls)),
    staticJob(ALERTMANAGER_JOB, input.alertmanagerTargets, alertmanagerTls),
    ...appJobs,
  ];
  const exported = apps.filter((app) => app.ecsExporter === true);
  apps.forEach((app, i) => {
    if (app.ecsExporterTls !== undefined && app.ecsExporter !== true) {
      const field = i === 0 ? "ecsExporterTls" : `moreApps[${i - 1}].ecsExporterTls`;
      invalid(field, "(set)", "expected no TLS settings for an app without ecs_exporter sidecars");
    }
  });
  if (exported.length > 0) {
    if (input.ecsExporterPort === undefined) {
      invalid(
        "ecsExporterPort",
        input.ecsExporterPort,
        "expected the exporter's port when moreApps have ecsExporter",
      );
    }
    const port = requirePort("ecsExporterPort", input.ecsExporterPort);
    const targets = exported.map((app, i) => discoveryTargets(app.app, port, i === 0 ? "app" : "moreApps"));
    if (exported.some((app) => app.ecsExporterTls !== undefined)) {
      // Each app's exporters have their own credential: a scrape config per app, each labelled
      // with the one exporter job the rules and dashboards select.
      exported.forEach((app, i) => {
        const index = apps.indexOf(app);
        const { relabel_configs: relabel = [], ...found } = targets[i] as ScrapeTargets & {
          relabel_configs?: object[];
        };
        scrapeConfigs.push({
          job_name: `${ECS_EXPORTER_JOB}-${app.job}`,
          ...client(
            index === 0 ? "ecsExporterTls" : `moreApps[${index - 1}].ecsExporterTls`,
            app.ecsExporterTls,
          ),
          ...found,
          relabel_configs: [...relabel, { target_label: "job", replacement: ECS_EXPORTER_JOB }],
        });
      });
    } else {
      // One job for every app's exporter (each sits beside its app's processes, on the same port).
      const merged: Record<string, object[]> = {};
      for (const part of targets) {
        for (const [key, value] of Object.entries(part) as [string, object[]][]) {
          merged[key] = key === "relabel_configs" ? value : [...(merged[key] ?? []), ...value];
        }
      }
      scrapeConfigs.push({ job_name: ECS_EXPORTER_JOB, ...merged });
    }
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
      alertmanagers: [
        { api_version: "v2", ...alertmanagerTls, static_configs: [{ targets: input.alertmanagerTargets }] },
      ],
    },
    scrape_configs: scrapeConfigs,
  };
  if (input.remoteWrite) config.remote_write = [remoteWrite(input.remoteWrite)];
  return toYaml(`Prometheus configuration for environment "${input.environment}".`, config);
}
