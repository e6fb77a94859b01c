import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import {
  APP_SERVICE_DEFAULTS,
  APP_SERVICE_LIMITS,
  PLACEMENT_DEFAULTS,
  PROMETHEUS_SERVER_DEFAULTS,
  RDS_DATABASE_DEFAULTS,
} from "showcase-monitoring";
import { DEFAULT_THRESHOLDS } from "showcase-monitoring/monitoring";
import { LOG_RETENTION_DAYS } from "showcase-monitoring/schema";
import { ConfigError, parseStackConfig } from "../../stack/config";
import { valueOf } from "./harness";
import {
  configSource,
  stackValues,
  TEST_SECRETS,
  withField,
  withKey,
  withSecret,
  type StackValues,
} from "./stack-files";

const parse = (values: StackValues, stack = "dev") => parseStackConfig(configSource(values, stack));
const dev = stackValues("dev");
const prod = stackValues("prod");
const PROD_EMAIL = (JSON.parse(prod.config["showcase-monitoring:receivers"] ?? "{}") as { email: object })
  .email;
type Case = [name: string, values: StackValues, message: string | RegExp, stack: string];

/** dev on an existing VPC with these public subnets (and two private ones). */
function existingNetwork(publicSubnetIds: string[]): StackValues {
  let values = withField(dev, "network", "existingVpcId", "vpc-0123456789abcdef0");
  values = withField(values, "network", "existingPublicSubnetIds", publicSubnetIds);
  return withField(values, "network", "existingPrivateSubnetIds", [
    "subnet-0bbbbbbbbbbbbbbb1",
    "subnet-0bbbbbbbbbbbbbbb2",
  ]);
}

describe("stack files", () => {
  it("dev parses into a small stack: one NAT gateway, two AZs, Prometheus on EFS, RDS without protection", () => {
    const config = parse(dev);
    expect(config.environment).toBe("dev");
    expect(config.region).toBe("us-east-1");
    expect(config.network).toEqual({
      kind: "new",
      cidr: "10.10.0.0/16",
      availabilityZones: 2,
      natGateways: "single",
    });
    expect(config.app).toMatchObject({ cpu: 256, memory: 512, minCount: 1, maxCount: 2, ecsExporter: true });
    expect(config.prometheus.storage).toEqual({ kind: "efs", retentionTime: "7d", retentionSize: "5GB" });
    expect(config.database).toMatchObject({ mode: "rds", multiAz: false, deletionProtection: false });
    expect(config.receivers.slack?.channel).toBe("#showcase-dev");
    expect(config.receivers.pagerduty).toBeUndefined();
    expect(config.slo).toEqual({ availability: 0.99, latency: 0.95, latencyThresholdSeconds: 0.5 });
  });

  it("prod parses into a redundant stack: NAT per AZ, Multi-AZ RDS, AMP, restricted Grafana", () => {
    const config = parse(prod, "prod");
    expect(config.network).toMatchObject({ availabilityZones: 3, natGateways: "onePerAz" });
    expect(config.app).toMatchObject({ minCount: 2, maxCount: 20 });
    expect(config.database).toMatchObject({ mode: "rds", multiAz: true, deletionProtection: true });
    expect(config.prometheus.storage).toEqual({
      kind: "amp",
      retentionTime: "2d",
      retentionSize: "15GB",
      ephemeralStorageGib: 30,
    });
    expect(config.grafana.allowedCidrs).not.toContain("0.0.0.0/0");
    expect(config.receivers.email?.smarthost).toBe("email-smtp.us-east-1.amazonaws.com:587");
  });

  it("keeps every receiver secret a Pulumi secret", async () => {
    const receivers = parse(prod, "prod").receivers;
    const secrets = [receivers.slack?.webhookUrl, receivers.pagerduty?.routingKey, receivers.email?.password];
    for (const secret of secrets) {
      if (secret === undefined) throw new Error("prod enables every receiver");
      expect(await pulumi.isSecret(secret)).toBe(true);
    }
    expect(await valueOf(secrets[0] as pulumi.Output<string>)).toBe(TEST_SECRETS.slackWebhookUrl);
  });

  it("reads every threshold the rule generator knows, and both stacks set each one", () => {
    const known = Object.keys(DEFAULT_THRESHOLDS).sort();
    for (const values of [dev, prod]) {
      const thresholds = JSON.parse(values.config["showcase-monitoring:alertThresholds"] ?? "{}") as object;
      expect(Object.keys(thresholds).sort()).toEqual(known);
      expect(Object.keys(parse(values).alertThresholds).sort()).toEqual(known);
    }
  });
});

describe("configuration errors name the key, what is allowed and the value got", () => {
  const tooMany = APP_SERVICE_LIMITS.maxCount + 1;
  const cases: Case[] = (
    [
      [
        "more app tasks than AppService allows",
        withField(dev, "app", "maxCount", tooMany),
        `showcase-monitoring:app.maxCount expected an integer between 1 and ${APP_SERVICE_LIMITS.maxCount} (the most tasks Prometheus discovers), got ${tooMany}`,
      ],
      [
        "minCount above maxCount",
        withField(dev, "app", "minCount", 3),
        "showcase-monitoring:app.minCount expected an integer between 1 and 2 (at most app.maxCount), got 3",
      ],
      [
        "a non-Fargate memory size",
        withField(dev, "app", "memory", 4096),
        /^showcase-monitoring:app\.memory expected a Fargate memory size for cpu 256 \(MiB\): 512, 1024, 2048, got 4096$/,
      ],
      [
        "a non-Fargate cpu",
        withField(dev, "grafana", "cpu", 300),
        /^showcase-monitoring:grafana\.cpu expected Fargate CPU units: 256, 512, 1024, 2048, 4096, 8192, 16384, got 300$/,
      ],
      [
        "an unknown top-level key",
        withKey(dev, "appCount", "3"),
        /^unknown configuration key\(s\) showcase-monitoring:appCount; see docs\/stack-configuration\.md$/,
      ],
      [
        "a typo inside an object",
        withField(dev, "app", "maxcount", 3),
        /^showcase-monitoring:app has unknown key\(s\) maxcount; allowed: cpu, memory, image, minCount, maxCount/,
      ],
      [
        "a structured key that is not JSON",
        withKey(dev, "app", "{maxCount: 2"),
        'showcase-monitoring:app expected an object (YAML, or JSON text with `pulumi config set`), got "{maxCount: 2"',
      ],
      [
        "a secret in plain text",
        { config: dev.config, secretKeys: [] },
        "showcase-monitoring:slackWebhookUrl must be a secret: set it with `pulumi config set --secret slackWebhookUrl <value>`",
      ],
      [
        "a receiver without its secret",
        withKey(dev, "slackWebhookUrl", undefined),
        "showcase-monitoring:slackWebhookUrl is required when receivers.slackChannel is set: `pulumi config set --secret slackWebhookUrl <value>`",
      ],
      [
        "a secret no receiver uses",
        withSecret(dev, "smtpPassword", TEST_SECRETS.smtpPassword),
        "showcase-monitoring:smtpPassword is only used when receivers.email is set; remove it",
      ],
      [
        "no receiver at all",
        withField(withKey(dev, "slackWebhookUrl", undefined), "receivers", "slackChannel", undefined),
        /^showcase-monitoring:receivers must enable at least one of email, slackChannel, pagerduty/,
      ],
      [
        "Prometheus open to the internet",
        withField(dev, "prometheus", "allowedCidrs", ["0.0.0.0/0"]),
        'showcase-monitoring:prometheus.allowedCidrs expected a list of IPv4 CIDRs, none of them /0 (the server has no authentication), got ["0.0.0.0/0"]',
      ],
      [
        "a malformed CIDR",
        withField(dev, "grafana", "allowedCidrs", ["10.0.0.0/33"]),
        'showcase-monitoring:grafana.allowedCidrs[0] expected an IPv4 CIDR such as 10.0.0.0/16, got "10.0.0.0/33"',
      ],
      [
        "a VPC CIDR that is not one (one problem, not also its prefix)",
        withField(dev, "network", "vpcCidr", "abc"),
        /^showcase-monitoring:network\.vpcCidr expected an IPv4 CIDR such as 10\.0\.0\.0\/16, got "abc"$/,
      ],
      [
        "a VPC too small for its subnets",
        withField(dev, "network", "vpcCidr", "10.10.0.0/24"),
        'showcase-monitoring:network.vpcCidr expected a prefix between /16 and /22 (room for public and private subnets in each AZ), got "10.10.0.0/24"',
      ],
      [
        "AMP retention larger than the disk",
        withField(prod, "prometheus", "retentionSize", "40GB"),
        /^showcase-monitoring:prometheus\.retentionSize expected at most 75% of prometheus\.ephemeralStorageGib \(30 GiB\) with storage amp, got "40GB"$/,
      ],
      [
        "an AMP disk with EFS storage",
        withField(dev, "prometheus", "ephemeralStorageGib", 40),
        "showcase-monitoring:prometheus.ephemeralStorageGib is only used with storage amp; remove it",
      ],
      [
        "a bad retention time",
        withField(dev, "prometheus", "retentionTime", "2 weeks"),
        /^showcase-monitoring:prometheus\.retentionTime expected a Prometheus duration such as "30s" or "5m", got "2 weeks"$/,
      ],
      [
        "half an existing network",
        withField(dev, "network", "existingVpcId", "vpc-0123456789abcdef0"),
        "showcase-monitoring:network needs all of existingVpcId, existingPublicSubnetIds, existingPrivateSubnetIds to use an existing VPC, got only existingVpcId",
      ],
      [
        "an existing network with one subnet",
        existingNetwork(["subnet-0aaaaaaaaaaaaaaa1"]),
        'showcase-monitoring:network.existingPublicSubnetIds expected at least 2 subnet ids, in different AZs, got ["subnet-0aaaaaaaaaaaaaaa1"]',
      ],
      [
        "no domain",
        withKey(dev, "domain", undefined),
        "showcase-monitoring:domain is required: expected a lowercase DNS name such as showcase.example.com",
      ],
      [
        "no certificate",
        withKey(dev, "certificateArn", undefined),
        "showcase-monitoring:certificateArn is required: expected an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)",
      ],
      [
        "no region",
        withKey(dev, "aws:region", undefined),
        "aws:region is required: expected an AWS region such as eu-west-1",
      ],
      [
        "an SLO latency bound that is not a bucket",
        withField(dev, "slo", "latencyThresholdSeconds", 1),
        /^showcase-monitoring:slo\.latencyThresholdSeconds expected a non-integer bucket bound of http_request_duration_seconds: 0\.005, .*, 2\.5, got 1$/,
      ],
      [
        "an SLO of 100%",
        withField(dev, "slo", "availability", 1),
        "showcase-monitoring:slo.availability expected an SLO objective between 0.9 and 0.9999, such as 0.995, got 1",
      ],
      [
        "an error ratio above 1",
        withField(dev, "alertThresholds", "errorRatio", 1.5),
        "showcase-monitoring:alertThresholds.errorRatio expected a number between 0 and 1 (exclusive), got 1.5",
      ],
      [
        "p99 below p90",
        withField(dev, "alertThresholds", "latencyP99Seconds", 0.5),
        "showcase-monitoring:alertThresholds.latencyP99Seconds expected a number above latencyP90Seconds (1), got 0.5",
      ],
      [
        "an external database without its URL",
        withField(dev, "database", "mode", "external"),
        /^showcase-monitoring:databaseUrl is required when database\.mode is external/,
      ],
      [
        "a database URL beside RDS",
        withSecret(dev, "databaseUrl", TEST_SECRETS.databaseUrl),
        "showcase-monitoring:databaseUrl is only used when database.mode is external; remove it",
      ],
      [
        "a log retention CloudWatch does not offer",
        withKey(dev, "logRetentionDays", "8"),
        /^showcase-monitoring:logRetentionDays expected a CloudWatch Logs retention period in days: 1, 3, 5, 7, 14, .*, 3653, got 8$/,
      ],
      [
        "an environment name with capitals",
        withKey(dev, "environment", "Dev"),
        /^showcase-monitoring:environment expected lowercase letters, digits and dashes, .*, got "Dev"$/,
      ],
      [
        "a stack name that cannot be the environment",
        withKey(dev, "environment", undefined),
        /^showcase-monitoring:environment expected lowercase letters, .*, got "Staging"$/,
        "Staging",
      ],
      [
        "a non-string tag",
        withKey(dev, "tags", { team: 7 }),
        "showcase-monitoring:tags.team expected a non-empty string, got 7",
      ],
      [
        "a boolean that is not",
        withField(dev, "app", "ecsExporter", "yes"),
        'showcase-monitoring:app.ecsExporter expected true or false, got "yes"',
      ],
      [
        "a log level pino does not know",
        withField(dev, "app", "logLevel", "verbose"),
        'showcase-monitoring:app.logLevel expected a log level: fatal, error, warn, info, debug, trace, got "verbose"',
      ],
      [
        "an image reference with spaces",
        withField(dev, "app", "image", "my app:1.0"),
        /^showcase-monitoring:app\.image expected an image reference .*, got "my app:1\.0"$/,
      ],
      [
        "a watchdog URL with credentials (it is kept in plain config)",
        withField(prod, "receivers", "watchdogWebhookUrl", "https://user:pw@hc-ping.com/0000"),
        'showcase-monitoring:receivers.watchdogWebhookUrl expected an https URL without credentials (it is kept in plain config), got "https://user:pw@hc-ping.com/0000"',
        "prod",
      ],
      [
        "an SMTP port out of range",
        withField(prod, "receivers", "email", { ...PROD_EMAIL, smarthost: "smtp.example.com:70000" }),
        'showcase-monitoring:receivers.email.smarthost expected "host:port" with a TCP port (1-65535), got "smtp.example.com:70000"',
        "prod",
      ],
    ] satisfies [string, StackValues, string | RegExp, string?][]
  ).map(([name, values, message, stack]): Case => [name, values, message, stack ?? "dev"]);
  it.each(cases)("%s", (_, values, message, stack) => {
    expect(() => parse(values, stack)).toThrowError(message);
    expect(() => parse(values, stack)).toThrowError(ConfigError);
  });

  it("lists every problem, one line each", () => {
    let values = withField(dev, "app", "maxCount", 0);
    values = withField(values, "grafana", "allowedCidrs", ["10.0.0.0/8", "nope"]);
    values = withKey(values, "logRetentionDays", "forever");
    expect(() => parse(values)).toThrowError(
      [
        "showcase-monitoring:logRetentionDays expected a CloudWatch Logs retention period in days: " +
          `${LOG_RETENTION_DAYS.join(", ")}, got "forever"`,
        `showcase-monitoring:app.maxCount expected an integer between 1 and ${APP_SERVICE_LIMITS.maxCount} (the most tasks Prometheus discovers), got 0`,
        'showcase-monitoring:grafana.allowedCidrs[1] expected an IPv4 CIDR such as 10.0.0.0/16, got "nope"',
      ].join("\n"),
    );
  });

  it("never shows a secret's value, even a malformed one", () => {
    const secret = "hooks.slack.com/services/T000/B000/not-a-url-secret";
    const values = withSecret(dev, "slackWebhookUrl", secret);
    expect(() => parse(values)).toThrowError(
      "showcase-monitoring:slackWebhookUrl expected a URL with scheme https (the value is not shown: it is a secret)",
    );
    expect(() => parse(values)).not.toThrowError(secret);
  });
});

describe("accepted forms", () => {
  it("reads numbers and booleans set as strings (`pulumi config set --path app.maxCount 2`)", () => {
    const config = parse(withField(withField(dev, "app", "maxCount", "2"), "app", "ecsExporter", "false"));
    expect(config.app.maxCount).toBe(2);
    expect(config.app.ecsExporter).toBe(false);
    expect(parse(withKey(dev, "logRetentionDays", "14")).logRetentionDays).toBe(14);
  });

  it("reads a list set as JSON text inside an object, and treats null or empty as unset", () => {
    let values = withField(dev, "grafana", "allowedCidrs", '["10.0.0.0/8", "192.168.0.0/16"]');
    values = withField(values, "app", "image", null);
    values = withField(values, "database", "instanceClass", "");
    const config = parse(values);
    expect(config.grafana.allowedCidrs).toEqual(["10.0.0.0/8", "192.168.0.0/16"]);
    expect(config.app.image).toBeUndefined();
    expect(config.database).toMatchObject({ instanceClass: RDS_DATABASE_DEFAULTS.instanceClass });
  });

  it("fills what a stack file leaves out with the components' own defaults", () => {
    let values = withKey(dev, "app", {});
    values = withKey(values, "prometheus", undefined);
    values = withKey(values, "alertThresholds", undefined);
    values = withKey(values, "logRetentionDays", undefined);
    const config = parse(values);
    expect(config.app).toEqual({
      ...APP_SERVICE_DEFAULTS.size,
      minCount: APP_SERVICE_DEFAULTS.minCount,
      maxCount: APP_SERVICE_DEFAULTS.maxCount,
      cpuTargetPercent: APP_SERVICE_DEFAULTS.cpuTargetPercent,
      requestsPerTarget: APP_SERVICE_DEFAULTS.requestsPerTarget,
      logLevel: APP_SERVICE_DEFAULTS.logLevel,
      ecsExporter: APP_SERVICE_DEFAULTS.ecsExporter,
      allowedCidrs: APP_SERVICE_DEFAULTS.allowedCidrs,
    });
    expect(config.prometheus).toMatchObject({
      ...PROMETHEUS_SERVER_DEFAULTS.size,
      storage: PROMETHEUS_SERVER_DEFAULTS.storage,
      scrapeInterval: PROMETHEUS_SERVER_DEFAULTS.scrapeInterval,
    });
    expect(config.alertThresholds).toEqual(DEFAULT_THRESHOLDS);
    expect(config.logRetentionDays).toBe(PLACEMENT_DEFAULTS.logRetentionDays);
  });

  it("gives AMP storage a short local retention and the component's disk by default", () => {
    const config = parse(withKey(prod, "prometheus", { storage: "amp" }), "prod");
    expect(config.prometheus.storage).toEqual({
      kind: "amp",
      retentionTime: "1d",
      retentionSize: "10GB",
      ephemeralStorageGib: PROMETHEUS_SERVER_DEFAULTS.ampEphemeralStorageGib,
    });
  });

  it("takes the 8 and 16 vCPU Fargate sizes", () => {
    const config = parse(withKey(dev, "grafana", { cpu: 8192, memory: 61_440 }));
    expect(config.grafana).toMatchObject({ cpu: 8192, memory: 61_440 });
  });

  it("uses an existing VPC when all three of its keys are set", () => {
    expect(parse(existingNetwork(["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"])).network).toEqual({
      kind: "existing",
      vpcId: "vpc-0123456789abcdef0",
      publicSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"],
      privateSubnetIds: ["subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2"],
    });
  });

  it("takes an external database URL as a secret", async () => {
    const values = withSecret(
      withField(dev, "database", "mode", "external"),
      "databaseUrl",
      TEST_SECRETS.databaseUrl,
    );
    const database = parse(values).database;
    if (database.mode !== "external") throw new Error("expected an external database");
    expect(await pulumi.isSecret(database.url)).toBe(true);
    expect(await valueOf(database.url)).toBe(TEST_SECRETS.databaseUrl);
  });

  it("defaults the environment to the stack name", () => {
    expect(parse(withKey(dev, "environment", undefined), "staging").environment).toBe("staging");
  });

  it("drops a trailing slash of the runbook base URL", () => {
    const url = "https://wiki.example.com/runbooks/";
    expect(parse(withKey(dev, "runbookBaseUrl", url)).runbookBaseUrl).toBe(
      "https://wiki.example.com/runbooks",
    );
  });
});
