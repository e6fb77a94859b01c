// The stack configuration: every key of Pulumi.<stack>.yaml read through the stack schema
// (stack/schema.ts) and the secrets' rules (stack/secrets.ts), once, into the typed object
// index.ts composes the components from. A bad value fails the preview with a ConfigError that
// names the key, what is allowed and the value it got, one line per problem.
import * as pulumi from "@pulumi/pulumi";
import type { TaskSize } from "showcase-monitoring";
import type { AlertThresholds, SloInput } from "showcase-monitoring/monitoring";
import { schemas } from "showcase-monitoring/schema";
import { ConfigError, describeIssue, NAMESPACE } from "./fields";
import { stackSchema, type StackSettings } from "./schema";
import { isSecretKey, type SecretKey, secretProblems, secretValue } from "./secrets";

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

type Settings = StackSettings & { environment: string; region: string };

export type NetworkConfig =
  | { kind: "new"; cidr: string; availabilityZones: number; natGateways: "single" | "onePerAz" }
  | { kind: "existing"; vpcId: string; publicSubnetIds: string[]; privateSubnetIds: string[] };

export type AppConfig = StackSettings["app"];

export type DatabaseConfig =
  | ({ mode: "rds" } & Omit<StackSettings["database"], "mode">)
  | { mode: "external"; url: pulumi.Output<string> };

export type PrometheusConfig = StackSettings["prometheus"];
export type PrometheusStorageConfig = PrometheusConfig["storage"];
export type GrafanaConfig = StackSettings["grafana"];

type ReceiverSettings = StackSettings["receivers"];
export interface ReceiversConfig {
  email?: NonNullable<ReceiverSettings["email"]> & { password: pulumi.Output<string> };
  slack?: { channel: string; webhookUrl: pulumi.Output<string> };
  pagerduty?: { routingKey: pulumi.Output<string> };
  watchdogWebhookUrl?: string;
  /** Unset: the Alertmanager generator's defaults. */
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
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

/** The Cloud Map namespace of an environment: `<component>.<namespace>` names each component's tasks. */
export function discoveryNamespace(environment: string): string {
  return `${environment}.showcase.internal`;
}

/**
 * The settings of the stack files, defaults filled in and every rule between them checked, without
 * the secrets' values (the profiles of `npm run render` read the stack files through this).
 */
export function parseStackSettings(source: ConfigSource): Settings {
  const input: Record<string, unknown> = { environment: source.stack };
  for (const key of source.keys()) if (!isSecretKey(key)) input[key] = source.get(key);
  const region = schemas.awsRegion.safeParse(source.awsRegion);
  const parsed = stackSchema.safeParse(input, { reportInput: true });
  const problems = [
    ...(region.success
      ? []
      : [
          source.awsRegion === undefined
            ? `aws:region is required: ${region.error.issues[0]?.message}`
            : `aws:region ${region.error.issues[0]?.message}, got ${JSON.stringify(source.awsRegion)}`,
        ]),
    ...(parsed.success ? [] : parsed.error.issues.map(describeIssue)),
  ];
  // A value can break several checks with one message (e.g. an integer's bounds): say it once.
  if (!region.success || !parsed.success) throw new ConfigError([...new Set(problems)].join("\n"));
  return { ...parsed.data, environment: parsed.data.environment ?? source.stack, region: region.data };
}

/** Parses and validates the whole stack configuration. Throws a ConfigError listing every problem. */
export function parseStackConfig(source: ConfigSource): StackConfig {
  const settings = parseStackSettings(source);
  const problems = secretProblems(settings, source);
  if (problems.length > 0) throw new ConfigError(problems.join("\n"));
  const secret = (key: SecretKey): pulumi.Output<string> => {
    const value = secretValue(source, key);
    // secretProblems made sure every needed secret is set.
    if (value === undefined) throw new ConfigError(`${NAMESPACE}:${key} is required`);
    return pulumi.secret(value);
  };
  const { network, database, receivers, ...plain } = settings;
  return {
    ...plain,
    network: networkConfig(network),
    database:
      database.mode === "external"
        ? { mode: "external", url: secret("databaseUrl") }
        : { ...database, mode: "rds" },
    receivers: receiversConfig(receivers, secret),
  };
}

function networkConfig(network: StackSettings["network"]): NetworkConfig {
  const { existingVpcId, existingPublicSubnetIds, existingPrivateSubnetIds } = network;
  // The schema lets all three through or none.
  if (
    existingVpcId !== undefined &&
    existingPublicSubnetIds !== undefined &&
    existingPrivateSubnetIds !== undefined
  ) {
    return {
      kind: "existing",
      vpcId: existingVpcId,
      publicSubnetIds: existingPublicSubnetIds,
      privateSubnetIds: existingPrivateSubnetIds,
    };
  }
  return {
    kind: "new",
    cidr: network.vpcCidr,
    availabilityZones: network.availabilityZones,
    natGateways: network.natGateways,
  };
}

function receiversConfig(
  receivers: ReceiverSettings,
  secret: (key: SecretKey) => pulumi.Output<string>,
): ReceiversConfig {
  const { email, slackChannel, pagerduty, ...rest } = receivers;
  return {
    ...rest,
    ...(email === undefined ? {} : { email: { ...email, password: secret("smtpPassword") } }),
    ...(slackChannel === undefined
      ? {}
      : { slack: { channel: slackChannel, webhookUrl: secret("slackWebhookUrl") } }),
    ...(pagerduty ? { pagerduty: { routingKey: secret("pagerdutyRoutingKey") } } : {}),
  };
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
