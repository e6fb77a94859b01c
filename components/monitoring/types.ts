// The contract between the pure generators (monitoring/) and whoever deploys their output
// (components/ on AWS, tools/local.ts here). Nothing in monitoring/ imports Pulumi.

/** How Prometheus finds the app's tasks. */
export type AppDiscovery =
  /** Fixed `host:port` targets (the local stack). */
  | { kind: "static"; targets: string[] }
  /**
   * AWS Cloud Map: an A-record name resolved by `dns_sd_configs`. Cloud Map answers with at most
   * 8 records, so `maxTasks` above 8 is rejected.
   */
  | { kind: "dns"; name: string; port: number; maxTasks: number };

export interface PrometheusConfigInput {
  /** `env` external label on every series and alert (dev, prod, local). */
  environment: string;
  /** Default "15s". */
  scrapeInterval?: string;
  /** Default "15s". */
  evaluationInterval?: string;
  /** Job name of the app's scrape job; the rules and dashboards select on it. Default "showcase-api". */
  appJob?: string;
  app: AppDiscovery;
  /** Path of the app's metrics. Default "/metrics". */
  metricsPath?: string;
  /** `host:port` of Prometheus itself (its own scrape job). */
  prometheusTarget: string;
  /** `host:port` of each Alertmanager: the `alerting` section and a scrape job. */
  alertmanagerTargets: string[];
  /** Paths of the rule files as Prometheus sees them (globs allowed). */
  ruleFiles: string[];
  /** Optional `ecs_exporter` sidecar targets: same discovery as the app, its own port. */
  ecsExporterPort?: number;
  /** Optional remote_write to Amazon Managed Service for Prometheus (SigV4 with the task role). */
  remoteWrite?: { url: string; region: string };
}

/** Thresholds and objectives of the alerts; every field has a default. */
export interface AlertThresholds {
  /** 5xx ratio above which HighErrorRate fires. Default 0.05. */
  errorRatio?: number;
  /** Requests/s below which the error-rate alert stays silent. Default 0.1. */
  minRequestRate?: number;
  /** p99 latency bound in seconds. Default 1. */
  latencyP99Seconds?: number;
  /** p90 latency bound in seconds. Default 0.5. */
  latencyP90Seconds?: number;
  /** Event-loop lag p99 in seconds. Default 0.2. */
  eventLoopLagSeconds?: number;
  /** Fraction of the memory/heap limit. Default 0.9. */
  memoryRatio?: number;
  /** CPU cores used per instance. Default 0.9. */
  cpuCores?: number;
  /** Database pool in-use fraction. Default 0.9. */
  dbPoolRatio?: number;
  /** Database size in bytes that warns. Default 10 GiB. */
  dbSizeBytes?: number;
  /** App processes started within an hour (crashes and deploys alike) that warn. Default 5. */
  restartsPerHour?: number;
  /** Fraction of the file-descriptor limit. Default 0.8. */
  fdRatio?: number;
  /** Fraction of wall time spent in garbage collection. Default 0.1. */
  gcTimeRatio?: number;
  /** p99 query time in seconds, per operation. Default 0.5. */
  dbQueryP99Seconds?: number;
  /** Failed queries per executed query, per operation. Default 0.05. */
  dbErrorRatio?: number;
  /** For-durations: how long a condition must hold. Default "5m" (use short ones in tests). */
  for?: string;
}

export interface SloInput {
  /** Availability objective, e.g. 0.995. */
  availability: number;
  /** Latency objective: this fraction of requests faster than `latencyThresholdSeconds`. */
  latency: number;
  /** A histogram bucket bound: 0.25 or 0.5 (non-integer bounds, see docs). */
  latencyThresholdSeconds: number;
}

export interface RulesInput {
  /** `env` label of the alerts (dev, prod). */
  environment: string;
  /** Scrape job of the app the rules select. Default "showcase-api". */
  appJob?: string;
  /** Alert thresholds; every one has a default (DEFAULT_THRESHOLDS). */
  thresholds?: AlertThresholds;
  /** The service level objectives behind the burn-rate alerts. */
  slo: SloInput;
  /** Base URL of the runbooks, e.g. https://github.com/org/repo/blob/main/docs/runbooks */
  runbookBaseUrl: string;
}

/** Receivers are optional; secrets are never inline: only paths of files holding them. */
export interface AlertmanagerInput {
  email?: { to: string; from: string; smarthost: string; username: string; passwordFile: string };
  slack?: { apiUrlFile: string; channel: string };
  pagerduty?: { routingKeyFile: string };
  /**
   * The Watchdog's receiver: a dead man's switch URL (optional; default a receiver that sends
   * nothing). URLs carry no credentials (Alertmanager 0.25 has no `url_file`).
   */
  watchdogWebhookUrl?: string;
  /** Extra webhook receiver for every alert but the Watchdog (tests, chatops). */
  webhookUrl?: string;
  /** Defaults "30s", "5m", "4h"; tests shorten them. */
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
}

export interface DashboardsInput {
  appJob?: string;
  /** The alert thresholds, so the overview's colours turn red where the alerts fire. */
  thresholds?: AlertThresholds;
  /** For the Infrastructure dashboard's CloudWatch dimensions. */
  aws?: {
    region: string;
    clusterName: string;
    serviceName: string;
    loadBalancer: string;
    targetGroup: string;
    dbInstanceId?: string;
  };
}

/** A Grafana dashboard model (the JSON Grafana stores). */
export interface Dashboard {
  uid: string;
  title: string;
  [key: string]: unknown;
}
