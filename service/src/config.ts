// The service's configuration, read once from the environment. Every problem is reported with the
// variable's name; values that may hold secrets (the database URL and password) are never echoed.
import { isIP } from "node:net";
import { SERVICE_METRICS_PORT, SERVICE_PORT } from "showcase-monitoring-conventions";

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
export type DatabaseSslMode = "disable" | "require" | "verify-full";

export interface DatabaseConfig {
  host: string;
  port: number;
  user: string;
  password: string | undefined;
  database: string;
  ssl: DatabaseSslMode;
  /**
   * With `verify-full`: a PEM file of the CAs to trust (e.g. the RDS bundle), instead of Node's
   * bundled public CAs.
   */
  caCertFile: string | undefined;
  poolMax: number;
}

/** The certificate (chain, leaf first) and private key both listeners serve, as PEM files. */
export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

export interface Config {
  host: string;
  port: number;
  metricsPort: number;
  /** HTTPS on both ports when set; plain HTTP when undefined. */
  tls: TlsFiles | undefined;
  /** A file holding the bearer token /metrics requires; undefined leaves /metrics open. */
  metricsTokenFile: string | undefined;
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

function readTls(reader: Reader): TlsFiles | undefined {
  const certFile = reader.raw("TLS_CERT_FILE");
  const keyFile = reader.raw("TLS_KEY_FILE");
  if (certFile !== undefined && keyFile !== undefined) return { certFile, keyFile };
  if (certFile !== undefined) reader.problems.push("TLS_CERT_FILE is set but TLS_KEY_FILE is not: set both");
  if (keyFile !== undefined) reader.problems.push("TLS_KEY_FILE is set but TLS_CERT_FILE is not: set both");
  return undefined;
}

function readMetricsTokenFile(reader: Reader, tls: TlsFiles | undefined): string | undefined {
  const file = reader.raw("METRICS_BEARER_TOKEN_FILE");
  if (file !== undefined && tls === undefined)
    reader.problems.push(
      "METRICS_BEARER_TOKEN_FILE needs TLS_CERT_FILE and TLS_KEY_FILE: a token sent over plain HTTP can be read on the way",
    );
  return file;
}

function readDatabase(reader: Reader): DatabaseConfig {
  const ssl = reader.oneOf("DATABASE_SSL", "disable", SSL_MODES);
  // The PEM itself in the environment (before): CA bundles come as files, like the certificates.
  if (reader.raw("DATABASE_CA_CERT") !== undefined)
    reader.problems.push(
      "DATABASE_CA_CERT is no longer read: put the PEM in a file and set DATABASE_CA_CERT_FILE",
    );
  const caCertFile = reader.raw("DATABASE_CA_CERT_FILE");
  if (caCertFile !== undefined && ssl !== "verify-full")
    reader.problems.push(`DATABASE_CA_CERT_FILE is only used with DATABASE_SSL=verify-full, got "${ssl}"`);
  const poolMax = reader.integer("DATABASE_POOL_MAX", 10, 1, 1000);
  const passwordOverride = reader.raw("DATABASE_PASSWORD");

  const value = reader.raw("DATABASE_URL");
  const fallback = { host: "", port: 5432, user: "", password: undefined, database: "" };
  if (value === undefined) {
    reader.problems.push("DATABASE_URL is required (postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE)");
    return { ...fallback, ssl, caCertFile, poolMax };
  }
  // Never echo the URL: it may carry the password.
  const problem = (what: string) => {
    reader.problems.push(`DATABASE_URL ${what} (value not shown: it may hold a password)`);
    return { ...fallback, ssl, caCertFile, poolMax };
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
    caCertFile,
    poolMax,
  };
}

/** Reads and checks the whole configuration; throws a ConfigError listing every problem. */
export function parseConfig(env: Env): Config {
  const reader = new Reader(env);
  const tls = readTls(reader);
  const config: Config = {
    host: reader.raw("HOST") ?? "0.0.0.0",
    port: reader.integer("PORT", SERVICE_PORT, 1, 65535),
    metricsPort: reader.integer("METRICS_PORT", SERVICE_METRICS_PORT, 1, 65535),
    tls,
    metricsTokenFile: readMetricsTokenFile(reader, tls),
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
