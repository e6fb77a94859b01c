// The stack files as Pulumi hands them to the program (tools/stack-files.ts), plus the secrets each
// stack needs (set with --secret, so not in the files), and changes of them for the tests.
import { type CloudStack, configSource, engineConfig, type EngineConfig } from "../../tools/stack-files";

export { configSource };

const NS = "showcase-monitoring";

export const TEST_SECRETS = {
  slackWebhookUrl: "https://hooks.slack.com/services/T000/B000/test-webhook-secret",
  pagerdutyRoutingKey: "pagerduty-routing-key-secret-0123456789",
  smtpPassword: "smtp-password-secret",
  databaseUrl: "postgres://app:db-password-secret@db.internal:5432/showcase",
} as const;
export type TestSecret = keyof typeof TEST_SECRETS;

/** Secrets each stack file's receivers call for. */
export const STACK_SECRETS: Record<CloudStack, TestSecret[]> = {
  dev: ["slackWebhookUrl"],
  prod: ["slackWebhookUrl", "pagerdutyRoutingKey", "smtpPassword"],
};

export type StackValues = EngineConfig;

/** Pulumi.<stack>.yaml plus its secrets, as the Pulumi engine passes config to the program. */
export function stackValues(stack: CloudStack): StackValues {
  const { config } = engineConfig(stack);
  for (const key of STACK_SECRETS[stack]) config[`${NS}:${key}`] = TEST_SECRETS[key];
  return { config, secretKeys: STACK_SECRETS[stack].map((key) => `${NS}:${key}`) };
}

/** `values` with `key` (namespace implied unless it has one) set, or removed when `value` is undefined. */
export function withKey(values: StackValues, key: string, value: unknown): StackValues {
  const full = key.includes(":") ? key : `${NS}:${key}`;
  const config = { ...values.config };
  if (value === undefined) delete config[full];
  else config[full] = typeof value === "string" ? value : JSON.stringify(value);
  return { config, secretKeys: values.secretKeys };
}

/** `values` with a field of a structured key changed (or removed when `value` is undefined). */
export function withField(values: StackValues, key: string, field: string, value: unknown): StackValues {
  const current = JSON.parse(values.config[`${NS}:${key}`] ?? "{}") as Record<string, unknown>;
  if (value === undefined) delete current[field];
  else current[field] = value;
  return withKey(values, key, current);
}

/** `values` with a secret key set with `--secret`. */
export function withSecret(values: StackValues, key: TestSecret, value: string): StackValues {
  return { config: withKey(values, key, value).config, secretKeys: [...values.secretKeys, `${NS}:${key}`] };
}
