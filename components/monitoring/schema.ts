// The value schemas every check of this package is built from (zod; docs/decisions/0011): the
// generators' input checks (validate.ts), the components' argument checks and the stack
// configuration (stack/schema.ts) all use these, so a value one accepts the others accept too.
// Each schema's problems read `expected <allowed>`; `allowed` is also its metadata, which the
// generated docs/stack-configuration.md shows.
import { z } from "zod";
import { HTTP_DURATION_BUCKETS } from "./conventions";
import type { AlertThresholds } from "./types";

/** The zod this package's schemas are made with: compose them with this one (one copy, one version). */
export { z };

// Prometheus' duration syntax (units in descending order, each at most once), e.g. "1h30m", "15s".
const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_MS = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1];

/** Milliseconds of a Prometheus duration, or undefined when `text` is not one. */
export function parseDurationMs(text: string): number | undefined {
  const match = text === "" ? null : DURATION.exec(text);
  if (match === null) return undefined;
  return UNIT_MS.reduce((sum, unit, i) => sum + unit * Number(match[i + 1] ?? 0), 0);
}

// Prometheus' size units (base 1024), as --storage.tsdb.retention.size reads them.
const SIZE = /^(\d+)(B|KB|MB|GB|TB|PB|EB)$/;
const SIZE_UNITS = ["B", "KB", "MB", "GB", "TB", "PB", "EB"];

/** Bytes of a Prometheus size such as `8GB`, or undefined when `text` is not one. */
export function parseSizeBytes(text: string): number | undefined {
  const match = SIZE.exec(text);
  if (match === null) return undefined;
  return Number(match[1]) * 1024 ** SIZE_UNITS.indexOf(match[2] ?? "");
}

const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const HOST_PORT = /^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):(\d{1,5})$/;
const OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const CIDR = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}/(?:3[0-2]|[12]?\\d)$`);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
// [registry[:port]/]path[:tag][@sha256:digest], the reference grammar of distribution/reference.
const IMAGE =
  /^(?:[a-z0-9.-]+(?::\d{1,5})?\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::\w[\w.-]{0,127})?(?:@sha256:[0-9a-f]{64})?$/;

/** A schema whose every problem reads `expected <allowed>`, with `allowed` as its metadata. */
function expecting<T extends z.ZodType>(allowed: string, build: (error: string) => T): T {
  return build(`expected ${allowed}`).meta({ allowed });
}

function urlWith(protocols: string[]) {
  const names = protocols.map((p) => p.replace(":", "")).join(" or ");
  return expecting(`a URL with scheme ${names}`, (error) =>
    z.string({ error }).refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      { error },
    ),
  );
}

function integer(min: number, max: number, why?: string) {
  return expecting(`an integer between ${min} and ${max}${why === undefined ? "" : ` (${why})`}`, (error) =>
    z.number({ error }).int({ error }).min(min, { error }).max(max, { error }),
  );
}

/** A number out of a fixed list (`what` names the list in the message). */
function numberIn(values: readonly number[], what: string) {
  return expecting(`${what}: ${values.join(", ")}`, (error) =>
    z.number({ error }).refine((n) => values.includes(n), { error }),
  );
}

/** A string matching `pattern`. */
function matching(pattern: RegExp, allowed: string) {
  // `abort`: refinements of a derived schema (e.g. a CIDR's prefix) only see matching strings.
  return expecting(allowed, (error) => z.string({ error }).regex(pattern, { error, abort: true }));
}

/** A list of `item` (each item's problem is reported at its index). */
function listOf<T extends z.ZodType>(item: T, allowed: string) {
  return expecting(`a list of ${allowed}`, (error) => z.array(item, { error }));
}

/** Fargate CPU units and, per CPU, the memory sizes (MiB) a task may have (ECS developer guide). */
const FARGATE_MEMORY: Record<number, number[]> = {
  256: [512, 1024, 2048],
  512: steps(1024, 4096, 1024),
  1024: steps(2048, 8192, 1024),
  2048: steps(4096, 16_384, 1024),
  4096: steps(8192, 30_720, 1024),
  // 8 and 16 vCPU need Linux platform 1.4.0, which the components use (LATEST).
  8192: steps(16_384, 61_440, 4096),
  16_384: steps(32_768, 122_880, 8192),
};
function steps(from: number, to: number, step: number): number[] {
  return Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);
}
export const FARGATE_CPUS = Object.keys(FARGATE_MEMORY).map(Number);

/** The memory sizes (MiB) Fargate offers with `cpu` units (none for a cpu it does not offer). */
export function fargateMemories(cpu: number): number[] {
  return FARGATE_MEMORY[cpu] ?? [];
}

/** The problem of a Fargate task's memory for its cpu, or undefined when Fargate offers the pair. */
export function taskMemoryProblem(size: { cpu: number; memory: number }): string | undefined {
  const memories = fargateMemories(size.cpu);
  if (memories.length === 0 || memories.includes(size.memory)) return undefined;
  return `expected a Fargate memory size for cpu ${size.cpu} (MiB): ${memories.join(", ")}`;
}

/** The retention periods (days) CloudWatch Logs accepts (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

// Prometheus 3 rewrites integer bucket bounds (le="1" becomes "1.0"), so an SLO on an integer bound
// would match nothing there: only the non-integer bounds are accepted.
export const SLO_LATENCY_BOUNDS = HTTP_DURATION_BUCKETS.filter((b) => !Number.isInteger(b));

/** The service's log levels (pino's). */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace"] as const;

const fraction = expecting("a number between 0 and 1 (exclusive)", (error) =>
  z.number({ error }).gt(0, { error }).lt(1, { error }),
);
const positive = expecting("a finite number above 0", (error) =>
  z.number({ error }).gt(0, { error, abort: true }).refine(Number.isFinite, { error }),
);
const duration = z
  .string({ error: 'expected a Prometheus duration such as "30s" or "5m"' })
  .refine((value) => parseDurationMs(value) !== undefined, {
    error: 'expected a Prometheus duration such as "30s" or "5m"',
    abort: true,
  })
  .refine((value) => (parseDurationMs(value) ?? 0) > 0, { error: "expected a duration above zero" })
  .meta({ allowed: 'a Prometheus duration above zero, such as "30s", "5m" or "1h30m"' });
const port = expecting("a TCP port (integer 1-65535)", (error) =>
  z.number({ error }).int({ error }).min(1, { error }).max(65_535, { error }),
);
const cidr = matching(CIDR, "an IPv4 CIDR such as 10.0.0.0/16");
const fargateCpu = numberIn(FARGATE_CPUS, "Fargate CPU units");
const fargateMemory = expecting("a Fargate memory size in MiB (valid for the cpu)", (error) =>
  z.number({ error }).int({ error }),
);

export const schemas = {
  text: expecting("a non-empty string", (error) => z.string({ error }).trim().min(1, { error })),
  boolean: expecting("true or false", (error) => z.boolean({ error })),
  duration,
  port,
  hostname: matching(HOSTNAME, "a DNS name"),
  /** A public DNS name of at least two labels, lowercase (a Route 53 zone's names). */
  domain: matching(DOMAIN, "a lowercase DNS name such as showcase.example.com"),
  hostPort: z
    .string({ error: 'expected "host:port" without scheme or path' })
    .regex(HOST_PORT, { error: 'expected "host:port" without scheme or path', abort: true })
    .refine((value) => port.safeParse(Number(HOST_PORT.exec(value)?.[1])).success, {
      error: 'expected "host:port" with a TCP port (1-65535)',
    })
    .meta({ allowed: '"host:port" with a TCP port (1-65535), without scheme or path' }),
  fraction,
  positive,
  absolutePath: expecting("an absolute path of a file holding the secret", (error) =>
    z.string({ error }).startsWith("/", { error }),
  ),
  /** An HTTP path such as /metrics. */
  httpPath: matching(/^\/[\w\-./~%]*$/, 'an HTTP path starting with "/"'),
  cidr,
  cidrs: listOf(cidr, "IPv4 CIDRs such as 10.0.0.0/16"),
  /** CIDRs that leave out most of the internet: for servers without authentication. */
  restrictedCidrs: expecting(
    "a list of IPv4 CIDRs, none of them /0 (the server has no authentication)",
    (error) =>
      z.array(cidr, { error }).refine((list) => list.every((range) => !range.endsWith("/0")), { error }),
  ),
  email: matching(EMAIL, "an email address"),
  awsRegion: matching(AWS_REGION, "an AWS region such as eu-west-1"),
  httpsUrl: urlWith(["https:"]),
  /** A URL kept in plain configuration (a webhook): https, and no credentials in it. */
  webhookUrl: expecting("an https URL without credentials (it is kept in plain config)", (error) =>
    urlWith(["https:"]).refine(
      (value) => {
        const url = new URL(value);
        return url.username === "" && url.password === "";
      },
      { error },
    ),
  ),
  httpUrl: urlWith(["https:", "http:"]),
  urlWith,
  integer,
  /** An image reference (`registry/path:tag` or `@sha256:` digest); pinning is the policy pack's check. */
  image: matching(IMAGE, "an image reference such as ghcr.io/org/app:1.2.3 or with an @sha256: digest"),
  logLevel: expecting(`a log level: ${LOG_LEVELS.join(", ")}`, (error) => z.enum(LOG_LEVELS, { error })),
  /** A Prometheus size such as 512MB or 20GB. */
  size: expecting("a Prometheus size such as 512MB or 20GB", (error) =>
    z.string({ error }).regex(SIZE, { error }),
  ),
  logRetentionDays: numberIn(LOG_RETENTION_DAYS, "a CloudWatch Logs retention period in days"),
  fargateCpu,
  fargateMemory,
  /** A Fargate task size: cpu units and a memory size Fargate offers with them. */
  taskSize: z.object({ cpu: fargateCpu, memory: fargateMemory }).superRefine((size, ctx) => {
    const problem = taskMemoryProblem(size);
    if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem, path: ["memory"] });
  }),
  /** An SLO objective: a fraction of good events over the SLO period. */
  sloObjective: expecting("an SLO objective between 0.9 and 0.9999, such as 0.995", (error) =>
    z.number({ error }).min(0.9, { error }).max(0.9999, { error }),
  ),
  /** A latency SLO's bound: a non-integer bucket bound of http_request_duration_seconds. */
  sloLatencyBound: numberIn(
    SLO_LATENCY_BOUNDS,
    "a non-integer bucket bound of http_request_duration_seconds",
  ),
  /** An ACM certificate's ARN. */
  certificateArn: matching(
    /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/,
    "an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)",
  ),
  hostedZoneId: matching(/^Z[A-Z0-9]{1,32}$/, "a Route 53 hosted zone id (Z...)"),
  vpcId: matching(/^vpc-[0-9a-f]{8,17}$/, "a VPC id (vpc-...)"),
  subnetId: matching(/^subnet-[0-9a-f]{8,17}$/, "a subnet id (subnet-...)"),
  rdsInstanceClass: matching(/^db\.[a-z0-9]+\.[a-z0-9]+$/, "an RDS instance class such as db.t4g.micro"),
  /** A PostgreSQL engine version as RDS takes it: a major, or major.minor (quoted in YAML). */
  postgresVersion: matching(/^\d{2}(\.\d+)?$/, 'a PostgreSQL major such as "16", or major.minor'),
  slackChannel: matching(/^#[a-z0-9_-]{1,80}$/, "a Slack channel such as #alerts"),
} as const;

/** Which value schema each alert threshold (AlertThresholds) has: what the rule generator accepts. */
export const thresholdSchemas = {
  errorRatio: schemas.fraction,
  minRequestRate: schemas.positive,
  latencyP99Seconds: schemas.positive,
  latencyP90Seconds: schemas.positive,
  eventLoopLagSeconds: schemas.positive,
  memoryRatio: schemas.fraction,
  cpuCores: schemas.positive,
  dbPoolRatio: schemas.fraction,
  dbSizeBytes: schemas.positive,
  restartsPerHour: schemas.positive,
  fdRatio: schemas.fraction,
  gcTimeRatio: schemas.fraction,
  dbQueryP99Seconds: schemas.positive,
  dbErrorRatio: schemas.fraction,
  containerMemoryRatio: schemas.fraction,
  taskCpuRatio: schemas.fraction,
  prometheusStorageRatio: schemas.fraction,
  remoteWriteLagSeconds: schemas.positive,
  for: schemas.duration,
} as const satisfies Record<keyof AlertThresholds, z.ZodType>;

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
