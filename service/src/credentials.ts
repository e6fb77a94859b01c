// The files the configuration names: the certificate and key both ports serve, the bearer tokens
// /metrics accepts, and the CAs the database connection trusts. All are read before anything
// listens (a problem stops the start with exit 1, naming the variable); the first two are read
// again on a reload (SIGHUP), which keeps what is in use when a file is wrong.
import { ConfigError, type Config } from "./config";
import { readBearerTokens } from "./metrics/bearer-token";
import { readCertificates } from "./tls/pem";
import { readServedCertificate, type ServedCertificate } from "./tls/served-certificate";

export interface Reloadable {
  /** Undefined when TLS is off. */
  certificate: ServedCertificate | undefined;
  /** Undefined when /metrics is open. */
  metricsTokens: string[] | undefined;
}

export interface Credentials extends Reloadable {
  /** PEM of the CAs trusted with DATABASE_SSL=verify-full; undefined: Node's bundled CAs. */
  databaseCa: string | undefined;
}

/** Reads the reloadable files; what is wrong goes to `problems`. */
export function readReloadable(config: Config, problems: string[]): Reloadable {
  return {
    certificate: config.tls && readServedCertificate(config.tls, problems),
    metricsTokens:
      config.metricsTokenFile === undefined ? undefined : readBearerTokens(config.metricsTokenFile, problems),
  };
}

/** Reads every file; throws a ConfigError listing every problem. */
export function readCredentials(config: Config): Credentials {
  const problems: string[] = [];
  const reloadable = readReloadable(config, problems);
  const caFile = config.database.caCertFile;
  const databaseCa =
    caFile === undefined ? undefined : readCertificates("DATABASE_CA_CERT_FILE", caFile, problems)?.pem;
  if (problems.length > 0) throw new ConfigError(problems);
  return { ...reloadable, databaseCa };
}
