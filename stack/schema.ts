// The schema of the stack configuration (Pulumi.<stack>.yaml, namespace `showcase-monitoring:`):
// the package's value schemas, the components' defaults, and the rules between settings. The
// components and the generators check the same values with the same schemas, so what passes here
// passes there. docs/stack-configuration.md is generated from this file (`npm run stack-docs`).
import {
  ALERTING_RULES_DEFAULTS,
  APP_SERVICE_DEFAULTS,
  APP_SERVICE_LIMITS,
  GRAFANA_CONTENT_DEFAULTS,
  GRAFANA_SERVER_DEFAULTS,
  PLACEMENT_DEFAULTS,
  PROMETHEUS_SERVER_DEFAULTS,
  RDS_DATABASE_DEFAULTS,
  StorageKind,
} from "showcase-monitoring";
import { DEFAULT_THRESHOLDS } from "showcase-monitoring/monitoring";
import { parseSizeBytes, schemas, taskMemoryProblem, thresholdSchemas, z } from "showcase-monitoring/schema";
import { addProblem, fields, setting, WHEN_FIELDS_VALID } from "./fields";

/** A Fargate task size: `cpu` and `memory` of a section, defaults from its component. */
function taskSize(defaults: { cpu: number; memory: number }, what: string) {
  return {
    cpu: setting.withDefault(schemas.fargateCpu, defaults.cpu, {
      description: `CPU units of the ${what} task`,
    }),
    memory: setting.withDefault(schemas.fargateMemory, defaults.memory, {
      description: `memory (MiB) of the ${what} task, one Fargate offers with its cpu`,
    }),
  };
}

function checkTaskSize(size: { cpu: number; memory: number }, ctx: z.RefinementCtx): void {
  const problem = taskMemoryProblem(size);
  if (problem !== undefined) addProblem(ctx, ["memory"], problem, size.memory);
}

const app = fields({
  ...taskSize(APP_SERVICE_DEFAULTS.size, "app"),
  image: setting.optional(schemas.image, {
    description:
      "run this image instead of building service/Dockerfile (pin it: the policy pack refuses `latest` and bare names)",
    defaultText: "unset (build)",
  }),
  minCount: setting.withDefault(
    schemas.integer(1, APP_SERVICE_LIMITS.maxCount),
    APP_SERVICE_DEFAULTS.minCount,
    { description: "lower autoscaling bound, at most maxCount" },
  ),
  maxCount: setting.withDefault(
    schemas.integer(1, APP_SERVICE_LIMITS.maxCount, "the most tasks Prometheus discovers"),
    APP_SERVICE_DEFAULTS.maxCount,
    { description: "upper autoscaling bound" },
  ),
  cpuTargetPercent: setting.withDefault(schemas.integer(10, 90), APP_SERVICE_DEFAULTS.cpuTargetPercent, {
    description: "target average CPU utilisation (%)",
  }),
  requestsPerTarget: setting.withDefault(
    schemas.integer(1, 1_000_000),
    APP_SERVICE_DEFAULTS.requestsPerTarget,
    { description: "target ALB requests per task per minute" },
  ),
  logLevel: setting.withDefault(schemas.logLevel, APP_SERVICE_DEFAULTS.logLevel, {
    description: "LOG_LEVEL of the service (pino)",
  }),
  ecsExporter: setting.withDefault(schemas.boolean, APP_SERVICE_DEFAULTS.ecsExporter, {
    description: "run the ecs_exporter sidecar (per-container CPU, memory, network)",
  }),
  allowedCidrs: setting.withDefault(schemas.cidrs, [...APP_SERVICE_DEFAULTS.allowedCidrs], {
    description: "who may reach the app's load balancer",
  }),
}).superRefine((s, ctx) => {
  checkTaskSize(s, ctx);
  if (s.minCount > s.maxCount) {
    addProblem(
      ctx,
      ["minCount"],
      `expected an integer between 1 and ${s.maxCount} (at most app.maxCount)`,
      s.minCount,
    );
  }
}, WHEN_FIELDS_VALID);

const VPC_PREFIX = { min: 16, max: 22 };
const EXISTING_NETWORK = ["existingVpcId", "existingPublicSubnetIds", "existingPrivateSubnetIds"] as const;
const subnets = schemas.subnetId
  .array()
  .min(2, { error: "expected at least 2 subnet ids, in different AZs" })
  .meta({ allowed: "at least 2 subnet ids (subnet-...), in different AZs" });

const network = fields({
  vpcCidr: setting.withDefault(
    schemas.cidr.refine(
      (cidr) => {
        const prefix = Number(cidr.split("/")[1]);
        return prefix >= VPC_PREFIX.min && prefix <= VPC_PREFIX.max;
      },
      {
        error: `expected a prefix between /${VPC_PREFIX.min} and /${VPC_PREFIX.max} (room for public and private subnets in each AZ)`,
      },
    ),
    "10.0.0.0/16",
    { description: `CIDR of the new VPC (/${VPC_PREFIX.min} to /${VPC_PREFIX.max})` },
  ),
  availabilityZones: setting.withDefault(schemas.integer(2, 3, "the ALB needs two"), 2, {
    description: "availability zones of the new VPC",
  }),
  natGateways: setting.withDefault(
    z.enum(["single", "onePerAz"]).meta({ allowed: "single or onePerAz" }),
    "onePerAz",
    {
      description: "NAT gateways of the new VPC: one, or one per AZ",
    },
  ),
  existingVpcId: setting.optional(schemas.vpcId, {
    description: "use this VPC instead of a new one (with both subnet lists)",
  }),
  existingPublicSubnetIds: setting.optional(subnets, {
    description: "public subnets of the existing VPC (load balancers)",
  }),
  existingPrivateSubnetIds: setting.optional(subnets, {
    description: "private subnets of the existing VPC (tasks, with a NAT route)",
  }),
}).superRefine((s, ctx) => {
  const given = EXISTING_NETWORK.filter((key) => s[key] !== undefined);
  if (given.length > 0 && given.length < EXISTING_NETWORK.length) {
    const message = `needs all of ${EXISTING_NETWORK.join(", ")} to use an existing VPC, got only ${given.join(", ")}`;
    addProblem(ctx, [], message);
  }
}, WHEN_FIELDS_VALID);

const database = fields({
  mode: setting.withDefault(z.enum(["rds", "external"]).meta({ allowed: "rds or external" }), "rds", {
    description: "rds (created here) or external (the databaseUrl secret)",
  }),
  instanceClass: setting.withDefault(schemas.rdsInstanceClass, RDS_DATABASE_DEFAULTS.instanceClass, {
    description: "RDS instance class",
  }),
  allocatedStorageGb: setting.withDefault(
    schemas.integer(20, 65_536),
    RDS_DATABASE_DEFAULTS.allocatedStorageGb,
    {
      description: "gp3 storage in GiB (autoscaling up to 4x)",
    },
  ),
  multiAz: setting.withDefault(schemas.boolean, RDS_DATABASE_DEFAULTS.multiAz, {
    description: "a standby in another AZ",
  }),
  backupRetentionDays: setting.withDefault(
    schemas.integer(1, 35),
    RDS_DATABASE_DEFAULTS.backupRetentionDays,
    {
      description: "days of automated backups",
    },
  ),
  deletionProtection: setting.withDefault(schemas.boolean, RDS_DATABASE_DEFAULTS.deletionProtection, {
    description: "refuse deletion, and keep a final snapshot",
  }),
  engineVersion: setting.withDefault(schemas.postgresVersion, RDS_DATABASE_DEFAULTS.engineVersion, {
    description: "PostgreSQL version (minor upgrades are automatic)",
  }),
});

/** Local retention with `amp`, where the TSDB is a short buffer in front of the workspace. */
const AMP_RETENTION = { retentionTime: "1d", retentionSize: "10GB" };
/** Share of the task's disk the TSDB may fill with `amp`: the rest is for the WAL, compaction, images. */
const AMP_DISK_SHARE = 0.75;
const P = PROMETHEUS_SERVER_DEFAULTS;

const prometheus = fields({
  ...taskSize(P.size, "Prometheus"),
  storage: setting.withDefault(z.enum(StorageKind).meta({ allowed: "efs or amp" }), P.storage.kind, {
    description:
      "efs (durable, one writer, NFS caveat) or amp (ephemeral TSDB plus remote_write to Amazon Managed Service for Prometheus), see decision 0003",
  }),
  retentionTime: setting.optional(schemas.duration, {
    description: "local retention time",
    defaultText: `\`${P.storage.retentionTime}\` (efs), \`${AMP_RETENTION.retentionTime}\` (amp)`,
  }),
  retentionSize: setting.optional(schemas.size, {
    description: `local retention size; with amp at most ${AMP_DISK_SHARE * 100}% of ephemeralStorageGib`,
    defaultText: `\`${P.storage.retentionSize}\` (efs), \`${AMP_RETENTION.retentionSize}\` (amp)`,
  }),
  ephemeralStorageGib: setting.optional(schemas.integer(21, 200, "Fargate"), {
    description: "task disk in GiB, with amp only",
    defaultText: `\`${P.ampEphemeralStorageGib}\` (amp)`,
  }),
  allowedCidrs: setting.withDefault(schemas.restrictedCidrs, [], {
    description: "ranges (VPN, peered VPCs) allowed to port 9090 besides Grafana",
  }),
  scrapeInterval: setting.withDefault(schemas.duration, P.scrapeInterval, { description: "scrape interval" }),
  evaluationInterval: setting.withDefault(schemas.duration, P.evaluationInterval, {
    description: "rule evaluation interval",
  }),
})
  .superRefine((s, ctx) => {
    checkTaskSize(s, ctx);
    if (s.storage === StorageKind.Efs && s.ephemeralStorageGib !== undefined) {
      addProblem(ctx, ["ephemeralStorageGib"], "is only used with storage amp; remove it");
    }
    const disk = s.ephemeralStorageGib ?? P.ampEphemeralStorageGib;
    const size = s.retentionSize ?? AMP_RETENTION.retentionSize;
    if (s.storage === StorageKind.Amp && (parseSizeBytes(size) ?? 0) > disk * 1024 ** 3 * AMP_DISK_SHARE) {
      const message = `expected at most ${AMP_DISK_SHARE * 100}% of prometheus.ephemeralStorageGib (${disk} GiB) with storage amp`;
      addProblem(ctx, ["retentionSize"], message, size);
    }
  }, WHEN_FIELDS_VALID)
  .transform(({ storage, retentionTime, retentionSize, ephemeralStorageGib, ...rest }) => {
    const local = storage === StorageKind.Efs ? P.storage : AMP_RETENTION;
    const retention = {
      retentionTime: retentionTime ?? local.retentionTime,
      retentionSize: retentionSize ?? local.retentionSize,
    };
    return {
      ...rest,
      storage:
        storage === StorageKind.Efs
          ? { kind: storage, ...retention }
          : {
              kind: storage,
              ...retention,
              ephemeralStorageGib: ephemeralStorageGib ?? P.ampEphemeralStorageGib,
            },
    };
  });

const alertmanager = fields(taskSize(ALERTING_RULES_DEFAULTS.size, "Alertmanager")).superRefine(
  checkTaskSize,
  WHEN_FIELDS_VALID,
);

const grafanaUsers = schemas.email.array().meta({ allowed: "a list of email addresses" });
const grafana = fields({
  ...taskSize(GRAFANA_SERVER_DEFAULTS.size, "Grafana"),
  allowedCidrs: setting.withDefault(schemas.cidrs, [...GRAFANA_SERVER_DEFAULTS.allowedCidrs], {
    description: "who may reach Grafana; must include where `pulumi up` runs",
  }),
  viewers: setting.withDefault(grafanaUsers, GRAFANA_CONTENT_DEFAULTS.teams.viewers, {
    description: "existing Grafana users (emails) in the Viewers team",
  }),
  editors: setting.withDefault(grafanaUsers, GRAFANA_CONTENT_DEFAULTS.teams.editors, {
    description: "existing Grafana users (emails) in the Editors team",
  }),
}).superRefine(checkTaskSize, WHEN_FIELDS_VALID);

/** A numeric alert threshold: the rule generator's value schema and default. */
function threshold(key: Exclude<keyof typeof thresholdSchemas, "for">, description: string) {
  return setting.withDefault(thresholdSchemas[key], DEFAULT_THRESHOLDS[key], { description });
}

const alertThresholds = fields({
  errorRatio: threshold("errorRatio", "5xx ratio above which HighErrorRate fires"),
  minRequestRate: threshold("minRequestRate", "requests/s below which the error-rate alert stays silent"),
  latencyP99Seconds: threshold("latencyP99Seconds", "p99 latency bound (s), above latencyP90Seconds"),
  latencyP90Seconds: threshold("latencyP90Seconds", "p90 latency bound (s)"),
  eventLoopLagSeconds: threshold("eventLoopLagSeconds", "event-loop lag p99 (s)"),
  memoryRatio: threshold("memoryRatio", "fraction of the memory/heap limit"),
  cpuCores: threshold("cpuCores", "CPU cores used per task"),
  dbPoolRatio: threshold("dbPoolRatio", "database pool in-use fraction"),
  dbSizeBytes: threshold("dbSizeBytes", "database size (bytes) that warns"),
  restartsPerHour: threshold("restartsPerHour", "app processes started within an hour that warn"),
  fdRatio: threshold("fdRatio", "fraction of the file-descriptor limit"),
  gcTimeRatio: threshold("gcTimeRatio", "fraction of wall time spent in garbage collection"),
  dbQueryP99Seconds: threshold("dbQueryP99Seconds", "p99 query time (s), per operation"),
  dbErrorRatio: threshold("dbErrorRatio", "failed queries per executed query, per operation"),
  containerMemoryRatio: threshold(
    "containerMemoryRatio",
    "fraction of its memory limit a container of the app's tasks uses (page cache excluded)",
  ),
  taskCpuRatio: threshold(
    "taskCpuRatio",
    "fraction of the task's CPU limit its containers use together, over 5m",
  ),
  prometheusStorageRatio: threshold(
    "prometheusStorageRatio",
    "fraction of Prometheus's retention size its TSDB (blocks, WAL, head chunks) fills",
  ),
  remoteWriteLagSeconds: threshold(
    "remoteWriteLagSeconds",
    "seconds remote write may lag behind the newest sample",
  ),
  for: setting.withDefault(thresholdSchemas.for, DEFAULT_THRESHOLDS.for, {
    description: "how long a condition must hold before an alert fires",
  }),
}).superRefine((t, ctx) => {
  if (t.latencyP99Seconds <= t.latencyP90Seconds) {
    const message = `expected a number above latencyP90Seconds (${t.latencyP90Seconds})`;
    addProblem(ctx, ["latencyP99Seconds"], message, t.latencyP99Seconds);
  }
}, WHEN_FIELDS_VALID);

/** The stack's SLO when none is set (the rule generator requires one). */
const SLO_DEFAULTS = { availability: 0.995, latency: 0.99, latencyThresholdSeconds: 0.5 };
const slo = fields({
  availability: setting.withDefault(schemas.sloObjective, SLO_DEFAULTS.availability, {
    description: "availability objective: the fraction of requests without a 5xx",
  }),
  latency: setting.withDefault(schemas.sloObjective, SLO_DEFAULTS.latency, {
    description: "latency objective: the fraction of requests faster than latencyThresholdSeconds",
  }),
  latencyThresholdSeconds: setting.withDefault(
    schemas.sloLatencyBound,
    SLO_DEFAULTS.latencyThresholdSeconds,
    {
      description: "the latency objective's bound (s)",
    },
  ),
});

const email = fields({
  to: setting.required(schemas.email, { description: "recipient" }),
  from: setting.required(schemas.email, { description: "sender" }),
  smarthost: setting.required(schemas.hostPort, {
    description: "host:port of the SMTP server (TLS required)",
  }),
  username: setting.required(schemas.text, {
    description: "SMTP user name (the password is the smtpPassword secret)",
  }),
});

const receivers = fields({
  email: setting.optional(email, {
    description: "email for warnings (needs the smtpPassword secret)",
    defaultText: "unset",
  }),
  slackChannel: setting.optional(schemas.slackChannel, {
    description: "Slack channel for criticals and warnings (needs the slackWebhookUrl secret)",
    defaultText: "unset",
  }),
  pagerduty: setting.withDefault(schemas.boolean, false, {
    description: "page criticals through PagerDuty (needs the pagerdutyRoutingKey secret)",
  }),
  watchdogWebhookUrl: setting.optional(schemas.webhookUrl, {
    description:
      "dead man's switch the always-firing Watchdog alert pings (plain config: it is in alertmanager.yml)",
    defaultText: "unset",
  }),
  // Unset, the Alertmanager generator applies its own defaults; the docs name them (a test checks).
  groupWait: setting.optional(schemas.duration, {
    description: "Alertmanager group_wait",
    defaultText: "`30s` (the generator's)",
  }),
  groupInterval: setting.optional(schemas.duration, {
    description: "Alertmanager group_interval",
    defaultText: "`5m` (the generator's)",
  }),
  repeatInterval: setting.optional(schemas.duration, {
    description: "Alertmanager repeat_interval",
    defaultText: "`4h` (the generator's)",
  }),
}).superRefine((r, ctx) => {
  if (r.email === undefined && r.slackChannel === undefined && !r.pagerduty) {
    addProblem(
      ctx,
      [],
      "must enable at least one of email, slackChannel, pagerduty (alerts would reach nobody)",
    );
  }
}, WHEN_FIELDS_VALID);

/** Every key of the namespace but the secrets (stack/secrets.ts), read as Pulumi hands them over. */
export const stackSchema = fields({
  environment: setting.optional(
    schemas.text
      .regex(/^[a-z][a-z0-9-]{0,15}$/, {
        error: "expected lowercase letters, digits and dashes, at most 16 characters, starting with a letter",
      })
      .meta({
        allowed: "lowercase letters, digits and dashes, at most 16 characters, starting with a letter",
      }),
    {
      description: "`env` label of every series and alert; names (`<env>.showcase.internal`)",
      defaultText: "the stack name",
    },
  ),
  domain: setting.required(schemas.domain, {
    description: "base domain: the app is served at api.<domain>, Grafana at grafana.<domain>",
  }),
  certificateArn: setting.required(schemas.certificateArn, {
    description:
      "ACM certificate (same region) covering api.<domain> and grafana.<domain>; Grafana is served over HTTPS only",
  }),
  hostedZoneId: setting.required(schemas.hostedZoneId, {
    description: "Route 53 zone where the alias records are created",
  }),
  runbookBaseUrl: setting.required(
    schemas.httpsUrl.transform((url) => url.replace(/\/+$/, "")),
    {
      description: "base URL of docs/runbooks for the alerts' runbook_url",
    },
  ),
  logRetentionDays: setting.withDefault(schemas.logRetentionDays, PLACEMENT_DEFAULTS.logRetentionDays, {
    description: "CloudWatch Logs retention of every component",
  }),
  tags: setting.withDefault(
    z.record(z.string(), schemas.text).meta({ allowed: "a map of strings" }),
    {},
    {
      description: "extra tags on every resource (project, stack and component are always set)",
    },
  ),
  network: setting.section(network, { description: "A new VPC, or an existing one" }),
  app: setting.section(app, { description: "The service (AppService)" }),
  database: setting.section(database, { description: "The service's PostgreSQL" }),
  prometheus: setting.section(prometheus, { description: "Prometheus (PrometheusServer)" }),
  alertmanager: setting.section(alertmanager, { description: "Alertmanager (AlertingRules)" }),
  grafana: setting.section(grafana, { description: "Grafana (GrafanaServer)" }),
  alertThresholds: setting.section(alertThresholds, {
    description: "Thresholds of the generated alerts (the rule generator's AlertThresholds)",
  }),
  slo: setting.section(slo, { description: "The service's SLOs (multi-window burn-rate alerts)" }),
  receivers: setting.section(receivers, {
    description: "Where alerts go: at least one of email, slackChannel, pagerduty",
  }),
});

/** The stack configuration's values, defaults filled in (secrets aside). */
export type StackSettings = z.output<typeof stackSchema>;
