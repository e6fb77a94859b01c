// The stack configuration: every key of Pulumi.<stack>.yaml parsed and validated here, once, into a
// typed object. A bad value fails the preview with a ConfigError naming the key and what is allowed.
// docs/stack-configuration.md lists the keys; keep the two in step.
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_THRESHOLDS } from "showcase-monitoring/monitoring";
import type { AlertThresholds, SloInput } from "showcase-monitoring/monitoring";
import {
  CIDR,
  CIDR_TEXT,
  ConfigError,
  DURATION,
  DURATION_TEXT,
  EMAIL,
  HOSTNAME,
  HTTPS_URL,
  NAMESPACE,
  Section,
  sizeInBytes,
  taskSize,
} from "./fields";
import { APP_SERVICE_LIMITS, StorageKind, type TaskSize } from "showcase-monitoring";

export { ConfigError, NAMESPACE };

/** Where configuration comes from: Pulumi's config in a program, a plain map in tests. */
export interface ConfigSource {
  /** Stack name (the default environment label). */
  stack: string;
  /** Keys set in the project namespace, without the `showcase-monitoring:` prefix. */
  keys(): string[];
  /** Raw value of a project key (structured values as JSON text). */
  get(key: string): string | undefined;
  /** Whether a project key was set with `--secret`. */
  isSecret(key: string): boolean;
  /** `aws:region`. */
  awsRegion: string | undefined;
}

export type NetworkConfig =
  | {
      kind: "new";
      cidr: string;
      availabilityZones: number;
      natGateways: "single" | "onePerAz";
    }
  | { kind: "existing"; vpcId: string; publicSubnetIds: string[]; privateSubnetIds: string[] };

export interface AppConfig extends TaskSize {
  /** Pinned image reference; unset = build service/Dockerfile. */
  image: string | undefined;
  minCount: number;
  maxCount: number;
  cpuTargetPercent: number;
  requestsPerTarget: number;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace";
  ecsExporter: boolean;
  allowedCidrs: string[];
}

export type DatabaseConfig =
  | {
      mode: "rds";
      instanceClass: string;
      allocatedStorageGb: number;
      multiAz: boolean;
      backupRetentionDays: number;
      deletionProtection: boolean;
      engineVersion: string;
    }
  | { mode: "external"; url: pulumi.Output<string> };

export type PrometheusStorageConfig =
  | { kind: StorageKind.Efs; retentionTime: string; retentionSize: string }
  | { kind: StorageKind.Amp; retentionTime: string; retentionSize: string; ephemeralStorageGib: number };

export interface PrometheusConfig extends TaskSize {
  storage: PrometheusStorageConfig;
  allowedCidrs: string[];
  scrapeInterval: string;
  evaluationInterval: string;
}

export interface GrafanaConfig extends TaskSize {
  allowedCidrs: string[];
  viewers: string[];
  editors: string[];
}

export interface ReceiversConfig {
  email?: { to: string; from: string; smarthost: string; username: string; password: pulumi.Output<string> };
  slack?: { channel: string; webhookUrl: pulumi.Output<string> };
  pagerduty?: { routingKey: pulumi.Output<string> };
  watchdogWebhookUrl?: string;
  groupWait: string;
  groupInterval: string;
  repeatInterval: string;
}

export interface StackConfig {
  /** `env` label of every series and alert. */
  environment: string;
  region: string;
  /** Base domain: the app is served at api.<domain>, Grafana at grafana.<domain>. */
  domain: string;
  certificateArn: string;
  hostedZoneId: string;
  runbookBaseUrl: string;
  logRetentionDays: number;
  tags: Record<string, string>;
  network: NetworkConfig;
  app: AppConfig;
  database: DatabaseConfig;
  prometheus: PrometheusConfig;
  alertmanager: TaskSize;
  grafana: GrafanaConfig;
  alertThresholds: AlertThresholds;
  slo: SloInput;
  receivers: ReceiversConfig;
}

/** Secret keys: set with `pulumi config set --secret`, never in plain text. */
export const SECRET_KEYS = ["slackWebhookUrl", "pagerdutyRoutingKey", "smtpPassword", "databaseUrl"] as const;
type SecretKey = (typeof SECRET_KEYS)[number];

const TOP_LEVEL_KEYS = [
  "environment",
  "domain",
  "certificateArn",
  "hostedZoneId",
  "runbookBaseUrl",
  "logRetentionDays",
  "tags",
  "network",
  "app",
  "database",
  "prometheus",
  "alertmanager",
  "grafana",
  "alertThresholds",
  "slo",
  "receivers",
  ...SECRET_KEYS,
] as const;

const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 3653];
const EVERYWHERE = "0.0.0.0/0";

/** Parses and validates the whole stack configuration. Throws ConfigError on the first bad key. */
export function parseStackConfig(source: ConfigSource): StackConfig {
  const unknown = source.keys().filter((key) => !(TOP_LEVEL_KEYS as readonly string[]).includes(key));
  if (unknown.length > 0) {
    throw new ConfigError(
      `unknown configuration key(s) ${unknown.map((k) => `${NAMESPACE}:${k}`).join(", ")}; ` +
        `see docs/stack-configuration.md`,
    );
  }
  const values: Record<string, unknown> = {};
  for (const key of TOP_LEVEL_KEYS) values[key] = source.get(key);
  const root = Section.of("", values, TOP_LEVEL_KEYS);
  const secret = (key: SecretKey): pulumi.Output<string> | undefined => readSecret(source, key);

  const region = source.awsRegion;
  if (region === undefined || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
    throw new ConfigError(
      `aws:region must be an AWS region such as us-east-1, got ${JSON.stringify(region)}`,
    );
  }
  const domain = root.string("domain", undefined, HOSTNAME, "a DNS name such as showcase.example.com");
  return {
    environment: root.string(
      "environment",
      source.stack,
      /^[a-z][a-z0-9-]{0,15}$/,
      "lowercase letters, digits and dashes, at most 16 characters, starting with a letter",
    ),
    region,
    domain,
    certificateArn: root.string(
      "certificateArn",
      undefined,
      /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/,
      `the ARN of an ACM certificate covering api.${domain} and grafana.${domain} (Grafana is served over HTTPS only)`,
    ),
    hostedZoneId: root.string(
      "hostedZoneId",
      undefined,
      /^Z[A-Z0-9]{1,32}$/,
      "a Route 53 hosted zone id (Z...)",
    ),
    runbookBaseUrl: root
      .string("runbookBaseUrl", undefined, HTTPS_URL, "an https:// URL")
      .replace(/\/+$/, ""),
    logRetentionDays: root.number(
      "logRetentionDays",
      30,
      `one of the CloudWatch retention periods ${LOG_RETENTION_DAYS.join(", ")}`,
      (n) => LOG_RETENTION_DAYS.includes(n),
    ),
    tags: root.stringMap("tags"),
    network: parseNetwork(root),
    app: parseApp(root),
    database: parseDatabase(root, secret("databaseUrl")),
    prometheus: parsePrometheus(root),
    alertmanager: taskSize(root.section("alertmanager", ["cpu", "memory"]), { cpu: 256, memory: 512 }),
    grafana: parseGrafana(root),
    alertThresholds: parseThresholds(root),
    slo: parseSlo(root),
    receivers: parseReceivers(root, secret),
  };
}

function readSecret(source: ConfigSource, key: SecretKey): pulumi.Output<string> | undefined {
  const value = source.get(key);
  if (value === undefined || value === "") return undefined;
  if (!source.isSecret(key)) {
    throw new ConfigError(
      `${NAMESPACE}:${key} must be a secret: set it with \`pulumi config set --secret ${key} <value>\``,
    );
  }
  return pulumi.secret(value);
}

function noEverywhere(key: string, cidrs: string[], why: string): string[] {
  if (cidrs.includes(EVERYWHERE)) {
    throw new ConfigError(`${NAMESPACE}:${key} must not contain ${EVERYWHERE} (${why})`);
  }
  return cidrs;
}

function parseNetwork(root: Section): NetworkConfig {
  const s = root.section("network", [
    "vpcCidr",
    "availabilityZones",
    "natGateways",
    "existingVpcId",
    "existingPublicSubnetIds",
    "existingPrivateSubnetIds",
  ]);
  const existing = ["existingVpcId", "existingPublicSubnetIds", "existingPrivateSubnetIds"];
  const given = existing.filter((key) => s.has(key));
  if (given.length > 0 && given.length < existing.length) {
    throw new ConfigError(
      `${NAMESPACE}:network needs all of ${existing.join(", ")} to use an existing VPC, got only ${given.join(", ")}`,
    );
  }
  if (given.length === existing.length) {
    const subnet = /^subnet-[0-9a-f]{8,17}$/;
    const subnets = (key: string) => {
      const ids = s.strings(key, [], subnet, "subnet ids (subnet-...)");
      if (ids.length < 2) {
        throw new ConfigError(`${NAMESPACE}:${s.key(key)} must list at least 2 subnets in different AZs`);
      }
      return ids;
    };
    return {
      kind: "existing",
      vpcId: s.string("existingVpcId", undefined, /^vpc-[0-9a-f]{8,17}$/, "a VPC id (vpc-...)"),
      publicSubnetIds: subnets("existingPublicSubnetIds"),
      privateSubnetIds: subnets("existingPrivateSubnetIds"),
    };
  }
  const cidr = s.string("vpcCidr", "10.0.0.0/16", CIDR, CIDR_TEXT);
  const prefix = Number(cidr.split("/")[1]);
  if (prefix < 16 || prefix > 22) {
    throw new ConfigError(
      `${NAMESPACE}:${s.key("vpcCidr")} must have a prefix between /16 and /22 (room for public and private subnets in each AZ), got ${JSON.stringify(cidr)}`,
    );
  }
  return {
    kind: "new",
    cidr,
    availabilityZones: s.integer("availabilityZones", 2, { min: 2, max: 3, why: "the ALB needs two" }),
    natGateways: s.oneOf("natGateways", "onePerAz", ["single", "onePerAz"]),
  };
}

function parseApp(root: Section): AppConfig {
  const s = root.section("app", [
    "cpu",
    "memory",
    "image",
    "minCount",
    "maxCount",
    "cpuTargetPercent",
    "requestsPerTarget",
    "logLevel",
    "ecsExporter",
    "allowedCidrs",
  ]);
  const why = `Cloud Map discovery answers at most ${APP_SERVICE_LIMITS.maxCount} instances`;
  const maxCount = s.integer("maxCount", 4, { min: 1, max: APP_SERVICE_LIMITS.maxCount, why });
  const minCount = s.integer("minCount", 2, { min: 1, max: maxCount, why: "at most app.maxCount" });
  return {
    ...taskSize(s, { cpu: 512, memory: 1024 }),
    image: s.optionalString(
      "image",
      /^[a-z0-9./_-]+(:[0-9A-Za-z][\w.-]*)?(@sha256:[0-9a-f]{64})?$/,
      "an image reference",
    ),
    minCount,
    maxCount,
    cpuTargetPercent: s.integer("cpuTargetPercent", 60, { min: 10, max: 90 }),
    requestsPerTarget: s.integer("requestsPerTarget", 1000, {
      min: 1,
      max: 1_000_000,
      why: "ALB requests per target per minute",
    }),
    logLevel: s.oneOf("logLevel", "info", ["fatal", "error", "warn", "info", "debug", "trace"]),
    ecsExporter: s.boolean("ecsExporter", true),
    allowedCidrs: s.strings("allowedCidrs", [EVERYWHERE], CIDR, CIDR_TEXT),
  };
}

function parseDatabase(root: Section, url: pulumi.Output<string> | undefined): DatabaseConfig {
  const s = root.section("database", [
    "mode",
    "instanceClass",
    "allocatedStorageGb",
    "multiAz",
    "backupRetentionDays",
    "deletionProtection",
    "engineVersion",
  ]);
  const mode = s.oneOf("mode", "rds", ["rds", "external"]);
  if (mode === "external") {
    if (url === undefined) {
      throw new ConfigError(
        `${NAMESPACE}:databaseUrl is required when database.mode is external: ` +
          "`pulumi config set --secret databaseUrl postgres://user:password@host:5432/db`",
      );
    }
    return { mode, url };
  }
  if (url !== undefined) {
    throw new ConfigError(`${NAMESPACE}:databaseUrl is only used with database.mode external; remove it`);
  }
  return {
    mode,
    instanceClass: s.string("instanceClass", "db.t4g.micro", /^db\.[a-z0-9]+\.[a-z0-9]+$/, "an RDS class"),
    allocatedStorageGb: s.integer("allocatedStorageGb", 20, { min: 20, max: 65536 }),
    multiAz: s.boolean("multiAz", false),
    backupRetentionDays: s.integer("backupRetentionDays", 7, { min: 1, max: 35 }),
    deletionProtection: s.boolean("deletionProtection", true),
    engineVersion: s.string(
      "engineVersion",
      "16",
      /^\d{2}(\.\d+)?$/,
      "a PostgreSQL major (16) or major.minor",
    ),
  };
}

function parsePrometheus(root: Section): PrometheusConfig {
  const s = root.section("prometheus", [
    "cpu",
    "memory",
    "storage",
    "retentionTime",
    "retentionSize",
    "ephemeralStorageGib",
    "allowedCidrs",
    "scrapeInterval",
    "evaluationInterval",
  ]);
  const kind = s.oneOf("storage", "efs", ["efs", "amp"]) === "amp" ? StorageKind.Amp : StorageKind.Efs;
  const retentionTime = s.string(
    "retentionTime",
    kind === StorageKind.Efs ? "15d" : "1d",
    DURATION,
    DURATION_TEXT,
  );
  const retentionSize = s.string(
    "retentionSize",
    kind === StorageKind.Efs ? "20GB" : "10GB",
    /^\d+(B|KB|MB|GB|TB|PB)$/,
    "a size such as 512MB or 20GB",
  );
  const common = {
    ...taskSize(s, { cpu: 512, memory: 1024 }),
    allowedCidrs: noEverywhere(
      s.key("allowedCidrs"),
      s.strings("allowedCidrs", [], CIDR, CIDR_TEXT),
      "Prometheus has no authentication",
    ),
    scrapeInterval: s.string("scrapeInterval", "15s", DURATION, DURATION_TEXT),
    evaluationInterval: s.string("evaluationInterval", "15s", DURATION, DURATION_TEXT),
  };
  if (kind === StorageKind.Efs) return { ...common, storage: { kind, retentionTime, retentionSize } };
  const ephemeralStorageGib = s.integer("ephemeralStorageGib", 30, { min: 21, max: 200, why: "Fargate" });
  // Leave a quarter of the task's disk to the WAL, compaction and the images.
  if (sizeInBytes(retentionSize) > ephemeralStorageGib * 1024 ** 3 * 0.75) {
    throw new ConfigError(
      `${NAMESPACE}:${s.key("retentionSize")} must be at most 75% of prometheus.ephemeralStorageGib ` +
        `(${ephemeralStorageGib} GiB) with storage amp, got ${JSON.stringify(retentionSize)}`,
    );
  }
  return { ...common, storage: { kind, retentionTime, retentionSize, ephemeralStorageGib } };
}

function parseGrafana(root: Section): GrafanaConfig {
  const s = root.section("grafana", ["cpu", "memory", "allowedCidrs", "viewers", "editors"]);
  return {
    ...taskSize(s, { cpu: 512, memory: 1024 }),
    allowedCidrs: s.strings("allowedCidrs", [EVERYWHERE], CIDR, CIDR_TEXT),
    viewers: s.strings("viewers", [], EMAIL, "email addresses of existing Grafana users"),
    editors: s.strings("editors", [], EMAIL, "email addresses of existing Grafana users"),
  };
}

const fraction = (n: number) => n > 0 && n < 1;
const positive = (n: number) => n > 0;

function parseThresholds(root: Section): AlertThresholds {
  // Defaults are the generator's own, so an unset key means exactly what the generator assumes.
  const d = DEFAULT_THRESHOLDS;
  const s = root.section("alertThresholds", Object.keys(d));
  const between = "a number between 0 and 1 (exclusive)";
  const above = "a number above 0";
  const ratio = (key: keyof AlertThresholds, fallback: number) => s.number(key, fallback, between, fraction);
  const amount = (key: keyof AlertThresholds, fallback: number) => s.number(key, fallback, above, positive);
  const p90 = amount("latencyP90Seconds", d.latencyP90Seconds);
  return {
    errorRatio: ratio("errorRatio", d.errorRatio),
    minRequestRate: amount("minRequestRate", d.minRequestRate),
    latencyP99Seconds: s.number(
      "latencyP99Seconds",
      d.latencyP99Seconds,
      `a number above latencyP90Seconds (${p90})`,
      (n) => n > p90,
    ),
    latencyP90Seconds: p90,
    eventLoopLagSeconds: amount("eventLoopLagSeconds", d.eventLoopLagSeconds),
    memoryRatio: ratio("memoryRatio", d.memoryRatio),
    cpuCores: amount("cpuCores", d.cpuCores),
    dbPoolRatio: ratio("dbPoolRatio", d.dbPoolRatio),
    dbSizeBytes: s.integer("dbSizeBytes", d.dbSizeBytes, { min: 1, max: Number.MAX_SAFE_INTEGER }),
    restartsPerHour: s.integer("restartsPerHour", d.restartsPerHour, { min: 1, max: 1000 }),
    fdRatio: ratio("fdRatio", d.fdRatio),
    gcTimeRatio: ratio("gcTimeRatio", d.gcTimeRatio),
    dbQueryP99Seconds: amount("dbQueryP99Seconds", d.dbQueryP99Seconds),
    dbErrorRatio: ratio("dbErrorRatio", d.dbErrorRatio),
    containerMemoryRatio: ratio("containerMemoryRatio", d.containerMemoryRatio),
    taskCpuRatio: ratio("taskCpuRatio", d.taskCpuRatio),
    prometheusStorageRatio: ratio("prometheusStorageRatio", d.prometheusStorageRatio),
    remoteWriteLagSeconds: amount("remoteWriteLagSeconds", d.remoteWriteLagSeconds),
    for: s.string("for", d.for, DURATION, DURATION_TEXT),
  };
}

/** Non-integer histogram bounds of the service's http_request_duration_seconds (see docs). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 2.5];

function parseSlo(root: Section): SloInput {
  const s = root.section("slo", ["availability", "latency", "latencyThresholdSeconds"]);
  const objective = "a number between 0.9 and 0.9999 (an SLO objective such as 0.995)";
  const isObjective = (n: number) => n >= 0.9 && n <= 0.9999;
  return {
    availability: s.number("availability", 0.995, objective, isObjective),
    latency: s.number("latency", 0.99, objective, isObjective),
    latencyThresholdSeconds: s.number(
      "latencyThresholdSeconds",
      0.5,
      `one of the non-integer histogram bucket bounds ${LATENCY_BUCKETS.join(", ")}`,
      (n) => LATENCY_BUCKETS.includes(n),
    ),
  };
}

function parseReceivers(
  root: Section,
  secret: (key: SecretKey) => pulumi.Output<string> | undefined,
): ReceiversConfig {
  const s = root.section("receivers", [
    "email",
    "slackChannel",
    "pagerduty",
    "watchdogWebhookUrl",
    "groupWait",
    "groupInterval",
    "repeatInterval",
  ]);
  const required = (key: SecretKey, because: string): pulumi.Output<string> => {
    const value = secret(key);
    if (value === undefined) {
      throw new ConfigError(
        `${NAMESPACE}:${key} is required when ${because}: \`pulumi config set --secret ${key} <value>\``,
      );
    }
    return value;
  };
  const unused = (key: SecretKey, because: string): void => {
    if (secret(key) !== undefined) {
      throw new ConfigError(`${NAMESPACE}:${key} is set but ${because}; remove it or enable the receiver`);
    }
  };
  const receivers: ReceiversConfig = {
    groupWait: s.string("groupWait", "30s", DURATION, DURATION_TEXT),
    groupInterval: s.string("groupInterval", "5m", DURATION, DURATION_TEXT),
    repeatInterval: s.string("repeatInterval", "4h", DURATION, DURATION_TEXT),
  };
  const watchdog = s.optionalString("watchdogWebhookUrl", HTTPS_URL, "an https:// URL");
  if (watchdog !== undefined) receivers.watchdogWebhookUrl = watchdog;

  if (s.has("email")) {
    const e = s.section("email", ["to", "from", "smarthost", "username"]);
    receivers.email = {
      to: e.string("to", undefined, EMAIL, "an email address"),
      from: e.string("from", undefined, EMAIL, "an email address"),
      smarthost: e.string("smarthost", undefined, /^[a-z0-9.-]+:\d{1,5}$/, "host:port of the SMTP server"),
      username: e.string("username", undefined, /^\S+$/, "the SMTP user name"),
      password: required("smtpPassword", "receivers.email is set"),
    };
  } else {
    unused("smtpPassword", "receivers.email is not set");
  }
  const channel = s.optionalString("slackChannel", /^#[a-z0-9_-]{1,80}$/, "a Slack channel such as #alerts");
  if (channel !== undefined) {
    receivers.slack = { channel, webhookUrl: required("slackWebhookUrl", "receivers.slackChannel is set") };
  } else {
    unused("slackWebhookUrl", "receivers.slackChannel is not set");
  }
  if (s.boolean("pagerduty", false)) {
    receivers.pagerduty = { routingKey: required("pagerdutyRoutingKey", "receivers.pagerduty is true") };
  } else {
    unused("pagerdutyRoutingKey", "receivers.pagerduty is not true");
  }
  if (receivers.email === undefined && receivers.slack === undefined && receivers.pagerduty === undefined) {
    throw new ConfigError(
      `${NAMESPACE}:receivers must enable at least one of email, slackChannel, pagerduty (alerts would reach nobody)`,
    );
  }
  return receivers;
}

/** The configuration of the running Pulumi program. */
export function pulumiConfigSource(): ConfigSource {
  // The SDK knows which keys were set with --secret but only exports that (untyped) as
  // runtime.isConfigSecret; fail loudly if an SDK upgrade removes it.
  const runtime = pulumi.runtime as typeof pulumi.runtime & { isConfigSecret?: (key: string) => boolean };
  const isConfigSecret = runtime.isConfigSecret;
  if (typeof isConfigSecret !== "function")
    throw new Error("@pulumi/pulumi no longer exports isConfigSecret");
  const all = pulumi.runtime.allConfig();
  const prefix = `${NAMESPACE}:`;
  return {
    stack: pulumi.getStack(),
    keys: () =>
      Object.keys(all)
        .filter((k) => k.startsWith(prefix))
        .map((k) => k.slice(prefix.length)),
    get: (key) => all[prefix + key],
    isSecret: (key) => isConfigSecret(prefix + key),
    awsRegion: all["aws:region"],
  };
}

export function loadStackConfig(): StackConfig {
  return parseStackConfig(pulumiConfigSource());
}
