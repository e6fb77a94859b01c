// Ready-made generator inputs per environment, for `npm run render`, the local stack and the
// tests. In AWS the Pulumi stack configuration supplies its own values; these only mirror its
// defaults (Cloud Map names app.<env>.showcase.internal, secrets mounted under /etc/alertmanager).
import type {
  AlertmanagerInput,
  AlertThresholds,
  DashboardsInput,
  PrometheusConfigInput,
  RulesInput,
  SloInput,
} from "showcase-monitoring/monitoring";
import { DISCOVERY_DIR, ECS_EXPORTER_PORT } from "showcase-monitoring/monitoring";

export type StackName = "dev" | "prod" | "local";
export const STACK_NAMES: readonly StackName[] = ["dev", "prod", "local"];

export interface MonitoringProfile {
  prometheus: PrometheusConfigInput;
  rules: RulesInput;
  alertmanager: AlertmanagerInput;
  dashboards: DashboardsInput;
}

export const RUNBOOK_BASE_URL =
  "https://github.com/showcase-monitoring/showcase-monitoring/blob/main/docs/runbooks";
/** Rule files next to prometheus.yml (relative paths resolve against the config file's folder). */
export const RULE_FILES = ["rules/*.rules.yml"];
const SECRETS = "/etc/alertmanager/secrets";

const SLO: Record<StackName, SloInput> = {
  dev: { availability: 0.99, latency: 0.95, latencyThresholdSeconds: 0.5 },
  prod: { availability: 0.995, latency: 0.99, latencyThresholdSeconds: 0.5 },
  local: { availability: 0.99, latency: 0.95, latencyThresholdSeconds: 0.5 },
};

// Local: short `for` so a fault reaches the webhook within a minute (the end-to-end test measures it).
const THRESHOLDS: Record<StackName, AlertThresholds> = {
  dev: { for: "10m" },
  prod: { for: "5m" },
  local: { for: "20s", minRequestRate: 0.05 },
};

function cloudProfile(env: "dev" | "prod"): MonitoringProfile {
  const namespace = `${env}.showcase.internal`;
  const thresholds = THRESHOLDS[env];
  return {
    prometheus: {
      environment: env,
      scrapeInterval: "15s",
      evaluationInterval: "15s",
      app: { kind: "file", files: [`${DISCOVERY_DIR}/showcase-api.json`] },
      ecsExporterPort: ECS_EXPORTER_PORT,
      prometheusTarget: "localhost:9090",
      alertmanagerTargets: [`alertmanager.${namespace}:9093`],
      ruleFiles: RULE_FILES,
    },
    rules: { environment: env, thresholds, slo: SLO[env], runbookBaseUrl: RUNBOOK_BASE_URL },
    alertmanager: {
      email: {
        to: `oncall+${env}@example.com`,
        from: `alertmanager@${env}.example.com`,
        smarthost: "email-smtp.eu-west-1.amazonaws.com:587",
        username: "ses-smtp-user",
        passwordFile: `${SECRETS}/smtp-password`,
      },
      slack: { apiUrlFile: `${SECRETS}/slack-webhook-url`, channel: `#alerts-${env}` },
      ...(env === "prod" ? { pagerduty: { routingKeyFile: `${SECRETS}/pagerduty-routing-key` } } : {}),
    },
    dashboards: { thresholds },
  };
}

function localProfile(): MonitoringProfile {
  const thresholds = THRESHOLDS.local;
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
    rules: { environment: "local", thresholds, slo: SLO.local, runbookBaseUrl: RUNBOOK_BASE_URL },
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
