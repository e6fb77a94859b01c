// A private PostgreSQL cluster for tests and the local stack: Debian's server binaries, a data
// folder of our own, loopback only, password authentication, TLS when given a certificate. Nothing
// touches the system cluster.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { freePort } from "./ports";

const run = promisify(execFile);

export interface PostgresOptions {
  /** Data folder; created (and initialised) when missing, reused when present. */
  dataDir: string;
  /** TCP port on 127.0.0.1; a free one when omitted. */
  port?: number;
  /**
   * PEM files of the server's certificate and key: TLS on (clients may still connect without it).
   * They are copied into the data folder, where the server accepts a key: its own, mode 0600.
   */
  tls?: { certFile: string; keyFile: string };
}

export interface PostgresServer {
  readonly port: number;
  readonly dataDir: string;
  /** Connection URL for a database (default `postgres`) as the superuser. */
  url(database?: string): string;
  /** Creates a database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server (fast shutdown); `start` brings it back on the same port and data. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

const INSTALL_HINT =
  "PostgreSQL server binaries not found: install them with `apt-get install -y postgresql` (Debian 12 ships PostgreSQL 15)";

/** Directory holding initdb and pg_ctl of the newest installed PostgreSQL. */
export function postgresBinDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, "bin", "pg_ctl")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) throw new Error(INSTALL_HINT);
  return join(root, versions[0]!, "bin");
}

// initdb refuses to run as root: run the server binaries as the `postgres` user then.
async function asServerUser(file: string, args: string[]): Promise<void> {
  const isRoot = process.getuid?.() === 0;
  if (isRoot) await run("runuser", ["-u", "postgres", "--", file, ...args]);
  else await run(file, args);
}

function chownToServerUser(path: string): void {
  if (process.getuid?.() !== 0) return;
  const passwd = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith("postgres:"));
  if (!passwd)
    throw new Error("running as root but there is no `postgres` user: install the postgresql package");
  const [, , uid, gid] = passwd.split(":");
  chownSync(path, Number(uid), Number(gid));
}

/** Copies the certificate and key for the server; returns the settings that turn TLS on. */
function installTls(dataDir: string, tls: { certFile: string; keyFile: string }): string {
  const certFile = join(dataDir, "server.crt");
  const keyFile = join(dataDir, "server.key");
  copyFileSync(tls.certFile, certFile);
  copyFileSync(tls.keyFile, keyFile);
  chmodSync(keyFile, 0o600);
  chownToServerUser(certFile);
  chownToServerUser(keyFile);
  return `-c ssl=on -c ssl_cert_file=${certFile} -c ssl_key_file=${keyFile}`;
}

export async function startPostgres(options: PostgresOptions): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const dataDir = resolve(options.dataDir);
  const pgdata = join(dataDir, "pgdata");
  const passwordFile = join(dataDir, "superuser-password");
  const port = options.port ?? (await freePort());

  if (!existsSync(join(pgdata, "PG_VERSION"))) {
    mkdirSync(pgdata, { recursive: true, mode: 0o700 });
    writeFileSync(passwordFile, randomBytes(18).toString("base64url"), { mode: 0o600 });
    chownToServerUser(dataDir);
    chownToServerUser(pgdata);
    chownToServerUser(passwordFile);
    await asServerUser(join(bin, "initdb"), [
      "-D",
      pgdata,
      "-U",
      "postgres",
      "--auth=scram-sha-256",
      `--pwfile=${passwordFile}`,
      "--encoding=UTF8",
      "--no-instructions",
    ]);
  }
  chmodSync(dataDir, 0o755);
  const password = readFileSync(passwordFile, "utf8").trim();
  const logFile = join(dataDir, "postgres.log");
  if (!existsSync(logFile)) {
    writeFileSync(logFile, "");
    chownToServerUser(logFile);
  }

  const tlsSettings = options.tls === undefined ? "" : ` ${installTls(dataDir, options.tls)}`;
  const start = () =>
    asServerUser(join(bin, "pg_ctl"), [
      "-D",
      pgdata,
      "-l",
      logFile,
      "-w",
      "-t",
      "60",
      "-o",
      `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${pgdata} -c max_connections=200 -c fsync=off${tlsSettings}`,
      "start",
    ]);
  const stop = () => asServerUser(join(bin, "pg_ctl"), ["-D", pgdata, "-w", "-m", "fast", "stop"]);

  await start();
  const url = (database = "postgres") =>
    `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  return {
    port,
    dataDir,
    url,
    async createDatabase(name: string) {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid database name: ${name}`);
      await run(join(bin, "psql"), [url(), "-v", "ON_ERROR_STOP=1", "-qc", `CREATE DATABASE ${name}`]);
      return url(name);
    },
    stop,
    start,
  };
}

/**
 * Stops, at once, a server that `startPostgres({ dataDir })` started and whose owner is gone (a
 * killed `npm run local`): pg_ctl's server leaves the caller's process group, so killing that
 * group does not reach it. Does nothing when no server runs there.
 */
export async function stopOrphanedPostgres(dataDir: string): Promise<void> {
  const pgdata = join(dataDir, "pgdata");
  if (!existsSync(join(pgdata, "postmaster.pid"))) return;
  await asServerUser(join(postgresBinDir(), "pg_ctl"), ["-D", pgdata, "-w", "-m", "immediate", "stop"]);
}
