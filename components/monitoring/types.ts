// The contract between the pure generators (monitoring/) and whoever deploys their output
// (components/ on AWS, tools/local.ts here). Nothing in monitoring/ imports Pulumi.

/** How Prometheus finds the app's tasks. */
export type AppDiscovery =
  /** Fixed `host:port` targets (the local stack). */
  | { kind: "static"; targets: string[] }
  /**
   * `file_sd` files of `host:port` targets on the metrics port, e.g. written from AWS Cloud Map's
   * DiscoverInstances API (cloud-map-discovery.ts): no limit on the number of tasks.
   */
  | { kind: "file"; files: string[] };

/**
 * How a client reaches a server that wants TLS and a credential: the CA to verify it with, the name
 * its certificate carries, and at most one credential, as a file (read on every request, so a
 * rotated file needs no restart).
 */
export interface HttpClientInput {
  /** The CA certificate (PEM) the server's certificate must chain to; only it is trusted. */
  caFile: string;
  /** The DNS name checked in the server's certificate (targets are IPs). Default: the target's host. */
  serverName?: string;
  /** HTTP basic auth (Prometheus's and Alertmanager's web config). Default none. */
  basicAuth?: { username: string; passwordFile: string };
  /** A bearer token (the service's metrics port). Default none. */
  bearerTokenFile?: string;
}

/** A server's `--web.config.file`: HTTPS only, and one of `users` on every request. */
export interface WebConfigInput {
  /** The server's certificate chain and unencrypted private key, PEM files. */
  tls: { certFile: string; keyFile: string };
  /** User name to bcrypt hash ($2a$/$2b$/$2y$): one user per client, so each can be rotated alone. */
  users: Record<string, string>;
}

/** Another app scraped by the same Prometheus (its own job; the dashboards' job variable picks it). */
export interface AppScrapeInput {
  /** Its scrape job name, unique. */
  job: string;
  app: AppDiscovery;
  /** Default "/metrics". */
  metricsPath?: string;
  /** Scrape its ecs_exporter sidecars too, on `ecsExporterPort`. Default false. */
  ecsExporter?: boolean;
  /** Scrape it over HTTPS with this CA, name and credential. Default plain HTTP. */
  tls?: HttpClientInput;
  /** Scrape its ecs_exporter sidecars over HTTPS with this CA, name and credential. Default plain HTTP. */
  ecsExporterTls?: HttpClientInput;
}

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
  /** How Prometheus scrapes itself when its own web config wants TLS and a password. Default plain HTTP. */
  prometheusTls?: HttpClientInput;
  /** `host:port` of each Alertmanager: the `alerting` section and a scrape job. */
  alertmanagerTargets: string[];
  /** How Prometheus sends alerts to and scrapes Alertmanager over HTTPS. Default plain HTTP. */
  alertmanagerTls?: HttpClientInput;
  /** How Prometheus scrapes the app (`app`) over HTTPS. Default plain HTTP. */
  appTls?: HttpClientInput;
  /** How Prometheus scrapes the app's ecs_exporter sidecars over HTTPS. Default plain HTTP. */
  ecsExporterTls?: HttpClientInput;
  /** Paths of the rule files as Prometheus sees them (globs allowed). */
  ruleFiles: string[];
  /** More apps to scrape, each its own job. Default none. */
  moreApps?: AppScrapeInput[];
  /** Optional `ecs_exporter` sidecar targets: same discovery as the app, its own port. */
  ecsExporterPort?: number;
  /**
   * Optional remote_write: to Amazon Managed Service for Prometheus (an https URL signed with SigV4
   * in `region`, with the task role's credentials), or, without `region`, unsigned to a receiver
   * on the same host (loopback only: the local stack's).
   */
  remoteWrite?: { url: string; region?: string };
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
  /** Fraction of its memory limit a container of the app's tasks uses (page cache excluded). Default 0.9. */
  containerMemoryRatio?: number;
  /** Fraction of the task's CPU limit its containers use together, over 5m. Default 0.9. */
  taskCpuRatio?: number;
  /** Fraction of Prometheus's retention size limit its TSDB (blocks, WAL, head chunks) fills. Default 0.9. */
  prometheusStorageRatio?: number;
  /** Seconds remote write may lag behind the newest sample before it warns. Default 120. */
  remoteWriteLagSeconds?: number;
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

/** The `severity` label of an alert (the monitoring mixins' three levels). */
export enum AlertSeverity {
  Critical = "critical",
  Warning = "warning",
  Info = "info",
}

/**
 * Changes to one of our alerts, by name (`ApiHighErrorRate`: every rule of that name) or by name
 * and severity (`AppTargetDown/critical`: that tier only). Unset fields keep ours.
 */
export interface AlertOverride {
  /** The whole PromQL expression, threshold included (it replaces ours; promtool checks it). Default ours. */
  expr?: string;
  /** How long the condition must hold, e.g. "10m". Default ours. */
  for?: string;
  /** The alert's severity label, which routes it (critical pages, warning notifies, info neither). Default ours. */
  severity?: AlertSeverity;
  /** A fixed sentence (no template). Default ours. */
  summary?: string;
  /** Templated text, e.g. `{{ $value | humanizePercentage }} of ...`. Default ours. */
  description?: string;
  /** The alert's runbook instead of the one `runbookUrlTemplate` gives. Default ours. */
  runbookUrl?: string;
  /** Extra labels, or new values of ours (not `severity`: use the field). Default none. */
  labels?: Record<string, string>;
  /** Extra annotations (not summary, description, runbook_url: use the fields). Default none. */
  annotations?: Record<string, string>;
}

/** A user's alerting rule: the same conventions as ours (severity, summary, description, runbook). */
export interface AlertRuleInput {
  /** CamelCase, e.g. OrdersBacklogHigh; not one of our alert names (override or drop ours instead). */
  alert: string;
  /** The PromQL condition, threshold included. */
  expr: string;
  /** Default none: the alert fires at the first evaluation that finds the condition. */
  for?: string;
  /** Its severity label, which routes it. */
  severity: AlertSeverity;
  /** A fixed sentence (no template). */
  summary: string;
  /** Templated text. */
  description: string;
  /** Default: `runbookUrlTemplate` (or `runbookBaseUrl`) with this alert's name. */
  runbookUrl?: string;
  /** Extra labels (not severity: use the field). Default none. */
  labels?: Record<string, string>;
  /** Extra annotations (not summary, description, runbook_url: use the fields). Default none. */
  annotations?: Record<string, string>;
}

/** A user's recording rule; `record` follows level:metric:operations, e.g. job:orders:rate5m. */
export interface RecordingRuleInput {
  /** The series it writes. */
  record: string;
  /** The PromQL expression it records. */
  expr: string;
  /** Extra labels on the recorded series. Default none. */
  labels?: Record<string, string>;
}

/**
 * A user's rule group: one file, `<name>.rules.yml`, recording rules first (rules of a group run
 * in order, so its alerts read what its recording rules wrote in the same evaluation).
 */
export interface RuleGroupInput {
  /** Group and file name: letters, digits, `_`, `-`, `.`; not a kept group of ours. */
  name: string;
  /** Recording rules, evaluated first. Default none. */
  records?: RecordingRuleInput[];
  /** Alerting rules. Default none. */
  alerts?: AlertRuleInput[];
}

/** Our rules to leave out. Unknown names are errors. */
export interface RuleDrops {
  /** Alert names, or `Name/severity` for one tier. Default none. */
  alerts?: string[];
  /** Our groups by file: http, slo, runtime, database, monitoring (RULE_GROUP_IDS). Default none. */
  groups?: string[];
  /** Recorded series names: every rule writing the series goes. Default none. */
  records?: string[];
}

export interface RulesInput {
  /** The environment (dev, prod, ...): named in the files' header. */
  environment: string;
  /** Scrape job of the app the rules select. Default "showcase-api". */
  appJob?: string;
  /** Alert thresholds; every one has a default (DEFAULT_THRESHOLDS). */
  thresholds?: AlertThresholds;
  /** The service level objectives behind the burn-rate alerts. */
  slo: SloInput;
  /**
   * Base URL of the runbooks, e.g. https://github.com/org/repo/blob/main/docs/runbooks: each
   * alert links to `<base>/<AlertName>.md`. Give this or `runbookUrlTemplate`; no default.
   */
  runbookBaseUrl?: string;
  /**
   * The runbook URL of every alert, `{{alertname}}` standing for its name, e.g.
   * `https://runbooks.example.com/{{alertname}}`. Give this or `runbookBaseUrl`; no default.
   */
  runbookUrlTemplate?: string;
  /** Changes to our alerts, by `Name` or `Name/severity`. Default none. */
  overrides?: Record<string, AlertOverride>;
  /** Our groups, alerts and recorded series to leave out. Default none. */
  drop?: RuleDrops;
  /** The user's own groups, one file each, after ours. Default none. */
  groups?: RuleGroupInput[];
  /**
   * Whether this package's dashboards run against these rules. Default true: then dropping a
   * recorded series they read is an error.
   */
  dashboardsDeployed?: boolean;
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
  /**
   * Plugin id of the Prometheus data source the panels query: "prometheus" (default), or
   * "grafana-amazonprometheus-datasource" for Amazon Managed Service for Prometheus.
   */
  prometheusPlugin?: string;
  /** For the Infrastructure dashboard's CloudWatch dimensions. */
  aws?: {
    region: string;
    clusterName: string;
    serviceName: string;
    loadBalancer: string;
    targetGroup: string;
    dbInstanceId?: string;
    /** Prometheus's EFS file system (storage `efs`): its throughput and limits. */
    prometheusFileSystemId?: string;
    /** Prometheus's ECS service: its tasks' ephemeral storage (storage `amp` keeps the TSDB there). */
    prometheusServiceName?: string;
  };
}

/** A Grafana dashboard model (the JSON Grafana stores). */
export interface Dashboard {
  uid: string;
  title: string;
  [key: string]: unknown;
}
