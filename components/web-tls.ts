// HTTPS and basic auth on a Prometheus-family server (Prometheus, Alertmanager) through its
// `--web.config.file`: a certificate of the internal CA for its Cloud Map name and localhost (the
// health check), a generated password per client kept in Secrets Manager (bcrypt hashes in the web
// config), and the health check that logs in as the server's own user. See docs/decisions/0015.
import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { HEALTH_CHECK_COMMANDS, renderHttpClientConfig, renderWebConfig } from "./monitoring";
import type { SecretFile } from "./config-files";
import { credential, type InternalTlsArgs, serverCertificate } from "./internal-tls";
import type { Tags } from "./tags";

const SERVER_NAMES: Record<keyof typeof HEALTH_CHECK_COMMANDS, string> = {
  prometheus: "Prometheus",
  alertmanager: "Alertmanager",
};

/** The user a server's own health check (and Prometheus's self-scrape) logs in as. */
export const SELF_USER = "self";

/** A login a task reads as a file: the user name and the Secrets Manager secret of the password. */
export interface ServerLoginArgs {
  /** The user name, the client's: `grafana`, `prometheus`. */
  username: string;
  /** Secrets Manager ARN of the password, delivered to the client's task as a file. */
  passwordSecretArn: pulumi.Input<string>;
}

/** A client's login to a server: its user name, and its password as a secret and a Secrets Manager ARN. */
export interface ClientLogin extends ServerLoginArgs {
  /** The password, a Pulumi secret (e.g. for Grafana's secure JSON data). */
  password: pulumi.Output<string>;
  /** Secrets Manager ARN of the password, delivered to the client's task as a file. */
  passwordSecretArn: pulumi.Output<string>;
}

export interface WebTls {
  /** Files for the config bucket: the web config (hashes, no passwords) and the health check's client config. */
  files: Record<string, pulumi.Input<string>>;
  /** Certificate, key, CA and the own user's password, written by the init container. */
  secretFiles: SecretFile[];
  /** The server's flag. */
  flag: string;
  /** Its own login's password file and the CA file, inside the container. */
  self: { passwordFile: string; caFile: string };
  healthCheck: aws.ecs.HealthCheck;
  /** Changes with the certificate: rolls the tasks on renewal. */
  fingerprint: pulumi.Output<string>;
  /** A login per client. */
  logins: Record<string, ClientLogin>;
}

export function webTls(
  name: string,
  args: {
    server: keyof typeof HEALTH_CHECK_COMMANDS;
    tls: InternalTlsArgs;
    /** The Cloud Map name clients use. */
    hostname: pulumi.Input<string>;
    port: number;
    /** The config volume's mount point in the server's container. */
    configDir: string;
    /** Users besides the server's own: one generated password each. */
    clients: string[];
    healthCheckStartPeriod: number;
    tags: Tags;
  },
  opts: pulumi.CustomResourceOptions,
): WebTls {
  const { configDir, tags } = args;
  const server = SERVER_NAMES[args.server];
  const cert = serverCertificate(
    name,
    { tls: args.tls, dnsNames: [args.hostname, "localhost"], configDir, tags },
    opts,
  );
  const logins: Record<string, ClientLogin> = {};
  const hashes: Record<string, pulumi.Output<string>> = {};
  for (const user of [SELF_USER, ...args.clients]) {
    const login = credential(`${name}-${user}-password`, `${name}: password of user ${user}`, tags, opts);
    hashes[user] = login.bcryptHash;
    logins[user] = {
      username: user,
      password: pulumi.secret(login.value),
      passwordSecretArn: login.secretArn,
    };
  }
  const selfPath = `secrets/${SELF_USER}.password`;
  const self = { passwordFile: `${configDir}/${selfPath}`, caFile: cert.files.ca };
  const webConfig = pulumi
    .all(hashes)
    .apply((users) =>
      renderWebConfig({ tls: { certFile: cert.files.cert, keyFile: cert.files.key }, users }, server),
    );
  const healthConfigFile = `${configDir}/health-check-http.yml`;
  const { [SELF_USER]: own, ...clients } = logins;
  return {
    files: {
      "web.yml": webConfig,
      "health-check-http.yml": renderHttpClientConfig(
        { caFile: self.caFile, basicAuth: { username: SELF_USER, passwordFile: self.passwordFile } },
        `the health check of ${server}`,
      ),
    },
    secretFiles: [...cert.secretFiles, { path: selfPath, valueFrom: own!.passwordSecretArn }],
    flag: `--web.config.file=${configDir}/web.yml`,
    self,
    healthCheck: {
      command: [
        "CMD",
        ...HEALTH_CHECK_COMMANDS[args.server](`https://localhost:${args.port}`, healthConfigFile),
      ],
      interval: 30,
      timeout: 5,
      retries: 3,
      startPeriod: args.healthCheckStartPeriod,
    },
    fingerprint: cert.fingerprint,
    logins: clients,
  };
}
