// The local stack's certificates and credentials, made at every start as the stack's internal CA
// and generated credentials are on AWS: a CA of its own, a certificate per server (its name and
// 127.0.0.1), the metrics bearer token, and a password per user of Prometheus's and
// Alertmanager's web config (bcrypt-hashed there). Secrets are files readable by their owner only.
import { hashSync } from "bcryptjs";
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderWebConfig, type HttpClientInput } from "showcase-monitoring/monitoring";
import { createCa, type IssuedCertificate } from "./certificates";
import type { Credential } from "./https";

/** Local servers that speak TLS, each under its own name (a Cloud Map name's place). */
export const LOCAL_TLS_SERVERS = ["service", "prometheus", "alertmanager"] as const;
export type LocalTlsServer = (typeof LOCAL_TLS_SERVERS)[number];
/** Users of Prometheus's and Alertmanager's web config: Prometheus itself, and the developer's. */
export const WEB_USERS = ["prometheus", "operator"] as const;
export type WebUser = (typeof WEB_USERS)[number];
/** The servers whose TLS and users come from a web config file. */
export type WebServer = "prometheus" | "alertmanager";

// As long as the internal certificates on AWS: AppCertificateExpiring stays silent locally.
const CERTIFICATE_DAYS = 90;
// bcrypt's usual cost; Prometheus checks the hash once per request and caches it.
const BCRYPT_COST = 10;

export interface LocalTls {
  /** What every client trusts. */
  caFile: string;
  /** `<server>.local`: the name each certificate carries and clients check. */
  serverName(server: LocalTlsServer): string;
  certificate(server: LocalTlsServer): IssuedCertificate;
  /** The service's TLS_CERT_FILE, TLS_KEY_FILE and METRICS_BEARER_TOKEN_FILE. */
  serviceEnv: { TLS_CERT_FILE: string; TLS_KEY_FILE: string; METRICS_BEARER_TOKEN_FILE: string };
  metricsToken: string;
  /** A user's password and the file holding it. */
  password(user: WebUser): { value: string; file: string };
  /**
   * The `--web.config.file` of Prometheus and of Alertmanager, every user in it. Written once, here:
   * a server re-reads it at every connection and serves plain HTTP without auth while it is empty.
   */
  webConfigFiles: Record<WebServer, string>;
  /** How `user` reaches `server` from a generated config (promtool, amtool, Prometheus). */
  client(server: LocalTlsServer, user?: WebUser): HttpClientInput;
  /** The same for this process's requests (tools/https). */
  credential(user: WebUser): Credential;
}

const secret = () => randomBytes(24).toString("base64url");

export async function createLocalTls(dir: string): Promise<LocalTls> {
  const tlsDir = join(dir, "tls");
  const secrets = join(dir, "secrets");
  mkdirSync(tlsDir, { recursive: true });
  mkdirSync(secrets, { recursive: true, mode: 0o700 });
  const ca = await createCa(tlsDir, "local", CERTIFICATE_DAYS + 1);
  const serverName = (server: LocalTlsServer) => `${server}.local`;
  const certificates = {} as Record<LocalTlsServer, IssuedCertificate>;
  for (const server of LOCAL_TLS_SERVERS) {
    certificates[server] = await ca.issue([`DNS:${serverName(server)}`, "IP:127.0.0.1"], CERTIFICATE_DAYS);
  }
  const writeSecret = (name: string, value: string) => {
    const file = join(secrets, name);
    writeFileSync(file, `${value}\n`, { mode: 0o600 });
    return file;
  };
  const metricsToken = secret();
  const tokenFile = writeSecret("metrics-token", metricsToken);
  const passwords = Object.fromEntries(
    WEB_USERS.map((user) => {
      const value = secret();
      return [user, { value, file: writeSecret(`${user}.password`, value) }];
    }),
  ) as Record<WebUser, { value: string; file: string }>;
  const hashes = Object.fromEntries(
    WEB_USERS.map((user) => [user, hashSync(passwords[user].value, BCRYPT_COST)]),
  );
  const writeWebConfig = (server: WebServer) => {
    const file = join(tlsDir, `${server}-web.yml`);
    const { certFile, keyFile } = certificates[server];
    writeFileSync(
      file,
      renderWebConfig({ tls: { certFile, keyFile }, users: hashes }, `the local ${server}`),
    );
    return file;
  };
  const webConfigFiles = {
    prometheus: writeWebConfig("prometheus"),
    alertmanager: writeWebConfig("alertmanager"),
  };
  const service = certificates.service;
  return {
    caFile: ca.certFile,
    serverName,
    certificate: (server) => certificates[server],
    serviceEnv: {
      TLS_CERT_FILE: service.chainFile,
      TLS_KEY_FILE: service.keyFile,
      METRICS_BEARER_TOKEN_FILE: tokenFile,
    },
    metricsToken,
    password: (user) => passwords[user],
    webConfigFiles,
    client: (server, user = "prometheus") => ({
      caFile: ca.certFile,
      serverName: serverName(server),
      ...(server === "service"
        ? { bearerTokenFile: tokenFile }
        : { basicAuth: { username: user, passwordFile: passwords[user].file } }),
    }),
    credential: (user) => ({ username: user, password: passwords[user].value }),
  };
}
