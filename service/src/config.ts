// The service's configuration, read once from the environment. Every problem is reported with the
// variable's name; values that may hold secrets (the database URL and password) are never echoed.
import { isIP } from "node:net";

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
export type DatabaseSslMode = "disable" | "require" | "verify-full";

export interface DatabaseConfig {
  host: string;
  port: number;
  user: string;
  password: string | undefined;
  database: string;
  ssl: DatabaseSslMode;
  /** Extra CA (PEM) trusted with `verify-full`, on top of Node's bundled CAs. */
  caCert: string | undefined;
  poolMax: number;
}

export interface Config {
  host: string;
  port: number;
  metricsPort: number;
  logLevel: LogLevel;
  database: DatabaseConfig;
  /** CIDRs (or addresses) whose X-Forwarded-* headers are believed; empty trusts nobody. */
  trustProxy: string[];
  shutdownTimeoutMs: number;
  /** Idle time allowed on a connection, before its first request, between two, or while it stalls. */
  keepAliveTimeoutMs: number;
  /** Bound from a request's headers to its answer: a body still arriving then gets 408, a handler 503. */
  requestTimeoutMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS: readonly LogLevel[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
const SSL_MODES: readonly DatabaseSslMode[] = ["disable", "require", "verify-full"];

/** Collects problems instead of stopping at the first one, so one run reports them all. */
class Reader {
  readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  /** The value, or undefined when unset or blank. */
  raw(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === "" ? undefined : value;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!(parsed >= min && parsed <= max)) {
      this.problems.push(`${name} must be an integer from ${min} to ${max}, got "${value}"`);
      return fallback;
    }
    return parsed;
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(value)) {
      this.problems.push(`${name} must be one of ${allowed.join(", ")}, got "${value}"`);
      return fallback;
    }
    return value as T;
  }
}

function isCidrOrAddress(entry: string): boolean {
  const [address = "", prefix, ...rest] = entry.split("/");
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
  return bits >= 0 && bits <= (family === 4 ? 32 : 128);
}

function readTrustProxy(reader: Reader): string[] {
  const value = reader.raw("TRUST_PROXY");
  if (value === undefined) return [];
  const entries = value.split(",").map((e) => e.trim());
  for (const entry of entries) {
    if (!isCidrOrAddress(entry))
      reader.problems.push(`TRUST_PROXY must be comma-separated IP addresses or CIDRs, got "${entry}"`);
  }
  return entries;
}

function readDatabase(reader: Reader): DatabaseConfig {
  const ssl = reader.oneOf("DATABASE_SSL", "disable", SSL_MODES);
  const caCert = reader.raw("DATABASE_CA_CERT");
  if (caCert !== undefined && !caCert.includes("-----BEGIN CERTIFICATE-----"))
    reader.problems.push("DATABASE_CA_CERT must hold PEM certificates (-----BEGIN CERTIFICATE-----)");
  if (caCert !== undefined && ssl !== "verify-full")
    reader.problems.push(`DATABASE_CA_CERT is only used with DATABASE_SSL=verify-full, got "${ssl}"`);
  const poolMax = reader.integer("DATABASE_POOL_MAX", 10, 1, 1000);
  const passwordOverride = reader.raw("DATABASE_PASSWORD");

  const value = reader.raw("DATABASE_URL");
  const fallback = { host: "", port: 5432, user: "", password: undefined, database: "" };
  if (value === undefined) {
    reader.problems.push("DATABASE_URL is required (postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE)");
    return { ...fallback, ssl, caCert, poolMax };
  }
  // Never echo the URL: it may carry the password.
  const problem = (what: string) => {
    reader.problems.push(`DATABASE_URL ${what} (value not shown: it may hold a password)`);
    return { ...fallback, ssl, caCert, poolMax };
  };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return problem("is not a URL; expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE");
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:")
    return problem(`must start with postgres:// or postgresql://, got "${url.protocol}//"`);
  if (url.hostname === "") return problem("has no host");
  if (url.username === "") return problem("has no user name");
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (database === "" || database.includes("/")) return problem("must name one database in its path");
  // TLS is DATABASE_SSL's job; a second, conflicting place to set it would be a trap.
  const params = [...url.searchParams.keys()];
  if (params.length > 0)
    return problem(`must not have query parameters (${params.join(", ")}); use DATABASE_SSL for TLS`);
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: url.port === "" ? 5432 : Number(url.port),
    user: decodeURIComponent(url.username),
    password: passwordOverride ?? (url.password === "" ? undefined : decodeURIComponent(url.password)),
    database,
    ssl,
    caCert,
    poolMax,
  };
}

/** Reads and checks the whole configuration; throws a ConfigError listing every problem. */
export function parseConfig(env: Env): Config {
  const reader = new Reader(env);
  const config: Config = {
    host: reader.raw("HOST") ?? "0.0.0.0",
    port: reader.integer("PORT", 3000, 1, 65535),
    metricsPort: reader.integer("METRICS_PORT", 9464, 1, 65535),
    logLevel: reader.oneOf("LOG_LEVEL", "info", LOG_LEVELS),
    database: readDatabase(reader),
    trustProxy: readTrustProxy(reader),
    shutdownTimeoutMs: reader.integer("SHUTDOWN_TIMEOUT_MS", 20_000, 0, 600_000),
    keepAliveTimeoutMs: reader.integer("KEEP_ALIVE_TIMEOUT_MS", 75_000, 1_000, 600_000),
    requestTimeoutMs: reader.integer("REQUEST_TIMEOUT_MS", 15_000, 1_000, 600_000),
  };
  if (reader.problems.length === 0 && config.port === config.metricsPort)
    reader.problems.push(`METRICS_PORT must differ from PORT (both ${config.port}): /metrics stays private`);
  if (reader.problems.length > 0) throw new ConfigError(reader.problems);
  return config;
}
