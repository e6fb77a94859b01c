// The secret keys of the namespace: set with `pulumi config set --secret`, never in a stack file in
// plain text, never shown in an error. Each belongs to a setting that needs it: a missing one and
// an unused one are both errors (so a forgotten secret does not linger).
import { schemas, type z } from "showcase-monitoring/schema";
import { NAMESPACE } from "./fields";
import type { StackSettings } from "./schema";

export interface SecretSpec {
  /** When the stack needs it, as errors and docs say it. */
  neededWhen: string;
  needed: (settings: StackSettings) => boolean;
  /** Its value's schema. */
  schema: z.ZodType<string>;
  /** A placeholder for the docs' command. */
  example: string;
}

export const SECRETS = {
  slackWebhookUrl: {
    neededWhen: "receivers.slackChannel is set",
    needed: (s) => s.receivers.slackChannel !== undefined,
    schema: schemas.httpsUrl,
    example: "https://hooks.slack.com/services/...",
  },
  pagerdutyRoutingKey: {
    neededWhen: "receivers.pagerduty is true",
    needed: (s) => s.receivers.pagerduty,
    schema: schemas.text,
    example: "<Events API v2 integration key>",
  },
  smtpPassword: {
    neededWhen: "receivers.email is set",
    needed: (s) => s.receivers.email !== undefined,
    schema: schemas.text,
    example: "<SMTP password>",
  },
  databaseUrl: {
    neededWhen: "database.mode is external",
    needed: (s) => s.database.mode === "external",
    schema: schemas.urlWith(["postgres:", "postgresql:"]),
    example: "postgres://user:password@host:5432/db",
  },
} satisfies Record<string, SecretSpec>;

export type SecretKey = keyof typeof SECRETS;
export const SECRET_KEYS = Object.keys(SECRETS) as SecretKey[];

export function isSecretKey(key: string): key is SecretKey {
  return key in SECRETS;
}

/** Where secrets are read from (a ConfigSource). */
export interface SecretSource {
  get(key: string): string | undefined;
  isSecret(key: string): boolean;
}

/** The secret's value, or undefined when it is not set. */
export function secretValue(source: SecretSource, key: SecretKey): string | undefined {
  const value = source.get(key);
  return value === undefined || value === "" ? undefined : value;
}

/** Every problem of the secrets for these settings, one line each. */
export function secretProblems(settings: StackSettings, source: SecretSource): string[] {
  return SECRET_KEYS.flatMap((key) => {
    const spec: SecretSpec = SECRETS[key];
    const value = secretValue(source, key);
    const where = `${NAMESPACE}:${key}`;
    const command = `\`pulumi config set --secret ${key} <value>\``;
    if (value === undefined)
      return spec.needed(settings) ? [`${where} is required when ${spec.neededWhen}: ${command}`] : [];
    if (!source.isSecret(key)) return [`${where} must be a secret: set it with ${command}`];
    if (!spec.needed(settings)) return [`${where} is only used when ${spec.neededWhen}; remove it`];
    const problem = spec.schema.safeParse(value).error?.issues[0]?.message;
    return problem === undefined ? [] : [`${where} ${problem} (the value is not shown: it is a secret)`];
  });
}
