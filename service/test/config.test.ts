import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../src/config";

const URL_WITH_SECRET = "postgres://app:s3cret%2Fpw@db.internal:6432/showcase";

function configError(env: Record<string, string>): ConfigError {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

const problems = (env: Record<string, string>) =>
  configError({ DATABASE_URL: URL_WITH_SECRET, ...env }).problems;

describe("parseConfig", () => {
  it("applies the documented defaults", () => {
    const config = parseConfig({ DATABASE_URL: URL_WITH_SECRET });
    expect(config).toEqual({
      host: "0.0.0.0",
      port: 3000,
      metricsPort: 9464,
      tls: undefined,
      metricsTokenFile: undefined,
      logLevel: "info",
      database: {
        host: "db.internal",
        port: 6432,
        user: "app",
        password: "s3cret/pw",
        database: "showcase",
        ssl: "disable",
        caCertFile: undefined,
        poolMax: 10,
      },
      trustProxy: [],
      shutdownTimeoutMs: 20_000,
      keepAliveTimeoutMs: 75_000,
      requestTimeoutMs: 15_000,
    });
  });

  it("reads every variable", () => {
    const config = parseConfig({
      DATABASE_URL: "postgresql://app@[::1]/db",
      DATABASE_PASSWORD: "from-secrets-manager",
      DATABASE_SSL: "verify-full",
      DATABASE_CA_CERT_FILE: "/etc/ssl/rds/global-bundle.pem",
      DATABASE_POOL_MAX: "25",
      PORT: "8080",
      METRICS_PORT: "9100",
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      TRUST_PROXY: "10.0.0.0/16, 10.1.0.0/16,fd00::/8",
      SHUTDOWN_TIMEOUT_MS: "5000",
      KEEP_ALIVE_TIMEOUT_MS: "65000",
      REQUEST_TIMEOUT_MS: "8000",
      TLS_CERT_FILE: "/run/secrets/tls.crt",
      TLS_KEY_FILE: "/run/secrets/tls.key",
      METRICS_BEARER_TOKEN_FILE: "/run/secrets/metrics-token",
    });
    expect(config).toMatchObject({
      host: "127.0.0.1",
      port: 8080,
      metricsPort: 9100,
      logLevel: "warn",
      trustProxy: ["10.0.0.0/16", "10.1.0.0/16", "fd00::/8"],
      shutdownTimeoutMs: 5000,
      keepAliveTimeoutMs: 65_000,
      requestTimeoutMs: 8_000,
      tls: { certFile: "/run/secrets/tls.crt", keyFile: "/run/secrets/tls.key" },
      metricsTokenFile: "/run/secrets/metrics-token",
      database: {
        host: "::1",
        port: 5432,
        user: "app",
        password: "from-secrets-manager",
        ssl: "verify-full",
        caCertFile: "/etc/ssl/rds/global-bundle.pem",
      },
    });
    expect(config.database.poolMax).toBe(25);
  });

  it("lets DATABASE_PASSWORD override the URL's password", () => {
    expect(
      parseConfig({ DATABASE_URL: URL_WITH_SECRET, DATABASE_PASSWORD: "rotated" }).database.password,
    ).toBe("rotated");
  });

  it.each([
    ["PORT", "0", "PORT must be an integer from 1 to 65535"],
    ["PORT", "80a", "PORT must be an integer from 1 to 65535"],
    ["METRICS_PORT", "70000", "METRICS_PORT must be an integer from 1 to 65535"],
    ["LOG_LEVEL", "verbose", "LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent"],
    ["DATABASE_SSL", "prefer", "DATABASE_SSL must be one of disable, require, verify-full"],
    ["DATABASE_POOL_MAX", "0", "DATABASE_POOL_MAX must be an integer from 1 to 1000"],
    [
      "TRUST_PROXY",
      "10.0.0.0/33",
      'TRUST_PROXY must be comma-separated IP addresses or CIDRs, got "10.0.0.0/33"',
    ],
    ["TRUST_PROXY", "10.0.0.0/8,alb", 'TRUST_PROXY must be comma-separated IP addresses or CIDRs, got "alb"'],
    ["SHUTDOWN_TIMEOUT_MS", "-1", "SHUTDOWN_TIMEOUT_MS must be an integer from 0 to 600000"],
    ["KEEP_ALIVE_TIMEOUT_MS", "1.5", "KEEP_ALIVE_TIMEOUT_MS must be an integer from 1000 to 600000"],
    ["REQUEST_TIMEOUT_MS", "999", "REQUEST_TIMEOUT_MS must be an integer from 1000 to 600000"],
  ])("rejects %s=%s naming the variable and the value", (name, value, message) => {
    const [problem, ...rest] = problems({ [name]: value });
    expect(rest).toEqual([]);
    expect(problem).toContain(message);
    expect(problem).toContain(name);
  });

  it("requires DATABASE_URL", () => {
    expect(() => parseConfig({})).toThrow(/DATABASE_URL is required/);
  });

  it.each([
    ["not a url", "is not a URL"],
    ["mysql://u:p@h/db", 'must start with postgres:// or postgresql://, got "mysql://"'],
    ["postgres://h/db", "has no user name"],
    ["postgres://u:p@h", "must name one database"],
    ["postgres://u:p@h/db?sslmode=require", "must not have query parameters (sslmode); use DATABASE_SSL"],
  ])("rejects DATABASE_URL %s without echoing it", (url, message) => {
    const [problem] = problems({ DATABASE_URL: url });
    expect(problem).toContain(`DATABASE_URL ${message}`);
    expect(problem).not.toContain(url);
    expect(problem).not.toContain(":p@");
  });

  it("rejects a CA file that would not be used, and the CA in the environment (before)", () => {
    expect(problems({ DATABASE_SSL: "require", DATABASE_CA_CERT_FILE: "/ca.pem" })).toEqual([
      'DATABASE_CA_CERT_FILE is only used with DATABASE_SSL=verify-full, got "require"',
    ]);
    expect(
      problems({ DATABASE_SSL: "verify-full", DATABASE_CA_CERT: "-----BEGIN CERTIFICATE-----" }),
    ).toEqual(["DATABASE_CA_CERT is no longer read: put the PEM in a file and set DATABASE_CA_CERT_FILE"]);
  });

  it("wants the certificate and the key together, and the metrics token only over TLS", () => {
    expect(problems({ TLS_CERT_FILE: "/tls.crt" })).toEqual([
      "TLS_CERT_FILE is set but TLS_KEY_FILE is not: set both",
    ]);
    expect(problems({ TLS_KEY_FILE: "/tls.key" })).toEqual([
      "TLS_KEY_FILE is set but TLS_CERT_FILE is not: set both",
    ]);
    expect(problems({ METRICS_BEARER_TOKEN_FILE: "/token" })).toEqual([
      "METRICS_BEARER_TOKEN_FILE needs TLS_CERT_FILE and TLS_KEY_FILE: a token sent over plain HTTP can be read on the way",
    ]);
    expect(
      parseConfig({ DATABASE_URL: URL_WITH_SECRET, TLS_CERT_FILE: "/c", TLS_KEY_FILE: "/k" }),
    ).toMatchObject({
      tls: { certFile: "/c", keyFile: "/k" },
      metricsTokenFile: undefined,
    });
  });

  it("keeps /metrics off the public port", () => {
    expect(problems({ PORT: "9000", METRICS_PORT: "9000" })).toEqual([
      "METRICS_PORT must differ from PORT (both 9000): /metrics stays private",
    ]);
  });

  it("reports every problem at once, and the secret in none", () => {
    const error = configError({ DATABASE_URL: "http://app:s3cret@h/db", PORT: "x", LOG_LEVEL: "loud" });
    expect(error.problems.map((p) => p.split(" ")[0])).toEqual(["PORT", "LOG_LEVEL", "DATABASE_URL"]);
    expect(error.message).not.toContain("s3cret");
  });
});
