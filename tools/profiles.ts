// Ready-made generator inputs per environment, for `npm run render`, the local stack and the
// tests. dev and prod are read from the stack files through the stack schema (the settings the
// stack deploys, defaults filled in); the local profile is made here for the machine it runs on.
import { ALERTMANAGER_PORT, AMP_DATASOURCE_PLUGIN, PROMETHEUS_PORT, StorageKind } from "showcase-monitoring";
import {
  DEFAULT_APP_JOB,
  DISCOVERY_DIR,
  ECS_EXPORTER_PORT,
  type AlertmanagerInput,
  type AlertThresholds,
  type DashboardsInput,
  type PrometheusConfigInput,
  type RulesInput,
  type SloInput,
} from "showcase-monitoring/monitoring";
import { discoveryNamespace, parseStackSettings } from "../stack/config";
import { type CloudStack, configSource, engineConfig } from "./stack-files";

export type StackName = CloudStack | "local";
export const STACK_NAMES: readonly StackName[] = ["dev", "prod", "local"];

export interface MonitoringProfile {
  prometheus: PrometheusConfigInput;
  rules: RulesInput;
  alertmanager: AlertmanagerInput;
  dashboards: DashboardsInput;
}

/** Rule files next to prometheus.yml (relative paths resolve against the config file's folder). */
export const RULE_FILES = ["rules/*.rules.yml"];
/** Where the rendered alertmanager.yml expects the receivers' secrets (files, never values). */
const SECRETS = "/etc/alertmanager/secrets";

/** The generator inputs of a cloud stack, from its stack file. */
function cloudProfile(stack: CloudStack): MonitoringProfile {
  const settings = parseStackSettings(configSource(engineConfig(stack), stack));
  const { environment, prometheus, receivers } = settings;
  // Named as index.ts names the components: `<component>.<namespace>`.
  const namespace = discoveryNamespace(environment);
  return {
    prometheus: {
      environment,
      scrapeInterval: prometheus.scrapeInterval,
      evaluationInterval: prometheus.evaluationInterval,
      // The discovery sidecar's file: `<DISCOVERY_DIR>/<job>.json`.
      app: { kind: "file", files: [`${DISCOVERY_DIR}/${DEFAULT_APP_JOB}.json`] },
      ...(settings.app.ecsExporter ? { ecsExporterPort: ECS_EXPORTER_PORT } : {}),
      prometheusTarget: `localhost:${PROMETHEUS_PORT}`,
      alertmanagerTargets: [`alertmanager.${namespace}:${ALERTMANAGER_PORT}`],
      ruleFiles: RULE_FILES,
    },
    rules: {
      environment,
      thresholds: settings.alertThresholds,
      slo: settings.slo,
      runbookBaseUrl: settings.runbookBaseUrl,
    },
    alertmanager: {
      ...(receivers.email === undefined
        ? {}
        : { email: { ...receivers.email, passwordFile: `${SECRETS}/smtp-password` } }),
      ...(receivers.slackChannel === undefined
        ? {}
        : { slack: { apiUrlFile: `${SECRETS}/slack-webhook-url`, channel: receivers.slackChannel } }),
      ...(receivers.pagerduty ? { pagerduty: { routingKeyFile: `${SECRETS}/pagerduty-routing-key` } } : {}),
      ...definedOnly({
        watchdogWebhookUrl: receivers.watchdogWebhookUrl,
        groupWait: receivers.groupWait,
        groupInterval: receivers.groupInterval,
        repeatInterval: receivers.repeatInterval,
      }),
    },
    dashboards: {
      thresholds: settings.alertThresholds,
      ...(prometheus.storage.kind === StorageKind.Amp ? { prometheusPlugin: AMP_DATASOURCE_PLUGIN.id } : {}),
    },
  };
}

/** `values` without its undefined entries (the generators' inputs have no `undefined` fields). */
function definedOnly<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

const LOCAL_RUNBOOK_BASE_URL =
  "https://github.com/showcase-monitoring/showcase-monitoring/blob/main/docs/runbooks";
// Local: short `for` so a fault reaches the webhook within a minute (the end-to-end test measures it).
const LOCAL_THRESHOLDS: AlertThresholds = { for: "20s", minRequestRate: 0.05 };
const LOCAL_SLO: SloInput = { availability: 0.99, latency: 0.95, latencyThresholdSeconds: 0.5 };

function localProfile(): MonitoringProfile {
  const thresholds = LOCAL_THRESHOLDS;
  return {
    prometheus: {
      environment: "local",
      scrapeInterval: "5s",
      evaluationInterval: "5s",
      app: { kind: "static", targets: ["127.0.0.1:9464"] },
      prometheusTarget: "127.0.0.1:9090",
      alertmanagerTargets: ["127.0.0.1:9093"],
      ruleFiles: RULE_FILES,
    },
    rules: { environment: "local", thresholds, slo: LOCAL_SLO, runbookBaseUrl: LOCAL_RUNBOOK_BASE_URL },
    // No receivers locally: alerts are visible in Alertmanager's UI; tests add a webhook.
    alertmanager: { groupWait: "5s", groupInterval: "10s", repeatInterval: "1h" },
    dashboards: { thresholds },
  };
}

export function monitoringProfile(stack: StackName): MonitoringProfile {
  if (stack === "local") return localProfile();
  if (stack === "dev" || stack === "prod") return cloudProfile(stack);
  throw new Error(`stack: expected one of ${STACK_NAMES.join(", ")} (got ${JSON.stringify(stack)})`);
}
