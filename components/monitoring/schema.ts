// The value schemas every check of this package is built from (zod; docs/decisions/0011): the
// generators' input checks (validate.ts), the components' argument checks and the stack
// configuration (stack/config.ts) all use these, so a value one accepts the others accept too.
import { z } from "zod";

// Prometheus' duration syntax (units in descending order, each at most once), e.g. "1h30m", "15s".
const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_MS = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1];

/** Milliseconds of a Prometheus duration, or undefined when `text` is not one. */
export function parseDurationMs(text: string): number | undefined {
  const match = text === "" ? null : DURATION.exec(text);
  if (match === null) return undefined;
  return UNIT_MS.reduce((sum, unit, i) => sum + unit * Number(match[i + 1] ?? 0), 0);
}

const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const HOST_PORT = /^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):(\d{1,5})$/;
const CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

function urlWith(protocols: string[]) {
  const names = protocols.map((p) => p.replace(":", "")).join(" or ");
  return z.string({ error: `expected a URL with scheme ${names}` }).refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { error: `expected a URL with scheme ${names}` },
  );
}

export const schemas = {
  text: z
    .string({ error: "expected a non-empty string" })
    .trim()
    .min(1, { error: "expected a non-empty string" }),
  duration: z
    .string({ error: 'expected a Prometheus duration such as "30s" or "5m"' })
    .refine((value) => parseDurationMs(value) !== undefined, {
      error: 'expected a Prometheus duration such as "30s" or "5m"',
    })
    .refine((value) => (parseDurationMs(value) ?? 0) > 0, { error: "expected a duration above zero" }),
  port: z
    .number({ error: "expected a TCP port (integer 1-65535)" })
    .int({ error: "expected a TCP port (integer 1-65535)" })
    .min(1, { error: "expected a TCP port (integer 1-65535)" })
    .max(65_535, { error: "expected a TCP port (integer 1-65535)" }),
  hostname: z.string({ error: "expected a DNS name" }).regex(HOSTNAME, { error: "expected a DNS name" }),
  hostPort: z
    .string({ error: 'expected "host:port" without scheme or path' })
    .regex(HOST_PORT, { error: 'expected "host:port" without scheme or path' })
    .refine((value) => Number(HOST_PORT.exec(value)?.[1]) <= 65_535, {
      error: 'expected "host:port" with a TCP port (1-65535)',
    }),
  fraction: z
    .number({ error: "expected a number between 0 and 1 (exclusive)" })
    .gt(0, { error: "expected a number between 0 and 1 (exclusive)" })
    .lt(1, { error: "expected a number between 0 and 1 (exclusive)" }),
  positive: z
    .number({ error: "expected a finite number above 0" })
    .gt(0, { error: "expected a finite number above 0" })
    .refine(Number.isFinite, { error: "expected a finite number above 0" }),
  absolutePath: z
    .string({ error: "expected an absolute path of a file holding the secret" })
    .startsWith("/", { error: "expected an absolute path of a file holding the secret" }),
  /** An HTTP path such as /metrics. */
  httpPath: z
    .string({ error: 'expected an HTTP path starting with "/"' })
    .regex(/^\/[\w\-./~%]*$/, { error: 'expected an HTTP path starting with "/"' }),
  cidr: z.string({ error: "expected an IPv4 CIDR such as 10.0.0.0/16" }).regex(CIDR, {
    error: "expected an IPv4 CIDR such as 10.0.0.0/16",
  }),
  email: z
    .string({ error: "expected an email address" })
    .regex(EMAIL, { error: "expected an email address" }),
  awsRegion: z
    .string({ error: "expected an AWS region such as eu-west-1" })
    .regex(AWS_REGION, { error: "expected an AWS region such as eu-west-1" }),
  httpsUrl: urlWith(["https:"]),
  httpUrl: urlWith(["https:", "http:"]),
  urlWith,
  integer: (min: number, max: number, why?: string) => {
    const error = `expected an integer between ${min} and ${max}${why === undefined ? "" : ` (${why})`}`;
    return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
  },
} as const;

/** The message of the first problem `schema` finds in `value`, or undefined when it accepts it. */
export function problemOf(schema: z.ZodType, value: unknown): string | undefined {
  const result = schema.safeParse(value);
  return result.success ? undefined : (result.error.issues[0]?.message ?? "invalid value");
}

/** `value` parsed by `schema`; otherwise throws `<field>: <problem> (got <value>)`. */
export function check<T>(schema: z.ZodType<T>, field: string, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? "" : `.${issue.path.join(".")}`;
  throw new Error(`${field}${where}: ${issue?.message ?? "invalid value"} (got ${JSON.stringify(value)})`);
}
