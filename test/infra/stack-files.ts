// The stack files as Pulumi hands them to the program: `project:key` → string, structured values
// as JSON text, plus the secrets each stack needs (set with --secret, so not in the files).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { ConfigSource } from "../../stack/config";

const ROOT = join(import.meta.dirname, "..", "..");
const NS = "showcase-monitoring";

export const TEST_SECRETS = {
  slackWebhookUrl: "https://hooks.slack.com/services/T000/B000/test-webhook-secret",
  pagerdutyRoutingKey: "pagerduty-routing-key-secret-0123456789",
  smtpPassword: "smtp-password-secret",
  databaseUrl: "postgres://app:db-password-secret@db.internal:5432/showcase",
} as const;
export type TestSecret = keyof typeof TEST_SECRETS;

/** Secrets each stack file's receivers call for. */
export const STACK_SECRETS: Record<"dev" | "prod", TestSecret[]> = {
  dev: ["slackWebhookUrl"],
  prod: ["slackWebhookUrl", "pagerdutyRoutingKey", "smtpPassword"],
};

export interface StackValues {
  config: Record<string, string>;
  secretKeys: string[];
}

/** Pulumi.<stack>.yaml plus its secrets, as the Pulumi engine passes config to the program. */
export function stackValues(stack: "dev" | "prod"): StackValues {
  const file = parse(readFileSync(join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as {
    config: Record<string, unknown>;
  };
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(file.config)) {
    config[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  for (const key of STACK_SECRETS[stack]) config[`${NS}:${key}`] = TEST_SECRETS[key];
  return { config, secretKeys: STACK_SECRETS[stack].map((key) => `${NS}:${key}`) };
}

/** A ConfigSource over such values (what pulumiConfigSource reads in a real program). */
export function configSource(values: StackValues, stack: string): ConfigSource {
  const prefix = `${NS}:`;
  return {
    stack,
    keys: () =>
      Object.keys(values.config)
        .filter((k) => k.startsWith(prefix))
        .map((k) => k.slice(prefix.length)),
    get: (key) => values.config[prefix + key],
    isSecret: (key) => values.secretKeys.includes(prefix + key),
    awsRegion: values.config["aws:region"],
  };
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
