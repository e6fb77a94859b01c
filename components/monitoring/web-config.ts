// TLS and authentication on Prometheus's and Alertmanager's HTTP APIs (their `--web.config.file`),
// and the client side: how a scraper, Prometheus's alerting, promtool or amtool reach a server that
// wants TLS and a credential. Credentials are only ever files (`password_file`,
// `credentials_file`); the web config holds bcrypt hashes, never a password.
import type { HttpClientInput, WebConfigInput } from "./types";
import { invalid, requireAbsolutePath, requireHostname, requireText } from "./validate";
import { toYaml } from "./yaml";

// What Prometheus's exporter-toolkit accepts: bcrypt in the 2a/2b/2y forms (cost, salt and hash).
const BCRYPT_HASH = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;
// HTTP basic auth puts user:password in one header: a colon in a user name cannot be told apart.
const USER_NAME = /^[^:\s]+$/;

/** The `tls_config`, and `basic_auth` or `authorization`, of one client, as Prometheus writes them. */
export function httpClientSettings(field: string, input: HttpClientInput): Record<string, object> {
  const tls: Record<string, string> = { ca_file: requireAbsolutePath(`${field}.caFile`, input.caFile) };
  // Targets are IP addresses: the name the certificate carries is checked instead.
  if (input.serverName !== undefined) {
    tls.server_name = requireHostname(`${field}.serverName`, input.serverName);
  }
  const settings: Record<string, object> = { tls_config: tls };
  if (input.basicAuth !== undefined && input.bearerTokenFile !== undefined) {
    invalid(
      `${field}.bearerTokenFile`,
      input.bearerTokenFile,
      "expected basicAuth or bearerTokenFile, not both",
    );
  }
  if (input.basicAuth !== undefined) {
    const { username, passwordFile } = input.basicAuth;
    if (!USER_NAME.test(username ?? "")) {
      invalid(`${field}.basicAuth.username`, username, "expected a user name without colons or spaces");
    }
    settings.basic_auth = {
      username,
      password_file: requireAbsolutePath(`${field}.basicAuth.passwordFile`, passwordFile),
    };
  }
  if (input.bearerTokenFile !== undefined) {
    settings.authorization = {
      type: "Bearer",
      credentials_file: requireAbsolutePath(`${field}.bearerTokenFile`, input.bearerTokenFile),
    };
  }
  return settings;
}

/** A `--http.config.file` for promtool and amtool (health checks, operators' commands). */
export function renderHttpClientConfig(input: HttpClientInput, purpose: string): string {
  return toYaml(
    `HTTP client configuration: ${requireText("purpose", purpose)}.`,
    httpClientSettings("client", input),
  );
}

/** A `--web.config.file` for Prometheus or Alertmanager: TLS only, and a password for every request. */
export function renderWebConfig(input: WebConfigInput, server: string): string {
  const users = Object.entries(input.users ?? {});
  if (users.length === 0) invalid("users", input.users, "expected at least one user and its bcrypt hash");
  for (const [name, hash] of users) {
    if (!USER_NAME.test(name)) invalid("users", name, "expected user names without colons or spaces");
    if (!BCRYPT_HASH.test(hash ?? "")) {
      // The value may be a password given by mistake: never echo it.
      throw new Error(`users.${name}: expected a bcrypt hash ($2a$, $2b$ or $2y$), not a password`);
    }
  }
  if (input.tls === undefined) invalid("tls", input.tls, "expected the certificate and key files");
  return toYaml(`Web configuration of ${requireText("server", server)}: TLS and basic auth.`, {
    tls_server_config: {
      cert_file: requireAbsolutePath("tls.certFile", input.tls.certFile),
      key_file: requireAbsolutePath("tls.keyFile", input.tls.keyFile),
      min_version: "TLS12",
    },
    basic_auth_users: Object.fromEntries(users),
  });
}

/**
 * Health checks of a server behind its web config, with the tool its image ships and a client
 * config (`renderHttpClientConfig`): `promtool check ready` asks Prometheus's /-/ready; Alertmanager
 * has no such command, so a quiet silence query shows its API answering.
 */
export const HEALTH_CHECK_COMMANDS = {
  prometheus: (url: string, httpConfigFile: string) => [
    "promtool",
    "check",
    "ready",
    `--url=${url}`,
    `--http.config.file=${httpConfigFile}`,
  ],
  alertmanager: (url: string, httpConfigFile: string) => [
    "amtool",
    "silence",
    "query",
    "--quiet",
    `--alertmanager.url=${url}`,
    `--http.config.file=${httpConfigFile}`,
  ],
} as const;
