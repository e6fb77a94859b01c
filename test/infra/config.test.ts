import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { DEFAULT_THRESHOLDS } from "showcase-monitoring/monitoring";
import { ConfigError, parseStackConfig } from "../../stack/config";
import { valueOf } from "./harness";
import { configSource, stackValues, TEST_SECRETS, withField, withKey, type StackValues } from "./stack-files";

const parse = (values: StackValues, stack = "dev") => parseStackConfig(configSource(values, stack));
const dev = stackValues("dev");
const prod = stackValues("prod");

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

describe("configuration errors name the key and what is allowed", () => {
  const cases: [string, StackValues, string | RegExp][] = [
    [
      "more app tasks than Cloud Map discovery answers",
      withField(dev, "app", "maxCount", 1001),
      "showcase-monitoring:app.maxCount must be an integer between 1 and 1000 (Cloud Map discovery answers at most 1000 instances), got 1001",
    ],
    [
      "minCount above maxCount",
      withField(dev, "app", "minCount", 3),
      "showcase-monitoring:app.minCount must be an integer between 1 and 2 (at most app.maxCount), got 3",
    ],
    [
      "a non-Fargate memory size",
      withField(dev, "app", "memory", 4096),
      /^showcase-monitoring:app\.memory must be a Fargate memory size for cpu 256 \(MiB\): 512\.\.2048 .*got 4096$/,
    ],
    [
      "a non-Fargate cpu",
      withField(dev, "grafana", "cpu", 300),
      "showcase-monitoring:grafana.cpu must be one of 256, 512, 1024, 2048, 4096, got 300",
    ],
    [
      "an unknown top-level key",
      withKey(dev, "appCount", "3"),
      /unknown configuration key\(s\) showcase-monitoring:appCount/,
    ],
    [
      "a typo inside an object",
      withField(dev, "app", "maxcount", 3),
      /^showcase-monitoring:app has unknown key\(s\) maxcount; allowed: cpu, memory, image, minCount, maxCount/,
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
      "no receiver at all",
      withField(withKey(dev, "slackWebhookUrl", undefined), "receivers", "slackChannel", undefined),
      /receivers must enable at least one of email, slackChannel, pagerduty/,
    ],
    [
      "Prometheus open to the internet",
      withField(dev, "prometheus", "allowedCidrs", ["0.0.0.0/0"]),
      "showcase-monitoring:prometheus.allowedCidrs must not contain 0.0.0.0/0 (Prometheus has no authentication)",
    ],
    [
      "a malformed CIDR",
      withField(dev, "grafana", "allowedCidrs", ["10.0.0.0/33"]),
      'showcase-monitoring:grafana.allowedCidrs[0] must be an IPv4 CIDR such as 10.0.0.0/16, got "10.0.0.0/33"',
    ],
    [
      "AMP retention larger than the disk",
      withField(prod, "prometheus", "retentionSize", "40GB"),
      /^showcase-monitoring:prometheus\.retentionSize must be at most 75% of prometheus\.ephemeralStorageGib \(30 GiB\)/,
    ],
    [
      "a bad retention time",
      withField(dev, "prometheus", "retentionTime", "2 weeks"),
      'showcase-monitoring:prometheus.retentionTime must be a Prometheus duration such as 30s, 5m, 15d, got "2 weeks"',
    ],
    [
      "half an existing network",
      withField(dev, "network", "existingVpcId", "vpc-0123456789abcdef0"),
      /^showcase-monitoring:network needs all of existingVpcId, existingPublicSubnetIds, existingPrivateSubnetIds/,
    ],
    ["no domain", withKey(dev, "domain", undefined), /^showcase-monitoring:domain must be set: a DNS name/],
    [
      "no certificate",
      withKey(dev, "certificateArn", undefined),
      /^showcase-monitoring:certificateArn must be set: the ARN of an ACM certificate covering api\.dev\.showcase\.example\.com and grafana\.dev\.showcase\.example\.com/,
    ],
    [
      "no region",
      withKey(dev, "aws:region", undefined),
      "aws:region must be an AWS region such as us-east-1, got undefined",
    ],
    [
      "an SLO latency bound that is not a bucket",
      withField(dev, "slo", "latencyThresholdSeconds", 1),
      /^showcase-monitoring:slo\.latencyThresholdSeconds must be one of the non-integer histogram bucket bounds .*got 1$/,
    ],
    [
      "an SLO of 100%",
      withField(dev, "slo", "availability", 1),
      "showcase-monitoring:slo.availability must be a number between 0.9 and 0.9999 (an SLO objective such as 0.995), got 1",
    ],
    [
      "an error ratio above 1",
      withField(dev, "alertThresholds", "errorRatio", 1.5),
      "showcase-monitoring:alertThresholds.errorRatio must be a number between 0 and 1 (exclusive), got 1.5",
    ],
    [
      "p99 below p90",
      withField(dev, "alertThresholds", "latencyP99Seconds", 0.5),
      "showcase-monitoring:alertThresholds.latencyP99Seconds must be a number above latencyP90Seconds (1), got 0.5",
    ],
    [
      "an external database without its URL",
      withField(dev, "database", "mode", "external"),
      /^showcase-monitoring:databaseUrl is required when database\.mode is external/,
    ],
    [
      "a database URL beside RDS",
      {
        config: withKey(dev, "databaseUrl", TEST_SECRETS.databaseUrl).config,
        secretKeys: [...dev.secretKeys, "showcase-monitoring:databaseUrl"],
      },
      "showcase-monitoring:databaseUrl is only used with database.mode external; remove it",
    ],
    [
      "a log retention CloudWatch does not offer",
      withKey(dev, "logRetentionDays", "8"),
      /^showcase-monitoring:logRetentionDays must be one of the CloudWatch retention periods 1, 3, 5, 7, 14/,
    ],
    [
      "an environment name with capitals",
      withKey(dev, "environment", "Dev"),
      /^showcase-monitoring:environment must be lowercase letters/,
    ],
    [
      "a non-string tag",
      withKey(dev, "tags", { team: 7 }),
      "showcase-monitoring:tags.team must be a string, got 7",
    ],
    [
      "a boolean that is not",
      withField(dev, "app", "ecsExporter", "yes"),
      'showcase-monitoring:app.ecsExporter must be true or false, got "yes"',
    ],
    [
      "a log level pino does not know",
      withField(dev, "app", "logLevel", "verbose"),
      'showcase-monitoring:app.logLevel must be one of fatal, error, warn, info, debug, trace, got "verbose"',
    ],
  ];
  it.each(cases)("%s", (_, values, message) => {
    expect(() => parse(values)).toThrowError(message);
    expect(() => parse(values)).toThrowError(ConfigError);
  });
});

describe("accepted forms", () => {
  it("reads numbers and booleans set as strings (`pulumi config set --path app.maxCount 2`)", () => {
    const config = parse(withField(withField(dev, "app", "maxCount", "2"), "app", "ecsExporter", "false"));
    expect(config.app.maxCount).toBe(2);
    expect(config.app.ecsExporter).toBe(false);
  });

  it("uses an existing VPC when all three of its keys are set", () => {
    let values = withField(dev, "network", "existingVpcId", "vpc-0123456789abcdef0");
    values = withField(values, "network", "existingPublicSubnetIds", [
      "subnet-0aaaaaaaaaaaaaaa1",
      "subnet-0aaaaaaaaaaaaaaa2",
    ]);
    values = withField(values, "network", "existingPrivateSubnetIds", [
      "subnet-0bbbbbbbbbbbbbbb1",
      "subnet-0bbbbbbbbbbbbbbb2",
    ]);
    expect(parse(values).network).toEqual({
      kind: "existing",
      vpcId: "vpc-0123456789abcdef0",
      publicSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"],
      privateSubnetIds: ["subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2"],
    });
  });

  it("takes an external database URL as a secret", async () => {
    let values = withField(dev, "database", "mode", "external");
    values = withKey(values, "databaseUrl", TEST_SECRETS.databaseUrl);
    values = { ...values, secretKeys: [...values.secretKeys, "showcase-monitoring:databaseUrl"] };
    const database = parse(values).database;
    if (database.mode !== "external") throw new Error("expected an external database");
    expect(await pulumi.isSecret(database.url)).toBe(true);
  });

  it("defaults the environment to the stack name", () => {
    expect(parse(withKey(dev, "environment", undefined), "staging").environment).toBe("staging");
  });
});
